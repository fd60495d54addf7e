package sinks

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// Messages a sink's actor answers (besides *core.Event).
type (
	// install asks for a handler to be installed; answered with an error
	// (nil when installed) once the handler's Add has run.
	install struct {
		spec    Spec
		watcher *actor.PID
	}
	// remove asks for a handler to be removed after it handled its queue;
	// answered with an error once it has stopped.
	remove struct{ id string }
	// lookup asks for a handler's PID; answered with handlerRef.
	lookup struct{ id string }
	// setMask tells the sink a handler's new level mask.
	setMask struct {
		id   string
		mask core.Mask
		line formatter.Formatter
		lane func(*core.Event) bool
	}
	// flushList asks for the handlers to flush, answered with
	// []handlerRef once every event received before it was passed on.
	flushList struct{}
	// statusReq asks for a SinkStatus.
	statusReq struct{}
)

type handlerRef struct {
	id     string
	pid    *actor.PID
	custom bool
	err    error
}

// Messages from a sink to a watcher.
type (
	// handlerExited: the handler was removed after a failure; dropped
	// counts the events it held then (handleractor.Stats.Exit).
	handlerExited struct {
		reason  error
		dropped int64
	}
	// handlerRemoved: the handler was removed on request.
	handlerRemoved struct{}
	// sinkStarted: the sink's actor (re)started; its handlers are gone.
	sinkStarted struct{}
)

// installed is the sink's record of one handler.
type installed struct {
	id       string
	pid      *actor.PID
	mask     core.Mask
	watcher  *actor.PID
	stats    *handleractor.Stats
	window   supervision.Window
	custom   bool
	ready    bool                   // Add succeeded
	waiting  *actor.PID             // who asked for the install, until it is answered
	removing *actor.PID             // who asked for the removal, until it is answered
	reason   error                  // why it is being taken out after a failure
	failed   bool                   // its Add failed; the installer was answered
	line     formatter.Formatter    // run ahead by callers (handlers.LineWriter)
	lane     func(*core.Event) bool // takes lines in its lane: for these events (handleractor.Installed)
	filters  handlers.Config        // a custom actor's config, for its filters
	batch    []*core.Event          // events for it, not sent yet
	acks     []*handleractor.Ack    // of callers waiting for some of batch
}

// manager is the sink's actor, gen_event's manager process.
type manager struct {
	sink     *Sink
	opts     Options
	ctx      actor.Context
	handlers []*installed
	now      func() time.Time
	life     *lifetime
	stop     chan struct{} // closed to stop this incarnation's checker
	checker  chan struct{} // closed when the checker has returned

	// batched counts the events in the handlers' batches.
	batched int

	// inboxed: the event handOut is handing out is still counted in the
	// inbox (uncountInboxed).
	inboxed bool

	// waiting are the watchers told to wait while their handler's last
	// actor is leaving (leaving.go), by handler ID.
	waiting map[string]*actor.PID

	// traces are the sink's traces as of the last change this actor
	// handled, so that a change applies to the events queued after it.
	traces []*traceEntry

	// kill is the last kill before this incarnation started, if its
	// handlers are not all back: each handler awaited (awaited.go) gets
	// its report as it is back.
	kill *killed
}

func newManager(s *Sink, opts Options) *manager {
	return &manager{sink: s, opts: opts, now: time.Now, waiting: map[string]*actor.PID{}}
}

