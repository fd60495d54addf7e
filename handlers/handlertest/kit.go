package handlertest

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
)

// Deadline bounds every wait of the kit: a guard against a hang, never a
// timing assertion.
const Deadline = 10 * time.Second

// Kit runs one handler under test in a System of its own, on an actor
// system of its own: what a test logs, spawns or crashes reaches only its
// own kit, so tests using kits can run with t.Parallel. (This ownership by
// construction is Go's answer to LoggerHandlerKit's ownership filter,
// which a single global Logger needs.)
//
// The handler is wrapped: a panic in any of its methods is recovered and
// reported to the test by the next AssertLogged or WaitLogged, instead of
// silently restarting the handler; each Log call completes one result,
// the per-event sync point.
type Kit struct {
	// Sys is the System and System the actor system the kit runs.
	Sys    *actorlog.System
	System *actor.ActorSystem
	// Logger is the System's logger.
	Logger *actorlog.Logger

	t       testing.TB
	results chan result
}

// Result is one Log call of the handler under test.
type result struct {
	event *core.Event
	err   error
	panic any
	stack string
}

// Options configure a kit.
type Options struct {
	// Config is the handler's config; ID "under-test" and level debug if
	// empty. Its translator switches can be set with a translator.Filter.
	Config handlers.Config
	// Translator sets the translation switches of the System (see
	// actorlog.Config.Translator).
	Translator translator.Options
}

// New starts a kit for h. The kit, its System and its actor system stop
// when the test ends.
func New(t testing.TB, h handlers.Handler, opts Options) *Kit {
	t.Helper()
	system := actor.NewActorSystem(append(actors.QuietConfig(), actor.WithLoggerFactory(actorlog.LoggerFactory))...)
	k := &Kit{System: system, t: t, results: make(chan result, 1024)}
	cfg := opts.Config
	if cfg.ID == "" {
		cfg.ID = "under-test"
	}
	if cfg.Level == "" {
		cfg.Level = "debug"
	}
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Translator: opts.Translator,
		Handlers: []actorlog.Handler{{Config: cfg, Handler: &wrapper{h: h, results: k.results}}}})
	if err != nil {
		system.Shutdown()
		t.Fatalf("handlertest: start: %v", err)
	}
	k.Sys, k.Logger = sys, sys.Logger()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), Deadline)
		defer cancel()
		if err := sys.Stop(ctx); err != nil {
			t.Errorf("handlertest: stop: %v", err)
		}
		system.Shutdown()
		k.checkPanics()
	})
	return k
}

// HandlerPanic is a panic of the handler under test, recovered by the
// kit's wrapper.
type HandlerPanic struct {
	// Event is the event being logged ("(Add)" and the like for other
	// methods), Value the panic's value and Stack where it happened.
	Event *core.Event
	Value any
	Stack string
}

// Error describes the panic with its stack.
func (p *HandlerPanic) Error() string {
	return fmt.Sprintf("the handler panicked on %q: %s\n%s", p.Event.Message, actors.SafeSprint(p.Value), p.Stack)
}

// ErrNoEvent is Next's error when no event reached the handler within
// Deadline.
var ErrNoEvent = errors.New("handlertest: no event reached the handler in time")

// Next waits for the handler's next Log call and returns the event it was
// given and Log's error, a *HandlerPanic if it panicked, or ErrNoEvent.
func (k *Kit) Next() (*core.Event, error) {
	select {
	case r := <-k.results:
		if r.panic != nil {
			return r.event, &HandlerPanic{Event: r.event, Value: r.panic, Stack: r.stack}
		}
		return r.event, r.err
	case <-time.After(Deadline):
		return nil, ErrNoEvent
	}
}

// AssertLogged is Next that fails the test for a panic or no event.
func (k *Kit) AssertLogged() (*core.Event, error) {
	k.t.Helper()
	e, err := k.Next()
	var hp *HandlerPanic
	if errors.As(err, &hp) || errors.Is(err, ErrNoEvent) {
		k.t.Fatalf("handlertest: %v", err)
	}
	return e, err
}

// WaitLogged waits for a Log call whose event satisfies match, skipping
// others (reports the actor system makes on the side), and returns it like
// AssertLogged. A panic on any event fails the test.
func (k *Kit) WaitLogged(match func(*core.Event) bool) (*core.Event, error) {
	k.t.Helper()
	deadline := time.Now().Add(Deadline)
	for time.Now().Before(deadline) {
		e, err := k.Next()
		var hp *HandlerPanic
		if errors.As(err, &hp) {
			k.t.Fatalf("handlertest: %v", err)
		}
		if e != nil && match(e) {
			return e, err
		}
	}
	k.t.Fatalf("handlertest: no matching event reached the handler within %v", Deadline)
	return nil, nil
}

