package actorlog

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/supervision"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
)

// systems maps each actor system to the System logging for it, for
// LoggerFactory.
var systems sync.Map // *actor.ActorSystem → *System

// LoggerFactory is a Proto.Actor logger factory that sends the actor
// system's own log records through the translator into the System running
// on that actor system:
//
//	system := actor.NewActorSystem(actor.WithLoggerFactory(actorlog.LoggerFactory))
//	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system})
//
// Records logged before Start or after Stop go to standard error, warnings
// and above. A record's level is first corrected by
// translator.RecordLevel (a panic is an error, a connection closed by a
// normal stop is info). A System that makes its own actor system uses it.
func LoggerFactory(system *actor.ActorSystem) *slog.Logger {
	return slog.New(&slogHandler{system: system})
}

// subscribeReports makes the System translate and log the crash and
// supervisor reports published on its actor system's EventStream.
func (s *System) subscribeReports() *eventstream.Subscription {
	return s.system.EventStream.Subscribe(func(evt any) {
		switch r := evt.(type) {
		case *actors.CrashReport:
			e := &core.Event{Time: r.Time, Level: LevelError, Message: firstLine(r.String()), Actor: r.Actor, Report: r}
			if e.Time.IsZero() {
				e.Time = time.Now()
			}
			s.logReport(e, s.ours(r.Actor) || s.ours(r.Parent), false)
		case supervision.Report:
			e := &core.Event{Time: time.Now(), Level: LevelError, Message: r.String(), Report: r}
			progress := false
			switch r.(type) {
			case *supervision.ChildStarted, *supervision.ChildRestarted:
				e.Level, progress = LevelInfo, true
			}
			s.logReport(e, s.ours(r.Info().Supervisor), progress)
		}
	})
}

// logReport translates a report's event and logs it without waiting (the
// reporting goroutine is an actor's or a supervisor's). A report about
// actorlog's own actors never enters the sink, which may be what is
// failing: it goes to standard error, warnings and above; its progress
// reports are left out.
func (s *System) logReport(e *core.Event, own, progress bool) {
	sink := s.reportTo.sink
	e.Sink = sink.Name()
	if !s.translator.Translate(e, sink.Enabled(LevelDebug)) {
		return // a translator said Skip
	}
	if own {
		if !progress && e.Level >= LevelWarning {
			sink.ToStderr(e)
		}
		return
	}
	_ = sink.LogNoWait(e) // counted if dropped
}

// ours reports whether pid is one of the System's own actors.
func (s *System) ours(pid *actor.PID) bool {
	if pid == nil || s.rootID == "" {
		return false
	}
	return pid.Id == s.rootID || strings.HasPrefix(pid.Id, s.rootID+"/")
}