// Receive implements actor.Actor.
func (m *manager) Receive(c actor.Context) {
	switch c.Message().(type) {
	case *actor.Started, *actor.Stopping, *actor.Restarting, *actor.Stopped:
	case *core.Event:
		m.takeInbox()
	default:
		// Whatever else comes — a flush, a removal, a trace — comes after
		// the events logged before it.
		m.takeInbox()
		m.sendBatches(c)
	}
	switch msg := c.Message().(type) {
	case drain:
		msg.life.drains.Add(-1)
		m.sink.recompute()
	case *core.Event: // sent to the sink's actor itself (a custom actor's report, say)
		m.fanOut(c, msg, nil)
		m.batchesDue(c)
	case *actor.Started:
		m.started(c)
		// Events put while no incarnation ran, or told to the last one.
		m.takeInbox()
	case *actor.Stopping, *actor.Restarting:
		m.stopping()
	case install:
		m.install(c, msg)
	case *handleractor.Installed:
		m.installed(msg)
	case remove:
		h := m.find(msg.id)
		if h == nil || h.removing != nil || h.failed {
			c.Respond(removeAnswer{err: fmt.Errorf("%w: %q in sink %q", ErrNotFound, msg.id, m.sink.name)})
			return
		}
		h.removing = c.Sender()
		h.ready = false
		m.recomputeMask()
		c.Poison(h.pid) // it handles what it has queued first
	case lookup:
		h := m.find(msg.id)
		if h == nil || !h.ready {
			c.Respond(handlerRef{err: fmt.Errorf("%w: %q in sink %q", ErrNotFound, msg.id, m.sink.name)})
			return
		}
		c.Respond(handlerRef{id: h.id, pid: h.pid, custom: h.custom})
	case setMask:
		if h := m.find(msg.id); h != nil {
			h.mask, h.line, h.lane = msg.mask, msg.line, msg.lane
			m.recomputeMask()
		}
		c.Respond(setMask{})
	case flushList:
		refs := make([]handlerRef, 0, len(m.handlers))
		for _, h := range m.handlers {
			if h.ready {
				refs = append(refs, handlerRef{id: h.id, pid: h.pid, custom: h.custom})
			}
		}
		c.Respond(refs)
	case statusReq:
		c.Respond(m.status())
	case tracesChanged:
		// Events queued before the change were traced by the old traces.
		m.traces = m.sink.loadTraces()
		m.recomputeMask()
		c.Respond(tracesChanged{})
	case handlerFailure:
		m.failed(msg.sup, msg.who, msg.reason, msg.message)
	case *actor.Terminated:
		handlerGuardian.release(m.sink, msg.Who.Id)
		if id := m.sink.left(msg.Who); id != "" {
			m.leftFor(c, id)
			return
		}
		m.handlerStopped(msg.Who)
	case watcherGone:
		m.forgetGone()
	}
}

// arrived takes h, installed by its watcher, out of the handlers awaited;
// one that was awaited after a kill learns what happened.
func (m *manager) arrived(h *installed) {
	was, none := m.sink.arrived(h.id)
	if !was || m.kill == nil {
		return
	}
	switch report := m.kill.report(m.sink.name); {
	case !h.mask.Enabled(report.Level):
	case h.custom:
		sendCustom(m.ctx, h, report)
	default:
		m.ctx.Send(h.pid, report)
	}
	if none {
		m.killReported()
	}
}

// killReported forgets the kill once no handler is awaited: each one back
// got its report. A kill since this incarnation started is another one.
func (m *manager) killReported() {
	m.sink.lastKill.CompareAndSwap(m.kill, nil)
	m.kill = nil
}

// forgetGone stops waiting for the handlers whose watchers ended: they
// will not be back.
func (m *manager) forgetGone() {
	if m.sink.pruneAwaited() {
		m.killReported()
	}
	m.recomputeMask()
}

