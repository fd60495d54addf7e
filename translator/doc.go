// Package translator turns the actor system's own reports into messages a
// Go developer can read, as Elixir's Logger.Translator does for Erlang/OTP
// reports.
//
// Its input is an event whose Report field holds the structured report: a
// panic in an actor or goroutine (*actors.CrashReport), a supervisor's
// report (supervision.Report), or a record of Proto.Actor's own logger
// (*Record). Its output is the event's Message, in the spirit of Elixir's
// text:
//
//	Actor nonhost/$3 (*main.worker) terminating
//	** (panic) runtime error: index out of range [5] with length 3
//	    main/main.go:42: main.(*worker).Receive
//	Last message (from nonhost/$1): *main.Job{ID:7}
//
// plus metadata (crash_reason with reason, type and stack; actor; parent).
// As in Elixir 1.19 the translation goes beside the report, never in its
// place: formatters print the message, handlers still read every field of
// e.Report. Details Elixir shows "on debug" (the actor's state, its parent,
// whether the sender is alive) appear only when the sink logs debug.
//
// User translators ([Func]) are asked first, in order; each answers
// [Translated], [Skip] or [None]. One that panics yields a "Failure while
// translating" message with the report still attached. A report nobody
// translates keeps its one-line default message: it is never dropped. A
// record of Proto.Actor's that no translation knows gets its attributes
// appended to its message, key=value, since the human formats leave
// metadata out. [RecordLevel] corrects the level of the records that
// Proto.Actor misstates: a panic logged at info, a connection that a
// normal stop closed logged at error.
//
// Two switches, per handler, follow Elixir's handle_otp_reports (actor
// reports, on by default) and handle_sasl_reports (supervisor reports, off
// by default): see [Options] and [Filter].
package translator
