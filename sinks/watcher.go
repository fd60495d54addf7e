package sinks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// DefaultRetryEvery is how often a watcher tries again to install a
// handler whose install failed: lager's 5 s.
const DefaultRetryEvery = 5 * time.Second

// installTimeout bounds one install: the handler's Add runs within it.
const installTimeout = 30 * time.Second

// ReportFunc logs a message of the logging system itself (a handler that
// exited, an install that failed), with attributes.
type ReportFunc func(level core.Level, msg string, attrs ...slog.Attr)

// Watch is what a watcher watches: one handler in one sink.
type Watch struct {
	Sink *Sink
	Spec Spec
	// Retry makes a failed first install be tried again every RetryEvery;
	// without it (what a System does), a failed first install
	// makes the watcher's start fail with the error (a handler added at
	// run time, whose caller wants the error).
	Retry      bool
	RetryEvery time.Duration
	// Report logs the watcher's messages; nil discards them.
	Report ReportFunc
}

// WatcherTemplate is the template child spec of a simple_one_for_one
// supervisor of watchers (lager_handler_watcher_sup): StartChildArgs with
// a *Watch starts a watcher, a temporary worker, which installs the handler
// and watches it:
//
//   - a handler that is removed after a failure (a panic past its restart
//     intensity, an Add that fails after a restart) is reported at error
//     ("handler X in sink S exited: reason") and installed again;
//   - after the sink's actor restarted, the handler is installed again;
//   - an install that fails is reported and tried again every RetryEvery
//     (with Retry), except after an error made with handlers.Fatal, which is
//     reported once and not retried;
//   - handlers.ErrIgnore leaves the handler not installed, without report;
//   - removing the handler ends the watcher.
func WatcherTemplate() supervision.ChildSpec {
	return supervision.ChildSpec{
		ID:      "watcher",
		Restart: supervision.Temporary,
		Start: func(args []any) (*actor.Props, error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("sinks: a watcher takes one *Watch, got %d arguments", len(args))
			}
			w, ok := args[0].(*Watch)
			if !ok || w.Sink == nil {
				return nil, fmt.Errorf("sinks: a watcher takes a *Watch with a Sink, got %T", args[0])
			}
			return actor.PropsFromProducer(func() actor.Actor { return &watcher{w: w} }), nil
		},
	}
}

type retryInstall struct{}

type watcher struct {
	w       *Watch
	timer   *time.Timer
	started bool // its Started handler has returned
}

func (w *watcher) report(level core.Level, msg string, attrs ...slog.Attr) {
	if w.w.Report != nil {
		w.w.Report(level, msg, attrs...)
	}
}

func (w *watcher) attrs(extra ...slog.Attr) []slog.Attr {
	return append([]slog.Attr{slog.String("handler", w.w.Spec.Config.ID), slog.String("sink", w.w.Sink.name)}, extra...)
}

// Receive implements actor.Actor.
func (w *watcher) Receive(c actor.Context) {
	switch msg := c.Message().(type) {
	case *actor.Started:
		w.w.Sink.addWatcher(c.Self(), w.w.Spec.Config.ID)
		err := w.install(c)
		switch {
		case err == nil:
		case errors.Is(err, handlers.ErrIgnore):
			supervision.Exit(c, supervision.ErrIgnore)
		case !w.w.Retry:
			supervision.Exit(c, err)
		default:
			w.failed(c, err)
		}
		w.started = true
	case retryInstall:
		w.reinstall(c)
	case sinkStarted:
		w.reinstallWhenDue(c)
	case handlerExited:
		w.report(core.LevelError, fmt.Sprintf("handler %s in sink %s exited: %v; %d events it held were dropped",
			w.w.Spec.Config.ID, w.w.Sink.name, msg.reason, msg.dropped),
			w.attrs(slog.String("reason", msg.reason.Error()), slog.Int64("dropped", msg.dropped))...)
		// A handler killed with its sink may be told exited by the
		// stopping incarnation: it still waits for KillerReinstallAfter.
		w.reinstallWhenDue(c)
	case handlerRemoved:
		supervision.Exit(c, nil)
	case *actor.Stopping:
		if w.timer != nil {
			w.timer.Stop()
		}
		w.w.Sink.removeWatcher(c.Self())
	}
}

// install asks the sink to install the handler and waits for the answer.
func (w *watcher) install(c actor.Context) error {
	pid := w.w.Sink.PID()
	if pid == nil {
		return fmt.Errorf("%w: %q", ErrNotRunning, w.w.Sink.name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), installTimeout)
	defer cancel()
	reply, err := actors.Call(ctx, c.ActorSystem(), pid, install{spec: w.w.Spec, watcher: c.Self()})
	if err != nil {
		return err
	}
	return reply.(installAnswer).err
}

// reinstallWhenDue installs the handler again, at once or, after a kill,
// once KillerReinstallAfter has passed.
func (w *watcher) reinstallWhenDue(c actor.Context) {
	if wait := time.Until(time.Unix(0, w.w.Sink.reinstallAt.Load())); wait > 0 {
		w.later(c, wait)
		return
	}
	w.reinstall(c)
}

func (w *watcher) reinstall(c actor.Context) {
	err := w.install(c)
	switch {
	case err == nil, errors.Is(err, ErrAlreadyPresent):
		// Installed (or still installed: a sinkStarted can follow an
		// install that already went into the new sink).
	case errors.Is(err, errStillLeaving):
		// Its last actor has not ended yet: the sink says when it has.
	case errors.Is(err, handlers.ErrIgnore):
		supervision.Exit(c, nil)
	default:
		w.failed(c, err)
	}
}

// failed reports a failed install and, unless it is fatal, tries again
// later.
func (w *watcher) failed(c actor.Context, err error) {
	if handlers.IsFatal(err) {
		w.report(core.LevelError, fmt.Sprintf("failed to install handler %s into sink %s, not retrying: %v", w.w.Spec.Config.ID, w.w.Sink.name, err),
			w.attrs(slog.String("reason", err.Error()))...)
		// Reported: the watcher ends without an error, ignored at its
		// start, a normal exit (not reported again) after it.
		reason := supervision.ErrIgnore
		if w.started {
			reason = supervision.ErrNormal
		}
		supervision.Exit(c, reason)
		return
	}
	every := w.w.RetryEvery
	if every <= 0 {
		every = DefaultRetryEvery
	}
	w.report(core.LevelError, fmt.Sprintf("failed to install handler %s into sink %s, retrying in %v: %v", w.w.Spec.Config.ID, w.w.Sink.name, every, err),
		w.attrs(slog.String("reason", err.Error()))...)
	w.later(c, every)
}

// later installs the handler again after d.
func (w *watcher) later(c actor.Context, d time.Duration) {
	if w.timer != nil {
		w.timer.Stop()
	}
	system, self := c.ActorSystem(), c.Self()
	w.timer = time.AfterFunc(d, func() { system.Root.Send(self, retryInstall{}) })
}