// fanOut passes an event to every ready handler that takes its level. A
// sync event's Ack expects one answer from each handler actor that runs a
// Handler; a custom actor gets the plain event and is not waited for.
func (m *manager) fanOut(c actor.Context, e *core.Event, ack *handleractor.Ack) {
	var fed, silenced []string
	if len(m.traces) > 0 {
		fed, silenced = traced(m.traces, e)
	}
	ready, waiting, holders := false, 0, 0
	for _, h := range m.handlers {
		if !h.ready {
			continue
		}
		ready = true
		if _, ok := m.route(h, e, fed, silenced); ok {
			holders++
			if !h.custom && ack != nil {
				waiting++
			}
		}
	}
	if ack != nil {
		ack.Expect(waiting)
	}
	if !ready || holders == 0 && m.sink.awaitedTakes(e.Level, fed, silenced) {
		// No handler to take it (they are being installed again after a
		// restart or a kill, or none is left), or only handlers still on
		// their way back want it, by their levels or fed by a trace:
		// count it, never lose it silently.
		m.sink.drops.NoHandler.Add(1)
		return
	}
	for _, h := range m.handlers {
		if !h.ready {
			continue
		}
		byTrace, ok := m.route(h, e, fed, silenced)
		switch {
		case !ok:
		case h.custom:
			// A custom actor has no runner to apply its filters (the
			// translator's switches among them): the sink does, unless a
			// trace sent the event.
			if byTrace || m.customAccepts(h, e) {
				m.uncountInboxed()
				sendCustom(c, h, e)
			}
		case byTrace:
			m.sendBatch(c, h)
			c.Send(h.pid, &handleractor.Sync{Event: e, Ack: ack, Traced: true})
		default:
			if ack != nil {
				h.acks = append(h.acks, ack)
			}
			h.batch = append(h.batch, e)
			m.batched++
		}
	}
}

// takeInbox hands every event in the sink's inbox to the handlers, in
// order, sending the batches as they fill.
func (m *manager) takeInbox() {
	items := m.sink.in.take()
	if items == nil {
		return
	}

	m.handOut(items)
	m.sink.in.giveBack(items)
}

// handOut hands events taken from the inbox to the handlers and sends
// their batches. The events stay counted in the inbox until just before
// their batches are sent, when the handlers' queues start counting them:
// never twice, since a queue reading too high could hold callers in sync
// mode, or drop their events in discard mode. A custom handler actor gets
// each event at once and counts it from then on: the event leaves the
// inbox's count just before (uncountInboxed).
func (m *manager) handOut(items []queued) {
	inboxed := 0 // handed out and still counted in the inbox
	for _, q := range items {
		m.inboxed = true
		m.fanOut(m.ctx, q.e, q.ack)
		if m.inboxed {
			inboxed++
			m.inboxed = false
		}
		if m.batched >= maxBatch {
			m.sink.in.taken(inboxed)
			inboxed = 0
			m.sendBatches(m.ctx)
		}
	}
	m.sink.in.taken(inboxed)
	m.sendBatches(m.ctx)
}

// uncountInboxed takes the event being handed out of the inbox's count,
// if it is still in it, before a queue that counts it at once has it.
func (m *manager) uncountInboxed() {
	if m.inboxed {
		m.inboxed = false
		m.sink.in.taken(1)
	}
}

// batchesDue sends the batches when the mailbox is empty, or they are
// full, and recomputes the sink's mode.
func (m *manager) batchesDue(c actor.Context) {
	if m.batched >= maxBatch || m.sink.Queue.Len() == 0 {
		m.sendBatches(c)
	}
	m.sink.recompute()
}

// maxBatch is the most events a Batch holds.
const maxBatch = 256

// sendBatches sends every handler its batch.
func (m *manager) sendBatches(c actor.Context) {
	if m.batched == 0 {
		return
	}
	for _, h := range m.handlers {
		m.sendBatch(c, h)
	}
	m.batched = 0
}

// sendBatch sends handler h its batch, if it has one: before anything
// else is sent to it, so that it sees events in order.
func (m *manager) sendBatch(c actor.Context, h *installed) {
	if len(h.batch) == 0 {
		return
	}
	m.batched -= len(h.batch)
	if len(h.batch) == 1 && len(h.acks) == 0 {
		c.Send(h.pid, h.batch[0])
	} else {
		// Counted once per batch: callers read Pending at every call.
		h.stats.Pending.Add(int64(len(h.batch)))
		h.stats.Batches.Add(1)
		c.Send(h.pid, &handleractor.Batch{Events: h.batch, Acks: h.acks})
	}
	h.batch, h.acks = nil, nil
}

