package sinks

import (
	"sync"
	"sync/atomic"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/internal/handleractor"
)

// inbox is where callers put events for the sink's actor: a lock and an
// append per event instead of a mailbox message each, and the actor takes
// them all at once, in the order they were put. One drain message is on
// its way to the actor while the inbox holds events (posted); the actor
// also takes the inbox before any other message, so an event put before a
// caller's Flush, trace change or handler change is handled before it.
type inbox struct {
	mu     sync.Mutex
	items  []queued
	spare  []queued     // the last batch taken, emptied, for reuse
	posted bool         // a drain message was sent and its take is still to come
	shut   bool         // the sink's last incarnation has stopped: nothing more goes in
	n      atomic.Int64 // events put and not yet taken (see taken)
}

// queued is an event in the inbox, and the caller's ack in sync mode.
type queued struct {
	e   *core.Event
	ack *handleractor.Ack
}

// drain tells the sink's actor that its inbox holds events; life is the
// incarnation it was sent to, whose count of drains it is in.
type drain struct{ life *lifetime }

// put adds an event; ok is false when the inbox is shut, and post true
// when the caller must send the actor a drain message.
func (in *inbox) put(e *core.Event, ack *handleractor.Ack) (ok, post bool) {
	in.mu.Lock()
	if in.shut {
		in.mu.Unlock()
		return false, false
	}
	in.items = append(in.items, queued{e: e, ack: ack})
	in.n.Add(1)
	post = !in.posted
	in.posted = true
	in.mu.Unlock()
	return true, post
}

// take returns every event in the inbox, oldest first; the actor hands
// the slice back with giveBack once it is done with it. They are still
// counted in len until the actor says they are taken (once they are
// counted elsewhere).
func (in *inbox) take() []queued {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.posted = false
	items := in.items
	if len(items) == 0 {
		return nil
	}
	in.items, in.spare = in.spare, nil
	return items
}

// taken stops counting k events take returned.
func (in *inbox) taken(k int) { in.n.Add(-int64(k)) }

// keepCap is the largest emptied slice kept for reuse: after a flood the
// inbox does not hold on to the flood's memory.
const keepCap = 4096

// giveBack returns a slice take returned, for reuse.
func (in *inbox) giveBack(items []queued) {
	if cap(items) > keepCap {
		return
	}
	clear(items) // no event kept alive by the spare
	in.mu.Lock()
	if in.spare == nil {
		in.spare = items[:0]
	}
	in.mu.Unlock()
}

// close shuts the inbox and returns what it still held.
func (in *inbox) close() []queued {
	in.mu.Lock()
	in.shut = true
	in.mu.Unlock()
	return in.take()
}

// len returns how many events the inbox holds.
func (in *inbox) len() int { return int(in.n.Load()) }
