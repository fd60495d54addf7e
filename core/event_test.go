package core_test

import (
	"testing"

	"github.com/actorlog/actorlog/core"
)

func TestEventLines(t *testing.T) {
	type fmtA struct{ n int }
	a, b, c := &fmtA{1}, &fmtA{2}, &fmtA{3}
	e := &core.Event{}
	if _, ok := e.Line(a); ok {
		t.Fatal("a new event has no line")
	}
	for _, tc := range []struct {
		name string
		by   any
		want bool
	}{
		{"nil", nil, false},
		{"not a pointer", fmtA{1}, false},
		{"not comparable", []byte("x"), false},
		{"first", a, true},
		{"second", b, true},
		{"one more than an event holds", c, false},
	} {
		if got := e.SetLine(tc.by, []byte(tc.name)); got != tc.want {
			t.Errorf("%s: SetLine = %v, want %v", tc.name, got, tc.want)
		}
	}
	for by, want := range map[*fmtA]string{a: "first", b: "second"} {
		if got, ok := e.Line(by); !ok || string(got) != want {
			t.Errorf("Line(%v) = %q %v, want %q", by.n, got, ok, want)
		}
	}
	for _, by := range []any{c, fmtA{1}, []byte("x"), nil} {
		if _, ok := e.Line(by); ok {
			t.Errorf("Line(%#v) found a line", by)
		}
	}
}
