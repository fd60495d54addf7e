package mailbox_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
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
	b.Run("lines", benchmarkLines)
}

// benchmarkLines posts b.N lines with PostLine from 4 goroutines, each on
// its own shard, yielding when told to, to one actor on a Worker that
// counts the lines of the Pages it gets, and waits until it has them all.
func benchmarkLines(b *testing.B) {
	system := actortest.NewSystem(b)
	var handled, pages atomic.Int64
	done := make(chan struct{})
	target := int64(b.N)
	worker := actors.NewWorker(300)
	mb := mailbox.New(mailbox.Options{})
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *mailbox.Page:
			pages.Add(1)
			if handled.Add(int64(len(m.Lines))) == target {
				close(done)
			}
		case *actor.Stopped:
			worker.Close()
		}
	}, actor.WithMailbox(mb.Producer()), actor.WithDispatcher(worker)))
	line := []byte("2026-01-02 03:04:05.678 [info] <0.42.0>@app:run:12 a line of about a hundred bytes\n")
	now := time.Now()
	const posters = 4
	b.ResetTimer()
	var wg sync.WaitGroup
	for p := range posters {
		wg.Go(func() {
			for i := p; i < b.N; i += posters {
				if _, _, yield, _ := mb.PostLine(line, now, core.LevelInfo, uint32(p)); yield {
					runtime.Gosched()
				}
			}
		})
	}
	wg.Wait()
	<-done
	b.StopTimer()
	b.ReportMetric(float64(b.N)/float64(pages.Load()), "lines/page")
	_ = system.Root.StopFuture(pid).Wait()
	<-worker.Done()
}
