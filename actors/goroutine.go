package actors

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Task is a goroutine started by [Go]. Its owner waits for it with Wait or
// Done.
type Task struct {
	done chan struct{}
	err  error
}

// Go runs fn on a new goroutine. A panic in fn does not kill the process: it
// is recovered, published as a *CrashReport (Phase [PhaseGoroutine], with
// name and stack) on system's EventStream, and returned by Wait as a
// *PanicError. The caller owns the returned Task and should wait for it.
func Go(system *actor.ActorSystem, name string, fn func()) *Task {
	t := &Task{done: make(chan struct{})}
	run := Safe(system, name, fn)
	go func() {
		defer close(t.done)
		t.err = run()
	}()
	return t
}

// Done is closed when the goroutine has returned.
func (t *Task) Done() <-chan struct{} { return t.done }

// Wait blocks until the goroutine has returned or ctx is done. It returns the
// *PanicError if fn panicked, ctx's error if ctx ended first, and nil
// otherwise.
func (t *Task) Wait(ctx context.Context) error {
	select {
	case <-t.done:
		return t.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Safe wraps fn so that a panic in it is recovered and reported instead of
// killing the process: use it for callbacks that run outside any actor's
// Receive, such as ReenterAfter continuations, time.AfterFunc callbacks or
// goroutines started by other libraries. The wrapped function returns the
// *PanicError (nil if fn returned normally); the report is published as a
// *CrashReport on system's EventStream.
func Safe(system *actor.ActorSystem, name string, fn func()) func() error {
	return func() (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			stack := CleanStack(captureStack(3))
			system.EventStream.Publish(&CrashReport{
				Time:      time.Now(),
				Phase:     PhaseGoroutine,
				Goroutine: name,
				Reason:    r,
				Stack:     stack,
			})
			err = &PanicError{Value: r, Stack: stack}
		}()
		fn()
		return nil
	}
}
