// Package handleractor runs a handlers.Handler inside its own Proto.Actor
// actor, for a sink: the handler actor (Props), its counters (Stats), the
// messages between it and its sink, its lane of lines formatted ahead, and
// the crash log's actor (CrashLogProps).
//
// The handler actor calls the handler's methods one at a time, as OTP
// calls a handler's callbacks: Add when it starts or restarts, Log for
// every event that passed the handler's level, filters and HighWaterMark
// (Shaper), Flush, a config change (Configure: Changer), Rotate and Reopen
// (Rotatable, Reopener) when its sink asks, Wake when the handler's
// NextWake comes, and Remove when it stops. A Batch is events handled in
// order, as if each came alone; a Sync is an event a caller waits for, in
// sync mode (its Ack), or one a trace sent. A handler's panic restarts its
// actor in place; the events of a batch after the one that panicked are
// handled first after the restart.
//
// A Console or a File that runs nothing but actorlog's code takes lines
// without their events: while every handler of a sink does, the sink's
// callers put their lines in each handler's Lane, which its actor writes
// a page at a time (the handler's LogLine, or a File's LogPage for a whole
// page), with no event or message per line. The lane is cut in shards, so
// that callers on different processors do not share a lock or memory, and
// its lines are numbered as they are put: the actor merges the shards by
// number, and writes the lines in the order they were put. The actor
// takes its lane before every message it handles, so a Flush follows the
// lines put before it.
//
// The layers run one way: package handlers holds the contract and the
// shipped handlers and knows nothing of this package; this package runs
// them; package sinks owns the handler actors.
package handleractor
