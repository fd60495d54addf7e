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
// [Flusher] (write out buffered output) and [Remover] (release resources).
//
// A handler's [Config] holds its ID, its level as a lager level expression
// ("info", "!=notice", …; empty means all), its filters and filter
// default (OTP's: each filter answers [Log], [Stop] or [Ignore]), its
// formatter and its own options. The level, filters and formatter are
// applied for the handler ([Config.Accepts], [Config.Format]).
//
// Instead of a Handler, a sink also takes the Props of a custom actor,
// which receives *core.Event and answers [Flush] with [Flushed].
//
// # Handlers
//
// [Console] writes to standard output, standard error or any writer, in
// lager's console format with colors on a terminal; [Memory] keeps events
// for tests, with waits for them.
package handlers
