package sinks

import (
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/asynkron/protoactor-go/actor"
)

// stuckHandler blocks in Log until its gate opens.
type stuckHandler struct{ in, gate chan struct{} }

func (h *stuckHandler) Log(*core.Event, *handlers.Config) error {
	h.in <- struct{}{}
	<-h.gate
	return nil
}

// The sink's last incarnation does not wait for ever for a handler stuck
// in its Log: it stops, names the handler on standard error, and forgets
// it; the handler's actor ends, unowned, once its Log returns.
func TestTheLastStopGivesUpOnAStuckHandler(t *testing.T) {
	system := actortest.NewSystem(t)
	s, err := New(system, "t", Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	pid := system.Root.Spawn(s.Props(Options{DrainTimeout: 10e6}))
	ctx := actortest.Context(t)
	for s.PID() == nil {
		if ctx.Err() != nil {
			t.Fatal("the sink did not start")
		}
		runtime.Gosched()
	}
	h := &stuckHandler{in: make(chan struct{}, 1), gate: make(chan struct{})}
	cfg := handlers.Config{ID: "stuck"}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.call(ctx, install{spec: Spec{Config: cfg, Handler: h}}); err != nil {
		t.Fatal(err)
	}
	if err := s.LogNoWait(&core.Event{Level: core.LevelInfo, Message: "stuck"}); err != nil {
		t.Fatal(err)
	}
	<-h.in

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	s.Close()
	stopErr := system.Root.StopFuture(pid).Wait() // returns: the stuck handler does not hold it
	os.Stderr = stderr
	w.Close()
	said, _ := io.ReadAll(r)
	r.Close()
	if stopErr != nil {
		t.Fatal(stopErr)
	}
	if !strings.Contains(string(said), "handler stuck (") || !strings.Contains(string(said), "did not stop: it is stuck in its handler") {
		t.Errorf("standard error says %q", said)
	}
	if left := s.leavingPIDs(); len(left) != 0 {
		t.Errorf("still leaving: %v", left)
	}
	n := 0
	handlerGuardian.sinks.Range(func(k, v any) bool {
		if v.(*Sink) == s {
			n++
		}
		return true
	})
	if n != 0 {
		t.Errorf("the guardian still knows %d of the sink's actors", n)
	}
	handlerPID := actor.NewPID(system.Address(), pid.Id+"/handler-stuck")
	close(h.gate) // its Log returns; the actor ends (goleak checks its goroutine)
	if err := system.Root.StopFuture(handlerPID).Wait(); err != nil {
		t.Fatal(err)
	}
}

// A Flush that comes while the sink's actor is between two incarnations
// (just after a kill) waits for the next one, within its ctx, instead of
// failing with ErrNotRunning; a closed sink fails at once.
func TestFlushWaitsForTheNextIncarnation(t *testing.T) {
	system := actortest.NewSystem(t)
	s, err := New(system, "t", Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := actortest.Context(t)
	waiting := make(chan struct{}, 1)
	testWaitingStart = func() { waiting <- struct{}{} }
	t.Cleanup(func() { testWaitingStart = nil })
	flushed := make(chan error, 1)
	go func() { flushed <- s.Flush(ctx) }() // no incarnation yet
	select {
	case <-waiting:
	case err := <-flushed:
		t.Fatalf("Flush did not wait for the sink to start: %v", err)
	}
	pid := system.Root.Spawn(s.Props(Options{}))
	if err := <-flushed; err != nil {
		t.Fatalf("Flush after the start: %v", err)
	}
	s.Close()
	if err := system.Root.StopFuture(pid).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(ctx); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Flush of a closed sink: %v", err)
	}
}
