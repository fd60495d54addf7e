package formatter_test

import (
	"log/slog"
	"testing"

	"github.com/actorlog/actorlog/core"
	f "github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
)

// TestLagerBasic is lager_default_formatter's basic_test_: each of its
// formats, written with this package's tokens, on the same message and
// metadata, gives lager's string. lager's {pid, self()} is the event's
// actor; a pid given as a term ({pid, hello}) is an attribute named pid.
// The two pterm cases have no counterpart (Go has no persistent_term).
func TestLagerBasic(t *testing.T) {
	self := actor.NewPID("nonhost", "$3")
	ofActor := func(level core.Level) *core.Event {
		e := event(level, "Message")
		e.Actor = self
		return e
	}
	withMeta := func(attrs ...slog.Attr) *core.Event { return event(core.LevelError, "Message", attrs...) }
	hello := slog.String("pid", "hello")
	const date, time = "2026-11-22", "03:04:05.006"
	type test struct {
		name   string
		tokens []f.Token
		e      *core.Event
		want   string
	}
	tests := []test{
		{"Default formatting test", nil, ofActor(core.LevelError),
			date + " " + time + " [error] " + "nonhost/$3 Message\n"},
		{"Basic Formatting", f.Tokens(f.Text("Simplist Format")), ofActor(core.LevelError), "Simplist Format"},
		{"Default equivalent formatting test",
			f.Tokens(f.Date, f.Text(" "), f.Time, f.Text(" ["), f.Severity, f.Text("] "), f.Key("pid"), f.Text(" "), f.Message, f.Text("\n")),
			ofActor(core.LevelError), date + " " + time + " [error] " + "nonhost/$3 Message\n"},
		{"Non existent metadata can default to string",
			f.Tokens(f.Date, f.Text(" "), f.Time, f.Text(" ["), f.Severity, f.Text("] "), f.KeyOr("does_not_exist", f.Text("Fallback")), f.Text(" "), f.Message, f.Text("\n")),
			ofActor(core.LevelError), date + " " + time + " [error] Fallback Message\n"},
		{"Non existent metadata can default to other metadata",
			f.Tokens(f.Date, f.Text(" "), f.Time, f.Text(" ["), f.Severity, f.Text("] "), f.KeyOr("does_not_exist", f.Key("pid")), f.Text(" "), f.Message, f.Text("\n")),
			withMeta(slog.String("pid", "Fallback")), date + " " + time + " [error] Fallback Message\n"},
		{"Non existent metadata can default to a string2",
			f.Tokens(f.IfKey("pid", f.Tokens(f.Text("My pid is "), f.Key("pid")), f.Tokens(f.Text("Unknown Pid")))),
			withMeta(), "Unknown Pid"},
		{"Metadata can have extra formatting",
			f.Tokens(f.IfKey("pid", f.Tokens(f.Text("My pid is "), f.Key("pid")), f.Tokens(f.Text("Unknown Pid")))),
			withMeta(hello), "My pid is hello"},
		{"Metadata can have extra formatting1", serverOrPid, withMeta(hello, slog.String("server", "servername")), "servername"},
		{"Metadata can have extra formatting2", serverOrPid, withMeta(hello), "(hello)"},
		{"Metadata can have extra formatting3", serverOrPid, withMeta(), "(Unknown Server)"},
		{"Metadata can be printed in its enterity", f.Tokens(f.Metadata),
			withMeta(slog.Int("foo", 1), slog.Int("bar", 2), slog.Int("baz", 3)), "bar=2 baz=3 foo=1"},
		{"Metadata can be printed in its enterity with custom seperators", f.Tokens(f.MetadataWith("->", ", ")),
			withMeta(slog.Int("foo", 1), slog.Int("bar", 2), slog.Int("baz", 3)), "bar->2, baz->3, foo->1"},
		// lager's bad alignment ({bad_align, 10}) is left; a bad width
		// (bad10, {right, bad20}) pads nothing: here a width below 1.
		{"Metadata can have extra formatting with width 1",
			f.Tokens(
				f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, 10, f.Left), f.Text(")"),
				f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, 10, f.Align(7)), f.Text(")"),
				f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, 0, f.Left), f.Text(")"),
				f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, -20, f.Right), f.Text(")"),
				f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, -20, f.Align(7)), f.Text(")")),
			withMeta(hello), "(hello     )(hello     )(hello)(hello)(hello)"},
		{"Metadata can have extra formatting with width 2",
			f.Tokens(f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, 10, f.Left), f.Text(")")),
			withMeta(hello), "(hello     )"},
		{"Metadata can have extra formatting with width 3",
			f.Tokens(f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, 10, f.Right), f.Text(")")),
			withMeta(hello), "(     hello)"},
		{"Metadata can have extra formatting with width 4",
			f.Tokens(f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, 10, f.Centre), f.Text(")")),
			withMeta(hello), "(  hello   )"},
		{"Metadata can have extra formatting with width 5",
			f.Tokens(
				f.IfKeyWidth("x", nil, f.Tokens(f.Severity, f.Fill("|"), f.Key("pid")), 10, f.Left),
				f.Text("!"), f.Blank,
				f.Text("("), f.IfKeyWidth("pid", f.Tokens(f.Key("pid")), nil, 10, f.Centre), f.Text(")")),
			withMeta(hello), "error     |hello     ! (  hello   )"},
		{"Metadata can have extra formatting with width 6",
			f.Tokens(
				f.IfKey("x", nil, f.Tokens(f.Time)),
				f.IfKeyWidth("x", nil, f.Tokens(f.Date), 20, f.Left),
				f.Blank,
				f.IfKeyWidth("x", nil, f.Tokens(f.Metadata), 30, f.Left),
				f.Blank,
				f.IfKeyWidth("x", nil, f.Tokens(f.Sev), 10, f.Left),
				f.Message,
				f.IfKeyWidth("message", f.Tokens(f.Message), nil, 20, f.Right)),
			withMeta(hello, slog.Int("foo", 1), slog.Int("bar", 2), slog.Int("baz", 3)),
			time + date + " bar=2 baz=3 foo=1 pid=hello EMessage"},
	}
	for i, l := range core.Levels {
		tests = append(tests, test{"Uppercase Severity Formatting - " + l.Upper(),
			f.Tokens(f.SeverityUpper, f.Text(" Simplist Format")), ofActor(core.Levels[i]), l.Upper() + " Simplist Format"})
	}
	tests = append(tests, test{"node formatting basic", f.Tokens(f.Node, f.Text("foo")), ofActor(core.LevelInfo), "node1@hostfoo"})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lf := &f.Lager{Tokens: tc.tokens}
			if got := string(lf.Format(nil, tc.e)); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// serverOrPid is lager's {server, {pid, ["(", pid, ")"], ["(Unknown Server)"]}}.
