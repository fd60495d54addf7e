package supervision

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
)

// child is the supervisor's record of one child spec and its running actor.
type child struct {
	spec  ChildSpec
	args  []any      // per-child arguments (simple_one_for_one)
	pid   *actor.PID // nil while not running
	link  *link
	spawn int // how many actors were spawned for it; names the next one
}

func (ch *child) running() bool { return ch.pid != nil }

// supervisor is the actor. It carries out the decisions of decide.go.
//
// Starting and terminating children is synchronous, as in OTP's own
// supervisor: the supervisor waits, on its own goroutine, for a child's
// Started handler to finish or for the child to stop, through the child's
// link. Proto.Actor's own bookkeeping (Terminated, Failure) arrives later
// and is recognised as stale by PID identity: a respawned child always gets
// a new PID, and a new actor name, so nothing of an old incarnation is ever
// mistaken for the new one.
type supervisor struct {
	spec     Spec
	specErr  error
	top      *Supervisor // the handle, for a top-level supervisor
	ctx      actor.Context
	restart  actor.Supervisor // the Proto.Actor view used for in-place restarts
	children []*child
	window   Window
	nextID   int // simple_one_for_one: the next generated ID
	now      func() time.Time
	gaveUp   bool
	// exiting: the children are terminated and the supervisor stops once
	// Proto.Actor has seen each of them stop (see stopSelf); stopSent: it
	// has asked to.
	exiting, stopSent bool
}

func newSupervisor(spec Spec, top *Supervisor) *supervisor {
	s := &supervisor{top: top, now: time.Now}
	s.spec, s.specErr = spec.withDefaults()
	s.window = Window{Intensity: s.spec.Intensity, Period: s.spec.Period}
	return s
}

// props returns the Props of a supervisor actor for spec.
func props(spec Spec, top *Supervisor) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return newSupervisor(spec, top) },
		actor.WithReceiverMiddleware(poisonMiddleware))
}

// poisonMiddleware hands a supervisor its poison pill, which Proto.Actor
// would take as a stop at once: the supervisor terminates its children in
// order and stops once they are gone (see shutdown).
func poisonMiddleware(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
		if _, ok := env.Message.(*actor.PoisonPill); ok {
			if s, ok := c.Actor().(*supervisor); ok && s.ctx != nil {
				s.shutdown()
				return
			}
		}
		next(c, env)
	}
}

func init() { actors.HideFrames(poisonMiddleware) }

// Receive implements actor.Actor.
func (s *supervisor) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		s.ctx = c
		s.init()
	case *actor.Stopping, *actor.Restarting:
		s.terminateAll()
	case *actor.Stopped:
		if s.top != nil {
			s.top.finish()
		}
	case *actor.Terminated:
		s.childStopped(m.Who)
		if s.exiting {
			s.stopSelf()
		}
	case request:
		if s.exiting {
			c.Respond(response{err: ErrNoSupervisor})
			return
		}
		c.Respond(s.handle(m))
	}
}

// init starts the children in order. If one fails, the ones started are
// terminated in reverse order and the supervisor exits with a *StartError.
func (s *supervisor) init() {
	if s.spec.Name == "supervisor" && s.ctx.Parent() != nil && s.top == nil {
		if l, ok := s.ctx.Get(linkID).(*link); ok && l != nil {
			s.spec.Name = s.childName()
		}
	}
	if s.specErr != nil {
		s.exit(&StartError{Supervisor: s.spec.Name, Err: s.specErr})
		return
	}
	if s.spec.Strategy != SimpleOneForOne {
		for i := range s.spec.Children {
			ch := &child{spec: s.spec.Children[i]}
			s.children = append(s.children, ch)
			if err := s.start(ch); err != nil && !errors.Is(err, ErrIgnore) {
				s.terminateAll()
				s.children = nil
				s.exit(&StartError{Supervisor: s.spec.Name, Child: ch.spec.ID, Err: err})
				return
			}
		}
	}
	if s.top != nil {
		s.top.initDone(nil)
	}
}

