package core

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/asynkron/protoactor-go/actor"
)

type point struct {
	X, Y int
}

type node struct {
	Name string
	Next *node
}

type panicky struct{}

func (panicky) String() string { panic("no String for you") }

type nilReceiver struct{ s string }

func (n *nilReceiver) String() string { return n.s } // panics on a nil receiver

type errT struct{}

func (*errT) Error() string { return "typed error" }

func TestRender(t *testing.T) {
	cyc := &node{Name: "a"}
	cyc.Next = &node{Name: "b", Next: cyc}
	selfSlice := []any{1, nil}
	selfSlice[1] = selfSlice
	selfMap := map[string]any{"k": 1}
	selfMap["self"] = selfMap
	var nilPtr *point
	var typedNilErr error = (*errT)(nil)
	var nilStringer fmt.Stringer = (*nilReceiver)(nil)
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, "<nil>"},
		{"bool", true, "true"},
		{"string", "hello", "hello"},
		{"bytes", []byte("héllo"), "héllo"},
		{"invalid utf-8 string", "a\xffb", `a\xffb`},
		{"invalid utf-8 bytes", []byte{0xc3, 'x'}, `\xc3x`},
		{"int", -42, "-42"},
		{"uint8", uint8(200), "200"},
		{"float", 1.5, "1.5"},
		{"NaN", math.NaN(), "NaN"},
		{"+Inf", math.Inf(1), "+Inf"},
		{"-Inf", float32(math.Inf(-1)), "-Inf"},
		{"complex", complex(1, 2), "(1+2i)"},
		{"time", time.Date(2026, 11, 22, 3, 4, 5, 6, time.UTC), "2026-11-22T03:04:05.000000006Z"},
		{"duration", 1500 * time.Millisecond, "1.5s"},
		{"struct", point{1, 2}, "{X:1 Y:2}"},
		{"pointer to struct", &point{1, 2}, "&{X:1 Y:2}"},
		{"nil pointer", nilPtr, "<nil>"},
		{"map with non-string keys, sorted", map[point]string{{2, 0}: "b", {1, 0}: "a"}, "map[{X:1 Y:0}:a {X:2 Y:0}:b]"},
		{"slice", []int{1, 2, 3}, "[1 2 3]"},
		{"array", [2]string{"a", "b"}, "[a b]"},
		{"func", func(int) error { return nil }, "<func(int) error>"},
		{"chan", make(chan string), "<chan string>"},
		{"pid", actor.NewPID("nonhost", "$7"), "nonhost/$7"},
		{"error", errors.New("boom"), "boom"},
		{"typed nil error", typedNilErr, "<nil>"},
		{"nil-receiver Stringer", nilStringer, "<nil>"},
		{"panicking Stringer", panicky{}, "!PANIC(no String for you)"},
		{"cyclic struct", cyc, "&{Name:a Next:&{Name:b Next:<cycle>}}"},
		{"cyclic slice", selfSlice, "[1 <cycle>]"},
		{"cyclic map", selfMap, "map[k:1 self:<cycle>]"},
		{"unexported fields", struct{ a, b int }{1, 2}, "{a:1 b:2}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Render(tc.v); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRenderBounds(t *testing.T) {
	huge := make([]int, 100_000)
	got := Render(huge)
	if !strings.Contains(got, "…(99936 more)") || len(got) > renderMaxBytes {
		t.Errorf("huge slice: %d bytes, ends %q", len(got), got[max(0, len(got)-30):])
	}
	deep := any(1)
	for range 100 {
		deep = []any{deep}
	}
	if got := Render(deep); !strings.Contains(got, "…") {
		t.Errorf("deep value not cut: %q", got)
	}
	long := strings.Repeat("x", 3*renderMaxBytes)
	if got := Render(long); len(got) > renderMaxBytes || !strings.HasSuffix(got, TruncationMarker) {
		t.Errorf("long string: %d bytes", len(got))
	}
	bigMap := map[int]int{}
	for i := range 1000 {
		bigMap[i] = i
	}
	if got := Render(bigMap); !strings.Contains(got, "…(936 more)") {
		t.Errorf("big map: %q", got[len(got)-40:])
	}
}

