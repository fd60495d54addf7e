package actors_test

import (
	"context"
	"fmt"

	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
)

// The crash reporter publishes what a panic was about, with its stack, and
// lets supervision carry on as before.
func ExampleCrashReporter() {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	reports := make(chan *actors.CrashReport, 1)
	sub := system.EventStream.Subscribe(func(e any) {
		if r, ok := e.(*actors.CrashReport); ok {
			reports <- r
		}
	})
	defer system.EventStream.Unsubscribe(sub)

	props := actor.PropsFromFunc(func(c actor.Context) {
		if n, ok := c.Message().(int); ok {
			_ = []int{1, 2, 3}[n]
		}
	}, actor.WithReceiverMiddleware(actors.CrashReporter()))
	pid, _ := system.Root.SpawnNamed(props, "indexer")
	system.Root.Send(pid, 5)
	r := <-reports
	fmt.Println(r.Phase, actors.PIDString(r.Actor), r.Message)
	fmt.Println(r.Reason)
	_ = actors.StopGracefully(context.Background(), system, pid)
	// Output:
	// receive nonhost/indexer 5
	// runtime error: index out of range [5] with length 3
}

// A Gauge reads how many messages wait in an actor's mailbox.
func ExampleGauge() {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	var queue actors.Gauge
	release := make(chan struct{})
	busy := make(chan struct{})
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if c.Message() == "work" {
			close(busy)
			<-release
		}
	}, actor.WithMailbox(queue.Mailbox(nil))))
	system.Root.Send(pid, "work")
	<-busy
	for range 3 {
		system.Root.Send(pid, "more")
	}
	fmt.Println("queued:", queue.Len())
	close(release)
	_ = actors.StopGracefully(context.Background(), system, pid)
	fmt.Println("queued:", queue.Len())
	// Output:
	// queued: 3
	// queued: 0
}
