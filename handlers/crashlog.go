package handlers

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
)

// DefaultCrashLogMsgSize is lager's crash_log_msg_size: the most bytes of
// one report's body.
const DefaultCrashLogMsgSize = 65536

// CrashLog is lager's crash log: every crash report of the actor system —
// an actor's panic and a goroutine's (*actors.CrashReport), a supervisor's
// failure reports (supervision.ChildStartFailed, ChildTerminated with an
// abnormal reason, ShutdownError, MaxIntensityReached) — written in full,
// over several lines, under a header with its date and time:
//
//	2026-11-22 10:15:04 =CRASH REPORT====
//	  crasher:
//	    actor: nonhost/$3
//	    …
//
// It is independent of levels and traces. Its file is a File (size, date
// and count rotation, external rotation, failure handling); the zero File
// options are lager's crash-log defaults (10 MiB, "$D0", 5 archives).
// Other events given to Log are ignored.
//
// CrashLogProps runs it as its own actor fed from the actor system's
// EventStream (lager_crash_log); it also works as a sink's handler for
// events that carry such a report.
type CrashLog struct {
	File
	// MsgSize is the most bytes of a report's body; longer ones are cut
	// with a marker. 65536 if zero; Off for no limit.
	MsgSize int
}

// Add implements Adder.
func (h *CrashLog) Add(cfg *Config) error {
	if h.MsgSize < Off {
		return Fatal(fmt.Errorf("%w: crash log %q: %w", ErrBadConfig, cfg.ID, fieldErr("msg_size", "must be >= 0 or Off, got %d", h.MsgSize)))
	}
	h.crashLog = true
	if err := h.File.Add(cfg); err != nil {
		return err
	}
	cfg.SetDefaultFormatter(&CrashFormatter{MsgSize: h.MsgSize, Location: h.Location})
	return nil
}

// Log implements Handler: it writes events that carry a crash report.
func (h *CrashLog) Log(e *core.Event, cfg *Config) error {
	if !IsCrash(e.Report) {
		return nil
	}
	return h.File.Log(e, cfg)
}

// IsCrash reports whether report belongs in the crash log: an
// *actors.CrashReport, or a supervisor report of a failure (a child
// terminating for a reason other than ErrNormal or ErrShutdown, a failed
// start, a shutdown error, a supervisor giving up). Progress reports do
// not.
func IsCrash(report any) bool {
	switch r := report.(type) {
	case *actors.CrashReport, *supervision.ChildStartFailed, *supervision.ShutdownError, *supervision.MaxIntensityReached:
		return true
	case *supervision.ChildTerminated:
		return !errors.Is(r.Reason, supervision.ErrNormal) && !errors.Is(r.Reason, supervision.ErrShutdown)
	}
	return false
}

// CrashFormatter formats crash reports for the crash log: a header line
// "DATE TIME =CRASH REPORT====" (or SUPERVISOR REPORT), then the report
// over indented lines, then an empty line. An event without a crash report
// is written as an ERROR REPORT with its message.
type CrashFormatter struct {
	// MsgSize limits the body (see CrashLog.MsgSize).
	MsgSize int
	// Location is the time zone of the header; nil means local time.
	Location *time.Location
}

// Format implements formatter.Formatter.
func (f *CrashFormatter) Format(dst []byte, e *core.Event) []byte {
	t := e.Time
	kind, body := "ERROR REPORT", e.Message
	switch r := e.Report.(type) {
	case *actors.CrashReport:
		kind, body, t = "CRASH REPORT", crashBody(r), r.Time
	case supervision.Report:
		kind, body = "SUPERVISOR REPORT", supervisorBody(r)
	}
	if f.Location != nil {
		t = t.In(f.Location)
	}
	limit := f.MsgSize
	switch {
	case limit == 0:
		limit = DefaultCrashLogMsgSize
	case limit < 0:
		limit = 0
	}
	if limit > 0 {
		body = core.Truncate(body, limit)
	}
	dst = t.AppendFormat(dst, "2006-01-02 15:04:05")
	dst = append(dst, " ="...)
	dst = append(dst, kind...)
	dst = append(dst, "====\n"...)
	dst = append(dst, strings.TrimRight(body, "\n")...)
	return append(dst, "\n\n"...)
}

