package remote

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/remote/pb"
	"github.com/asynkron/protoactor-go/actor"
)

// The defaults of Forwarder's options.
const (
	DefaultBatchSize  = 100
	DefaultMaxBuffer  = 10_000
	DefaultRetryEvery = time.Second
	DefaultAckTimeout = 5 * time.Second
	DefaultLinger     = 50 * time.Millisecond
)

// ErrBufferFull is Log's error for an event dropped because MaxBuffer
// events already wait for the collector.
var ErrBufferFull = errors.New("remote: forwarder buffer full; event dropped")

// Forwarder is a handler that sends its events to a collector on another
// node, in batches, over Proto.Actor remote (start it on the node's actor
// system first, with Start).
//
// Delivery is at least once: a batch stays in the forwarder until the
// collector acknowledges it, and is sent again — with the same sequence
// number, so the collector does not log it twice — after a timeout. While
// the collector cannot be reached, events wait, up to MaxBuffer; beyond
// it they are dropped and counted, and the forwarder reports how many
// when the collector answers again. A collector that restarted (and so
// forgot the sequence numbers) may log a batch twice whose ack was lost.
type Forwarder struct {
	// System is the node's actor system, with remote started.
	System *actor.ActorSystem
	// Collector is the collector's address (host:port).
	Collector string
	// BatchSize is the most events a batch carries (100); Linger how long
	// an incomplete batch waits for more (50 ms).
	BatchSize int
	Linger    time.Duration
	// MaxBuffer is the most events waiting for the collector (10,000).
	MaxBuffer int
	// RetryEvery is how long to wait after a failed send (1 s), AckTimeout
	// how long to wait for an ack (5 s).
	RetryEvery, AckTimeout time.Duration

	id      string
	cfg     *handlers.Config
	mu      sync.Mutex
	buf     []*pb.Event
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	dropped int64         // since the collector was last reachable
	acked   chan struct{} // closed (and replaced) at every ack
	sent    atomic.Int64
}

var forwarderIDs atomic.Uint64

// Add implements handlers.Adder: it checks the options and starts the
// sending goroutine (stopped by Remove).
func (f *Forwarder) Add(cfg *handlers.Config) error {
	if f.System == nil || f.Collector == "" {
		return handlers.Fatal(fmt.Errorf("%w: forwarder %q: System and Collector are required", handlers.ErrBadConfig, cfg.ID))
	}
	if f.BatchSize <= 0 {
		f.BatchSize = DefaultBatchSize
	}
	if f.MaxBuffer <= 0 {
		f.MaxBuffer = DefaultMaxBuffer
	}
	if f.RetryEvery <= 0 {
		f.RetryEvery = DefaultRetryEvery
	}
	if f.AckTimeout <= 0 {
		f.AckTimeout = DefaultAckTimeout
	}
	if f.Linger <= 0 {
		f.Linger = DefaultLinger
	}
	f.cfg = cfg
	f.id = strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatUint(forwarderIDs.Add(1), 10)
	f.wake, f.stop, f.done = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	f.acked = make(chan struct{})
	go f.run()
	return nil
}

// Log implements handlers.Handler: the event waits in the buffer for the
// next batch.
func (f *Forwarder) Log(e *core.Event, _ *handlers.Config) error {
	w := toWire(e)
	f.mu.Lock()
	if len(f.buf) >= f.MaxBuffer {
		f.dropped++
		f.mu.Unlock()
		return ErrBufferFull
	}
	f.buf = append(f.buf, w)
	full := len(f.buf) >= f.BatchSize
	f.mu.Unlock()
	if full {
		select {
		case f.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// Sent returns how many events the collector acknowledged.
func (f *Forwarder) Sent() int64 { return f.sent.Load() }

// Flush implements handlers.Flusher: it waits until the collector has
// acknowledged every event, for at most AckTimeout.
func (f *Forwarder) Flush() error {
	select {
	case f.wake <- struct{}{}:
	default:
	}
	deadline := time.NewTimer(f.AckTimeout)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		n, acked := len(f.buf), f.acked
		f.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-acked:
		case <-deadline.C:
			return fmt.Errorf("remote: %d events not yet acknowledged by collector %s", n, f.Collector)
		}
	}
}

// Remove implements handlers.Remover: it tries to deliver what waits (see
// Flush), then stops the sending goroutine.
func (f *Forwarder) Remove() error {
	err := f.Flush()
	close(f.stop)
	<-f.done
	return err
}

// run sends batches until stopped.
func (f *Forwarder) run() {
	defer close(f.done)
	pid := actor.NewPID(f.Collector, CollectorName)
	var seq uint64
	var inflight []*pb.Event // sent, not acknowledged: sent again as it is
	unreachable := false
	timer := time.NewTimer(f.Linger)
	defer timer.Stop()
	for {
		if inflight == nil {
			f.mu.Lock()
			n := min(len(f.buf), f.BatchSize)
			inflight = f.buf[:n:n]
			f.mu.Unlock()
			if n == 0 {
				inflight = nil
				timer.Reset(f.Linger)
				select {
				case <-f.stop:
					return
				case <-f.wake:
				case <-timer.C:
				}
				continue
			}
			seq++
		}
		batch := &pb.Batch{Origin: f.System.Address(), Forwarder: f.id, Seq: seq, Events: inflight}
		reply, err := f.System.Root.RequestFuture(pid, batch, f.AckTimeout).Result()
		ack, ok := reply.(*pb.Ack)
		if err == nil && ok && ack.Seq == seq {
			f.mu.Lock()
			f.buf = f.buf[len(inflight):]
			dropped := f.dropped
			f.dropped = 0
			close(f.acked)
			f.acked = make(chan struct{})
			f.mu.Unlock()
			f.sent.Add(int64(len(inflight)))
			inflight = nil
			if unreachable || dropped > 0 {
				unreachable = false
				msg := "collector " + f.Collector + " reachable again"
				if dropped > 0 {
					msg += fmt.Sprintf("; %d events were dropped while it was not (buffer of %d)", dropped, f.MaxBuffer)
				}
				f.cfg.Report(core.LevelNotice, msg, slog.String("collector", f.Collector), slog.Int64("dropped", dropped))
			}
			continue
		}
		if err == nil {
			err = fmt.Errorf("unexpected answer %T", reply)
		}
		if !unreachable {
			unreachable = true
			f.cfg.Report(core.LevelError, fmt.Sprintf("collector %s unreachable: %v; keeping up to %d events", f.Collector, err, f.MaxBuffer),
				slog.String("collector", f.Collector))
		}
		timer.Reset(f.RetryEvery)
		select {
		case <-f.stop:
			return
		case <-timer.C:
		}
	}
}

// Strategy says what a handler does with events from other nodes (lager's
// error_logger_groupleader_strategy, for a collector's handlers).
type Strategy int

// The strategies.
const (
	// Handle takes events from other nodes like local ones.
	Handle Strategy = iota
	// Ignore leaves events from other nodes out: local ones only.
	Ignore
	// Mirror takes only events from other nodes.
	Mirror
)

// Filter returns a handler filter applying strategy s to events by their
// origin (the "origin" a collector puts in Meta).
func Filter(s Strategy) handlers.Filter {
	return handlers.Filter{ID: "actorlog_origin", NoRetain: true, Fn: func(e *core.Event) handlers.FilterAction {
		remote := false
		for _, a := range e.Meta {
			if a.Key == "origin" {
				remote = true
				break
			}
		}
		switch {
		case s == Ignore && remote, s == Mirror && !remote:
			return handlers.Stop
		}
		return handlers.Ignore
	}}
}
