package formatter_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/core"
	f "github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
)

var at = time.Date(2026, 11, 22, 3, 4, 5, 6_000_000, time.Local)

func here() uintptr {
	var pcs [1]uintptr
	runtime.Callers(2, pcs[:])
	return pcs[0]
}

func callerLine(pc uintptr) int {
	fr, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	return fr.Line
}

func event(level core.Level, msg string, attrs ...slog.Attr) *core.Event {
	return &core.Event{Time: at, Level: level, Message: msg, Attrs: attrs, Node: "node1@host"}
}

func TestLagerTokens(t *testing.T) {
	plain := event(core.LevelError, "Message", slog.String("server", "web"), slog.Int("req", 42))
	withPid := event(core.LevelInfo, "hi")
	withPid.Actor = actor.NewPID("nonhost", "$3")
	pc := here()
	line := strconv.Itoa(callerLine(pc))
	located := event(core.LevelInfo, "hi")
	located.PC = pc
	located.Actor = withPid.Actor
	tests := []struct {
		name   string
		tokens []f.Token
		e      *core.Event
		want   string
	}{
		{"default format without pid or location", nil, plain, "2026-11-22 03:04:05.006 [error]  Message\n"},
		{"default format with a pid", nil, withPid, "2026-11-22 03:04:05.006 [info] nonhost/$3 hi\n"},
		{"default format with pid and location", nil, located,
			"2026-11-22 03:04:05.006 [info] nonhost/$3@formatter_test:TestLagerTokens:" + line + " hi\n"},
		{"literal", f.Tokens(f.Text("hello")), plain, "hello"},
		{"message and severities", f.Tokens(f.Sev, f.Blank, f.Severity, f.Fill("|"), f.SeverityUpper, f.Text(" "), f.Message), plain, "E error|ERROR Message"},
		{"key", f.Tokens(f.Key("server")), plain, "web"},
		{"missing key", f.Tokens(f.Key("nope")), plain, "Undefined"},
		{"fallback to a string", f.Tokens(f.KeyOr("nope", f.Text("fallback"))), plain, "fallback"},
		{"fallback to other metadata", f.Tokens(f.KeyOr("nope", f.Key("server"))), plain, "web"},
		{"present", f.Tokens(f.IfKey("server", f.Tokens(f.Text("at "), f.Key("server")), f.Tokens(f.Text("nowhere")))), plain, "at web"},
		{"absent", f.Tokens(f.IfKey("nope", f.Tokens(f.Text("yes")), f.Tokens(f.Text("no")))), plain, "no"},
		{"nested", f.Tokens(f.IfKey("server", f.Tokens(f.KeyOr("pid", f.Text("no pid"))), nil)), plain, "no pid"},
		{"metadata", f.Tokens(f.Metadata), event(core.LevelInfo, "", slog.Int("foo", 1), slog.Int("baz", 3), slog.Int("bar", 2)), "bar=2 baz=3 foo=1"},
		{"metadata separators", f.Tokens(f.MetadataWith(":", "|")), event(core.LevelInfo, "", slog.String("b", "two words"), slog.Int("a", 1)), `a:1|b:"two words"`},
		{"node", f.Tokens(f.Node), plain, "node1@host"},
		{"date and time", f.Tokens(f.Date, f.Blank, f.Time), plain, "2026-11-22 03:04:05.006"},
		{"width left", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Key("server")), nil, 6, f.Left), f.Text("|")), plain, "web   |"},
		{"width right", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Key("server")), nil, 6, f.Right), f.Text("|")), plain, "   web|"},
		{"width centre", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Key("server")), nil, 6, f.Centre), f.Text("|")), plain, " web  |"},
		{"width cuts left", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Text("abcdef")), nil, 3, f.Left)), plain, "abc"},
		{"width cuts right", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Text("abcdef")), nil, 3, f.Right)), plain, "def"},
		{"width cuts centre", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Text("abcdef")), nil, 2, f.Centre)), plain, "cd"},
		{"width per element", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Text("a"), f.Text("b")), nil, 2, f.Left)), plain, "a b "},
		{"bad width pads nothing", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Text("abc")), nil, 0, f.Left)), plain, "abc"},
		{"width counts runes", f.Tokens(f.IfKeyWidth("server", f.Tokens(f.Text("é")), nil, 3, f.Right)), plain, "  é"},
		{"virtual keys", f.Tokens(f.Key("module"), f.Text(" "), f.Key("file"), f.Text(" "), f.Key("node")), located, "formatter_test formatter_test.go node1@host"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lf := &f.Lager{Tokens: tc.tokens}
			if got := string(lf.Format(nil, tc.e)); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestSeverityUpperAndLetters(t *testing.T) {
	lf := &f.Lager{Tokens: f.Tokens(f.SeverityUpper, f.Text(" "), f.Sev)}
	want := []string{"DEBUG D", "INFO I", "NOTICE N", "WARNING W", "ERROR E", "CRITICAL C", "ALERT A", "EMERGENCY M"}
	for i, l := range core.Levels {
		if got := string(lf.Format(nil, event(l, ""))); got != want[i] {
			t.Errorf("%v: got %q, want %q", l, got, want[i])
		}
	}
}

func TestLagerConsoleFormatAndColors(t *testing.T) {
	e := event(core.LevelWarning, "disk almost full")
	plain := &f.Lager{Tokens: f.ConsoleTokens("\n")}
	if got := string(plain.Format(nil, e)); got != "03:04:05.006 [warning] disk almost full\n" {
		t.Errorf("console format: %q", got)
	}
	withAttrs := event(core.LevelWarning, "disk almost full", slog.String("volume", "/var"), slog.Group("free", slog.Int("mb", 312)))
	if got := string(plain.Format(nil, withAttrs)); got != "03:04:05.006 [warning] disk almost full volume=/var free.mb=312\n" {
		t.Errorf("console format with attributes: %q", got)
	}
	colored := &f.Lager{Tokens: f.ConsoleTokens("\x1b[0m\n"), Colors: f.DefaultColors}
	if got := string(colored.Format(nil, e)); got != "03:04:05.006 \x1b[1;33m[warning] disk almost full\x1b[0m\n" {
		t.Errorf("colored: %q", got)
	}
	utc := &f.Lager{Tokens: f.Tokens(f.Time), UTC: true}
	if got := string(utc.Format(nil, e)); !strings.HasSuffix(got, " UTC") {
		t.Errorf("UTC: %q", got)
	}
}

func TestTemplate(t *testing.T) {
	e := event(core.LevelNotice, "started", slog.String("app", "shop"), slog.Int("port", 8080), slog.String("note", "a b"))
	tests := []struct {
		format string
		meta   []string
		all    bool
		want   string
	}{
		{f.DefaultTemplate, nil, false, "03:04:05.006 [notice] started\n"},
		{f.DefaultTemplate, []string{"port", "app", "missing"}, false, "03:04:05.006 port=8080 app=shop [notice] started\n"},
		{"$date $node $message", nil, true, "2026-11-22 node1@host started"},
		{"$metadata|", nil, true, `app=shop port=8080 note="a b" |`},
		{"[$level]$levelpad$message", nil, false, "[notice]   started"},
		{"cost: $5", nil, false, ""},
	}
	for _, tc := range tests {
		tpl, err := f.ParseTemplate(tc.format)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q: no error", tc.format)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		tpl.Metadata, tpl.AllMetadata = tc.meta, tc.all
		if got := string(tpl.Format(nil, e)); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.format, got, tc.want)
		}
	}
	_, err := f.ParseTemplate("$time $lvl $message")
	if err == nil || !strings.Contains(err.Error(), "$lvl is an invalid format pattern") {
		t.Errorf("got %v", err)
	}
	tpl, _ := f.ParseTemplate(f.DefaultTemplate)
	tpl.Colors = f.DefaultColors
	if got := string(tpl.Format(nil, e)); got != "\x1b[1;36m03:04:05.006 [notice] started\x1b[0m\n" {
		t.Errorf("colors: %q", got)
	}
}

