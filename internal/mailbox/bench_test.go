package mailbox_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/internal/mailbox"
	"github.com/asynkron/protoactor-go/actor"
)

// BenchmarkPost posts b.N events from 4 goroutines to one actor on a Worker
// and waits until it has handled them all: this package's mailbox, taking
// them in batches, against Proto.Actor's own unbounded mailbox (each event
// one Receive), in one run.
func BenchmarkPost(b *testing.B) {
	for _, mb := range []struct {
		name string
		make func() actor.MailboxProducer
	}{
		{"batches", func() actor.MailboxProducer { return mailbox.New(mailbox.Options{Batchable: isEv}).Producer() }},
		{"protoactor", func() actor.MailboxProducer { return actor.Unbounded() }},
	} {
		b.Run(mb.name, func(b *testing.B) {
			system := actortest.NewSystem(b)
			var handled atomic.Int64
			done := make(chan struct{})
			target := int64(b.N)
			count := func(n int) {
				if handled.Add(int64(n)) == target {
					close(done)
				}
			}
			worker := actors.NewWorker(300)
			pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
				switch m := c.Message().(type) {
				case *mailbox.Batch:
					count(len(m.Messages))
				case ev:
					count(1)
				case *actor.Stopped:
					worker.Close()
				}
			}, actor.WithMailbox(mb.make()), actor.WithDispatcher(worker)))
			const posters = 4
			b.ResetTimer()
			var wg sync.WaitGroup
			for p := range posters {
				wg.Go(func() {
					for i := p; i < b.N; i += posters {
						system.Root.Send(pid, ev(i))
					}
				})
			}
			wg.Wait()
			<-done
			b.StopTimer()
			_ = system.Root.StopFuture(pid).Wait()
			<-worker.Done()
		})
	}
}