func crashBody(r *actors.CrashReport) string {
	var b strings.Builder
	b.WriteString("  crasher:\n")
	line := func(k, v string) { fmt.Fprintf(&b, "    %s: %s\n", k, v) }
	if r.Actor != nil {
		line("actor", actors.PIDString(r.Actor))
		line("type", r.ActorType)
		if r.Parent != nil {
			line("parent", actors.PIDString(r.Parent))
		}
		line("phase", string(r.Phase))
		line("restarts", fmt.Sprint(r.Restarts))
	} else {
		line("goroutine", r.Goroutine)
	}
	line("reason", indentRest(actors.SafeSprint(r.Reason), "      "))
	if r.Message != nil {
		line("last message", indentRest(actors.TypeName(r.Message)+" "+actors.SafeSprintf("%+v", r.Message), "      "))
		if r.Sender != nil {
			line("sender", actors.PIDString(r.Sender))
		}
	}
	if r.Stack != "" {
		b.WriteString("    stack:\n")
		for _, l := range strings.Split(strings.TrimRight(r.Stack, "\n"), "\n") {
			b.WriteString("      ")
			b.WriteString(strings.ReplaceAll(l, "\t", "    "))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func supervisorBody(r supervision.Report) string {
	info := r.Info()
	context, reason := "progress", ""
	switch r := r.(type) {
	case *supervision.ChildStartFailed:
		context, reason = "start_error", actors.SafeSprint(r.Err)
	case *supervision.ChildTerminated:
		context, reason = "child_terminated", actors.SafeSprint(r.Reason)
	case *supervision.ShutdownError:
		context, reason = "shutdown_error", actors.SafeSprint(r.Reason)
	case *supervision.MaxIntensityReached:
		context = "shutdown"
		reason = fmt.Sprintf("reached_max_restart_intensity (%d in %v) after: %s", r.Intensity, r.Period, actors.SafeSprint(r.Reason))
	case *supervision.ChildRestarted:
		context, reason = "child_restarted", actors.SafeSprint(r.Reason)
	}
	offender := fmt.Sprintf("child %q", info.ChildID)
	if info.PID != nil {
		offender += " (" + actors.PIDString(info.PID) + ")"
	}
	offender += fmt.Sprintf(" %s %s", info.Restart, info.Kind)
	return fmt.Sprintf("     Supervisor: %q (%s)\n     Context:    %s\n     Reason:     %s\n     Offender:   %s\n",
		info.SupervisorName, actors.PIDString(info.Supervisor), context, indentRest(reason, "                 "), offender)
}

// indentRest indents every line of s but the first.
func indentRest(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// CrashLogProps returns the Props of the crash log's actor (lager_crash_log):
// it subscribes to its actor system's EventStream for crash reports (see
// IsCrash) and writes them with h, under cfg. Its own failures (a file that
// cannot be opened) go to report, which may be a sink's Log; nil means
// standard error. Add's error, if any, goes there too, and the actor then
// writes nothing. Stopping it flushes and closes the file. The error is
// cfg's (see Config.Check).
func CrashLogProps(h *CrashLog, cfg Config, stats *Stats, report func(*core.Event)) (*actor.Props, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	a := &crashLogActor{run: newRunner(h, cfg, stats, nil)}
	a.run.report = report
	a.run.notify = func(_ actor.Context, m *Installed) {
		if m.Err != nil && !errors.Is(m.Err, ErrIgnore) {
			a.run.cfg.Report(core.LevelError, fmt.Sprintf("crash log %s not started: %v", a.run.cfg.ID, m.Err))
		}
	}
	return actor.PropsFromProducer(func() actor.Actor { return a }, actor.WithMailbox(stats.Queue.Mailbox(nil))), nil
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
				if IsCrash(evt) {
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
