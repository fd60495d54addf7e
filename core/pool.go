package core

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"unsafe"
)

// inlineAttrs is how many attributes an event from NewEvent holds without
// a second allocation.
const inlineAttrs = 3

// lineRoom is the room for pre-formatted lines that comes with an event
// from NewEvent: enough for a typical line, and what keeps a block within
// 512 bytes, a size class of Go's allocator (a test checks it).
const lineRoom = 144

// block is an event, room for its first attributes and room for its line,
// allocated (and reused) at once.
type block struct {
	e    Event
	buf  [inlineAttrs]slog.Attr
	line [lineRoom]byte
}

// blocks holds blocks whose events every holder released; homes numbers
// them (Event.Home).
var (
	blocks = sync.Pool{New: func() any {
		b := new(block)
		b.e.home = homes.Add(1)
		return b
	}}
	homes atomic.Uint32
)

// Home returns the number of the memory an event from NewEvent uses (0 for
// other events). The memory is reused by the goroutines of the processor
// that released it, mostly (sync.Pool), and keeps its number: callers on
// different processors mostly hold events with different homes, which a
// sink uses to spread their entries over the shards of a handler's mailbox
// (internal/mailbox).
func (e *Event) Home() uint32 { return e.home }

// NewEvent returns an empty event with room for attrs attributes (the
// first three inline) and room for a typical line (see SetLineRoom), all
// in one allocation of 512 bytes. It may be a reused one: the goroutine
// that built an event with NewEvent and never handed it to anyone may give
// its memory back (Recycle). Once handed over — to a sink's actor, a
// handler, a filter or formatter of the user's — an event is immutable and
// owned by nobody in particular: it is left to the garbage collector.
func NewEvent(attrs int) *Event {
	b := blocks.Get().(*block)
	e := &b.e
	e.lines[0].text = b.line[:0]
	if attrs <= inlineAttrs {
		e.Attrs = b.buf[:0:attrs]
	} else {
		e.Attrs = make([]slog.Attr, 0, attrs)
	}
	return e
}

// Recycle gives the memory of an event from NewEvent back for reuse. Only
// the goroutine that made it may call it, once, and only if no one else
// ever saw the event: a sink's caller that wrote the event's lines itself
// and handed the lines on, not the event. On any other event it does
// nothing.
func (e *Event) Recycle() {
	if e.home == 0 {
		return
	}
	e.recycle()
}

// recycle clears the event's block, so that it keeps nothing alive, and
// puts it back for NewEvent.
func (e *Event) recycle() {
	b := (*block)(unsafe.Pointer(e)) // e is a block's first field
	b.e = Event{home: b.e.home}
	b.buf = [inlineAttrs]slog.Attr{}
	blocks.Put(b)
}