// childName is the last part of the supervisor's own actor name, its ID
// under its parent.
func (s *supervisor) childName() string {
	id := s.ctx.Self().Id
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '/' {
			return id[i+1:]
		}
	}
	return id
}

// shutdown terminates the children in reverse start order, then the
// supervisor: a poison pill, Stop's or a parent's.
func (s *supervisor) shutdown() {
	s.terminateAll()
	s.stopSelf()
}

// stopSelf stops the supervisor once Proto.Actor has seen each of its
// stopped children stop (their Terminated handled): stopping sends a stop
// to every child Proto.Actor still counts, and one sent to a child that is
// gone is a dead letter. A child still running (abandoned after its kill)
// is no reason to wait.
func (s *supervisor) stopSelf() {
	s.exiting = true
	if s.stopSent {
		return
	}
	for _, pid := range s.ctx.Children() {
		if _, alive := s.ctx.ActorSystem().ProcessRegistry.Get(pid); !alive {
			return // its Terminated is on its way
		}
	}
	s.stopSent = true
	s.ctx.Stop(s.ctx.Self())
}

// exit terminates the supervisor with reason, after its children.
func (s *supervisor) exit(reason error) {
	s.terminateAll()
	switch {
	case s.top != nil:
		s.top.initDone(reason)
		s.top.setReason(reason)
		s.stopSelf()
	case s.ctx.Get(linkID) != nil || s.ctx.Parent() == nil:
		setExitReason(s.ctx, reason)
		s.stopSelf()
	default:
		// Under a plain Proto.Actor parent: escalate through Proto.Actor's
		// supervision, so the parent's strategy decides.
		panic(reason)
	}
}

// HandleFailure implements actor.SupervisorStrategy: Proto.Actor calls it,
// on the supervisor's goroutine, when a child panicked. The child is
// suspended; its mailbox is intact.
func (s *supervisor) HandleFailure(_ *actor.ActorSystem, sup actor.Supervisor, who *actor.PID, _ *actor.RestartStatistics, reason any, message any) {
	idx := s.indexOf(who)
	if idx < 0 || s.gaveUp || s.exiting {
		return // stale: a child already terminated and replaced
	}
	s.restart = sup
	err := asError(reason)
	ch := s.children[idx]
	s.reportTerminated(ch, err, message)
	s.terminated(idx, err, true)
}

// childStopped handles the Terminated notification of a child.
func (s *supervisor) childStopped(who *actor.PID) {
	idx := s.indexOf(who)
	if idx < 0 || s.gaveUp {
		return // stale, or a child the supervisor terminated itself
	}
	ch := s.children[idx]
	reason := ch.link.exitReason()
	if reason == nil {
		reason = ErrNormal
	}
	s.reportTerminated(ch, reason, nil)
	ch.pid = nil
	s.terminated(idx, reason, false)
}

// reportTerminated publishes a ChildTerminated report, unless the exit
// is one OTP's supervisor does not report: a normal or shutdown exit (see
// IsNormal) of a transient or temporary child, which is what such a child
// is for.
func (s *supervisor) reportTerminated(ch *child, reason error, message any) {
	if ch.spec.Restart != Permanent && IsNormal(reason) {
		return
	}
	s.publish(&ChildTerminated{ChildInfo: s.info(ch), Reason: reason, Message: message})
}

// terminated carries out the decision for child idx, which terminated with
// reason; crashed says it panicked and is suspended, still alive.
func (s *supervisor) terminated(idx int, reason error, crashed bool) {
	ch := s.children[idx]
	d := decide(s.spec.Strategy, ch.spec.Restart, reason, idx, len(s.children), &s.window, s.now())
	switch d.verdict {
	case keep:
		s.terminate(ch, crashed)
	case remove:
		s.terminate(ch, crashed)
		s.children = append(s.children[:idx], s.children[idx+1:]...)
	case giveUp:
		s.publish(&MaxIntensityReached{ChildInfo: s.info(ch), Intensity: s.spec.Intensity, Period: s.spec.Period, Reason: reason})
		s.terminate(ch, crashed)
		s.gaveUp = true
		s.exit(fmt.Errorf("%w: %w", ErrShutdown, ErrReachedMaxRestartIntensity))
	case restart:
		s.restartRange(d.from, d.to, idx, reason, crashed)
	}
}

