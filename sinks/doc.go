// Package sinks runs actorlog's sinks: lager's gen_event managers, as
// actors.
//
// A [Sink] is the part of a sink that callers touch, and that outlives its
// actor's restarts: its level mask, the road its actor publishes, and its
// counters. Its actor, built from [Sink.Props] and run by a supervisor,
// owns the sink's handlers — one actor each (package
// internal/handleractor runs a handlers.Handler) — their levels, the
// traces and the overload mode.
//
// # One road
//
// Every event reaches every handler the same way: through that handler
// actor's Proto.Actor mailbox (internal/mailbox), which is the handler's
// whole queue. No queue stands beside it, and the sink's own actor is not
// on the way.
//
// The sink's actor publishes a road: one immutable value with the ready
// handlers (each one's mailbox, levels, and how it takes events), the
// traces, the handlers awaited, the mode, and the queue lengths at which
// the mode may change. It publishes a new one whenever one of these
// changes: a handler installed, changed or gone, a trace set or stopped, a
// mode decided. A caller reads the road with one atomic load, and posts
// its event straight into the mailbox of each handler that takes it — by
// its level, or fed by a trace and not silenced:
//
//   - a Console or a File that runs nothing but actorlog's code (a
//     formatter of package formatter, actorlog's own filters, no high
//     water mark) takes lines: the caller applies its filters, formats the
//     line on its own goroutine, and posts the line (mailbox.PostLine);
//     the event never reaches an actor, and when no handler took the event
//     itself, its memory is reused at once (core.NewEvent);
//   - any other handler takes the event itself, formatted ahead for the
//     handlers that write lines (handlers.LineWriter), and a traced event
//     with a mark that skips the handler's level and filters. From then
//     on the event is immutable and owned by nobody in particular: no one
//     counts references to it, and a handler, filter or formatter of the
//     user's may keep it, with nothing to declare;
//   - a custom handler actor takes the event too; a middleware applies
//     its filters on its own goroutine.
//
// A mailbox is cut in shards, each with its own lock and memory, and the
// caller posts in the shard its event's home names (core.Event.Home):
// callers on different processors share no lock, only the count that
// numbers the entries. Every entry — line,
// event or request such as a Flush — is numbered from one count as it is
// posted, and the handler's goroutine takes every shard at once and merges
// them by number: lines and events come in the order they were posted,
// runs of lines as one page, runs of events as one batch, and system
// messages first. A Flush sent after an event therefore comes after it,
// with no ordering rebuilt by hand anywhere.
//
// Why callers post, and events do not pass through the sink's actor:
// every event would then cost a hop, a second mailbox, and a fan-out on
// one goroutine for the whole sink, which becomes the sink's bottleneck
// on a machine with cores to spare; formatting on the callers' goroutines
// is what lets a sink keep up with many of them. The actor stays lager's
// gen_event manager — it owns the handlers, their levels, traces and the
// mask, and decides — while the events take the shortest way.
//
// In sync mode a caller waits for its entries by their numbers (a
// ticket per handler, mailbox.Wake), which its handlers' goroutines signal
// once per page or batch, not once per event.
//
// # Traces
//
// A [Trace] sends the events that match a query (core.Query), at the
// levels it names, to one handler whatever that handler's level (lager's
// traces); a [Silence] trace keeps them from it instead. The sink
// evaluates traces once per event, only those whose levels take it, and
// widens its mask only by the levels a trace feeds. The callers evaluate
// them, from the road. Traces live outside the sink's actor, so they
// survive its restarts; a change applies to the events logged after it
// returns.
//
// # Handler failures
//
// A handler that panics is restarted in place by its sink, keeping its
// mailbox: only the event it was handling is lost (its crash report names
// it), and the rest of its page or batch comes first after the restart.
// Past its restart intensity (5 in 10 s by default) it exits, and its
// watcher is told. An exiting handler takes no more events; its mailbox
// drops what it holds, counted (Drops.Exited, and in the report of its
// exit), the callers waiting for those events in sync mode get
// [ErrHandlerExited] at once, and then it stops. Until its watcher has installed it again it is awaited, as after
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
// handler stuck in its Log therefore holds back only itself: a killed
// sink does not wait for it, a stopping one waits for it within
// DrainTimeout, and the next incarnation installs that handler again only
// once its stuck actor has ended, so that two actors never write one
// handler's output at once. The last incarnation, as the sink is closed,
// also waits within DrainTimeout for the actors a kill let go, which
// finish what they had taken; it names on standard error those still
// stuck, and lets them go.
//
// # Overload protection
//
// A sink's queue length ([Sink.QueueLen]) is what lager's gen_event
// mailbox length was: the entries waiting in its slowest handler's
// mailbox — lines, events and requests posted and not yet handled, but
// for the one the handler is handling — two atomic loads per handler,
// and nothing else. It sets the sink's [Mode]:
//
//   - [Async] (the usual): the caller posts the event and returns.
//   - [Sync], above AsyncThreshold (20): the caller waits until every
//     handler has handled its event (its tickets), which slows producers
//     to the speed of the slowest handler; back to async below
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
// The sink's actor alone decides the mode, writes the warnings and runs
// the killer, as lager's gen_event handlers do in the event manager:
// callers and handlers only tell it when to look. A caller whose post
// finds a mailbox at the mark where the mode would go up, or below the
// mark where it would go down, sends the actor a check (one at a time); a
// handler whose mailbox falls below the mark where it would go down,
// after each page or batch it took, does the same; and the actor's alarm
// checks every DiscardCheckInterval, so the mode never sticks
// (elixir#9028). Meanwhile a caller follows the queue it finds as it
// posts: past the async threshold it waits for its event even before the
// actor has decided sync mode (the event that crosses it does not, as in
// lager), and in sync mode, below the mark back to async, it does not
// wait. A caller that finds a mailbox three
// quarters of the way to the async threshold, or that the mailbox tells
// to, yields its processor, so that on a machine busier than its cores
// the handlers' goroutines run before callers must wait in sync mode.
//
// With KillerHWM set, a sink whose queue grows past it is killed (lager's
// killer): each handler's mailbox drops what the handler was not handed,
// counted exactly as it is dropped (Drops.Killed, and the kill's report);
// what a handler is writing it still writes. The actor stops, its
// supervisor told it was killed, and restarts empty at once; a handler
// stuck in its Log holds back only itself. The handlers come back after
// KillerReinstallAfter, each receiving an error event that says what was
// discarded; one stuck in its handler comes back once it has left it.
// While the handlers are away, their levels stay in the sink's mask: an
// event that only they would take (by their levels, or fed by a trace) is
// counted, as NotRunning between incarnations and as NoHandler after,
// never skipped unseen ([SinkStatus].Awaited names them), and its caller
// gets [ErrDropped]. Each is waited for until it is back or its watcher
// ends (an install that failed for good): one that keeps failing to come
// back holds no other handler back. The sink's own warnings and its
// handlers' reports take the road of logged events, whatever the mode:
// counted with the queue and by the killer. All thresholds ([Thresholds])
// can change at run time ([Sink.SetThresholds]).
//
// Each handler may also have a high water mark (handlers.Config): at most
// that many events a second, the rest counted and reported when the second
// is over.
//
// # Never silent
//
// An event that a sink cannot take — its actor is restarting, no handler
// is ready, or the handler's mailbox closed as it stopped — is counted
// ([Sink.Dropped]), its caller gets [ErrDropped], and while the sink is not
// running it is written to standard error. [Sink.Flush] returns once every
// event logged before it has been handled and flushed by every handler; a
// stopping sink lets each handler drain its mailbox first, within
// DrainTimeout, and counts what one too slow still held.
package sinks