// route says whether handler h gets event e — by its level, or because a
// trace feeds it (byTrace: it then skips its level and filters) — given
// the handlers traces feed and silence for e (lager's is_loggable).
func (m *manager) route(h *installed, e *core.Event, fed, silenced []string) (byTrace, ok bool) {
	return routes(h.id, h.mask, e.Level, fed, silenced)
}

// routes says whether the handler id at levels mask takes an event at
// level l that traces feed to the handlers fed and keep from those
// silenced, and whether only a trace sends it there: a silence trace
// keeps it away, its level or a feeding trace takes it.
func routes(id string, mask core.Mask, l core.Level, fed, silenced []string) (byTrace, ok bool) {
	if len(silenced) > 0 && slices.Contains(silenced, id) {
		return false, false
	}
	if mask.Enabled(l) {
		return false, true
	}
	if len(fed) > 0 && slices.Contains(fed, id) {
		return true, true
	}
	return false, false
}

// started begins an incarnation: it publishes the sink's new lifetime,
// starts the periodic check, and tells the watchers, whose handlers died
// with the last incarnation, to install them again.
func (m *manager) started(c actor.Context) {
	m.ctx = c
	m.traces = m.sink.loadTraces()
	m.life = &lifetime{pid: c.Self(), died: make(chan struct{})}
	m.sink.life.Store(m.life)
	m.sink.announceStart()
	m.sink.killing.Store(false)
	m.stop, m.checker = make(chan struct{}), make(chan struct{})
	go m.check(m.stop, m.checker)
	for _, pid := range m.sink.leavingPIDs() {
		c.Watch(pid) // Terminated comes at once for one that has ended
	}
	if m.sink.starts.Add(1) > 1 {
		// Kept until its handlers are back, even across incarnations
		// that stop before they are.
		m.kill = m.sink.lastKill.Load()
		for _, w := range m.sink.watcherPIDs() {
			c.Send(w, sinkStarted{})
		}
	}
	// Watchers that ended while no incarnation ran leave no handler to
	// wait for.
	m.forgetGone()
}

// check runs the periodic check every DiscardCheckInterval (read anew each
// time, so a change at run time applies) until stop is closed. The
// incarnation that starts it stops it and waits for it.
func (m *manager) check(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTimer(m.sink.th.Load().DiscardCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			m.sink.tick(now)
			t.Reset(m.sink.th.Load().DiscardCheckInterval)
		}
	}
}

// stopping ends an incarnation: callers waiting in sync mode are released,
// and the handlers drain their queues — unless the killer struck, in which
// case their queues are dropped with them.
func (m *manager) stopping() {
	if m.life == nil {
		return
	}
	// From now on events go through the inbox; the handlers write what
	// their lanes hold as they stop. Their watchers bring them back in
	// the next incarnation: their levels stay wanted until then.
	awaited := map[string]core.Mask{}
	for _, h := range m.handlers {
		if h.watcher != nil && h.ready {
			awaited[h.id] |= h.mask
		}
	}
	m.sink.await(awaited)
	m.sink.lanes.Store(nil)
	m.sink.life.CompareAndSwap(m.life, nil)
	close(m.life.died)
	m.life = nil
	close(m.stop)
	<-m.checker
	if !m.sink.killing.Load() {
		m.takeInbox()
		if m.sink.closed.Load() {
			// The last incarnation: what callers put from now on is
			// counted as dropped; what got in meanwhile is handled.
			m.handOut(m.sink.in.close())
		}
		m.sendBatches(m.ctx)
		m.drainHandlers()
		if m.sink.closed.Load() {
			m.abandonLeaving()
		}
		return
	}
	// Killed: its supervisor is told so (lager's killer kills the event
	// manager), not of a normal exit; the stop in hand goes on.
	supervision.Exit(m.ctx, supervision.ErrKilled)
	// The inbox goes with the queues. The killer counted it when
	// it struck; later arrivals are counted here, and events it counted
	// that went to the handlers since are taken off here (their handlers'
	// mailboxes count them as they stop).
	items := m.sink.in.take()
	m.sink.in.taken(len(items))
	m.sink.settleKilled(int64(len(items)) - m.sink.inboxKilled.Swap(0))
	for _, h := range m.handlers { // killed with the sink (the killer counted them)
		h.batch, h.acks = nil, nil
		m.sink.settleKilled(int64(h.stats.Lane.Kill()))
		m.letGo(h)
	}
	m.handlers = nil
	m.publishQueues()
	m.batched = 0
}