// checkPanics fails the test for a panic nobody waited for.
func (k *Kit) checkPanics() {
	for {
		select {
		case r := <-k.results:
			if r.panic != nil {
				k.t.Errorf("handlertest: the handler panicked on %q: %s\n%s", r.event.Message, actors.SafeSprint(r.panic), r.stack)
			}
		default:
			return
		}
	}
}

// Spawn spawns an actor of the test with the crash reporter (so that its
// panics are reported in full), named if name is not empty.
func (k *Kit) Spawn(name string, producer actor.Producer) *actor.PID {
	k.t.Helper()
	props := actor.PropsFromProducer(producer, actor.WithReceiverMiddleware(actors.CrashReporter()))
	if name == "" {
		return k.System.Root.Spawn(props)
	}
	pid, err := k.System.Root.SpawnNamed(props, name)
	if err != nil {
		k.t.Fatalf("handlertest: spawn %q: %v", name, err)
	}
	return pid
}

// Flush waits until every event logged so far reached the handler.
func (k *Kit) Flush() {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Deadline)
	defer cancel()
	if err := k.Sys.Flush(ctx); err != nil {
		k.t.Fatalf("handlertest: flush: %v", err)
	}
}

// wrapper runs the handler under test, reporting each Log call and every
// panic to the kit.
type wrapper struct {
	h       handlers.Handler
	results chan result
}

func (w *wrapper) report(r result) {
	select {
	case w.results <- r:
	default: // a test that logs more than it waits for; never block the handler
	}
}

// guard recovers a panic of the handler's method what and reports it.
func (w *wrapper) guard(what string, e *core.Event, err *error) {
	if r := recover(); r != nil {
		if e == nil {
			e = &core.Event{Message: "(" + what + ")"}
		}
		w.report(result{event: e, panic: r, stack: string(debug.Stack())})
		*err = fmt.Errorf("handlertest: %s panicked: %s", what, actors.SafeSprint(r))
	}
}

// Log implements handlers.Handler.
func (w *wrapper) Log(e *core.Event, cfg *handlers.Config) (err error) {
	defer w.guard("Log", e, &err)
	err = w.h.Log(e, cfg)
	w.report(result{event: e, err: err})
	return err
}

// Add implements handlers.Adder.
func (w *wrapper) Add(cfg *handlers.Config) (err error) {
	defer w.guard("Add", nil, &err)
	if a, ok := w.h.(handlers.Adder); ok {
		return a.Add(cfg)
	}
	return nil
}

// Remove implements handlers.Remover.
func (w *wrapper) Remove() (err error) {
	defer w.guard("Remove", nil, &err)
	if r, ok := w.h.(handlers.Remover); ok {
		return r.Remove()
	}
	return nil
}

// Flush implements handlers.Flusher.
func (w *wrapper) Flush() (err error) {
	defer w.guard("Flush", nil, &err)
	if f, ok := w.h.(handlers.Flusher); ok {
		return f.Flush()
	}
	return nil
}

// Change implements handlers.Changer.
func (w *wrapper) Change(mode handlers.ChangeMode, old, updated handlers.Config) (cfg handlers.Config, err error) {
	defer w.guard("Change", nil, &err)
	if c, ok := w.h.(handlers.Changer); ok {
		return c.Change(mode, old, updated)
	}
	return updated, nil
}

// NextWake implements handlers.Waker.
func (w *wrapper) NextWake() time.Time {
	if wk, ok := w.h.(handlers.Waker); ok {
		return wk.NextWake()
	}
	return time.Time{}
}

// Wake implements handlers.Waker.
func (w *wrapper) Wake(now time.Time, cfg *handlers.Config) {
	var err error
	defer w.guard("Wake", nil, &err)
	if wk, ok := w.h.(handlers.Waker); ok {
		wk.Wake(now, cfg)
	}
}

// Rotate implements handlers.Rotatable.
func (w *wrapper) Rotate(now time.Time, cfg *handlers.Config) (err error) {
	defer w.guard("Rotate", nil, &err)
	if r, ok := w.h.(handlers.Rotatable); ok {
		return r.Rotate(now, cfg)
	}
	return errors.ErrUnsupported
}

// Reopen implements handlers.Reopener.
func (w *wrapper) Reopen(now time.Time, cfg *handlers.Config) (err error) {
	defer w.guard("Reopen", nil, &err)
	if r, ok := w.h.(handlers.Reopener); ok {
		return r.Reopen(now, cfg)
	}
	return errors.ErrUnsupported
}
