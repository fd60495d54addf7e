// Package sinks runs actorlog's sinks: lager's gen_event managers, as
// actors.
//
// A [Sink] is the part of a sink that callers touch: its level mask (the
// union of its handlers' levels) and its actor's PID, each read with one
// atomic load, and its counters. Its actor, built from [Sink.Props] and run
// by a supervisor, fans each event out to one actor per handler (see the
// handlers package), after checking each handler's level.
//
// # Handler failures
//
// A handler that panics is restarted in place by its sink, keeping its
// queue; past its restart intensity (5 in 10 s by default) it is stopped,
// and its watcher is told. A watcher ([WatcherTemplate], one per handler,
// under a simple_one_for_one supervisor) installs its handler, reports and
// reinstalls it after such a failure, retries a failed install every 5 s
// unless the error was made with handlers.Fatal, installs it again after
// the sink's actor restarted, and ends when the handler is removed.
//
// # Never silent
//
// An event that a sink cannot take — its actor is restarting, or no handler
// is ready — is counted ([Sink.Dropped]) and, while the sink is not
// running, written to standard error. [Sink.Flush] returns once every event
// logged before it has been handled and flushed by every handler; a
// stopping sink lets each handler drain its queue first.
package sinks