// letGo stops handler h's actor without waiting for it: the next
// incarnation waits for it (leaving.go), not this one.
func (m *manager) letGo(h *installed) {
	m.ctx.Unwatch(h.pid)
	m.sink.leave(h.id, h.pid)
	m.ctx.Stop(h.pid)
}

// publishQueues lets the sink read its handlers' queues.
func (m *manager) publishQueues() {
	stats := make([]*handleractor.Stats, 0, len(m.handlers))
	for _, h := range m.handlers {
		stats = append(stats, h.stats)
	}
	m.sink.handlerQueues.Store(&stats)
}

func (m *manager) find(id string) *installed {
	for _, h := range m.handlers {
		if h.id == id {
			return h
		}
	}
	return nil
}

func (m *manager) indexOf(pid *actor.PID) int {
	for i, h := range m.handlers {
		if h.pid == pid {
			return i
		}
	}
	return -1
}

// install spawns the handler's actor; the answer waits for its Installed.
func (m *manager) install(c actor.Context, msg install) {
	spec := msg.spec
	if err := spec.check(); err != nil {
		c.Respond(installAnswer{err: err})
		return
	}
	if m.find(spec.Config.ID) != nil {
		c.Respond(installAnswer{err: fmt.Errorf("%w: %q in sink %q", ErrAlreadyPresent, spec.Config.ID, m.sink.name)})
		return
	}
	if m.sink.stillLeaving(spec.Config.ID) {
		// Its last actor has not ended (stuck in Log when the killer
		// struck, say): its watcher is told once it has (leftFor).
		if msg.watcher != nil {
			m.waiting[spec.Config.ID] = msg.watcher
		}
		c.Respond(installAnswer{err: fmt.Errorf("%w: %q in sink %q", errStillLeaving, spec.Config.ID, m.sink.name)})
		return
	}
	h := &installed{
		id:      spec.Config.ID,
		mask:    spec.Config.Mask(),
		watcher: msg.watcher,
		stats: &handleractor.Stats{Settle: func(n int) { m.sink.settleKilled(int64(n)) }, Report: m.sink.deliver,
			Lost: func(n int) { m.sink.drops.Exited.Add(int64(n)) }},
		window:  supervision.Window{Intensity: m.opts.HandlerIntensity, Period: m.opts.HandlerPeriod},
		custom:  spec.Handler == nil,
		waiting: c.Sender(),
	}
	if h.custom {
		h.filters = spec.Config
	}
	props := spec.Props
	if spec.Handler != nil {
		props = handleractor.Props(spec.Handler, spec.Config, h.stats, c.Self(), func() { m.sink.recompute() })
	} else {
		props = props.Clone(actor.WithReceiverMiddleware(counting(h.stats)))
	}
	props = props.Clone(actor.WithReceiverMiddleware(actors.CrashReporter()), actor.WithGuardian(handlerGuardian))
	pid, err := m.spawn(c, props, c.Self().Id+"/handler-"+h.id)
	if err != nil {
		c.Respond(installAnswer{err: fmt.Errorf("sinks: install %q in sink %q: %w", h.id, m.sink.name, err)})
		return
	}
	c.Watch(pid)
	h.pid = pid
	m.handlers = append(m.handlers, h)
	m.publishQueues()
	if h.custom { // a custom actor has no Add: it is installed once spawned
		m.installed(&handleractor.Installed{ID: h.id})
	}
}