var serverOrPid = f.Tokens(f.KeyOr("server",
	f.IfKey("pid", f.Tokens(f.Text("("), f.Key("pid"), f.Text(")")), f.Tokens(f.Text("(Unknown Server)")))))

// TestLagerWidthPadsOnlyValues: lager's width conditional pads severity,
// the node, metadata values (with or without a default) and literal text;
// it writes the message, date, time, letter, blank, filler, color and
// whole metadata as they are.
func TestLagerWidthPadsOnlyValues(t *testing.T) {
	e := event(core.LevelError, "Message", slog.String("server", "web"))
	in := func(tok f.Token) []f.Token {
		return f.Tokens(f.Text("("), f.IfKeyWidth("x", nil, f.Tokens(tok), 8, f.Left), f.Text(")"))
	}
	tests := []struct {
		name string
		tok  f.Token
		want string
	}{
		{"severity", f.Severity, "(error   )"},
		{"severity upper", f.SeverityUpper, "(ERROR   )"},
		{"node", f.Node, "(node1@ho)"},
		{"key", f.Key("server"), "(web     )"},
		{"missing key", f.Key("nope"), "(Undefine)"},
		{"key with default", f.KeyOr("nope", f.Text("a"), f.Text("b")), "(ab      )"},
		{"text", f.Text("ab"), "(ab      )"},
		{"empty text", f.Text(""), "(        )"},
		{"message", f.Message, "(Message)"},
		{"date", f.Date, "(2026-11-22)"},
		{"time", f.Time, "(03:04:05.006)"},
		{"letter", f.Sev, "(E)"},
		{"blank", f.Blank, "( )"},
		{"filler", f.Fill("|"), "(|)"},
		{"metadata", f.Metadata, "(server=web)"},
		{"attributes", f.Attrs, "( server=web)"},
		{"color", f.Color, "(\x1b[1;31m)"},
		{"conditional", f.IfKey("server", f.Tokens(f.Key("server")), nil), "(web)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lf := &f.Lager{Tokens: in(tc.tok), Colors: f.DefaultColors}
			if got := string(lf.Format(nil, e)); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
