package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/diode"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

const (
	msgFormat = "user %d logged in from %s"
	addr      = "10.0.0.1"
	apiPath   = "/api/v1/items"
)

// sink is one system set up for a workload: log(i) logs event i from any
// goroutine; close writes everything out and releases the system.
type sink struct {
	log   func(i int)
	close func() error
	// dropped, if set, returns drops counted and reported (w4).
	dropped func() (counted, reported int64)
	// handled, if set, returns the events the slow handler took (w4).
	handled func() int64
}

func systemsFor(w string) []string {
	switch w {
	case "w2":
		return []string{"actorlog", "zap", "zerolog", "slog", "logrus"}
	case "w4":
		return []string{"actorlog", "zap", "zerolog-diode"}
	}
	return []string{"actorlog", "actorlog-tuned", "zap", "zap-buffered", "zerolog", "zerolog-diode", "slog", "logrus", "raw", "raw4"}
}

// open sets up system sys writing to w (a file, or a slow writer for w4).
func open(sys string, w io.Writer, flusher func() error, slowEvent func()) (*sink, error) {
	ctx := context.Background()
	switch sys {
	case "actorlog", "actorlog-tuned":
		th := sinks.Thresholds{}
		if sys == "actorlog-tuned" {
			th = sinks.Thresholds{AsyncThreshold: 1 << 20, AsyncThresholdWindow: 1 << 19, DiscardThreshold: 1 << 21}
		}
		var h handlers.Handler
		var reported atomic.Int64
		slow := &slowHandler{wait: slowEvent, reported: &reported}
		if slowEvent != nil {
			h = slow
		} else {
			f := w.(*os.File)
			f.Close()
			h = &handlers.File{Path: f.Name(), Size: handlers.Off, Date: handlers.DateNone}
		}
		system := actor.NewActorSystem(actors.QuietConfig()...)
		s, err := actorlog.Start(actorlog.Config{ActorSystem: system, Overload: th,
			Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "out", Level: "info"}, Handler: h}}})
		if err != nil {
			return nil, err
		}
		l := s.Logger()
		return &sink{
			log: func(i int) {
				l.LogAttrs(ctx, actorlog.LevelInfo, fmt.Sprintf(msgFormat, i, addr), slog.Int("request_id", i), slog.String("path", apiPath))
			},
			close: func() error {
				c, cancel := context.WithTimeout(ctx, 2*time.Minute)
				defer cancel()
				err := s.Stop(c)
				system.Shutdown()
				return err
			},
			dropped: func() (int64, int64) {
				return s.Status(ctx).Sinks[0].Drops.Total(), reported.Load()
			},
			handled: slow.handled.Load,
		}, nil
	case "zap", "zap-buffered":
		ws := zapcore.AddSync(w)
		var buffered *zapcore.BufferedWriteSyncer
		if sys == "zap-buffered" {
			buffered = &zapcore.BufferedWriteSyncer{WS: ws, Size: 256 << 10}
			ws = buffered
		}
		l := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), ws, zap.InfoLevel))
		return &sink{
			log: func(i int) {
				l.Info(fmt.Sprintf(msgFormat, i, addr), zap.Int("request_id", i), zap.String("path", apiPath))
			},
			close: func() error {
				_ = l.Sync()
				if buffered != nil {
					_ = buffered.Stop()
				}
				return flusher()
			},
		}, nil
	case "zerolog", "zerolog-diode":
		out := w
		var missed atomic.Int64
		var d diode.Writer
		if sys == "zerolog-diode" {
			// The diode closes a writer that is an io.Closer; the file is
			// closed by the flusher.
			d = diode.NewWriter(struct{ io.Writer }{w}, 1000, 10*time.Millisecond, func(n int) { missed.Add(int64(n)) })
			out = d
		}
		l := zerolog.New(out).With().Timestamp().Logger()
		return &sink{
			log: func(i int) {
				l.Info().Int("request_id", i).Str("path", apiPath).Msg(fmt.Sprintf(msgFormat, i, addr))
			},
			close: func() error {
				if sys == "zerolog-diode" {
					_ = d.Close()
				}
				return flusher()
			},
			dropped: func() (int64, int64) { return missed.Load(), missed.Load() },
		}, nil
	case "slog":
		lw := &lockedWriter{w: bufio.NewWriterSize(w, 256<<10)}
		l := slog.New(slog.NewTextHandler(lw, nil))
		return &sink{
			log: func(i int) {
				l.LogAttrs(ctx, slog.LevelInfo, fmt.Sprintf(msgFormat, i, addr), slog.Int("request_id", i), slog.String("path", apiPath))
			},
			close: func() error { _ = lw.flush(); return flusher() },
		}, nil
	case "logrus":
		l := logrus.New()
		l.Out = w
		l.Formatter = &logrus.TextFormatter{DisableColors: true, FullTimestamp: true}
		return &sink{
			log: func(i int) {
				l.WithFields(logrus.Fields{"request_id": i, "path": apiPath}).Info(fmt.Sprintf(msgFormat, i, addr))
			},
			close: flusher,
		}, nil
	}
	return nil, fmt.Errorf("unknown system %q", sys)
}