func TestLogfmt(t *testing.T) {
	e := event(core.LevelInfo, `user "bob" logged in`,
		slog.Int("user", 42), slog.String("path", "/api/v1/items"), slog.String("", "empty key"),
		slog.String("bad key", ""), slog.Group("req", slog.String("method", "GET"), slog.Float64("took", 0.25)),
		slog.Float64("ratio", math.Inf(1)), slog.String("bin", "a\xffb"))
	e.Actor = actor.NewPID("nonhost", "$9")
	lf := &f.Logfmt{UTC: true}
	want := `time=2026-11-22T` // the rest is checked below
	got := string(lf.Format(nil, e))
	if !strings.HasPrefix(got, want) {
		t.Fatalf("got %q", got)
	}
	rest := got[strings.Index(got, " level="):]
	wantRest := ` level=info msg="user \"bob\" logged in" pid=nonhost/$9 user=42 path=/api/v1/items _="empty key" bad_key="" req.method=GET req.took=0.25 ratio=+Inf bin="a\\xffb"` + "\n"
	if rest != wantRest {
		t.Errorf("got  %q\nwant %q", rest, wantRest)
	}
}

func TestJSONIsValidForAnyInput(t *testing.T) {
	e := event(core.LevelCritical, "line1\nline2 \"quoted\" \x00 \xff tab\t \u2028",
		slog.Float64("nan", math.NaN()), slog.Float64("inf", math.Inf(-1)), slog.Int("n", -3),
		slog.Group("g", slog.Bool("ok", true), slog.Duration("d", time.Second)), slog.Any("any", map[int]int{1: 2}),
		slog.Time("t", at), slog.Uint64("u", math.MaxUint64))
	e.PC = here()
	e.Actor = actor.NewPID("nonhost", "$1")
	out := (&f.JSON{}).Format(nil, e)
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("invalid JSON %s: %v", out, err)
	}
	if m["level"] != "critical" || m["nan"] != "NaN" || m["inf"] != "-Inf" || m["any"] != "map[1:2]" || m["pid"] != "nonhost/$1" {
		t.Errorf("got %v", m)
	}
	if !strings.Contains(m["msg"].(string), "\ufffd") {
		t.Errorf("invalid UTF-8 not replaced: %q", m["msg"])
	}
	if g := m["g"].(map[string]any); g["ok"] != true || g["d"] != "1s" {
		t.Errorf("group: %v", g)
	}
	if src := m["source"].(map[string]any); !strings.HasSuffix(src["function"].(string), "TestJSONIsValidForAnyInput") {
		t.Errorf("source: %v", src)
	}
	if out[len(out)-1] != '\n' {
		t.Error("no newline")
	}
}

