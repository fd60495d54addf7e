package supervision

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
)

// Supervisor is a handle on a supervisor actor. Its methods send requests
// to the actor and wait for the answer, bounded by the caller's context;
// they may be called from any goroutine. A handle from [Start] also tells
// when the supervisor has terminated (Done, Err).
type Supervisor struct {
	system *actor.ActorSystem
	pid    *actor.PID

	// Top-level supervisors only.
	initOnce sync.Once
	init     chan error
	doneOnce sync.Once
	done     chan struct{}
	mu       sync.Mutex
	reason   error
}

// Start starts a top-level supervisor for spec on system, named spec.Name
// (default "supervisor"), and returns once its children have all started.
// If a child fails to start, the children already started are terminated
// in reverse order and Start returns a *StartError naming the child;
// nothing is left running. An invalid spec is an error wrapping
// ErrInvalidSpec. If ctx ends first, Start returns ctx's error and the
// supervisor stops as soon as its start is over.
func Start(ctx context.Context, system *actor.ActorSystem, spec Spec) (*Supervisor, error) {
	checked, err := spec.withDefaults()
	if err != nil {
		return nil, err
	}
	h := &Supervisor{system: system, init: make(chan error, 1), done: make(chan struct{})}
	pid, err := system.Root.SpawnNamed(props(spec, h), checked.Name)
	if err != nil {
		return nil, fmt.Errorf("supervision: start %q: %w", checked.Name, err)
	}
	h.pid = pid
	select {
	case err := <-h.init:
		if err != nil {
			<-h.done // the supervisor stops itself at once after a failed start
			return nil, err
		}
		return h, nil
	case <-ctx.Done():
		system.Root.Stop(pid)
		return nil, fmt.Errorf("supervision: start %q: %w", checked.Name, ctx.Err())
	}
}

// Of returns a handle on the supervisor actor pid, for example a nested
// supervisor found with WhichChildren. Its Done channel is nil: watch the
// actor to learn when it stops.
func Of(system *actor.ActorSystem, pid *actor.PID) *Supervisor {
	return &Supervisor{system: system, pid: pid}
}

// PID returns the supervisor actor's PID.
func (h *Supervisor) PID() *actor.PID { return h.pid }

// Done is closed when a supervisor started with Start has terminated; nil
// for a handle from Of.
func (h *Supervisor) Done() <-chan struct{} { return h.done }

// Err returns, once Done is closed, why the supervisor terminated: nil
// after Stop, or an error wrapping ErrShutdown and
// ErrReachedMaxRestartIntensity when it gave up.
func (h *Supervisor) Err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.reason
}

// Stop terminates the supervisor: its children are terminated in reverse
// start order, each within its Shutdown time, then the supervisor stops.
// Requests already queued are answered first. Stop returns when the
// supervisor has stopped, or with an error wrapping ctx's error if ctx ends
// first (the shutdown goes on). Stopping a supervisor that has already
// stopped returns nil. To stop a nested supervisor, prefer its parent's
// TerminateChild: stopped directly, it counts as an exit, and a permanent
// one is restarted.
func (h *Supervisor) Stop(ctx context.Context) error {
	if err := actors.StopGracefully(ctx, h.system, h.pid); err != nil {
		return fmt.Errorf("supervision: %w", err)
	}
	if h.done != nil {
		select {
		case <-h.done:
		case <-ctx.Done():
			return fmt.Errorf("supervision: stop %s: %w", actors.PIDString(h.pid), ctx.Err())
		}
	}
	return nil
}

func (h *Supervisor) initDone(err error) {
	h.initOnce.Do(func() { h.init <- err })
}

func (h *Supervisor) setReason(err error) {
	h.mu.Lock()
	h.reason = err
	h.mu.Unlock()
}

func (h *Supervisor) finish() {
	h.initDone(ErrNoSupervisor) // a supervisor stopped during its start
	h.doneOnce.Do(func() { close(h.done) })
}

