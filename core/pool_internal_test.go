package core

import (
	"testing"
	"unsafe"
)

// An event, its first attributes and its line room are one allocation of
// Go's 512-byte size class; one byte more and it takes 576.
func TestABlockFitsIn512Bytes(t *testing.T) {
	if n := unsafe.Sizeof(block{}); n > 512 {
		t.Errorf("a block takes %d bytes", n)
	}
}

func TestHoldAndRelease(t *testing.T) {
	tests := []struct {
		name     string
		pooled   bool
		hold     []int // Hold calls, in order
		releases int
		want     int32 // refs afterwards
		reused   bool
	}{
		{name: "not held: an ordinary event", pooled: true, releases: 3, want: refsPooled},
		{name: "held by two, released by one", pooled: true, hold: []int{2}, releases: 1, want: 1},
		{name: "held by two, released by both", pooled: true, hold: []int{2}, releases: 2, reused: true},
		{name: "held by none", pooled: true, hold: []int{0}, reused: true},
		{name: "a second Hold changes nothing", pooled: true, hold: []int{1, 5}, releases: 1, reused: true},
		{name: "an event not from NewEvent", hold: []int{1}, releases: 2, want: refsNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Event{Message: "kept"}
			if tt.pooled {
				e = NewEvent(1)
				e.Message = "kept"
			}
			for _, n := range tt.hold {
				e.Hold(n)
			}
			for range tt.releases {
				e.Release()
			}
			if tt.reused {
				if e.Message != "" || e.refs != refsNone {
					t.Fatalf("a reused event keeps %q, refs %d", e.Message, e.refs)
				}
				return
			}
			if e.Message != "kept" || e.refs != tt.want {
				t.Fatalf("message %q, refs %d; want kept, %d", e.Message, e.refs, tt.want)
			}
		})
	}
}

func TestNewEventGivesRoom(t *testing.T) {
	e := NewEvent(2)
	if cap(e.Attrs) != 2 || len(e.Attrs) != 0 {
		t.Fatalf("attrs len %d cap %d", len(e.Attrs), cap(e.Attrs))
	}
	if room := e.LineRoom(); cap(room) != lineRoom || len(room) != 0 {
		t.Fatalf("line room len %d cap %d", len(room), cap(room))
	}
	if e := NewEvent(inlineAttrs + 1); cap(e.Attrs) != inlineAttrs+1 {
		t.Fatalf("attrs cap %d", cap(e.Attrs))
	}
}
