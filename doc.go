// Package actorlog is lager, Erlang's logging framework, rebuilt on the
// Proto.Actor actor framework: a logging runtime whose moving parts are
// actors in an OTP supervision tree.
//
// # Logging
//
// [Start] a [System] and log through its [Logger]:
//
//	sys, err := actorlog.Start(actorlog.Config{})   // lager's default set: console, ./log/*.log
//	log := sys.Logger()
//	log.Info("user logged in", "user", 42)          // slog-style key/values
//	log.Warningf("disk %d%% full", 91)              // lager-style formatting
//	log.With("request_id", id).Error("failed")      // metadata on every event
//	defer sys.Stop(ctx)                             // drains, flushes, stops
//
// The levels are lager's eight — debug, info, notice, warning, error,
// critical, alert, emergency — on slog's scale ([Level]). A handler's level
// is a lager level expression: "info", "=debug", "!=notice", "<warning",
// ">=error", "none" ([ParseMask]).
//
// A call at a level no handler takes costs an inlined atomic load and
// allocates nothing. An enabled call formats, truncates (4096 bytes by
// default) and freezes its attributes in the caller — safely: a panicking
// String method, a bad verb, a cyclic value never crash the caller — takes
// the time and the call site, and hands the event to the sink. It waits
// only in the sink's sync mode, when handlers fall behind, and then for
// Overload.SyncTimeout (5 s) at most (see [Logger]). From inside an actor,
// [Logger.ForActor] adds the actor's PID and node.
//
// # The tree
//
// A sink (lager's gen_event manager) is an actor that fans each event out
// to one actor per handler. A handler that panics is restarted in place —
// its queued events are kept, only the one that made it panic is lost, and
// the crash report names it — until it panics too often; then it is
// removed, and its watcher (one per handler, under a simple_one_for_one
// supervisor, lager's lager_handler_watcher) reports it and installs it
// again. The watcher also retries failed installs every 5 s and reinstalls
// every handler after the sink's actor restarts. Everything sits under a
// one_for_one root (10 restarts in 60 s); if even the root gives up, the
// process does not die: logging falls back to standard error, and says so.
//
// # Handlers
//
// Handlers implement handlers.Handler (OTP's logger_handler contract with
// optional Add, Change, FilterConfig, Flush and Remove) or are Proto.Actor
// actors of their own. The handlers package has the console, lager's file
// handler with rotation, the crash log and an in-memory handler for tests;
// the formatter package lager's, Elixir's, logfmt and JSON formatters. Handlers are added, removed and reconfigured
// at run time ([System.AddHandler], [System.RemoveHandler],
// [System.SetHandlerLevel], [System.UpdateHandlerConfig]).
//
// [System.Status] describes sinks and handlers in the spirit of
// lager:status().
//
// # Configuration
//
// A [Config] is plain Go; its zero value starts lager's default set.
// [Start] checks it first ([Config.Check]): a bad config starts nothing,
// and its [*ConfigError] lists every problem with its path. Package
// config reads the same settings from a file of JSON with comments,
// with lager's keys and meanings.
package actorlog