// lockedWriter is a bufio.Writer shared by goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Flush()
}

// appendLine formats event i by hand: the raw baseline's line.
func appendLine(dst []byte, now time.Time, i int) []byte {
	dst = now.AppendFormat(dst, "2006-01-02 15:04:05.000")
	dst = append(dst, " [info] user "...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	dst = append(dst, " logged in from 10.0.0.1 request_id="...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	return append(dst, " path=/api/v1/items\n"...)
}

// runW1 runs the file workload (w3: with every 100th call timed).
func runW1(sys, path string, timed bool) (result, error) {
	f, err := os.Create(path)
	if err != nil {
		return result{}, err
	}
	total := *producers * *perProd
	var r result
	r.Events = total
	start, cpu0 := time.Now(), cpuTime()
	var lat []time.Duration
	switch sys {
	case "raw":
		w := bufio.NewWriterSize(f, 256<<10)
		var line []byte
		for i := range total {
			var t0 time.Time
			if timed && i%100 == 0 {
				t0 = time.Now()
			}
			line = appendLine(line[:0], time.Now(), i)
			_, _ = w.Write(line)
			if timed && i%100 == 0 {
				lat = append(lat, time.Since(t0))
			}
		}
		if err := w.Flush(); err != nil {
			return r, err
		}
		_ = f.Sync()
		_ = f.Close()
	case "raw4":
		lines := make(chan []byte, 1024)
		done := make(chan error)
		go func() {
			w := bufio.NewWriterSize(f, 256<<10)
			for l := range lines {
				_, _ = w.Write(l)
			}
			err := w.Flush()
			_ = f.Sync()
			_ = f.Close()
			done <- err
		}()
		lat = produce(func(i int) { lines <- appendLine(make([]byte, 0, 128), time.Now(), i) }, timed)
		close(lines)
		if err := <-done; err != nil {
			return r, err
		}
	default:
		s, err := open(sys, f, func() error { _ = f.Sync(); return f.Close() }, nil)
		if err != nil {
			return r, err
		}
		lat = produce(s.log, timed)
		if err := s.close(); err != nil {
			return r, err
		}
	}
	r.Seconds, r.CPUSeconds = time.Since(start).Seconds(), cpuTime()-cpu0
	r.Lines, r.Bytes, err = countLines(path)
	if err != nil {
		return r, err
	}
	if r.Lines != total {
		if sys != "zerolog-diode" {
			return r, fmt.Errorf("%d lines in the file, want %d", r.Lines, total)
		}
		r.Note = fmt.Sprintf("lost %d of %d (its ring drops by design)", total-r.Lines, total)
	}
	r.P50, r.P99, r.Max = percentiles(lat)
	return r, nil
}

// produce runs the producers, each logging its share of the events, and
// returns the latencies of every 100th call when timed.
func produce(log func(i int), timed bool) []time.Duration {
	var wg sync.WaitGroup
	lats := make([][]time.Duration, *producers)
	for p := range *producers {
		wg.Go(func() {
			for i := p * *perProd; i < (p+1)**perProd; i++ {
				if timed && i%100 == 0 {
					t0 := time.Now()
					log(i)
					lats[p] = append(lats[p], time.Since(t0))
					continue
				}
				log(i)
			}
		})
	}
	wg.Wait()
	return slices.Concat(lats...)
}

func percentiles(lat []time.Duration) (p50, p99, maxLat time.Duration) {
	if len(lat) == 0 {
		return 0, 0, 0
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
}

// runW2 measures a disabled debug call, twice: with the two fields of w1
// as key/value pairs (or each logger's field values), and with the
// message alone. The first is what a program pays; the second is the
// logger's own cost, without the call site's building of its arguments
// (for actorlog, eight stores of the variadic []any, about as long as the
// level check itself). Each system's loop calls the logger itself, as a
// program does: a closure would add an indirect call to every figure, and
// b.Loop keeps the calls in its body from being inlined, which the level
// methods of actorlog, zap and slog are at a real call site. b.N loops are
// kept from being optimised away by the loggers' atomic level loads.
func runW2(sys, path string) (result, error) {
	var fields, bare func(b *testing.B)
	ctx := context.Background()
	switch sys {
	case "actorlog":
		system := actor.NewActorSystem(actors.QuietConfig()...)
		defer system.Shutdown()
		s, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
			{Config: handlers.Config{ID: "out", Level: "info"}, Handler: &handlers.File{Path: path}}}})
		if err != nil {
			return result{}, err
		}
		defer s.Stop(ctx)
		l := s.Logger()
		fields = func(b *testing.B) {
			for range b.N {
				l.Debug("user logged in", "request_id", 42, "path", apiPath)
			}
		}
		bare = func(b *testing.B) {
			for range b.N {
				l.Debug("user logged in")
			}
		}
	case "zap":
		l := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zap.InfoLevel))
		fields = func(b *testing.B) {
			for range b.N {
				l.Debug("user logged in", zap.Int("request_id", 42), zap.String("path", apiPath))
			}
		}
		bare = func(b *testing.B) {
			for range b.N {
				l.Debug("user logged in")
			}
		}
	case "zerolog":
		l := zerolog.New(io.Discard).Level(zerolog.InfoLevel)
		fields = func(b *testing.B) {
			for range b.N {
				l.Debug().Int("request_id", 42).Str("path", apiPath).Msg("user logged in")
			}
		}
		bare = func(b *testing.B) {
			for range b.N {
				l.Debug().Msg("user logged in")
			}
		}
	case "slog":
		l := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
		fields = func(b *testing.B) {
			for range b.N {
				l.Debug("user logged in", "request_id", 42, "path", apiPath)
			}
		}
		bare = func(b *testing.B) {
			for range b.N {
				l.Debug("user logged in")
			}
		}
	case "logrus":
		l := logrus.New()
		l.Out, l.Level = io.Discard, logrus.InfoLevel
		fields = func(b *testing.B) {
			for range b.N {
				l.WithFields(logrus.Fields{"request_id": 42, "path": apiPath}).Debug("user logged in")
			}
		}
		bare = func(b *testing.B) {
			for range b.N {
				l.Debug("user logged in")
			}
		}
	default:
		return result{}, fmt.Errorf("unknown system %q", sys)
	}
	measure := func(bench func(b *testing.B)) (ns float64, allocs int64) {
		br := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			bench(b)
		})
		return float64(br.T.Nanoseconds()) / float64(br.N), br.AllocsPerOp()
	}
	var r result
	r.NsPerOp, r.AllocsPerOp = measure(fields)
	r.NsPerOpBare, r.AllocsPerOpBare = measure(bare)
	return r, nil
}

