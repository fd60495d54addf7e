package handlers

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/supervision"
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
// actorlog runs it as its own actor (lager_crash_log), fed from the actor
// system's EventStream; it also works as a sink's handler for
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
