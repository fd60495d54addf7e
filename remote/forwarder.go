package remote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/own"
	"github.com/actorlog/actorlog/remote/pb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
	"github.com/asynkron/protoactor-go/remote"
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

// probeEvery is how often a forwarder that lost its connection tries the
// collector's port, and dropReportEvery how often it reports the events
// it dropped.
const (
	probeEvery      = 20 * time.Millisecond
	dropReportEvery = time.Second
)

// Forwarder is a handler that sends its events to a collector on another
// node, in batches, over Proto.Actor remote (start it on the node's actor
// system first, with Start).
//
// Delivery is at least once: a batch stays in the forwarder until the
// collector acknowledges it, and is sent again — with the same sequence
// number, so the collector does not log it twice — when the connection
// to the collector ends, or after AckTimeout. A forwarder whose
// connection ended tries the collector's port every 20 ms and sends as
// soon as it accepts. While the collector cannot be reached, events wait,
// up to MaxBuffer; beyond it they are dropped, counted (Dropped), and
// reported once a second with the exact count. A collector that restarted
// (and so forgot the sequence numbers) may log a batch twice whose ack
// was lost.
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
	// RetryEvery is how long to wait before sending again after a
	// collector answered without taking a batch, or did not answer within
	// AckTimeout (1 s); AckTimeout how long to wait for an ack (5 s).
	RetryEvery, AckTimeout time.Duration

	id      string
	cfg     *handlers.Config
	mu      sync.Mutex
	buf     []*pb.Event
	dropped int64         // since the last report
	acked   chan struct{} // closed (and replaced) at every ack
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	cancel  context.CancelFunc // ends a dial in progress
	ctx     context.Context
	sent    atomic.Int64
	drops   atomic.Int64

	// replies is where the collector's answers arrive, through the
	// process reply; lost is signalled when Proto.Actor reports the
	// connection to the collector ended.
	replies chan any
	reply   *actor.PID
	lost    chan struct{}
	sub     *eventstream.Subscription
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
	f.ctx, f.cancel = context.WithCancel(context.Background())
	f.replies, f.lost = make(chan any, 16), make(chan struct{}, 1)
	pid, ok := f.System.ProcessRegistry.Add(replies(f.replies), "actorlog-forwarder-"+f.id)
	if !ok {
		f.cancel()
		return fmt.Errorf("remote: forwarder %q: its reply process %s exists", cfg.ID, pid)
	}
	f.reply = pid
	f.sub = f.System.EventStream.Subscribe(func(m any) {
		if e, ok := m.(*remote.EndpointTerminatedEvent); ok && e.Address == f.Collector {
			select {
			case f.lost <- struct{}{}:
			default:
			}
		}
	})
	go f.run()
	return nil
}

// replies is a process that passes the messages sent to it on, dropping
// them when the channel is full (the forwarder waits for one answer at a
// time; more are stale).
type replies chan any

// SendUserMessage implements actor.Process.
func (r replies) SendUserMessage(_ *actor.PID, m any) {
	select {
	case r <- actor.UnwrapEnvelopeMessage(m):
	default:
	}
}

// SendSystemMessage implements actor.Process.
func (r replies) SendSystemMessage(*actor.PID, any) {}

// Stop implements actor.Process.
func (r replies) Stop(*actor.PID) {}

