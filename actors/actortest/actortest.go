// Package actortest provides a quiet Proto.Actor system for tests.
package actortest

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/goleak"
)

// NewSystem returns a new actor system built with [actors.QuietConfig] and
// opts. It is shut down when the test ends; the test still owns, and must
// stop, the actors it spawned.
func NewSystem(tb testing.TB, opts ...actor.ConfigOption) *actor.ActorSystem {
	tb.Helper()
	system := actor.NewActorSystem(append(actors.QuietConfig(), opts...)...)
	tb.Cleanup(system.Shutdown)
	return system
}

// Collect subscribes to system's EventStream and sends every event of type T
// to the returned channel (buffered to size; events that do not fit are
// dropped, so size it for the test). The subscription ends with the test.
func Collect[T any](tb testing.TB, system *actor.ActorSystem, size int) <-chan T {
	tb.Helper()
	ch := make(chan T, size)
	sub := system.EventStream.Subscribe(func(evt any) {
		if v, ok := evt.(T); ok {
			select {
			case ch <- v:
			default:
			}
		}
	})
	tb.Cleanup(func() { system.EventStream.Unsubscribe(sub) })
	return ch
}

// Deadline bounds every wait in actorlog's tests: a guard against a hang,
// never a timing assertion.
const Deadline = 10 * time.Second

// Context returns a context that ends after Deadline, or with the test.
func Context(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Deadline)
	tb.Cleanup(cancel)
	return ctx
}

// IgnoreDeadLetterThrottle is a goleak option for Proto.Actor's dead-letter
// log throttle: a goroutine that outlives its actor system by up to the
// throttle interval (1 s by default) after a dead letter — a Stop that a
// stopping supervisor sends to children already gone, say. Tests whose
// actor systems use QuietConfig do not need it.
func IgnoreDeadLetterThrottle() goleak.Option {
	return goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1")
}

// Buffer is a bytes.Buffer that a handler writes on its goroutine while a
// test reads it on its own.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
