// Package core holds the few types every layer of actorlog shares — Level,
// Mask and Event — and the text safety the logging path relies on.
//
// # Levels
//
// A [Level] is one of lager's eight severities (debug, info, notice,
// warning, error, critical, alert, emergency) on slog's scale: Debug, Info,
// Warning and Error are slog's LevelDebug, LevelInfo, LevelWarn and
// LevelError, and Notice, Critical, Alert and Emergency sit at 2, 12, 16
// and 20. [LevelNone] is lager's none.
//
// A [Mask] is lager's bitmask of levels (debug 128 … emergency 1), what a
// handler accepts. [ParseMask] reads lager's level expressions ("info",
// "=info", "!=info", "<warning", "<=warning", ">error", "!info", "none"),
// and [Mask.String] prints any mask back as one.
//
// # Events
//
// An [Event] is built by the logging call and shared, read-only, by the
// handlers of a sink. Its attributes are frozen by [Freeze]: anything that
// is not a plain string, number, bool, duration or time is rendered to
// text in the caller, so no handler ever reads memory the caller may still
// change.
//
// # Safe text
//
// [Sprintf] never panics and never recurses without end; [Render] prints
// any Go value — cyclic, nil, panicking, huge, with unexported fields of
// any type — on one bounded line, after a bounded amount of work;
// [Truncate] cuts a message to a byte limit without splitting UTF-8 and
// says so with [TruncationMarker].
package core