func TestSprintf(t *testing.T) {
	self := []any{nil}
	self[0] = self
	tests := []struct {
		name   string
		format string
		args   []any
		want   string
	}{
		{"plain", "user %d logged in from %s", []any{42, "10.0.0.1"}, "user 42 logged in from 10.0.0.1"},
		{"panicking String", "%v", []any{panicky{}}, "%!v(PANIC=String method: no String for you)"},
		{"bad verb", "%d", []any{"x"}, "%!d(string=x)"},
		{"missing argument", "%d %d", []any{1}, "1 %!d(MISSING)"},
		{"extra argument", "%d", []any{1, 2}, "1%!(EXTRA int=2)"},
		{"cyclic argument", "got %v", []any{self}, "got [<cycle>]"},
		{"struct", "%+v", []any{point{1, 2}}, "{X:1 Y:2}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]any(nil), tc.args...)
			if got := Sprintf(tc.format, args...); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			for i := range args {
				if _, replaced := args[i].(rendered); replaced {
					t.Errorf("argument %d of the caller's slice was replaced", i)
				}
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"no limit at all", 0, "no limit at all"},
		{strings.Repeat("a", 30), 20, "aaaaaa" + TruncationMarker},
		// "é" is two bytes: a cut inside it backs off to its start.
		{"aaaaaé" + strings.Repeat("b", 30), 20, "aaaaa" + TruncationMarker},
		{"aaaaaé" + strings.Repeat("b", 30), 21, "aaaaaé" + TruncationMarker},
		{strings.Repeat("a", 30), 3, "a" + TruncationMarker},
	}
	for _, tc := range tests {
		got := Truncate(tc.s, tc.max)
		if got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
}

func FuzzTruncate(f *testing.F) {
	f.Add("héllo wörld, 日本語のテキスト", 16)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, limitArg int) {
		limit := limitArg
		got := Truncate(s, limit)
		switch {
		case limit <= 0 || len(s) <= limit:
			if got != s {
				t.Fatalf("changed a string within the limit")
			}
		default:
			if !strings.HasSuffix(got, TruncationMarker) {
				t.Fatalf("no marker: %q", got)
			}
			if bound := max(limit, len(TruncationMarker)+1); len(got) > bound {
				t.Fatalf("%d bytes, limit %d", len(got), bound)
			}
			if utf8.ValidString(s) && !utf8.ValidString(got) {
				t.Fatalf("split a UTF-8 sequence: %q", got)
			}
		}
	})
}

func FuzzRender(f *testing.F) {
	f.Add("text", int64(1), 2.5, []byte{0xff})
	f.Fuzz(func(t *testing.T, s string, i int64, x float64, b []byte) {
		for _, v := range []any{s, i, x, b, map[string]any{s: b, "n": []any{i, x}}, struct {
			S string
			B []byte
		}{s, b}} {
			if out := Render(v); !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %#v: %q", v, out)
			}
		}
	})
}

type valuer struct{ panics bool }

func (v valuer) LogValue() slog.Value {
	if v.panics {
		panic("bad LogValue")
	}
	return slog.GroupValue(slog.Int("id", 7), slog.Any("point", point{1, 2}))
}

func TestFreeze(t *testing.T) {
	a := Freeze(slog.Any("p", &point{3, 4}))
	if a.Value.Kind() != slog.KindString || a.Value.String() != "&{X:3 Y:4}" {
		t.Errorf("struct pointer: %v %q", a.Value.Kind(), a.Value)
	}
	for _, keep := range []slog.Attr{slog.Int("n", 5), slog.Float64("f", 0.5), slog.Bool("b", true), slog.String("s", "x"),
		slog.Duration("d", time.Second), slog.Time("t", time.Unix(0, 0))} {
		if got := Freeze(keep); !got.Equal(keep) {
			t.Errorf("%v changed to %v", keep, got)
		}
	}
	g := Freeze(slog.Any("v", valuer{}))
	if g.Value.Kind() != slog.KindGroup || g.Value.Group()[1].Value.String() != "{X:1 Y:2}" {
		t.Errorf("LogValuer: %v", g)
	}
	bad := Freeze(slog.Any("v", valuer{panics: true}))
	if bad.Value.Kind() != slog.KindString || !strings.Contains(bad.Value.String(), "LogValue panicked") {
		t.Errorf("panicking LogValuer: %v", bad)
	}
	e := &Event{Attrs: []slog.Attr{slog.Int("k", 1), slog.Int("k", 2)}}
	if v, ok := e.Lookup("k"); !ok || v.Int64() != 1 {
		t.Errorf("Lookup: the first occurrence wins, got %v", v)
	}
	if _, ok := e.Lookup("nope"); ok {
		t.Error("Lookup of a missing key")
	}
	if e.Source() != nil {
		t.Error("Source without a PC")
	}
}