// restartRange terminates children [from, to) but the failed one in reverse
// order, then restarts them in order: the failed child in place if it
// crashed, the others as new actors. Temporary siblings are not restarted.
func (s *supervisor) restartRange(from, to, failed int, reason error, crashed bool) {
	for i := to - 1; i >= from; i-- {
		if i != failed {
			s.terminate(s.children[i], false)
		}
	}
	restarting := append([]*child(nil), s.children[from:to]...)
	for _, ch := range restarting {
		if ch != s.children[failed] && ch.spec.Restart == Temporary {
			s.delete(ch)
		}
	}
	for _, ch := range restarting {
		if ch != s.children[failed] && ch.spec.Restart == Temporary {
			continue
		}
		oldPID := ch.pid
		var err error
		inPlace := ch == s.children[failed] && crashed
		if inPlace {
			err = s.restartInPlace(ch)
		} else {
			oldPID = nil
			err = s.start(ch)
		}
		switch {
		case err == nil:
			s.publish(&ChildRestarted{ChildInfo: s.info(ch), OldPID: oldPID, InPlace: inPlace, Reason: reason})
		case errors.Is(err, ErrIgnore):
		case inPlace && !errors.Is(err, ErrStartTimeout):
			// The child panicked or exited again in Started; the Failure or
			// Terminated that Proto.Actor sends drives the next attempt.
			return
		default:
			// A failed restart counts as another termination (OTP retries).
			s.terminated(s.indexOfChild(ch), err, false)
			return
		}
	}
}

// restartInPlace restarts a crashed child with Proto.Actor's restart: same
// actor process and mailbox, a new actor value, Started again.
func (s *supervisor) restartInPlace(ch *child) error {
	s.restart.RestartChildren(ch.pid)
	err := s.awaitStart(ch.spec.ID, ch.spec.startTimeout(), ch.link)
	if err != nil {
		s.publish(&ChildStartFailed{ChildInfo: s.info(ch), Err: err})
		if errors.Is(err, ErrStartTimeout) {
			s.terminate(ch, true)
		}
	}
	return err
}

// start spawns a new actor for ch and waits for its Started handler.
func (s *supervisor) start(ch *child) error {
	p, err := s.buildProps(ch)
	if err != nil {
		if !errors.Is(err, ErrIgnore) {
			s.publish(&ChildStartFailed{ChildInfo: s.info(ch), Err: err})
		}
		return err
	}
	l := newLink()
	name := ch.spec.ID
	if ch.spawn > 0 {
		name += "~" + strconv.Itoa(ch.spawn+1)
	}
	ch.spawn++
	pid, err := s.spawnNamed(p.Clone(actor.WithReceiverMiddleware(l.middleware)), name)
	if err != nil {
		s.publish(&ChildStartFailed{ChildInfo: s.info(ch), Err: err})
		return err
	}
	ch.pid, ch.link = pid, l
	if err := s.awaitStart(ch.spec.ID, ch.spec.startTimeout(), l); err != nil {
		// The child panicked, exited, or hung in Started: make sure it is
		// gone before going on.
		s.terminate(ch, true)
		if !errors.Is(err, ErrIgnore) {
			s.publish(&ChildStartFailed{ChildInfo: s.info(ch), Err: err})
		}
		return err
	}
	s.publish(&ChildStarted{ChildInfo: s.info(ch)})
	return nil
}

func (s *supervisor) buildProps(ch *child) (p *actor.Props, err error) {
	if ch.spec.Start == nil {
		return ch.spec.Props, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = &actors.PanicError{Value: r}
		}
	}()
	p, err = ch.spec.Start(ch.args)
	if err == nil && p == nil {
		err = fmt.Errorf("%w: child %q: Start returned nil Props", ErrInvalidSpec, ch.spec.ID)
	}
	return p, err
}

