package supervision

import (
	"sync"

	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/ctxext"
)

// link ties one spawned child to its supervisor. Its receiver middleware,
// installed on the child's Props, tells the supervisor when the child's
// Started handler has finished (and how), and when the child has stopped;
// Exit records the child's exit reason in it.
type link struct {
	started  chan error // one result per Started; see signalStarted
	stopped  chan struct{}
	stopOnce sync.Once

	mu     sync.Mutex
	reason error // the exit reason given to Exit
	fault  error // a panic absorbed in Stopping, Stopped or Restarting
}

var linkID = ctxext.NextContextExtensionID()

// ExtensionID implements ctxext.ContextExtension, so Exit finds the link
// from the child's context.
func (*link) ExtensionID() ctxext.ContextExtensionID { return linkID }

func newLink() *link {
	return &link{started: make(chan error, 1), stopped: make(chan struct{})}
}

// signalStarted passes the result of a Started handler to the supervisor.
// The supervisor waits for one result at a time, and abandons a link whose
// wait timed out, so the buffer of one never holds a result that a later
// wait would mistake for its own; the send never blocks the child.
func (l *link) signalStarted(err error) {
	select {
	case l.started <- err:
	default:
	}
}

func (l *link) setReason(err error) {
	l.mu.Lock()
	l.reason = err
	l.mu.Unlock()
}

// exitReason returns the reason given to Exit, or nil.
func (l *link) exitReason() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reason
}

func (l *link) setFault(err error) {
	l.mu.Lock()
	if l.fault == nil {
		l.fault = err
	}
	l.mu.Unlock()
}

func (l *link) takeFault() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.fault
	l.fault = nil
	return err
}

// middleware is the link's receiver middleware. It wraps the crash-report
// middleware, so every supervised child's panics are reported with their
// stack, and its own recovers see the *actors.PanicError.
func (l *link) middleware(next actor.ReceiverFunc) actor.ReceiverFunc {
	next = actors.CrashReporter()(next)
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
		switch env.Message.(type) {
		case *actor.Started:
			c.Set(l)
			l.setReason(nil)
			defer func() {
				if r := recover(); r != nil {
					pe := actors.Report(c, env, r)
					l.signalStarted(pe)
					panic(pe)
				}
				l.signalStarted(l.exitReason())
			}()
		case *actor.Stopping, *actor.Restarting:
			// Proto.Actor never finishes stopping or restarting an actor
			// whose handler for these panics: absorb the panic (reported)
			// so that the stop or restart completes.
			defer func() {
				if r := recover(); r != nil {
					l.setFault(actors.Report(c, env, r))
				}
			}()
		case *actor.Stopped:
			defer l.stopOnce.Do(func() { close(l.stopped) })
			defer func() {
				if r := recover(); r != nil {
					l.setFault(actors.Report(c, env, r))
				}
			}()
		}
		next(c, env)
	}
}

// Exit terminates the calling actor with reason, as Erlang's exit/1 does
// in a process: it stops the actor (after the message in hand; messages
// still queued are dropped) and, if the actor is the child of a supervisor
// from this package, makes reason its exit reason, which decides whether it
// is restarted. A nil reason is ErrNormal. Called from a Started handler it
// makes the start fail with reason — or, with ErrIgnore, leaves the child
// not running without an error.
//
// An actor that stops without Exit (ctx.Stop, a poison pill) exits with
// ErrNormal.
func Exit(c actor.Context, reason error) {
	setExitReason(c, reason)
	c.Stop(c.Self())
}

// setExitReason makes reason (nil: ErrNormal) the exit reason of the actor
// of c, if it is a supervised child.
func setExitReason(c actor.Context, reason error) {
	if reason == nil {
		reason = ErrNormal
	}
	if l, ok := c.Get(linkID).(*link); ok {
		l.setReason(reason)
	}
}

func init() { actors.HideFrames((*link).middleware) }
