package translator

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// Record is a log record of Proto.Actor itself ("[ACTOR] Recovering",
// "[DeadLetter]", "[SUPERVISION]", …), as a report: actorlog's
// LoggerFactory turns each record into an event carrying one.
type Record struct {
	// Message is the record's message, Level its level.
	Message string
	Level   core.Level
	// Attrs are the record's attributes, frozen.
	Attrs []slog.Attr
	// Reported says that the panic a RecoveringMessage record is about
	// was reported in full by actors.CrashReporter: the record is
	// skipped, not logged twice.
	Reported bool
}

// RecoveringMessage is the message of Proto.Actor's record about an actor
// that panicked ("[ACTOR] Recovering"): for an actor without
// actors.CrashReporter it is the only trace of the panic, translated as an
// error without a stack.
const RecoveringMessage = "[ACTOR] Recovering"

// Lookup returns the value of the record's attribute key.
func (r *Record) Lookup(key string) (slog.Value, bool) {
	for _, a := range r.Attrs {
		if a.Key == key {
			return a.Value, true
		}
	}
	return slog.Value{}, false
}

func (r *Record) text(key string) string {
	if v, ok := r.Lookup(key); ok {
		return v.String()
	}
	return ""
}

// CategoryOf returns the category of a report.
func CategoryOf(report any) Category {
	switch r := report.(type) {
	case *actors.CrashReport:
		return ActorReport
	case supervision.Report:
		return SupervisorReport
	case *Record:
		if r.Message == "[SUPERVISION]" {
			return SupervisorReport
		}
		return ActorReport
	}
	return Other
}

// Builtin is actorlog's own translator, the last one asked: it translates
// crash reports, supervisor reports and Proto.Actor's records, and answers
// None for anything else.
func Builtin(e *core.Event, verbose bool) (Translation, Result) {
	switch r := e.Report.(type) {
	case *actors.CrashReport:
		return crash(r, verbose), Translated
	case supervision.Report:
		return supervisor(r, verbose), Translated
	case *Record:
		return record(r)
	}
	return Translation{}, None
}

// crash translates a panic, in the shape of Elixir's "GenServer terminating":
//
//	Actor nonhost/$3 (*main.worker) terminating
//	** (panic) runtime error: index out of range [5] with length 3
//	    main/main.go:42: main.(*worker).Receive
//	Last message (from nonhost/$1): *main.Job{ID:7}
func crash(r *actors.CrashReport, verbose bool) Translation {
	var b strings.Builder
	attrs := []slog.Attr{slog.Group("crash_reason",
		slog.String("reason", actors.SafeSprint(r.Reason)),
		slog.String("type", actors.TypeName(r.Reason)),
		slog.String("stack", r.Stack))}
	if r.Actor != nil {
		fmt.Fprintf(&b, "Actor %s (%s) terminating", actors.PIDString(r.Actor), r.ActorType)
		attrs = append(attrs, slog.String("actor", actors.PIDString(r.Actor)))
		if r.Parent != nil {
			attrs = append(attrs, slog.String("parent", actors.PIDString(r.Parent)))
		}
	} else {
		fmt.Fprintf(&b, "Goroutine %q terminating", r.Goroutine)
		attrs = append(attrs, slog.String("goroutine", r.Goroutine))
	}
	b.WriteString(reasonBlock("panic", reasonText(r.Reason)))
	writeStack(&b, r.Stack)
	if r.Message != nil {
		b.WriteString("\nLast message")
		if r.Sender != nil {
			b.WriteString(" (from " + actors.PIDString(r.Sender) + ")")
		}
		b.WriteString(": " + Describe(r.Message))
	}
	if verbose && r.Actor != nil {
		if r.State != "" {
			b.WriteString("\nState: " + r.State)
		}
		if r.Parent != nil {
			b.WriteString("\nParent: " + actors.PIDString(r.Parent))
		}
		fmt.Fprintf(&b, "\nPhase: %s\nRestarts: %d", r.Phase, r.Restarts)
		if r.Sender != nil {
			state := "is dead"
			if r.SenderAlive {
				state = "is alive"
			}
			b.WriteString("\nSender " + actors.PIDString(r.Sender) + " " + state)
		}
	}
	return Translation{Message: b.String(), Attrs: attrs}
}

