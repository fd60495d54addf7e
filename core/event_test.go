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

func TestEventLineRoom(t *testing.T) {
	e := &core.Event{}
	if e.LineRoom() != nil {
		t.Fatal("room without SetLineRoom")
	}
	var block [64]byte
	e.SetLineRoom(block[:])
	room := e.LineRoom()
	if len(room) != 0 || cap(room) != 64 {
		t.Fatalf("room len %d cap %d, want 0 and 64", len(room), cap(room))
	}
	if e.LineRoom() != nil {
		t.Error("the room was given twice")
	}
	by := new(int)
	room = append(room, "line"...)
	if !e.SetLine(by, room) {
		t.Fatal("SetLine refused")
	}
	if got, ok := e.Line(by); !ok || string(got) != "line" || &got[0] != &block[0] {
		t.Errorf("Line = %q %v, want the room's bytes", got, ok)
	}
	e.SetLineRoom(block[:]) // once a line is set, no room is given again
	if e.LineRoom() != nil {
		t.Error("room given over a line")
	}
}
