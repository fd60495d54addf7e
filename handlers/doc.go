// Package handlers holds the handler contract of actorlog and the handlers
// it ships with.
//
// # The contract
//
// A [Handler] logs events: OTP's logger_handler and Elixir's
// LoggerBackends backend. It runs inside its own actor, so its methods are
// never called concurrently. Only Log is required; a handler may also
// implement [Adder] (prepare; may answer [ErrIgnore], or a [Fatal] error
// that is not retried), [Changer] (take a new config, Set or Update),
// [ConfigFilterer] (hide internals when the config is read back),
// [Flusher] (write out buffered output), [Remover] (release resources),
// [Waker] (timed work: the handler's actor keeps one alarm for it),
// [Rotatable] and [Reopener] (rotate or reopen output on demand). A
// handler reports its own trouble — a file that cannot be opened — with
// [Config.Report], into its sink.
//
// A handler's [Config] holds its ID, its level as a lager level expression
// ("info", "!=notice", …; empty means all), its filters and filter
// default (OTP's: each filter answers [Log], [Stop] or [Ignore]), its
// formatter and its own options. The level, filters and formatter are
// applied for the handler ([Config.Accepts], [Config.Format]).
//
// A handler whose Log writes what Config.Format makes of each event says
// so by implementing [LineWriter]. Its sink then formats its events ahead,
// on the logging callers' goroutines, which run in parallel, and
// Config.Format copies that line instead of formatting again: the
// handler's single goroutine no longer limits throughput. A formatter
// must therefore be safe to run on many goroutines at once (it must not
// change itself), and is found by identity, so it must be a pointer.
//
// Console and File also write lines formatted ahead without their
// events (their LogLine methods), and a File a whole page of such lines at
// once (LogPage): while every handler of a sink is one of them and runs
// nothing but actorlog's code, the sink's callers hand their lines to the
// handlers' actors, with no event or message per line. An event that
// reaches a handler is immutable, and the handler may keep it.
//
// # A custom handler actor
//
// Instead of a Handler, a sink also takes the Props of a custom actor.
// What it receives, and must answer:
//
//   - *core.Event, for every event that passed its level and filters,
//     and for the sink's own reports (overload warnings, a kill's
//     report): no answer.
//   - [Flush]: answer with ctx.Respond([Flushed]{…}) once the events
//     received before it are written out. The sink's Flush, and Stop,
//     wait for the answer at most sinks.Options.CustomAnswerTimeout
//     (actorlog.Config.CustomAnswerTimeout, 5 s); an actor that does not
//     answer by then is reported by a warning in its sink that names it,
//     and the Flush's error names it (sinks.ErrNoAnswer), while the other
//     handlers are flushed all the same.
//   - Proto.Actor's poison pill, when it is removed or its sink stops:
//     it handles what its mailbox holds, then stops. A stopping sink
//     waits for that at most sinks.Options.DrainTimeout (5 s), then stops
//     it at once and counts what it had not taken.
//
// No other message is sent to a custom actor: a config change, a rotation
// or a reopen is refused for it, or skipped. A panic in its Receive
// restarts it in place, as for a Handler. Its config's level and filters
// (the translator's switches among them) are applied by the sink, since it has no handler actor of actorlog's. The
// sink counts the events it sent the actor and the actor has not taken
// in its queue (a receiver middleware takes them out), so a slow custom
// actor moves its sink to sync and discard modes as any handler does
// (callers in sync mode wait for the sink's other handlers, not for a
// custom actor: past the discard threshold they drop, counted), and a
// killer counts what it drops.
//
// # Handlers
//
// [Console] writes to standard output, standard error or any writer, in
// lager's console format with colors on a terminal. [File] is lager's file
// backend: buffered appends (a full buffer written behind while the next
// one fills), fsync at chosen levels, rotation by size, at
// date specs and on demand, external rotation noticed, and no event lost
// silently when the file cannot be written. [CrashLog] is lager's crash
// log: every crash and supervisor failure report of the actor system,
// written in full (actorlog runs it as its own actor, fed from the actor
// system's EventStream). [Memory]
// keeps events for tests, with waits for them.
package handlers