// reasonText renders a panic value: a string or an error as its text,
// anything else with its type, handlertest.fakeStruct{Hello:world}.
func reasonText(v any) string {
	switch v.(type) {
	case string, error:
		return actors.SafeSprint(v)
	}
	return Describe(v)
}

// reasonBlock is Elixir's "\n** (kind) reason", continuation lines
// indented.
func reasonBlock(kind, reason string) string {
	return "\n** (" + kind + ") " + strings.ReplaceAll(reason, "\n", "\n    ")
}

// writeStack writes a cleaned stack ("func\n\tfile:line\n" pairs) as
// Elixir's indented "    file:line: function" lines, files cut to their
// last two elements.
func writeStack(b *strings.Builder, stack string) {
	lines := strings.Split(strings.TrimRight(stack, "\n"), "\n")
	for i := 0; i+1 < len(lines); i += 2 {
		fn, loc := lines[i], strings.TrimSpace(lines[i+1])
		b.WriteString("\n    " + shortLocation(loc) + ": " + fn)
	}
}

func shortLocation(loc string) string {
	cut := 0
	for n, i := 0, len(loc)-1; i >= 0; i-- {
		if loc[i] == '/' {
			if n++; n == 2 {
				cut = i + 1
				break
			}
		}
	}
	return loc[cut:]
}

// Describe renders a message for a translation: its type and its fields,
// *main.Job{ID:7}, or a quoted string.
func Describe(m any) string {
	if s, ok := m.(string); ok {
		return strconv.Quote(s)
	}
	text := core.Render(m)
	if text == "" { // an empty protobuf message's String()
		return actors.TypeName(m) + "{}"
	}
	if rest, ok := strings.CutPrefix(text, "&"); ok && strings.HasPrefix(rest, "{") {
		return actors.TypeName(m) + rest
	}
	if strings.HasPrefix(text, "{") {
		return actors.TypeName(m) + text
	}
	return text
}

// supervisor translates a supervisor report, in the shape of Elixir's:
//
//	Child "db" of Supervisor "root" (nonhost/root) terminated
//	** (exit) disk gone
//	Pid: nonhost/root/db
func supervisor(r supervision.Report, verbose bool) Translation {
	info := r.Info()
	var b strings.Builder
	fmt.Fprintf(&b, "Child %q of Supervisor %q (%s) ", info.ChildID, info.SupervisorName, actors.PIDString(info.Supervisor))
	pid := true
	switch r := r.(type) {
	case *supervision.ChildStarted:
		b.WriteString("started")
	case *supervision.ChildStartFailed:
		b.WriteString("failed to start")
		b.WriteString(exitBlock(r.Err))
		pid = false
	case *supervision.ChildTerminated:
		b.WriteString("terminated")
		b.WriteString(exitBlock(r.Reason))
	case *supervision.ChildRestarted:
		if r.InPlace {
			b.WriteString("restarted in place")
		} else {
			b.WriteString("restarted as a new actor")
		}
		b.WriteString(exitBlock(r.Reason))
	case *supervision.ShutdownError:
		b.WriteString("shut down abnormally")
		b.WriteString(exitBlock(r.Reason))
	case *supervision.MaxIntensityReached:
		b.WriteString("caused shutdown")
		fmt.Fprintf(&b, "\n** (exit) reached_max_restart_intensity: more than %d restarts in %v", r.Intensity, r.Period)
		b.WriteString("\nLast reason: " + actors.SafeSprint(r.Reason))
		pid = false
	}
	if pid && info.PID != nil {
		b.WriteString("\nPid: " + actors.PIDString(info.PID))
	}
	if verbose {
		fmt.Fprintf(&b, "\nRestart: %s\nType: %s", info.Restart, info.Kind)
	}
	attrs := []slog.Attr{slog.String("supervisor", info.SupervisorName), slog.String("child_id", info.ChildID)}
	if info.PID != nil {
		attrs = append(attrs, slog.String("pid", actors.PIDString(info.PID)))
	}
	return Translation{Message: b.String(), Attrs: attrs}
}

