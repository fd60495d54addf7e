package handleractor

import (
	"errors"
	"fmt"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
)

// CrashLogProps returns the Props of the crash log's actor (lager_crash_log):
// it subscribes to its actor system's EventStream for crash reports (see
// handlers.IsCrash) and writes them with h, under cfg. Its own failures (a file that
// cannot be opened) go to report, which may be a sink's Log; nil means
// standard error. Add's error, if any, goes there too, and the actor then
// writes nothing. Stopping it flushes and closes the file. The error is
// cfg's (see handlers.Config.Check).
func CrashLogProps(h *handlers.CrashLog, cfg handlers.Config, stats *Stats, report func(*core.Event)) (*actor.Props, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	a := &crashLogActor{run: newRunner(h, cfg, stats)}
	a.run.report = report
	a.run.notify = func(_ actor.Context, m *Installed) {
		if m.Err != nil && !errors.Is(m.Err, handlers.ErrIgnore) {
			a.run.cfg.Report(core.LevelError, fmt.Sprintf("crash log %s not started: %v", a.run.cfg.ID, m.Err))
		}
	}
	return actor.PropsFromProducer(func() actor.Actor { return a }, actor.WithMailbox(a.run.mailbox(nil))), nil
}

type crashLogActor struct {
	run *runner
	sub *eventstream.Subscription
}

// Receive implements actor.Actor.
func (a *crashLogActor) Receive(c actor.Context) {
	switch c.Message().(type) {
	case *actor.Started:
		if a.sub == nil {
			system, self := c.ActorSystem(), c.Self()
			// Not SubscribeWithPredicate: it sets the predicate after the
			// subscription is live, unlocked (a data race).
			a.sub = system.EventStream.Subscribe(func(evt any) {
				if handlers.IsCrash(evt) {
					system.Root.Send(self, crashEvent(evt))
				}
			})
		}
	case *actor.Stopping:
		if a.sub != nil {
			c.ActorSystem().EventStream.Unsubscribe(a.sub)
			a.sub = nil
		}
	}
	a.run.Receive(c)
}

// crashEvent wraps a crash report into an event.
func crashEvent(report any) *core.Event {
	e := &core.Event{Time: time.Now(), Level: core.LevelError, Report: report}
	if s, ok := report.(fmt.Stringer); ok {
		e.Message = actors.SafeSprint(s)
	}
	if r, ok := report.(*actors.CrashReport); ok {
		e.Time, e.Actor = r.Time, r.Actor
	}
	return e
}