// mentionsOurs reports whether any PID-valued attribute names one of the
// System's own actors.
func (s *System) mentionsOurs(attrs []slog.Attr) bool {
	prefix := s.system.Address() + "/" + s.rootID
	for _, a := range attrs {
		if v := a.Value.String(); v == prefix || strings.HasPrefix(v, prefix+"/") {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Handler returns an slog.Handler that logs into the Logger's sink, with
// the Logger's attributes: hand it to slog.New, or to slog.SetDefault to
// make the whole program log through actorlog. Groups, WithAttrs and the
// record's source location are kept; it passes testing/slogtest.
func (l *Logger) Handler() slog.Handler { return &slogHandler{logger: l} }

// slogHandler is an slog.Handler into a Logger, or, for LoggerFactory,
// into whichever System runs on an actor system.
type slogHandler struct {
	logger *Logger            // Logger.Handler
	system *actor.ActorSystem // LoggerFactory: the System is looked up per record
	steps  []step             // WithGroup and WithAttrs, in order
}

// step is one WithGroup (group set) or WithAttrs (attrs set) call.
type step struct {
	group string
	attrs []slog.Attr
}

// target returns the Logger records go to, and the System for
// LoggerFactory's records (nil when none runs on the actor system).
func (h *slogHandler) target() (*Logger, *System) {
	if h.logger != nil {
		return h.logger, nil
	}
	if v, ok := systems.Load(h.system); ok {
		s := v.(*System)
		return s.reportTo.logger, s
	}
	return nil, nil
}

// Enabled implements slog.Handler.
func (h *slogHandler) Enabled(_ context.Context, level slog.Level) bool {
	if l, _ := h.target(); l != nil {
		return l.Enabled(Level(level))
	}
	return level >= slog.LevelWarn
}

// WithAttrs implements slog.Handler.
func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	c := *h
	c.steps = append(append([]step(nil), h.steps...), step{attrs: attrs})
	return &c
}

// WithGroup implements slog.Handler.
func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.steps = append(append([]step(nil), h.steps...), step{group: name})
	return &c
}

// Handle implements slog.Handler. It never returns an error: an event that
// cannot be delivered is counted by the sink.
func (h *slogHandler) Handle(_ context.Context, r slog.Record) error {
	attrs := make([]slog.Attr, 0, r.NumAttrs())
	reported := false
	if h.system != nil { // a record of Proto.Actor's: is its level right?
		var raw []slog.Attr
		if r.Message == translator.LostConnectionMessage {
			r.Attrs(func(a slog.Attr) bool { raw = append(raw, a); return true })
		}
		r.Level = slog.Level(translator.RecordLevel(r.Message, Level(r.Level), raw))
	}
	r.Attrs(func(a slog.Attr) bool {
		if h.system != nil && a.Key == "message" && a.Value.Kind() == slog.KindAny {
			// Proto.Actor's message values: type and fields, *main.Job{ID:7}.
			a.Value = slog.StringValue(translator.Describe(a.Value.Any()))
		}
		if _, ok := a.Value.Any().(*actors.PanicError); ok && a.Key == "reason" {
			reported = true // actors.CrashReporter published a full report
		}
		attrs = append(attrs, a)
		return true
	})
	attrs = clean(attrs)
	for i := len(h.steps) - 1; i >= 0; i-- {
		st := h.steps[i]
		if st.group == "" {
			attrs = append(clean(st.attrs), attrs...)
		} else if len(attrs) > 0 {
			attrs = []slog.Attr{{Key: st.group, Value: slog.GroupValue(attrs...)}}
		}
	}
	l, s := h.target()
	if l == nil {
		if r.Level >= slog.LevelWarn {
			fmt.Fprintf(os.Stderr, "%s [%s] %s %s\n", r.Time.Format("15:04:05.000"), Level(r.Level), r.Message, core.Render(attrs))
		}
		return nil
	}
	if s == nil {
		e := l.eventAt(r.Time, r.PC, Level(r.Level), core.Truncate(r.Message, l.trunc), len(attrs))
		e.Attrs = append(e.Attrs, attrs...)
		_ = l.sink.Log(e) // counted if dropped
		return nil
	}
	// A record of Proto.Actor itself: its attributes are metadata of the
	// translation, in Meta.
	e := &core.Event{Time: r.Time, Level: Level(r.Level), Message: core.Truncate(r.Message, l.trunc), PC: r.PC,
		Sink: l.sink.Name(), Meta: attrs}
	e.Report = &translator.Record{Message: r.Message, Level: e.Level, Attrs: attrs, Reported: reported}
	s.logReport(e, s.mentionsOurs(attrs), false)
	return nil
}

// clean applies slog's rules for handlers: LogValuers are resolved, empty
// attributes dropped, groups without attributes dropped, groups with an
// empty key inlined; values are frozen.
func clean(attrs []slog.Attr) []slog.Attr {
	out := make([]slog.Attr, 0, len(attrs))
	for _, a := range attrs {
		a.Value = a.Value.Resolve()
		if a.Key == "" && a.Value.Kind() == slog.KindAny && a.Value.Any() == nil {
			continue
		}
		if a.Value.Kind() != slog.KindGroup {
			out = append(out, core.Freeze(a))
			continue
		}
		members := clean(a.Value.Group())
		switch {
		case len(members) == 0:
		case a.Key == "":
			out = append(out, members...)
		default:
			out = append(out, slog.Attr{Key: a.Key, Value: slog.GroupValue(members...)})
		}
	}
	return out
}