// Child is one row of WhichChildren.
type Child struct {
	// ID is the child's ID.
	ID string
	// PID is the running actor, or nil if the child is not running.
	PID *actor.PID
	// Kind and Restart are from the child's spec.
	Kind    Kind
	Restart RestartType
}

// Counts is the answer of CountChildren, with OTP's fields.
type Counts struct {
	// Specs is the number of child specs, running or not; for a
	// SimpleOneForOne supervisor it is 1, the template.
	Specs int
	// Active is the number of running children.
	Active int
	// Supervisors and Workers count the child specs by kind.
	Supervisors int
	Workers     int
}

// StartChild adds spec to the supervisor and starts it, after the existing
// children. It returns the new child's PID; nil and no error if the child
// chose to be ignored. Errors: ErrAlreadyStarted or ErrAlreadyPresent for an
// ID in use, a *StartError if it fails to start (the spec is then not
// kept), ErrSimpleOneForOne on a SimpleOneForOne supervisor, ErrInvalidSpec,
// ErrNoSupervisor.
func (h *Supervisor) StartChild(ctx context.Context, spec ChildSpec) (*actor.PID, error) {
	r, err := h.call(ctx, startChildReq{spec: spec})
	return r.pid, err
}

// StartChildArgs starts a new child of a SimpleOneForOne supervisor from its
// template, calling the template's Start with args. The child gets the ID
// "<template ID>-<n>". Errors: as StartChild; ErrSimpleOneForOne on a
// supervisor of another strategy.
func (h *Supervisor) StartChildArgs(ctx context.Context, args ...any) (*actor.PID, error) {
	r, err := h.call(ctx, startChildReq{args: args, simple: true})
	return r.pid, err
}

// TerminateChild terminates the child id within its Shutdown time. Its spec
// is kept (RestartChild starts it again), except for a temporary child or
// a child of a SimpleOneForOne supervisor, whose spec is deleted.
// Terminating a child that is not running is not an error. Errors:
// ErrNotFound, ErrNoSupervisor.
func (h *Supervisor) TerminateChild(ctx context.Context, id string) error {
	_, err := h.call(ctx, terminateChildReq{id: id})
	return err
}

// RestartChild starts again the child id, which must not be running.
// Errors: ErrRunning, ErrNotFound, ErrSimpleOneForOne, a *StartError,
// ErrNoSupervisor.
func (h *Supervisor) RestartChild(ctx context.Context, id string) (*actor.PID, error) {
	r, err := h.call(ctx, restartChildReq{id: id})
	return r.pid, err
}

// DeleteChild deletes the spec of the child id, which must not be running.
// Errors: ErrRunning, ErrNotFound, ErrSimpleOneForOne, ErrNoSupervisor.
func (h *Supervisor) DeleteChild(ctx context.Context, id string) error {
	_, err := h.call(ctx, deleteChildReq{id: id})
	return err
}

// WhichChildren returns the children in start order.
func (h *Supervisor) WhichChildren(ctx context.Context) ([]Child, error) {
	r, err := h.call(ctx, whichChildrenReq{})
	return r.children, err
}

// CountChildren counts the children as OTP's count_children does.
func (h *Supervisor) CountChildren(ctx context.Context) (Counts, error) {
	r, err := h.call(ctx, countChildrenReq{})
	return r.counts, err
}

func (h *Supervisor) call(ctx context.Context, req request) (response, error) {
	reply, err := actors.Call(ctx, h.system, h.pid, req)
	if errors.Is(err, actors.ErrNoActor) {
		return response{}, fmt.Errorf("%w: %s", ErrNoSupervisor, actors.PIDString(h.pid))
	}
	if err != nil {
		return response{}, fmt.Errorf("supervision: %w", err)
	}
	r := reply.(response)
	return r, r.err
}

// request is the closed set of messages a supervisor answers.
type request interface{ isRequest() }

type (
	startChildReq struct {
		spec   ChildSpec
		args   []any
		simple bool
	}
	terminateChildReq struct{ id string }
	restartChildReq   struct{ id string }
	deleteChildReq    struct{ id string }
	whichChildrenReq  struct{}
	countChildrenReq  struct{}
)