// spawnNamed spawns a child; the actor's producer runs here, so a panic in
// it is caught and returned.
func (s *supervisor) spawnNamed(p *actor.Props, name string) (pid *actor.PID, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &actors.PanicError{Value: r}
		}
	}()
	return s.ctx.SpawnNamed(p, name)
}

// awaitStart waits for the result of the child's Started handler.
func (s *supervisor) awaitStart(id string, timeout time.Duration, l *link) error {
	var expired <-chan time.Time
	if timeout != Infinity {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case err := <-l.started:
		return err
	case <-expired:
		return fmt.Errorf("%w: child %q took longer than %v", ErrStartTimeout, id, timeout)
	}
}

// terminate stops a running child and waits for it, following its Shutdown
// spec; a crashed (suspended) child is stopped at once. It reports a child
// that did not stop cleanly.
func (s *supervisor) terminate(ch *child, crashed bool) {
	if !ch.running() {
		return
	}
	pid, l := ch.pid, ch.link
	info := s.info(ch)
	ch.pid = nil
	shutdown := ch.spec.shutdown()
	if crashed || shutdown == BrutalKill {
		s.ctx.Stop(pid)
	} else {
		s.ctx.Poison(pid)
		if !await(l.stopped, shutdown) {
			// Stop first: a subscriber that reacts to the report must find
			// the kill already on its way.
			s.ctx.Stop(pid)
			s.publish(&ShutdownError{ChildInfo: info, Reason: fmt.Errorf("%w: did not stop within %v", ErrKilled, shutdown)})
		}
	}
	if !await(l.stopped, killWait) {
		s.publish(&ShutdownError{ChildInfo: info, Reason: fmt.Errorf("%w: still running %v after stop; abandoned", ErrKilled, killWait)})
		return
	}
	if fault := l.takeFault(); fault != nil {
		s.publish(&ShutdownError{ChildInfo: info, Reason: fault})
	}
}

// await waits for ch to close, for at most d (Infinity: no limit).
func await(ch <-chan struct{}, d time.Duration) bool {
	if d == Infinity {
		<-ch
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
		return false
	}
}

// terminateAll terminates the children in reverse start order.
func (s *supervisor) terminateAll() {
	for i := len(s.children) - 1; i >= 0; i-- {
		s.terminate(s.children[i], false)
	}
}

func (s *supervisor) indexOf(pid *actor.PID) int {
	for i, ch := range s.children {
		if ch.pid != nil && ch.pid == pid {
			return i
		}
	}
	return -1
}

func (s *supervisor) indexOfChild(target *child) int {
	for i, ch := range s.children {
		if ch == target {
			return i
		}
	}
	return -1
}

func (s *supervisor) indexOfID(id string) int {
	for i, ch := range s.children {
		if ch.spec.ID == id {
			return i
		}
	}
	return -1
}

func (s *supervisor) delete(target *child) {
	if i := s.indexOfChild(target); i >= 0 {
		s.children = append(s.children[:i], s.children[i+1:]...)
	}
}

func (s *supervisor) info(ch *child) ChildInfo {
	return ChildInfo{
		Supervisor:     s.ctx.Self(),
		SupervisorName: s.spec.Name,
		ChildID:        ch.spec.ID,
		PID:            ch.pid,
		Restart:        ch.spec.Restart,
		Kind:           ch.spec.Kind,
	}
}

func (s *supervisor) publish(r Report) { s.ctx.ActorSystem().EventStream.Publish(r) }

// asError turns a Failure reason into an error: the *actors.PanicError of
// the crash-report middleware, or a panic value it did not see.
func asError(reason any) error {
	if err, ok := reason.(error); ok {
		var pe *actors.PanicError
		if errors.As(err, &pe) {
			return err
		}
	}
	return &actors.PanicError{Value: reason}
}