// sendCustom sends custom actor h event e, counted in its queue (Pending)
// until the actor takes it (counting). A header marks the events the sink
// sent, which the actor still receives as *core.Event; each envelope has
// a header of its own, since a middleware of the user's may set others.
func sendCustom(c actor.SenderContext, h *installed, e *core.Event) {
	h.stats.Pending.Add(1)
	c.Send(h.pid, &actor.MessageEnvelope{Header: map[string]string{fromSink: "1"}, Message: e})
}

// fromSink is the header that marks the events a sink sends a custom
// actor.
const fromSink = "actorlog-sink"

// counting is a custom actor's receiver middleware that keeps its queue
// counted, as a handler actor of actorlog's does: the sink counts each
// event it sends in stats.Pending (sendCustom), and this takes it out as
// the actor takes the event; as the actor stops, what it leaves is
// settled with the killer's count (handleractor.Stats.Settle).
func counting(stats *handleractor.Stats) actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			switch env.Message.(type) {
			case *core.Event:
				if env.GetHeader(fromSink) != "" {
					stats.Pending.Add(-1)
				}
			case *actor.Stopping:
				stats.SettleKilled()
				stats.ExitCustom()
			}
			next(c, env)
		}
	}
}

// customAccepts applies a custom actor's filters to e (its level was
// checked by route), counting the filters that panicked.
func (m *manager) customAccepts(h *installed, e *core.Event) bool {
	if len(h.filters.Filters) == 0 {
		return true
	}
	ok, panics := h.filters.Accepts(e)
	if panics > 0 {
		h.stats.FilterPanics.Add(int64(panics))
	}
	return ok
}

// spawn spawns a handler actor from the root, named name (under the
// sink's actor's name: see leaving.go); a panic in its producer is an
// error.
func (m *manager) spawn(c actor.Context, props *actor.Props, name string) (pid *actor.PID, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &actors.PanicError{Value: r}
		}
	}()
	system := c.ActorSystem()
	try := func(name string) (*actor.PID, error) {
		// Guarded before it starts: its Add may fail before SpawnNamed
		// returns.
		mine := handlerGuardian.guard(m.sink, name)
		pid, err := system.Root.SpawnNamed(props, name)
		if err != nil && mine {
			handlerGuardian.release(m.sink, name)
		}
		return pid, err
	}
	pid, err = try(name)
	if errors.Is(err, actor.ErrNameExists) {
		pid, err = try(name + "~" + system.ProcessRegistry.NextId())
	}
	return pid, err
}

// abandonLeaving, as the sink's last incarnation stops, gives up on the
// handler actors still leaving (stuck in their handler): no incarnation
// will wait for them. Each is named on standard error; it ends, unowned,
// if its handler ever returns.
func (m *manager) abandonLeaving() {
	for id, pid := range m.sink.abandon() {
		handlerGuardian.release(m.sink, pid.Id)
		m.sink.toStderr(&core.Event{Time: time.Now(), Level: core.LevelError,
			Message: fmt.Sprintf("sink %s stopped; handler %s (%s) did not stop: it is stuck in its handler", m.sink.name, id, pid.Id)})
	}
}

// leftFor installs handler id again now that its last actor has ended: its
// watcher, told to wait, is told to install it.
func (m *manager) leftFor(c actor.Context, id string) {
	if w, ok := m.waiting[id]; ok {
		delete(m.waiting, id)
		c.Send(w, sinkStarted{})
	}
}