func (startChildReq) isRequest()     {}
func (terminateChildReq) isRequest() {}
func (restartChildReq) isRequest()   {}
func (deleteChildReq) isRequest()    {}
func (whichChildrenReq) isRequest()  {}
func (countChildrenReq) isRequest()  {}

type response struct {
	pid      *actor.PID
	err      error
	children []Child
	counts   Counts
}

// handle answers a request on the supervisor's goroutine.
func (s *supervisor) handle(req request) response {
	simple := s.spec.Strategy == SimpleOneForOne
	switch r := req.(type) {
	case startChildReq:
		if r.simple != simple {
			return response{err: ErrSimpleOneForOne}
		}
		return s.startChild(r)
	case terminateChildReq:
		idx := s.indexOfID(r.id)
		if idx < 0 {
			return response{err: fmt.Errorf("%w: child %q", ErrNotFound, r.id)}
		}
		ch := s.children[idx]
		s.terminate(ch, false)
		if simple || ch.spec.Restart == Temporary {
			s.delete(ch)
		}
		return response{}
	case restartChildReq:
		return s.restartOrDelete(r.id, true)
	case deleteChildReq:
		return s.restartOrDelete(r.id, false)
	case whichChildrenReq:
		out := make([]Child, len(s.children))
		for i, ch := range s.children {
			out[i] = Child{ID: ch.spec.ID, PID: ch.pid, Kind: ch.spec.Kind, Restart: ch.spec.Restart}
		}
		return response{children: out}
	case countChildrenReq:
		var c Counts
		if simple {
			c.Specs = 1
		}
		for _, ch := range s.children {
			if !simple {
				c.Specs++
			}
			if ch.running() {
				c.Active++
			}
			if ch.spec.Kind == KindSupervisor {
				c.Supervisors++
			} else {
				c.Workers++
			}
		}
		return response{counts: c}
	}
	return response{err: fmt.Errorf("supervision: unknown request %T", req)}
}

// restartOrDelete answers RestartChild (restart true) and DeleteChild,
// which share their error cases.
func (s *supervisor) restartOrDelete(id string, restart bool) response {
	if s.spec.Strategy == SimpleOneForOne {
		return response{err: ErrSimpleOneForOne}
	}
	idx := s.indexOfID(id)
	switch {
	case idx < 0:
		return response{err: fmt.Errorf("%w: child %q", ErrNotFound, id)}
	case s.children[idx].running():
		return response{err: fmt.Errorf("%w: child %q", ErrRunning, id)}
	case !restart:
		s.children = append(s.children[:idx], s.children[idx+1:]...)
		return response{}
	}
	ch := s.children[idx]
	if err := s.start(ch); err != nil && !errors.Is(err, ErrIgnore) {
		return response{err: &StartError{Supervisor: s.spec.Name, Child: id, Err: err}}
	}
	return response{pid: ch.pid}
}

func (s *supervisor) startChild(r startChildReq) response {
	spec := r.spec
	if r.simple {
		s.nextID++
		spec = s.spec.Children[0]
		spec.ID += "-" + strconv.Itoa(s.nextID)
	} else if err := spec.validate(); err != nil {
		return response{err: err}
	}
	if idx := s.indexOfID(spec.ID); idx >= 0 {
		if ch := s.children[idx]; ch.running() {
			return response{pid: ch.pid, err: fmt.Errorf("%w: child %q as %s", ErrAlreadyStarted, spec.ID, actors.PIDString(ch.pid))}
		}
		return response{err: fmt.Errorf("%w: child %q", ErrAlreadyPresent, spec.ID)}
	}
	ch := &child{spec: spec, args: r.args}
	s.children = append(s.children, ch)
	err := s.start(ch)
	switch {
	case err == nil:
		return response{pid: ch.pid}
	case errors.Is(err, ErrIgnore):
		if r.simple || spec.Restart == Temporary {
			s.delete(ch)
		}
		return response{}
	}
	s.delete(ch)
	return response{err: &StartError{Supervisor: s.spec.Name, Child: spec.ID, Err: err}}
}
