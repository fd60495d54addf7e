package handleractor

import (
	"sync/atomic"

	"github.com/actorlog/actorlog/core"
)

// Sync is an event with instructions: a caller waits for it (sync mode,
// gen_event's sync_notify) when Ack is set, and the handler actor calls
// Ack.Done once it handled it; a trace sent it when Traced is set, and the
// handler takes it whatever its level and filters say.
type Sync struct {
	Event  *core.Event
	Ack    *Ack
	Traced bool
}

// Ack tells a waiting caller that every handler has handled its event.
// The sink sets how many handlers will answer (Expect) before it hands the
// event on; each calls Done; the last one closes the channel.
type Ack struct {
	remaining atomic.Int32
	failed    atomic.Bool
	done      chan struct{}
}

// NewAck returns an Ack whose channel is not closed yet.
func NewAck() *Ack { return &Ack{done: make(chan struct{})} }

// Expect sets how many Done calls close the Ack; zero closes it now.
func (a *Ack) Expect(n int) {
	if a.remaining.Add(int32(n)) == 0 {
		close(a.done)
	}
}

// Done records one handler's answer.
func (a *Ack) Done() {
	if a.remaining.Add(-1) == 0 {
		close(a.done)
	}
}

// Fail records one handler's answer that it exited (see Stats.Exit)
// without handling the event: the caller learns it from Failed once the
// channel is closed.
func (a *Ack) Fail() {
	a.failed.Store(true)
	a.Done()
}

// Failed reports whether a handler answered with Fail.
func (a *Ack) Failed() bool { return a.failed.Load() }

// Wait returns the channel closed when every expected handler answered.
func (a *Ack) Wait() <-chan struct{} { return a.done }
