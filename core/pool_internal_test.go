package core

import (
	"log/slog"
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

// Recycle clears an event from NewEvent, keeping its home, and puts it
// back; any other event it leaves alone.
func TestRecycle(t *testing.T) {
	tests := []struct {
		name   string
		pooled bool
	}{
		{name: "an event from NewEvent", pooled: true},
		{name: "an event not from NewEvent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Event{Message: "kept"}
			if tt.pooled {
				e = NewEvent(1)
				e.Message = "kept"
				e.Attrs = append(e.Attrs, slog.Int("n", 1))
			}
			home := e.home
			e.Recycle()
			if e.home != home {
				t.Fatalf("home %d, want %d", e.home, home)
			}
			if !tt.pooled {
				if e.Message != "kept" {
					t.Fatalf("an event not from NewEvent changed: %q", e.Message)
				}
				return
			}
			if e.Message != "" || e.Attrs != nil {
				t.Fatalf("a recycled event keeps %q, %v", e.Message, e.Attrs)
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
