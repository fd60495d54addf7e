package formatter

import (
	"log/slog"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/core"
	"github.com/asynkron/protoactor-go/actor"
)

// interpret is Format without the compiled program: the reference.
func interpret(f *Lager, e *core.Event) string {
	tokens := f.Tokens
	if tokens == nil {
		tokens = defaultTokens
	}
	var c lookups
	var dst []byte
	for i := range tokens {
		dst = f.token(dst, e, &tokens[i], &c)
	}
	return string(dst)
}

// compiledEvents are events from two call sites and none, with and
// without an actor, and with attributes and metadata named like the keys
// a call site gives. Formats see each twice, the second time written from
// what a site cached.
func compiledEvents() []*core.Event {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	other := otherSite()
	at := time.Date(2026, 11, 22, 9, 41, 7, 231_000_000, time.UTC)
	events := []*core.Event{
		{Time: at, Level: core.LevelInfo, Message: "plain"},
		{Time: at, Level: core.LevelError, Message: "located", PC: pcs[0], Attrs: []slog.Attr{slog.Int("n", 7), slog.String("s", "a b")}},
		{Time: at, Level: core.LevelWarning, Message: "from an actor", PC: pcs[0], Actor: actor.NewPID("node1", "worker"), Node: "node1"},
		{Time: at, Level: core.LevelDebug, Message: "attrs named like virtual keys", Attrs: []slog.Attr{slog.String("pid", "<0.1.0>"), slog.String("module", "mod"), slog.Int("line", 3)}},
		{Time: at, Level: core.LevelNotice, Message: "meta", Meta: []slog.Attr{slog.String("function", "f")}, Sink: "audit"},
		{Time: at, Level: core.LevelInfo, Message: "elsewhere", PC: other},
		{Time: at, Level: core.LevelInfo, Message: "elsewhere, renamed", PC: other, Attrs: []slog.Attr{slog.String("path", "/x"), slog.String("file", "f.go")}},
		{Time: at, Level: core.LevelInfo, Message: "located, meta line", PC: pcs[0], Meta: []slog.Attr{slog.Int("line", 1)}},
		{Time: at, Level: core.LevelInfo, Message: "elsewhere, from an actor", PC: other, Actor: actor.NewPID("node1", "other")},
	}
	return append(events, events...)
}

// otherSite returns a call site other than compiledEvents'.
func otherSite() uintptr {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	return pcs[0]
}

func TestCompiledFormatsAsTheTokens(t *testing.T) {
	formats := map[string][]Token{
		"lager default": nil,
		"file":          FileTokens("\n"),
		"console":       ConsoleTokens("\n"),
		"widths": Tokens(IfKeyWidth("pid", Tokens(Key("pid"), Text("|"), IfKeyWidth("module", Tokens(Key("module")), Tokens(Text("none")), 3, Right)),
			Tokens(Text("no pid"), Text(""), Text("!")), 6, Centre), Text(" "), Message),
		"key or nested":         Tokens(KeyOr("user", Text("anon"), Text(""), IfKey("line", Tokens(Text("@"), Key("line")), nil)), Text("-"), Text(""), Text("+"), Key("missing")),
		"texts around branches": Tokens(KeyOr("pid", Text("x")), Text(""), Text("y"), IfKey("module", Tokens(Text("m")), Tokens(Text("n"))), Text("z")),
		"call site in parts":    Tokens(Key("module"), Text(" "), Message, Text(" "), KeyOr("function", Text("?")), Key("file"), IfKey("line", Tokens(Text(":"), Key("line")), nil), Severity),
		"everything":            Tokens(Date, Blank, Time, Sev, Severity, SeverityUpper, Node, Color, Metadata, MetadataWith(":", ","), Attrs, Fill("~")),
	}
	for name, tokens := range formats {
		if tokens != nil && programFor(tokens) == nil {
			t.Errorf("%s: not compiled", name)
		}
		for _, utc := range []bool{false, true} {
			f := &Lager{Tokens: tokens, UTC: utc, Colors: DefaultColors}
			for _, e := range compiledEvents() {
				if got, want := string(f.Format(nil, e)), interpret(f, e); got != want {
					t.Errorf("%s, utc %v, %q:\ncompiled %q\ntokens   %q", name, utc, e.Message, got, want)
				}
			}
		}
	}
}

// randomTokens builds a token list of up to n tokens, nesting up to depth.
func randomTokens(r *rand.Rand, n, depth int) []Token {
	keys := []string{"pid", "module", "function", "file", "line", "n", "s", "missing", "node"}
	var out []Token
	for range r.IntN(n + 1) {
		switch k := r.IntN(9); {
		case k < 3:
			out = append(out, Text([]string{"", "a", " ", "[", "]"}[r.IntN(5)]))
		case k == 3:
			out = append(out, Key(keys[r.IntN(len(keys))]))
		case k == 4 && depth > 0:
			out = append(out, KeyOr(keys[r.IntN(len(keys))], randomTokens(r, 3, depth-1)...))
		case k == 5 && depth > 0:
			out = append(out, IfKey(keys[r.IntN(len(keys))], randomTokens(r, 3, depth-1), randomTokens(r, 3, depth-1)))
		case k == 6 && depth > 0:
			out = append(out, IfKeyWidth(keys[r.IntN(len(keys))], randomTokens(r, 3, depth-1), randomTokens(r, 3, depth-1), r.IntN(6), Align(r.IntN(3))))
		default:
			all := []Token{Message, Severity, SeverityUpper, Attrs, Sev, Node, Date, Time, Blank, Fill("|"), Color, Metadata}
			out = append(out, all[r.IntN(len(all))])
		}
	}
	return out
}