// installed handles a handler actor's report on its Add.
func (m *manager) installed(msg *handleractor.Installed) {
	h := m.find(msg.ID)
	if h == nil {
		return
	}
	switch {
	case msg.Err == nil:
		h.ready, h.line, h.lane = true, msg.Line, msg.Lane
		if h.watcher != nil {
			m.arrived(h)
		}
		m.recomputeMask()
		m.answerInstall(h, nil)
	case msg.Restart:
		// Add failed after an in-place restart: it exits; its watcher
		// hears of it once it has stopped.
		h.reason = fmt.Errorf("sinks: handler %q could not be added again after a restart: %w", h.id, msg.Err)
		m.exit(h)
		m.ctx.Poison(h.pid)
	default:
		// Its install failed: answer, and stop the actor; the record
		// goes once it has stopped.
		h.ready = false
		h.failed = true
		m.answerInstall(h, msg.Err)
		m.ctx.Stop(h.pid)
	}
}

func (m *manager) answerInstall(h *installed, err error) {
	if h.waiting != nil {
		m.ctx.Send(h.waiting, installAnswer{err: err})
		h.waiting = nil
	}
}

// installAnswer wraps an install's result, so that a nil error is still a
// message.
type installAnswer struct{ err error }

// handlerStopped forgets a handler whose actor stopped and tells whoever
// needs to know.
func (m *manager) handlerStopped(pid *actor.PID) {
	i := m.indexOf(pid)
	if i < 0 {
		return
	}
	h := m.handlers[i]
	m.handlers = append(m.handlers[:i], m.handlers[i+1:]...)
	m.recomputeMask()
	m.publishQueues()
	switch {
	case h.failed:
	case h.waiting != nil:
		m.answerInstall(h, fmt.Errorf("sinks: handler %q stopped while being installed", h.id))
	case h.removing != nil:
		m.ctx.Send(h.removing, removeAnswer{})
		if h.watcher != nil {
			m.ctx.Send(h.watcher, handlerRemoved{})
		}
	case h.watcher != nil:
		reason := h.reason
		if reason == nil {
			reason = fmt.Errorf("sinks: handler %q stopped", h.id)
		}
		m.ctx.Send(h.watcher, handlerExited{reason: reason, dropped: h.stats.Exited.Load()})
	}
}

// removeAnswer answers remove.
type removeAnswer struct{ err error }

// failed decides what becomes of a handler actor that panicked (its
// guardian hands the failure over). It is restarted in place — its queued events are kept, only the one that
// made it panic is lost (the crash report names it) — unless it panicked
// more than HandlerIntensity times within HandlerPeriod: then it is
// stopped, and its watcher reports it and installs it again.
func (m *manager) failed(sup actor.Supervisor, who *actor.PID, reason any, message any) {
	if s, ok := actor.UnwrapEnvelopeMessage(message).(*handleractor.Sync); ok && s.Ack != nil {
		s.Ack.Done() // the event that made it panic is lost: its caller must not wait
	}
	i := m.indexOf(who)
	if i < 0 {
		sup.StopChildren(who)
		return
	}
	h := m.handlers[i]
	if h.waiting != nil {
		// It panicked while being installed (in Add): that is a failed
		// install, not a crash to restart.
		h.failed = true
		m.answerInstall(h, fmt.Errorf("sinks: handler %q panicked in Add: %v", h.id, reason))
		sup.StopChildren(who)
		return
	}
	if h.window.Allow(m.now()) {
		sup.RestartChildren(who)
		return
	}
	h.reason = fmt.Errorf("%v (more than %d restarts in %v)", reason, m.opts.HandlerIntensity, m.opts.HandlerPeriod)
	m.exit(h)
	if h.custom {
		// A custom actor has no runner to drop its mailbox: it stops, and
		// the events the sink sent it that it had not taken are counted
		// as it does (counting).
		sup.StopChildren(who)
		return
	}
	// It drops, counted, what it holds, then stops: the events sent to
	// it before it left the handlers, and their callers, are not lost
	// silently with its mailbox.
	sup.ResumeChildren(who)
	m.ctx.Poison(who)
}

