package actorlog_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
)

// stuck is a handler that cannot write until release is closed; holding
// is closed when it holds its first event.
type stuck struct {
	release, holding chan struct{}
	once             *sync.Once
}

func (s stuck) Log(*core.Event, *handlers.Config) error {
	s.once.Do(func() { close(s.holding) })
	<-s.release
	return nil
}

// Overload protection: while a handler is stuck, its queue grows, callers
// go from async to sync and then drop their events, counting them; once it
// catches up, they are back to async.
func ExampleSystem_SetOverload() {
	ctx := context.Background()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	h := stuck{release: make(chan struct{}), holding: make(chan struct{}), once: new(sync.Once)}
	sys, err := actorlog.Start(actorlog.Config{
		ActorSystem: system,
		Handlers:    []actorlog.Handler{{Config: handlers.Config{ID: "stuck"}, Handler: h}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Tiny thresholds for the example: sync above 2 queued, discard at 4.
	if err := sys.SetOverload(sinks.Thresholds{AsyncThreshold: 2, AsyncThresholdWindow: 1, DiscardThreshold: 4}); err != nil {
		fmt.Println(err)
		return
	}
	log := sys.Logger()
	mode := func(want sinks.Mode) sinks.Mode { // the mode follows the queue a moment later
		for i := 0; i < 1000 && sys.Mode() != want; i++ {
			time.Sleep(time.Millisecond)
		}
		return sys.Mode()
	}

	for i := range 4 {
		fmt.Println("event", i, log.Emit(ctx, actorlog.LevelInfo, "work"))
		if i == 0 {
			<-h.holding // the handler is stuck on event 0; the others queue up
		}
	}
	fmt.Println("mode:", mode(sinks.Sync))
	waiting := make(chan error, 1)
	go func() { waiting <- log.Emit(ctx, actorlog.LevelInfo, "waits for the handler") }()
	fmt.Println("mode:", mode(sinks.Discard))
	fmt.Println("dropped:", log.Emit(ctx, actorlog.LevelInfo, "too much"))

	close(h.release) // the handler catches up
	fmt.Println("sync caller:", <-waiting)
	fmt.Println("mode:", mode(sinks.Async))
	fmt.Println("discarded:", sys.Status(ctx).Sinks[0].Drops.Discarded)
	_ = sys.Stop(ctx)
	// Output:
	// event 0 <nil>
	// event 1 <nil>
	// event 2 <nil>
	// event 3 <nil>
	// mode: sync
	// mode: discard
	// dropped: sinks: event dropped
	// sync caller: <nil>
	// mode: async
	// discarded: 1
}