// exitBlock is "\n** (exit) reason", or "** (panic) …" for a panic (its
// stack is in the actor's own crash report).
func exitBlock(err error) string {
	var pe *actors.PanicError
	if errors.As(err, &pe) {
		return reasonBlock("panic", reasonText(pe.Value))
	}
	return reasonBlock("exit", actors.SafeSprint(err))
}

// record translates Proto.Actor's own records.
func record(r *Record) (Translation, Result) {
	switch r.Message {
	case RecoveringMessage:
		if r.Reported {
			return Translation{}, Skip
		}
		return Translation{Message: "Actor " + r.text("self") + " terminating" + reasonBlock("panic", r.text("reason")) +
				"\n(no stack: spawn the actor with actors.CrashReporter() for a full report)",
				Attrs: []slog.Attr{slog.String("actor", r.text("self")), slog.Group("crash_reason", slog.String("reason", r.text("reason")))}},
			Translated
	case "[DeadLetter]":
		if n := r.text("throttled"); n != "" {
			return Translation{Message: "Dead letters: " + n + " more were not logged (throttled by Proto.Actor)"}, Translated
		}
		msg := "Dead letter to " + r.text("pid")
		if v, ok := r.Lookup("message"); ok {
			msg += ": " + v.String()
		}
		if s := r.text("sender"); s != "" && s != "<nil>" {
			msg += " (from " + s + ")"
		}
		return Translation{Message: msg}, Translated
	case "[SUPERVISION]":
		return Translation{Message: fmt.Sprintf("Proto.Actor supervisor directive %s for actor %s after: %s",
			directive(r.text("directive")), r.text("actor"), r.text("reason"))}, Translated
	case "[Supervision]":
		return Translation{Message: fmt.Sprintf("Actor %s failed handling %s: %s", r.text("actor"), r.text("message"), r.text("exception"))}, Translated
	case "actor system started":
		return Translation{Message: "Actor system " + r.text("id") + " started"}, Translated
	}
	if len(r.Attrs) == 0 {
		return Translation{}, None
	}
	// A record no translation knows: its attributes are in Meta, which the
	// human formats leave out, so the message says them, key=value.
	var b strings.Builder
	b.WriteString(r.Message)
	writeAttrs(&b, "", r.Attrs)
	return Translation{Message: b.String()}, Translated
}

// writeAttrs writes attrs as " key=value" pairs, a group's members with
// their keys prefixed by the group's, a value quoted when it is empty or
// holds a space, '=', '"' or a character that is not printable.
func writeAttrs(b *strings.Builder, prefix string, attrs []slog.Attr) {
	for _, a := range attrs {
		if a.Value.Kind() == slog.KindGroup {
			writeAttrs(b, prefix+a.Key+".", a.Value.Group())
			continue
		}
		b.WriteString(" " + prefix + a.Key + "=")
		v := a.Value.String()
		if v == "" || strings.ContainsAny(v, " =\"") || strings.IndexFunc(v, func(r rune) bool { return !strconv.IsPrint(r) }) >= 0 {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	}
}

// directive names a Proto.Actor directive as a word: "restart".
func directive(s string) string {
	for _, d := range []actor.Directive{actor.ResumeDirective, actor.RestartDirective, actor.StopDirective, actor.EscalateDirective} {
		if s == d.String() || s == strconv.Itoa(int(d)) {
			return strings.ToLower(strings.TrimSuffix(d.String(), "Directive"))
		}
	}
	return s
}