// exit takes handler h out after failures: it takes no more events, and
// drops what it holds, counted (handleractor.Stats.Exit). Its watcher installs
// it again: meanwhile it is awaited (awaited.go), and what only it would
// take is counted.
func (m *manager) exit(h *installed) {
	h.ready = false
	h.stats.Exit()
	if h.watcher != nil && h.removing == nil {
		m.sink.await(map[string]core.Mask{h.id: h.mask})
	}
	m.recomputeMask()
}

// recomputeMask sets the sink's mask to the union of its ready handlers'
// levels.
func (m *manager) recomputeMask() {
	var mask core.Mask
	for _, h := range m.handlers {
		if h.ready {
			mask |= h.mask
		}
	}
	// A trace widens the mask by the levels it feeds (a silence trace
	// never does), so that callers build only the events someone takes.
	for _, te := range m.traces {
		mask |= te.mask
	}
	mask |= core.Mask(m.sink.pending.Load())
	m.sink.mask.Store(uint32(mask))
	m.recomputeAhead()
	m.recomputeLanes()
}

// recomputeLanes lets callers put lines in the handlers' lanes instead of
// events in the inbox while every ready handler takes lines
// (handleractor.Installed.Lane) and no trace is set (a trace routes events by
// their metadata, here). A change reaches the callers at once; the lines
// put before it are written before anything this actor sends after it,
// since a handler takes its lane before each message.
func (m *manager) recomputeLanes() {
	var lanes []laneEntry
	for _, h := range m.handlers {
		if !h.ready {
			continue
		}
		if h.custom || h.lane == nil || h.line == nil || len(m.traces) > 0 {
			m.sink.lanes.Store(nil)
			return
		}
		lanes = append(lanes, laneEntry{lane: &h.stats.Lane, stats: h.stats, pid: h.pid, f: h.line, accepts: h.lane})
	}
	if len(lanes) == 0 {
		m.sink.lanes.Store(nil)
		return
	}
	m.sink.lanes.Store(&lanes)
}

// recomputeAhead publishes the formatters callers run ahead: those of the
// ready handlers that write lines, each once, with the levels its
// handlers take — as many as an event holds lines.
func (m *manager) recomputeAhead() {
	var ahead []aheadFormat
	for _, h := range m.handlers {
		if !h.ready || h.custom || h.line == nil || h.mask == 0 {
			continue
		}
		i := slices.IndexFunc(ahead, func(a aheadFormat) bool { return a.f == h.line })
		switch {
		case i >= 0:
			ahead[i].mask |= h.mask
		case len(ahead) < core.EventLines:
			ahead = append(ahead, aheadFormat{f: h.line, mask: h.mask})
		}
	}
	if len(ahead) == 0 {
		m.sink.ahead.Store(nil)
		return
	}
	m.sink.ahead.Store(&ahead)
}

// drainHandlers stops every handler after it handled its queue, each
// within DrainTimeout, then at once; one stuck in its handler even then is
// left to the next incarnation (letGo). The sink's mask is left as it was,
// so that events logged meanwhile reach the sink and are counted, not
// skipped.
func (m *manager) drainHandlers() {
	system := m.ctx.ActorSystem()
	for i := len(m.handlers) - 1; i >= 0; i-- {
		h := m.handlers[i]
		m.ctx.Unwatch(h.pid) // waited for here
		ctx, cancel := context.WithTimeout(context.Background(), m.opts.DrainTimeout)
		err := actors.StopGracefully(ctx, system, h.pid)
		cancel()
		if err != nil {
			m.sink.drops.Killed.Add(int64(h.stats.Queued()))
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err = actors.StopNow(ctx, system, h.pid)
			cancel()
		}
		if err != nil {
			m.letGo(h)
			continue
		}
		handlerGuardian.release(m.sink, h.pid.Id)
	}
	m.handlers = nil
	m.publishQueues()
}