// slowWriter takes about 10 µs per write, like a slow device.
type slowWriter struct{ writes atomic.Int64 }

func busy10µs() {
	for start := time.Now(); time.Since(start) < 10*time.Microsecond; {
	}
}

func (w *slowWriter) Write(p []byte) (int, error) {
	busy10µs()
	w.writes.Add(1)
	return len(p), nil
}

// slowHandler is actorlog's handler taking 10 µs per event; it reads the
// drop counts out of the sink's warnings.
type slowHandler struct {
	wait     func()
	handled  atomic.Int64
	reported *atomic.Int64
}

func (h *slowHandler) Log(e *core.Event, _ *handlers.Config) error {
	if n, ok := sinks.ReportedDrops(e); ok {
		h.reported.Add(n)
		return nil
	}
	h.wait()
	h.handled.Add(1)
	return nil
}

// runW4 floods a 10 µs/event handler from the producers for -flood.
func runW4(sys, _ string) (result, error) {
	sw := &slowWriter{}
	s, err := open(sys, sw, func() error { return nil }, busy10µs)
	if err != nil {
		return result{}, err
	}
	var calls atomic.Int64
	stop := time.Now().Add(*flood)
	var wg sync.WaitGroup
	lats := make([][]time.Duration, *producers)
	start := time.Now()
	for p := range *producers {
		wg.Go(func() {
			for i := 0; time.Now().Before(stop); i++ {
				if i%100 == 0 {
					t0 := time.Now()
					s.log(i)
					lats[p] = append(lats[p], time.Since(t0))
				} else {
					s.log(i)
				}
				calls.Add(1)
			}
		})
	}
	wg.Wait()
	r := result{Events: int(calls.Load()), Seconds: time.Since(start).Seconds()}
	if s.dropped != nil {
		// The last drop report comes when discard mode ends: wait for the
		// counts to agree, or give up after a while and show both.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			r.DropCounted, r.DropReported = s.dropped()
			if r.DropCounted == r.DropReported || time.Now().After(deadline) {
				break
			}
		}
	}
	if err := s.close(); err != nil {
		return r, err
	}
	r.Handled = sw.writes.Load()
	if s.handled != nil {
		r.Handled = s.handled()
	}
	if sys == "actorlog" {
		r.Note = "drops reported by the sink's warnings"
	} else if sys == "zap" {
		r.Note = "blocks its callers: no drop"
	} else {
		r.Note = "diode ring: drops reported by its callback"
	}
	r.P50, r.P99, r.Max = percentiles(slices.Concat(lats...))
	return r, nil
}

// countLines counts the lines and bytes of a file, streaming it (reading
// it whole would count in the system's peak RSS).
func countLines(path string) (lines int, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	buf := make([]byte, 256<<10)
	for {
		n, err := f.Read(buf)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		size += int64(n)
		if err == io.EOF {
			return lines, size, nil
		}
		if err != nil {
			return lines, size, err
		}
	}
}

// cpuTime returns the CPU time the process has used, user and system, in
// seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
