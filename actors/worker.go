package actors

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// Worker is a Proto.Actor dispatcher that runs one actor's mailbox on a
// goroutine of its own that lives as long as the actor, instead of a new
// goroutine each time the mailbox wakes up (Proto.Actor's default). A busy
// actor that often finds its mailbox empty then neither starts goroutines
// nor grows their stacks again and again.
//
// Give each actor its own Worker (actor.WithDispatcher) and Close it when
// the actor has stopped (on *actor.Stopped); work scheduled after Close
// runs on a goroutine of its own, as with the default dispatcher.
type Worker struct {
	throughput int
	mu         sync.Mutex
	work       chan func()
	closed     bool
	started    bool
	done       chan struct{}
}

var _ actor.Dispatcher = (*Worker)(nil)

// NewWorker returns a Worker that handles up to throughput messages before
// yielding (Proto.Actor's default is 300). Its goroutine starts with the
// first work, so a Worker never used holds none.
func NewWorker(throughput int) *Worker {
	return &Worker{throughput: throughput, work: make(chan func(), 4), done: make(chan struct{})}
}

func (w *Worker) loop() {
	defer close(w.done)
	for fn := range w.work {
		fn()
	}
}

// Schedule implements actor.Dispatcher.
func (w *Worker) Schedule(fn func()) {
	w.mu.Lock()
	if !w.closed {
		if !w.started {
			w.started = true
			go w.loop()
		}
		select {
		case w.work <- fn:
			w.mu.Unlock()
			return
		default:
		}
	}
	w.mu.Unlock()
	go fn()
}

// Throughput implements actor.Dispatcher.
func (w *Worker) Throughput() int { return w.throughput }

// Close ends the Worker's goroutine once the work given to it is done. It
// may be called from that work itself; Done says when the goroutine has
// returned.
func (w *Worker) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.closed = true
		close(w.work)
		if !w.started {
			close(w.done)
		}
	}
}

// Done is closed when the Worker's goroutine has returned.
func (w *Worker) Done() <-chan struct{} { return w.done }