func FuzzJSON(fz *testing.F) {
	fz.Add("msg", "key", "value", 1.5)
	fz.Add("\xff\x00\"\\", "\n", "\u2029", math.NaN())
	fz.Fuzz(func(t *testing.T, msg, key, value string, x float64) {
		e := event(core.LevelInfo, msg, slog.String(key, value), slog.Float64(key, x), slog.Group(value, slog.String(key, msg)))
		out := (&f.JSON{}).Format(nil, e)
		if !json.Valid(out) {
			t.Fatalf("invalid JSON: %q", out)
		}
	})
}

// FuzzParseTemplate: a format either parses or gives an ErrBadTemplate
// error; a parsed one formats any event, and text without $ is written as
// it is.
func FuzzParseTemplate(fz *testing.F) {
	fz.Add("$time $metadata[$level] $message\n", "msg", "key", "value")
	fz.Add("$date$node$levelpad$", "\xff", "", "a b")
	fz.Add("$lvl $$ $5", "m", "k=v", `q"`)
	fz.Fuzz(func(t *testing.T, format, msg, key, value string) {
		tpl, err := f.ParseTemplate(format)
		if err != nil {
			if !errors.Is(err, f.ErrBadTemplate) {
				t.Fatalf("%q: error %v is not an ErrBadTemplate", format, err)
			}
			return
		}
		tpl.AllMetadata = true
		got := string(tpl.Format(nil, event(core.LevelInfo, msg, slog.String(key, value), slog.Group("g", slog.String(key, msg)))))
		if !strings.Contains(format, "$") && got != format {
			t.Fatalf("%q without a $ gives %q", format, got)
		}
	})
}

type crashing struct{}

func (crashing) Format([]byte, *core.Event) []byte { panic("formatter bug") }

type halfWriter struct{}

func (halfWriter) Format(dst []byte, _ *core.Event) []byte {
	dst = append(dst, "partial"...)
	var widths []int
	return dst[:widths[len(dst)]] // index out of range
}

func TestSafe(t *testing.T) {
	e := event(core.LevelError, "payment failed")
	got := string(f.Safe(crashing{}, []byte("prefix:"), e))
	want := "prefix:formatter crash (formatter bug): 2026-11-22 03:04:05.006 [error] payment failed\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := string(f.Safe(halfWriter{}, nil, e)); !strings.HasPrefix(got, "formatter crash (runtime error: index out of range [7] with length 0)") {
		t.Errorf("got %q", got)
	}
	if got := string(f.Safe(&f.Lager{Tokens: f.Tokens(f.Message)}, nil, e)); got != "payment failed" {
		t.Errorf("a formatter that works is left alone: %q", got)
	}
}

func TestDateAndTimeAcrossSeconds(t *testing.T) {
	local := &f.Lager{Tokens: f.Tokens(f.Date, f.Text(" "), f.Time)}
	utc := &f.Lager{Tokens: local.Tokens, UTC: true}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	base := time.Date(2026, 11, 22, 23, 59, 59, 999_000_000, time.UTC)
	tests := []struct {
		fm   *f.Lager
		t    time.Time
		want string
	}{
		{utc, base, "2026-11-22 23:59:59.999 UTC"},
		{utc, base.Add(time.Millisecond), "2026-11-23 00:00:00.000 UTC"},
		{utc, base, "2026-11-22 23:59:59.999 UTC"}, // back again: not the cached second
		{local, base.In(paris), "2026-11-23 00:59:59.999"},
		{local, base, "2026-11-22 23:59:59.999"}, // same second, another location
		{utc, base.In(paris), "2026-11-22 23:59:59.999 UTC"},
		{utc, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "10000-01-01 00:00:00.000 UTC"},
		{utc, time.Date(-1, 12, 31, 12, 0, 0, 5_000_000, time.UTC), "-0001-12-31 12:00:00.005 UTC"},
		{utc, time.Date(10000, 1, 1, 1, 0, 0, 0, paris), "10000-01-01 00:00:00.000 UTC"}, // outside the cache, still UTC
	}
	for _, tc := range tests {
		got := string(tc.fm.Format(nil, &core.Event{Time: tc.t, Message: "m"}))
		if got != tc.want {
			t.Errorf("%v (utc %v): got %q, want %q", tc.t, tc.fm.UTC, got, tc.want)
		}
	}
}
