package actorlog_test

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
)

// slowHandler takes about 10 µs per event (a busy wait, like a slow
// device), and remembers the drop reports it is given.
type slowHandler struct {
	handled  atomic.Int64
	reported atomic.Int64
}

func (h *slowHandler) Log(e *core.Event, _ *handlers.Config) error {
	if n, ok := sinks.ReportedDrops(e); ok {
		h.reported.Add(n) // each report counts the drops since the one before
		return nil
	}
	for start := time.Now(); time.Since(start) < 10*time.Microsecond; {
	}
	h.handled.Add(1)
	return nil
}

// BenchmarkFlood: 4 producers log as fast as they can into a handler that
// takes 10 µs per event (run it with -benchtime=5s for the 5 s flood).
// It reports events handled and dropped (counted by the sink, and as
// reported by its warnings), the peak heap, and the callers' latency. The
// point: memory is bounded by the discard threshold, not by the flood, and
// every drop is counted and reported.
func BenchmarkFlood(b *testing.B) {
	h := &slowHandler{}
	s := startCfg(b, actorlog.Config{Overload: sinks.Thresholds{DiscardCheckInterval: 20 * time.Millisecond},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow"}, Handler: h}}})
	log := s.Logger()
	sink := actorlog.SinkOf(s)

	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // samples the heap every millisecond while the flood runs
		defer close(sampled)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
			}
		}
	}()

	const producers = 4
	latencies := make([][]time.Duration, producers)
	var wg sync.WaitGroup
	per := b.N/producers + 1
	b.ResetTimer()
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				if i%100 == 0 {
					t0 := time.Now()
					log.Info("user logged in", "user", i, "path", "/api/v1/items")
					latencies[p] = append(latencies[p], time.Since(t0))
					continue
				}
				log.Info("user logged in", "user", i, "path", "/api/v1/items")
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	// Every drop gets reported: wait (bounded) for the reports to add up.
	for h.reported.Load() < sink.Drops().Discarded.Load() && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	<-sampled

	all := slices.Concat(latencies...)
	slices.Sort(all)
	b.ReportMetric(float64(h.handled.Load()), "handled")
	b.ReportMetric(float64(sink.Drops().Discarded.Load()), "dropped-counted")
	b.ReportMetric(float64(h.reported.Load()), "dropped-reported")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Nanoseconds()), "p50-caller-ns")
		b.ReportMetric(float64(all[len(all)*99/100].Nanoseconds()), "p99-caller-ns")
	}
}
