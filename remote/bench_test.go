//go:build !race

package remote_test

import (
	"testing"
	"time"

	"github.com/actorlog/actorlog/remote"
)

// BenchmarkForward: events per second from one node to a collector over
// loopback, in batches of 100 (run with -benchtime=1x; each run sends
// 100,000 events and waits until the collector has them all).
func BenchmarkForward(b *testing.B) {
	const events = 100_000
	for range b.N {
		c := startCollector(b, 0, remote.CollectorOptions{})
		s := startService(b, c.coll.Address(), &remote.Forwarder{BatchSize: 100, MaxBuffer: events})
		start := time.Now()
		for i := range events {
			s.sys.Logger().Info("user logged in", "i", i)
		}
		for c.coll.Received() < events {
			time.Sleep(time.Millisecond)
		}
		b.ReportMetric(events/time.Since(start).Seconds(), "events/s")
		b.ReportMetric(100, "batch")
		b.ReportMetric(0, "ns/op")
	}
}