// Log implements handlers.Handler: the event waits in the buffer for the
// next batch.
func (f *Forwarder) Log(e *core.Event, _ *handlers.Config) error {
	w := toWire(e)
	f.mu.Lock()
	if len(f.buf) >= f.MaxBuffer {
		f.dropped++
		f.mu.Unlock()
		f.drops.Add(1)
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

// Dropped returns how many events were dropped because MaxBuffer events
// waited already.
func (f *Forwarder) Dropped() int64 { return f.drops.Load() }

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
// Flush), then stops the sending goroutine, after its last report of
// drops.
func (f *Forwarder) Remove() error {
	err := f.Flush()
	f.cancel()
	close(f.stop)
	<-f.done
	f.System.EventStream.Unsubscribe(f.sub)
	f.System.ProcessRegistry.Remove(f.reply)
	return err
}

// run sends batches until stopped.
func (f *Forwarder) run() {
	defer close(f.done)
	defer f.reportDrops()
	pid := actor.NewPID(f.Collector, CollectorName)
	var seq uint64
	var inflight []*pb.Event // sent, not acknowledged: sent again as it is
	unreachable := false     // reported so
	down := false            // the connection ended: try the port before sending
	tick := time.NewTicker(dropReportEvery)
	defer tick.Stop()
	timer := time.NewTimer(f.Linger)
	defer timer.Stop()
	// lose reports the collector unreachable, once until it answers.
	lose := func(why string) {
		if !unreachable {
			unreachable = true
			f.cfg.Report(core.LevelError, fmt.Sprintf("collector %s unreachable: %s; keeping up to %d events", f.Collector, why, f.MaxBuffer),
				slog.String("collector", f.Collector))
		}
	}
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
				case <-tick.C:
					f.reportDrops()
				case <-f.lost:
					down = true
				}
				continue
			}
			seq++
		}
		if down {
			if !f.probe(tick, lose) {
				return
			}
			down = false
			select { // a report of the connection that ended before
			case <-f.lost:
			default:
			}
		}
		batch := &pb.Batch{Origin: f.System.Address(), Forwarder: f.id, Seq: seq, Events: inflight}
		f.System.Root.RequestWithCustomSender(pid, batch, f.reply)
		timer.Reset(f.AckTimeout)
		retry := false
	wait:
		for {
			select {
			case <-f.stop:
				return
			case <-tick.C:
				f.reportDrops()
			case <-f.lost:
				lose("the connection ended")
				down = true
				break wait
			case <-timer.C:
				lose(fmt.Sprintf("no answer within %v", f.AckTimeout))
				retry = true
				break wait
			case r := <-f.replies:
				switch r := r.(type) {
				case *pb.Ack:
					if r.Seq != seq {
						continue // a late answer to a batch sent before
					}
					f.acknowledged(len(inflight))
					inflight = nil
					if unreachable {
						unreachable = false
						f.cfg.Report(core.LevelNotice, "collector "+f.Collector+" reachable again", slog.String("collector", f.Collector))
					}
					break wait
				case *actor.DeadLetterResponse:
					lose("no collector at that address")
					retry = true
					break wait
				}
			}
		}
		if retry && !f.pause(f.RetryEvery, tick, &down) {
			return
		}
	}
}

// acknowledged takes n events out of the buffer, acknowledged.
func (f *Forwarder) acknowledged(n int) {
	f.mu.Lock()
	f.buf = f.buf[n:]
	close(f.acked)
	f.acked = make(chan struct{})
	f.mu.Unlock()
	f.sent.Add(int64(n))
}

// pause waits d, reporting drops and noting in down a connection that
// ends meanwhile; false if stopped.
func (f *Forwarder) pause(d time.Duration, tick *time.Ticker, down *bool) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			return false
		case <-tick.C:
			f.reportDrops()
		case <-f.lost:
			*down = true
			return true
		case <-t.C:
			return true
		}
	}
}

// probe returns once the collector's port accepts a connection that
// stays open: a batch sent then finds remote listening. A port that
// accepts and at once resets is a collector on its way out (its process
// dying), and is tried again, as is a refused one, every probeEvery;
// lose reports a failed try. The probe reads the first bytes of the
// connection, or waits probeEvery for them (a gRPC server sends its
// settings at once; over TLS it waits for the client), then closes it.
// False if stopped.
func (f *Forwarder) probe(tick *time.Ticker, lose func(string)) bool {
	d := net.Dialer{Timeout: f.AckTimeout}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			return false
		case <-tick.C:
			f.reportDrops()
			continue
		case <-f.lost:
			continue
		case <-t.C:
		}
		err := open(f.ctx, &d, f.Collector)
		if err == nil {
			return true
		}
		lose(err.Error())
		t.Reset(probeEvery)
	}
}

// open connects to address, reads its first byte for at most probeEvery,
// and closes the connection: nil if it was not refused or closed.
func open(ctx context.Context, d *net.Dialer, address string) error {
	conn, err := d.DialContext(ctx, "tcp", address)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetReadDeadline(time.Now().Add(probeEvery)); err != nil {
		return err
	}
	var b [1]byte
	if _, err := conn.Read(b[:]); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	return nil
}

// reportDrops reports the events dropped since the last report, if any,
// with their exact count (lager's reports of the events over its
// high-water mark).
func (f *Forwarder) reportDrops() {
	f.mu.Lock()
	n := f.dropped
	f.dropped = 0
	f.mu.Unlock()
	if n > 0 {
		f.cfg.Report(core.LevelWarning, fmt.Sprintf("forwarder dropped %d events: %d were waiting for collector %s already (MaxBuffer)", n, f.MaxBuffer, f.Collector),
			slog.String("collector", f.Collector), slog.Int64("dropped", n))
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
	return handlers.Filter{ID: "actorlog_origin", Fn: own.MarkFilter(s.decide)}
}

// decide is Filter's function, a method so that it is known as
// actorlog's own (internal/own).
func (s Strategy) decide(e *core.Event) handlers.FilterAction {
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
}
