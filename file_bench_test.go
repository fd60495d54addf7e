package actorlog_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
)

// The file workload (issue 5, and W1 in bench/): 4 producers × 250,000
// events, "user %d logged in from %s" with (i, "10.0.0.1"), fields
// request_id=i and path="/api/v1/items", into one file handler, until every
// line is on the disk; the line count is checked.
const (
	fileProducers = 4
	filePerProd   = 250_000
	fileEvents    = fileProducers * filePerProd
)

// BenchmarkFileHandler runs the workload through actorlog, with the
// default overload thresholds, with thresholds raised so that callers
// stay async, and with thresholds so low that they stay in sync mode; run it with -benchtime=1x. It reports events/s and bytes per
// line; BenchmarkFileBaseline is the physical limit beside it.
func BenchmarkFileHandler(b *testing.B) {
	for _, tc := range []struct {
		name string
		th   sinks.Thresholds
	}{
		{"default", sinks.Thresholds{}},
		{"async", sinks.Thresholds{AsyncThreshold: 1 << 20, AsyncThresholdWindow: 1 << 19, DiscardThreshold: 1 << 21}},
		// Sync mode all along, once a second line waits: each caller waits
		// for its line.
		{"sync", sinks.Thresholds{AsyncThreshold: 1, AsyncThresholdWindow: 1}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var bytesOut int64
			start := time.Now()
			for range b.N {
				bytesOut = runFileWorkload(b, tc.th)
			}
			elapsed := time.Since(start)
			b.ReportMetric(float64(fileEvents*b.N)/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(bytesOut)/fileEvents, "bytes/line")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func runFileWorkload(b *testing.B, th sinks.Thresholds) int64 {
	path := filepath.Join(b.TempDir(), "w1.log")
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	s, err := actorlog.Start(actorlog.Config{ActorSystem: system, Overload: th, Handlers: []actorlog.Handler{
		{Config: handlers.Config{Level: "info"}, Handler: &handlers.File{Path: path, Size: handlers.Off}}, // one file: no rotation
	}})
	if err != nil {
		b.Fatal(err)
	}
	log := s.Logger()
	var wg sync.WaitGroup
	for p := range fileProducers {
		wg.Go(func() {
			for i := p * filePerProd; i < (p+1)*filePerProd; i++ {
				log.With("request_id", i, "path", "/api/v1/items").Infof("user %d logged in from %s", i, "10.0.0.1")
			}
		})
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if st := s.Status(ctx); st.Sinks[0].Drops.Total() > 0 || st.Sinks[0].Handlers[0].Errors > 0 {
		b.Log(st.String())
	}
	if err := s.Stop(ctx); err != nil { // drains, writes and fsyncs
		b.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if n := bytes.Count(data, []byte{'\n'}); n != fileEvents {
		b.Fatalf("%d lines in the file, want %d", n, fileEvents)
	}
	return int64(len(data))
}

// BenchmarkFileBaseline is the physical limit for the same lines: one
// goroutine formatting them with strconv and append into a 256 KiB
// bufio.Writer on a file.
func BenchmarkFileBaseline(b *testing.B) {
	var bytesOut int64
	start := time.Now()
	for range b.N {
		f, err := os.Create(filepath.Join(b.TempDir(), "baseline.log"))
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 256<<10)
		var line []byte
		bytesOut = 0
		for i := range fileEvents {
			line = time.Now().AppendFormat(line[:0], "2006-01-02 15:04:05.000")
			line = append(line, " [info] user "...)
			line = strconv.AppendInt(line, int64(i), 10)
			line = append(line, " logged in from 10.0.0.1 request_id="...)
			line = strconv.AppendInt(line, int64(i), 10)
			line = append(line, " path=/api/v1/items\n"...)
			n, _ := w.Write(line)
			bytesOut += int64(n)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		_ = f.Close()
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(fileEvents*b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(bytesOut)/fileEvents, "bytes/line")
	b.ReportMetric(0, "ns/op")
}
