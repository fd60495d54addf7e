// Package formatter turns log events into text: lager's default formatter,
// Elixir's template formatter, logfmt and JSON.
//
// A [Formatter] appends one event's bytes to a buffer. Formatters are pure:
// the same event always gives the same bytes, and they never fail — [Safe]
// turns even a panicking formatter into a "formatter crash" line that
// still carries the message.
//
// # lager
//
// [Lager] builds a line from [Token]s, lager's formatter config: literal
// [Text], [Message], [Date], [Time], [Severity], [SeverityUpper], [Sev]
// (the level's letter), [Node], [Blank], [Color], [Metadata], the value of
// a metadata [Key] ("Undefined" when absent), [KeyOr] with a default, and
// the conditionals [IfKey] and [IfKeyWidth] (with padding and alignment
// of the severity, node, metadata values and literal text, as lager pads
// them; [Fill], [Blank] and the other elements are written as they are).
// Metadata keys are the event's attributes, plus the virtual keys pid,
// node, sink, module, function, file and line. [DefaultTokens] is lager's
// default format and [ConsoleTokens] its console format; [DefaultColors]
// are lager's colors.
//
// # Elixir
//
// [ParseTemplate] reads Elixir's format strings: "$time $metadata[$level]
// $message\n" with $date, $node and $levelpad too.
//
// # Structured
//
// [Logfmt] writes key=value lines and [JSON] one object per line, valid
// JSON whatever the message or attributes hold. Both follow slog's rules
// for handlers (a zero time is left out) and pass testing/slogtest on the
// text they write.
package formatter
