// Package sinks runs actorlog's sinks: lager's gen_event managers, as
// actors.
//
// A [Sink] is the part of a sink that callers touch: its level mask (the
// union of its handlers' levels) and its actor's PID, each read with one
// atomic load, and its counters. Its actor, built from [Sink.Props] and run
// by a supervisor, fans each event out to one actor per handler (package
// internal/handleractor runs a handlers.Handler), after checking each
// handler's level.
//
// The way of one event: the caller formats it ahead for the handlers that
// write lines (handlers.LineWriter: Console and File), for up to
// core.EventLines formatters, so that formatting runs on the callers'
// goroutines in parallel and the handler only copies the line. It puts
// the event in the sink's inbox — a lock and an append — and tells the
// actor with a drain message only when the inbox was empty. The actor
// takes the whole inbox at once, in order, and before any other message,
// so a Flush, a trace or a handler change still comes after every event
// logged before it. It gathers the events into one batch per handler
// (sync-mode events with their callers' acks), sent when the inbox is
// taken or a batch is full (256); anything else for a handler (a flush, a
// removal) is sent after its batch, so every handler sees its events in
// order. A sink and its handlers each run on a goroutine of their own
// that lives as long as they do (actors.Worker). A caller that finds the
// queue three quarters of the way to the async threshold yields its
// processor, so that on a machine busier than its cores the sink's
// goroutines run before callers must wait in sync mode.
//
// Lanes: while every ready handler of a sink runs nothing but actorlog's
// code on an event (a Console or File, a formatter of package formatter,
// actorlog's own filters such as the translator's, no high water mark)
// and no trace is set, a caller applies each handler's level and
// filters itself, formats the line, and puts it in the handler's lane
// (handleractor.Lane) instead of putting the event in the inbox: the event
// never reaches an actor, and its memory is reused at once
// (core.NewEvent). The line goes in the lane's shard that the event's
// home names (core.Event.Home), so callers on different processors
// mostly write different memory under different locks; a caller whose
// shard holds 32 KiB the handler has not taken yields its processor
// (handleractor.Lane.Put), so that the handler's goroutine runs even when
// no caller ever waits. In sync mode the caller then waits until the
// handlers have written its lines (handleractor.Lane.Wake), which the
// handler's actor signals once per page, not once per event. The
// handler's actor takes its lane before any other message, so a Flush, a sync-mode event or a config change still
// follows the lines logged before it; its lane counts in its queue, and
// the killer drops and counts it. Otherwise the event itself goes on, and
// from then on it is immutable and owned by nobody in particular: no one
// counts references to it across actors, and a handler, a filter or a
// formatter of the user's may keep it, with nothing to declare.
//
// # Traces
//
// A [Trace] sends the events that match a query (core.Query), at the
// levels it names, to one handler whatever that handler's level (lager's
// traces); a [Silence] trace keeps them from it instead. The sink
// evaluates traces once per event, only those whose levels take it, and
// widens its mask only by the levels a trace feeds. Traces live outside
// the sink's actor, so they survive its restarts; a change applies to the
// events the actor handles after it.
//
// # Handler failures
//
// A handler that panics is restarted in place by its sink, keeping its
// queue; past its restart intensity (5 in 10 s by default) it exits, and
// its watcher is told. An exiting handler takes no more events; it drops
// what it holds — its mailbox, its lane, the rest of a batch — counted
// (Drops.Exited, and in the report of its exit), the callers waiting for
// those events in sync mode get [ErrHandlerExited] at once, and then it
// stops. Until its watcher has installed it again it is awaited, as after
// a kill: an event only it would take is counted as NoHandler. A watcher ([WatcherTemplate], one per handler,
// under a simple_one_for_one supervisor) installs its handler, reports and
// reinstalls it after such a failure, retries a failed install every 5 s
// unless the error was made with handlers.Fatal, installs it again after
// the sink's actor restarted, and ends when the handler is removed.
//
// Handler actors are not the sink actor's children (Proto.Actor would end
// the sink only once they have ended): they are spawned from the root,
// named under the sink's actor, watched by it, and supervised by a
// guardian that hands each failure to the sink's running incarnation. A
// handler stuck in its Log therefore holds back only itself: a sink that
// stops or is killed does not wait for it, and the next incarnation
// installs that handler again only once its stuck actor has ended, so
// that two actors never write one handler's output at once.
//
// # Overload protection
//
// A sink's queue length ([Sink.QueueLen]) is what lager's gen_event
// mailbox length was: the events accepted and not yet handled by its
// slowest handler — the sink's inbox and mailbox plus the longest handler
// queue (its mailbox, a batch counted by its events), a few atomic loads
// each.
// Callers, the sink and the handlers all recompute it. It sets the sink's [Mode], which callers
// read with one atomic load:
//
//   - [Async] (the usual): the caller hands the event over and returns.
//   - [Sync], above AsyncThreshold (20): the caller waits until every
//     handler has handled its event (an ack, not a future), which slows
//     producers to the speed of the slowest handler; back to async below
//     AsyncThreshold − AsyncThresholdWindow (15). A caller never waits
//     forever: it gets [ErrSinkStopped] if the sink stops or is killed
//     meanwhile, [ErrHandlerExited] if a handler exits after failures
//     before it handled the event, and [ErrSyncTimeout] after SyncTimeout.
//     AsyncThreshold [Off] turns sync mode off: async up to the discard
//     threshold.
//   - [Discard], at DiscardThreshold (500): the caller drops the event and
//     counts it; out again (to sync) only below DiscardThreshold −
//     DiscardThresholdWindow (400), so that a queue hovering at the
//     threshold does not flap in and out. A warning says so on entering,
//     again every DiscardCheckInterval (30 s) while it lasts and events
//     are dropped, and on leaving, with the exact number dropped; every
//     drop is reported exactly once, and no report counts zero (leaving
//     with nothing left to report is a notice without a count). The
//     number is also the warning's "dropped" attribute ([ReportedDrops]).
//
// The mode is recomputed after every event the sink passes on, after
// every event a handler handles, and on a timer, so it never sticks
// (elixir#9028). With KillerHWM set, a sink whose queue grows past it is
// killed (lager's killer): its queued events and its handlers' are
// discarded and counted, it restarts empty at once, and its handlers come
// back after KillerReinstallAfter, each receiving an error event that says
// what was discarded; one stuck in its handler comes back once it has left
// it, and what only it takes is counted meanwhile. What a handler had taken before its actor was told
// to stop — lines from its lane, the rest of a batch — is still written,
// and not counted: the count in Drops.Killed and in the report is of what
// was dropped, settled as the queues go (Lane.Kill, Stats.Settle). While
// the handlers are away, their levels stay in the sink's mask: an event
// that only they would take (by their levels, or fed by a trace) is counted, as NotRunning between
// incarnations and as NoHandler after, never skipped unseen
// ([SinkStatus].Awaited names them). Each is waited for until it is back
// or its watcher ends (an install that failed for good): one that keeps
// failing to come back holds no other handler back, and the lanes are
// used again as soon as the handlers that run allow it. The sink's own
// warnings and its handlers' reports go through its inbox like logged
// events: counted with the queue and by the killer, and kept for the next
// incarnation when none runs. All thresholds ([Thresholds]) can change at
// run time ([Sink.SetThresholds]).
//
// Each handler may also have a high water mark (handlers.Config): at most
// that many events a second, the rest counted and reported when the second
// is over.
//
// # Never silent
//
// An event that a sink cannot take — its actor is restarting, or no handler
// is ready — is counted ([Sink.Dropped]) and, while the sink is not
// running, written to standard error. [Sink.Flush] returns once every event
// logged before it has been handled and flushed by every handler; a
// stopping sink lets each handler drain its queue first.
package sinks
