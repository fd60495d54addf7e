package translator

import (
	"fmt"
	"log/slog"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/own"
)

// Result says what a translator made of an event.
type Result int

// The results.
const (
	// None: not mine; the next translator is asked.
	None Result = iota
	// Translated: the Translation is the event's new message.
	Translated
	// Skip: the event is dropped.
	Skip
)

// Translation is a translator's text for an event, and metadata to add to
// the event's Meta (which lookups read before its Attrs).
type Translation struct {
	Message string
	Attrs   []slog.Attr
}

// Func is a translator (Elixir's translate/4). It is given the event built
// from a report — Level and Report set, Message a one-line default — and
// verbose, true when the sink logs debug, for the extra detail Elixir
// shows "on debug". It must not change the event.
type Func func(e *core.Event, verbose bool) (Translation, Result)

// Category sorts reports for the switches (Elixir's OTP and SASL domains).
type Category int

// The categories.
const (
	// Other: not a report of the actor system (a plain event).
	Other Category = iota
	// ActorReport: an actor or goroutine crashed (*actors.CrashReport), or
	// a record of Proto.Actor's own logger: Elixir's handle_otp_reports.
	ActorReport
	// SupervisorReport: a supervisor's report (supervision.Report, started
	// and restarted children included): Elixir's handle_sasl_reports.
	SupervisorReport
)

// Options configure a Translator. The zero value is Elixir's default:
// actor reports on, supervisor reports off, no user translators.
type Options struct {
	// NoActorReports leaves out actor crash reports and Proto.Actor's own
	// log records (handle_otp_reports: false).
	NoActorReports bool
	// SupervisorReports lets supervisor reports through
	// (handle_sasl_reports: true).
	SupervisorReports bool
	// Translators are tried in order before the built-in one; each answers
	// Translated, Skip or None.
	Translators []Func
}

// Translator turns the actor system's reports into events a Go developer
// can read. Use it from one goroutine at a time or share it: it has no
// mutable state.
type Translator struct {
	opts Options
}

// New returns a Translator for opts.
func New(opts Options) *Translator { return &Translator{opts: opts} }

// Options returns the translator's options.
func (t *Translator) Options() Options { return t.opts }

// Translate sets e's message (and adds metadata) from its Report: the user
// translators in order, then the built-in one. It returns false when a
// translator answered Skip: the event is to be dropped (the built-in one
// skips only Proto.Actor's record of a panic that actors.CrashReporter
// already reported in full). A report no
// translator knows keeps its default message — it is never dropped. A
// translator that panics yields a "Failure while translating" message that
// names the panic, with the report still attached.
func (t *Translator) Translate(e *core.Event, verbose bool) (keep bool) {
	for _, f := range t.opts.Translators {
		tr, res, err := run(f, e, verbose)
		if err != nil {
			e.Message = "Failure while translating " + actors.TypeName(e.Report) + ": " + err.Error() + "\n" + e.Message
			e.Meta = append(e.Meta, slog.String("translator_error", err.Error()))
			return true
		}
		switch res {
		case Skip:
			return false
		case Translated:
			apply(e, tr)
			return true
		}
	}
	switch tr, res := Builtin(e, verbose); res {
	case Translated:
		apply(e, tr)
	case Skip:
		return false
	}
	return true
}

func apply(e *core.Event, tr Translation) {
	e.Message = tr.Message
	for _, a := range tr.Attrs {
		e.Meta = append(e.Meta, core.Freeze(a))
	}
}

func run(f Func, e *core.Event, verbose bool) (tr Translation, res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("translator panicked: %s", actors.SafeSprint(r))
		}
	}()
	tr, res = f(e, verbose)
	return tr, res, nil
}

// FilterID is the ID of the handler filter made by Filter. A handler whose
// config has a filter with this ID keeps it; the others get the system's
// switches (see actorlog.Config.Translator).
const FilterID = "actorlog_reports"

// Filter returns a handler filter that applies the switches of opts to
// each event by its report's category: it stops actor reports when
// opts.NoActorReports, supervisor reports unless opts.SupervisorReports,
// and has nothing to say (Ignore) about other events.
func Filter(opts Options) handlers.Filter {
	return handlers.Filter{ID: FilterID, Fn: own.MarkFilter(switches(opts).decide)}
}

// switches are a Filter's options; decide is its function, a method so
// that it is known as actorlog's own (internal/own).
type switches Options

func (opts switches) decide(e *core.Event) handlers.FilterAction {
	if e.Report == nil {
		return handlers.Ignore
	}
	switch CategoryOf(e.Report) {
	case ActorReport:
		if opts.NoActorReports {
			return handlers.Stop
		}
	case SupervisorReport:
		if !opts.SupervisorReports {
			return handlers.Stop
		}
	}
	return handlers.Ignore
}
