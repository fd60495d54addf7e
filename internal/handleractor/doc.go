// Package handleractor runs a handlers.Handler inside its own Proto.Actor
// actor, for a sink: the handler actor (Props), its counters and mailbox
// (Stats), the messages between it and its sink, and the crash log's actor
// (CrashLogProps).
//
// The handler actor calls the handler's methods one at a time, as OTP
// calls a handler's callbacks: Add when it starts or restarts, Log for
// every event that passed the handler's level, filters and HighWaterMark
// (Shaper), Flush, a config change (Configure: Changer), Rotate and Reopen
// (Rotatable, Reopener) when its sink asks, Wake when the handler's
// NextWake comes, and Remove when it stops.
//
// Its mailbox (internal/mailbox) is its whole queue, and the sink's
// callers post into it: events (*core.Event, one a trace sent as Traced)
// that reach the actor in batches (mailbox.Batch), handled in order as if
// each came alone; and, for a Console or a File that runs nothing but
// actorlog's code (Installed.Lines), lines the callers formatted, which
// reach it a page at a time (mailbox.Page) and are written with the
// handler's LogLine, or a File's LogPage for a whole page. A handler's
// panic restarts its actor in place; only the event or line it was on is
// lost, and the rest of its batch or page comes first after the restart.
// As the actor stops, it handles what its mailbox still holds (Drain);
// a killer or an exit after failures drops it instead, counted (Stats.Kill,
// Stats.Exit), and the requests among it are answered (Answer).
//
// The layers run one way: package handlers holds the contract and the
// shipped handlers and knows nothing of this package; this package runs
// them; package sinks owns the handler actors.
package handleractor
