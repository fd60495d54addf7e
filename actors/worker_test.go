package actors_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goid returns the current goroutine's id, from its stack header.
func goid() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return string(buf[:20])
}

func TestWorkerRunsEveryActivationOnOneGoroutine(t *testing.T) {
	system := actortest.NewSystem(t)
	w := actors.NewWorker(300)
	var mu sync.Mutex
	seen := map[string]int{}
	done := make(chan struct{})
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case int:
			mu.Lock()
			seen[goid()]++
			mu.Unlock()
			if m == 49 {
				close(done)
			}
		case *actor.Stopped:
			w.Close()
		}
	}, actor.WithDispatcher(w)))
	for i := range 50 {
		system.Root.Send(pid, i)
		if i%10 == 0 {
			time.Sleep(time.Millisecond) // let the mailbox go idle and wake again
		}
	}
	<-done
	require.NoError(t, actors.StopGracefully(actortest.Context(t), system, pid))
	<-w.Done()
	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, seen, 1, "one goroutine for every activation")

	ran := make(chan struct{})
	w.Schedule(func() { close(ran) }) // after Close: on a goroutine of its own
	<-ran
}

func TestUnusedWorkerHoldsNoGoroutine(t *testing.T) {
	w := actors.NewWorker(10)
	assert.Equal(t, 10, w.Throughput())
	w.Close()
	<-w.Done()
}