func TestTooDeepAFormatIsInterpreted(t *testing.T) {
	deep := Tokens(Message)
	for range maxMarks + 1 { // each level a padded element inside the last
		deep = Tokens(IfKeyWidth("pid", Tokens(KeyOr("nope", deep...)), Tokens(KeyOr("nope", deep...)), 40, Left))
	}
	if programFor(deep) != nil {
		t.Fatal("compiled a format nested deeper than maxMarks")
	}
	keys := Tokens()
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		keys = append(keys, Key(k))
	}
	if programFor(keys) != nil {
		t.Fatal("compiled a format with more keys than maxSlots")
	}
	e := compiledEvents()[2]
	for _, tokens := range [][]Token{deep, keys} {
		f := &Lager{Tokens: tokens}
		if got, want := string(f.Format(nil, e)), interpret(f, e); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestCompiledFormatsAsTheTokensAtRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	events := compiledEvents()
	for i := range 2000 {
		f := &Lager{Tokens: randomTokens(r, 8, 3)}
		for _, e := range events {
			if got, want := string(f.Format(nil, e)), interpret(f, e); got != want {
				t.Fatalf("format %d, %q:\ncompiled %q\ntokens   %q", i, e.Message, got, want)
			}
		}
	}
}

func TestSiteCacheTellsCallSitesApart(t *testing.T) {
	var s site
	const pc = 0x4a1f20
	collides := pc + 4*uintptr(len(s.slots)) // the same slot
	s.store(pc, []byte("a:f:1"))
	if text, ok := s.load(pc); !ok || text != "a:f:1" {
		t.Fatalf("load(pc) = %q, %v; want the stored text", text, ok)
	}
	if text, ok := s.load(collides); ok {
		t.Fatalf("a call site sharing the slot read %q", text)
	}
	s.store(collides, []byte("b:g:2"))
	for _, want := range []struct {
		pc   uintptr
		text string
	}{{pc, "a:f:1"}, {collides, "b:g:2"}, {pc, "a:f:1"}} {
		if text, ok := s.load(want.pc); !ok || text != want.text {
			t.Errorf("load(%#x) = %q, %v; want %q", want.pc, text, ok, want.text)
		}
	}
}

func TestLogfmtAttrsWriteAsEachAttr(t *testing.T) {
	attrs := []slog.Attr{
		slog.Int("request_id", 7), slog.Int("neg", -12), slog.String("path", "/api/v1/items"),
		slog.String("", "empty key"), slog.String("e", ""), slog.String("two words", "a b"),
		slog.String("k=v", `q"uote`), slog.String("ünï", "cödé"), slog.String("bad", "\xff"),
		slog.Int("tab\t", 1), slog.Uint64("u", 3), slog.Bool("b", true), slog.Float64("f", 1.5),
		slog.Group("g", slog.Int("in", 1), slog.String("s", "x y")), slog.String("del\x7f", "v"),
	}
	for i := range attrs {
		want := appendLogfmtAttr(nil, "", attrs[i])
		if got := appendLogfmtAttrs(nil, attrs[i:i+1]); string(got) != string(want) {
			t.Errorf("%v: got %q, want %q", attrs[i], got, want)
		}
	}
	var want []byte
	for _, a := range attrs {
		want = appendLogfmtAttr(want, "", a)
	}
	if got := appendLogfmtAttrs(nil, attrs); string(got) != string(want) {
		t.Errorf("all at once: got %q, want %q", got, want)
	}
}

// FuzzLager formats user values (message, attribute key and value) with a
// format that pads them: the compiled program writes what the tokens do,
// and a padded value takes exactly its width in runes.
func FuzzLager(fz *testing.F) {
	fz.Add("msg", "user", "bob", 6, 0)
	fz.Add("\xff\x00\n", "", "é\u2028", 1, 2)
	fz.Add("m", "pid", "a b=c", 3, 1)
	fz.Fuzz(func(t *testing.T, msg, key, value string, width, align int) {
		width = 1 + int(uint(width)%40)
		e := &core.Event{Time: time.Date(2026, 11, 22, 9, 41, 7, 0, time.UTC), Level: core.LevelInfo, Message: msg,
			Attrs: []slog.Attr{slog.String(key, value), slog.Group("g", slog.String(key, msg))}}
		f := &Lager{Tokens: Tokens(Text("<"), IfKeyWidth(key, Tokens(Key(key)), Tokens(Text("none")), width, Align(uint(align)%4)), Text(">"),
			IfKeyWidth(key, Tokens(Fill("|"), KeyOr(key, Message), Message), nil, width, Right), Metadata, Attrs, Message)}
		got := string(f.Format(nil, e))
		if want := interpret(f, e); got != want {
			t.Fatalf("compiled %q\ntokens   %q", got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8: %q", got)
		}
		rest := got[1:]
		for range width {
			_, size := utf8.DecodeRuneInString(rest)
			rest = rest[size:]
		}
		if !strings.HasPrefix(rest, ">") {
			t.Fatalf("padded value is not %d runes: %q", width, got)
		}
	})
}
