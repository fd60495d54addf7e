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
// sink uses to spread their lines over the shards of a handler's lane
// (handlers.Lane.Put).
func (e *Event) Home() uint32 { return e.home }

// The states of Event.refs besides a positive count of holders.
const (
	refsNone   = 0  // not from NewEvent: never reused
	refsPooled = -1 // from NewEvent, not shared with holders yet
)

// NewEvent returns an empty event with room for attrs attributes (the
// first three inline) and room for a typical line (see SetLineRoom), all
// in one allocation of 512 bytes.
// It may be a reused one: its memory comes back once its sink gave it to
// handlers that all released it (see Hold). Until then, and whenever Hold
// is not called, it is an ordinary event, left to the garbage collector.
func NewEvent(attrs int) *Event {
	b := blocks.Get().(*block)
	e := &b.e
	e.refs = refsPooled
	e.lines[0].text = b.line[:0]
	if attrs <= inlineAttrs {
		e.Attrs = b.buf[:0:attrs]
	} else {
		e.Attrs = make([]slog.Attr, 0, attrs)
	}
	return e
}

// Hold tells an event from NewEvent that n holders now share it, each of
// which calls Release once it is done with it and kept nothing of it; the
// last release reuses its memory. A sink calls it once, on its actor's
// goroutine, before it hands the event to handlers that do not keep
// events (see handlers.Config.Recycles), and counts itself among the
// holders while it still reads the event: whoever calls Hold gives up the
// event with it, so it reads the event after Hold only as a holder, until
// its own Release. With n = 0 the memory is reused at once: the caller's
// last use. On any other event, or a second time, Hold does nothing, and
// the event is never reused.
func (e *Event) Hold(n int) {
	if atomic.LoadInt32(&e.refs) != refsPooled {
		return
	}
	if n <= 0 {
		e.recycle()
		return
	}
	atomic.StoreInt32(&e.refs, int32(n))
}

// Release tells a held event (see Hold) that one of its holders is done
// with it: it read what it needed and keeps no reference to the event, its
// attributes or its lines. On an event that is not held it does nothing.
// A holder that keeps the event (a handler that panicked on it, say)
// simply never releases it.
func (e *Event) Release() {
	if atomic.LoadInt32(&e.refs) <= 0 {
		return
	}
	if atomic.AddInt32(&e.refs, -1) == 0 {
		e.recycle()
	}
}

// recycle clears the event's block, so that it keeps nothing alive, and
// puts it back for NewEvent.
func (e *Event) recycle() {
	b := (*block)(unsafe.Pointer(e)) // e is a block's first field
	b.e = Event{home: b.e.home}
	b.buf = [inlineAttrs]slog.Attr{}
	blocks.Put(b)
}
