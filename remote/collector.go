package remote

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/remote/pb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
)

// DefaultMaxEventSize is the largest event a collector takes, in bytes of
// message and attributes.
const DefaultMaxEventSize = 64 << 10

// CollectorOptions configure a collector.
type CollectorOptions struct {
	Options
	// Sink is the sink remote events go to; empty means the default one.
	Sink string
	// AllowList, if not empty, is the node addresses (host:port) whose
	// batches are taken; others are refused and counted. The address is
	// the one the sending node declares: see the package documentation.
	AllowList []string
	// MaxEventSize is the largest event taken: 64 KiB if zero. Larger
	// ones are refused, counted and reported.
	MaxEventSize int
	// DedupWindow is how long the collector remembers a forwarder's last
	// batch after it last heard from it: 10 minutes if zero. A forwarder
	// resends a batch whose ack it missed within its AckTimeout, so a
	// forwarder silent for longer has nothing left to resend; forgetting
	// it keeps the memory of a long-running collector bounded by the
	// forwarders it hears from, not by those it ever heard from.
	DedupWindow time.Duration
}

// DefaultDedupWindow is CollectorOptions.DedupWindow's default.
const DefaultDedupWindow = 10 * time.Minute

// Collector takes the events of other nodes' forwarders into a System's
// sink, each marked with its origin.
type Collector struct {
	sys     *actorlog.System
	remote  *remote.Remote
	sink    *actorlog.Sink
	address string
	pid     *actor.PID

	guard *guard
	// gone is the nodes whose connection failed, until they connect
	// again or DedupWindow passes; stopping silences their reports.
	gone struct {
		sync.Mutex
		at        map[string]time.Time
		window    time.Duration
		nextPrune time.Time
	}
	stopping atomic.Bool

	// Counters, for tests and status.
	received, duplicates, refused, tooLarge, malformed atomic.Int64
}

// StartCollector starts Proto.Actor remote on sys's actor system and the
// collector's actor. Errors: a failure to listen (ErrListen), an unknown
// sink.
func StartCollector(sys *actorlog.System, opts CollectorOptions) (*Collector, error) {
	sink, err := sys.Sink(opts.Sink)
	if err != nil {
		return nil, err
	}
	if opts.MaxEventSize <= 0 {
		opts.MaxEventSize = DefaultMaxEventSize
	}
	if opts.DedupWindow <= 0 {
		opts.DedupWindow = DefaultDedupWindow
	}
	c := &Collector{sys: sys, sink: sink}
	c.guard = &guard{report: func(from, why string) {
		sink.Logger().Warning(fmt.Sprintf("collector refused a malformed message from %s: %s", from, why),
			"from", from, "reason", why)
	}, connected: c.nodeConnected, left: c.nodeLeft}
	c.gone.at, c.gone.window = map[string]time.Time{}, opts.DedupWindow
	// The actor comes first: a batch that arrives as soon as remote
	// listens finds it.
	a := &collector{c: c, sink: sink, opts: opts, seen: map[string]seen{}, now: time.Now}
	pid, err := sys.ActorSystem().Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return a },
		actor.WithReceiverMiddleware(actors.CrashReporter())), CollectorName)
	if err != nil {
		return nil, fmt.Errorf("remote: collector: %w", err)
	}
	c.pid = pid
	r, address, err := start(sys.ActorSystem(), opts.Options, c.guard)
	if err != nil {
		_ = sys.ActorSystem().Root.StopFuture(pid).Wait()
		return nil, err
	}
	c.remote, c.address = r, address
	return c, nil
}

// Address returns the address the collector listens on (host:port), for
// the forwarders' Collector option.
func (c *Collector) Address() string { return c.address }

// Received counts the events taken.
func (c *Collector) Received() int64 { return c.received.Load() }

// Duplicates counts the events of resent batches, not logged twice.
func (c *Collector) Duplicates() int64 { return c.duplicates.Load() }

// Refused counts the events of nodes not on the allow-list.
func (c *Collector) Refused() int64 { return c.refused.Load() }

// TooLarge counts the events over MaxEventSize.
func (c *Collector) TooLarge() int64 { return c.tooLarge.Load() }

// Malformed counts the messages refused as malformed: a Proto.Actor
// message whose indexes point past its lists, or that made the server
// panic, and a batch without events, origin, forwarder or sequence
// number. Each is logged at warning into the collector's sink.
func (c *Collector) Malformed() int64 { return c.guard.refused.Load() + c.malformed.Load() }

// Stop stops the collector's actor and Proto.Actor remote. The System
// goes on.
//
// Remote's graceful shutdown tells each node still connected that the
// collector leaves. In the pinned Proto.Actor it panics (send on a closed
// channel) when a node's connection ends at that very moment; Stop then
// stops the server at once instead, as a non-graceful shutdown does, and
// logs a warning naming the panic into the collector's sink.
func (c *Collector) Stop(ctx context.Context) error {
	c.stopping.Store(true)
	err := actors.StopGracefully(ctx, c.sys.ActorSystem(), c.pid)
	shutdown(c.remote, c.shutdownPanicked)
	return err
}

// nodeLeft is told that the stream of node ended, with err if it failed
// rather than being closed by the node: such a node has disappeared, and
// is logged at warning.
func (c *Collector) nodeLeft(node string, err error) {
	if err == nil || c.stopping.Load() {
		return
	}
	now := time.Now()
	c.gone.Lock()
	c.gone.at[node] = now
	if now.After(c.gone.nextPrune) {
		c.gone.nextPrune = now.Add(c.gone.window)
		for n, at := range c.gone.at {
			if now.Sub(at) > c.gone.window {
				delete(c.gone.at, n)
			}
		}
	}
	c.gone.Unlock()
	c.sink.Logger().Warning(fmt.Sprintf("collector: node %s disappeared: %v", node, err), "node", node)
}

// nodeConnected is told that node connected; one that had disappeared is
// logged at warning as back.
func (c *Collector) nodeConnected(node string) {
	c.gone.Lock()
	at, gone := c.gone.at[node]
	delete(c.gone.at, node)
	c.gone.Unlock()
	if gone && !c.stopping.Load() {
		c.sink.Logger().Warning(fmt.Sprintf("collector: node %s is back, %v after it disappeared", node, time.Since(at).Round(time.Millisecond)), "node", node)
	}
}

// shutdownPanicked logs, into the collector's sink, that remote's
// graceful shutdown panicked with v and was done at once instead.
func (c *Collector) shutdownPanicked(v any) {
	c.sink.Logger().Warning(fmt.Sprintf("collector: remote's graceful shutdown panicked (%v); its server was stopped at once", v),
		"panic", fmt.Sprint(v))
}

// shutdown shuts r down gracefully or, when Proto.Actor panics on the way
// (its endpoint manager telling a connection that has just closed), at
// once, and tells warn what the panic was: the endpoint manager has
// stopped its actors by then, and only the gRPC server is left to stop.
func shutdown(r interface{ Shutdown(graceful bool) }, warn func(any)) {
	defer func() {
		if v := recover(); v != nil {
			r.Shutdown(false)
			warn(v)
		}
	}()
	r.Shutdown(true)
}

// collector is the collector's actor.
type collector struct {
	c    *Collector
	sink *actorlog.Sink
	opts CollectorOptions
	seen map[string]seen // origin/forwarder → its last batch logged
	now  func() time.Time
	// nextPrune is when seen is next swept of forwarders silent for
	// longer than the DedupWindow.
	nextPrune time.Time
}

// seen is a forwarder's last batch logged, and when.
type seen struct {
	seq uint64
	at  time.Time
}

// remember records batch seq of key as logged, and sweeps the forwarders
// silent for longer than the DedupWindow, at most once per window.
func (a *collector) remember(key string, seq uint64) {
	now := a.now()
	a.seen[key] = seen{seq: seq, at: now}
	if now.Before(a.nextPrune) {
		return
	}
	a.nextPrune = now.Add(a.opts.DedupWindow)
	for k, v := range a.seen {
		if now.Sub(v.at) > a.opts.DedupWindow {
			delete(a.seen, k)
		}
	}
}

// Receive implements actor.Actor.
func (a *collector) Receive(ctx actor.Context) {
	b, ok := ctx.Message().(*pb.Batch)
	if !ok {
		return
	}
	log := a.sink.Logger()
	if why := malformed(b); why != "" {
		// Not from a forwarder: refused without an answer.
		a.c.malformed.Add(1)
		log.Warning(fmt.Sprintf("collector refused a malformed batch from %q: %s", b.Origin, why),
			"origin", b.Origin, "reason", why)
		return
	}
	if len(a.opts.AllowList) > 0 && !slices.Contains(a.opts.AllowList, b.Origin) {
		a.c.refused.Add(int64(len(b.Events)))
		log.Warning(fmt.Sprintf("collector refused %d events from %s: not on the allow-list", len(b.Events), b.Origin),
			"origin", b.Origin)
		ctx.Respond(&pb.Ack{Seq: b.Seq, Rejected: uint32(len(b.Events))})
		return
	}
	key := b.Origin + "/" + b.Forwarder
	if b.Seq <= a.seen[key].seq {
		// A resend after a lost ack: logged already. The forwarder is
		// alive: it is remembered anew.
		a.remember(key, a.seen[key].seq)
		a.c.duplicates.Add(int64(len(b.Events)))
		ctx.Respond(&pb.Ack{Seq: b.Seq})
		return
	}
	a.remember(key, b.Seq)
	rejected := 0
	for _, w := range b.Events {
		if size(w) > a.opts.MaxEventSize {
			rejected++
			continue
		}
		// In sync mode this waits: the ack, and so the forwarder, waits too.
		_ = a.sink.LogEvent(fromWire(w, b.Origin)) // counted by the sink if dropped
		a.c.received.Add(1)
	}
	if rejected > 0 {
		a.c.tooLarge.Add(int64(rejected))
		log.Warning(fmt.Sprintf("collector refused %d events from %s larger than %d bytes", rejected, b.Origin, a.opts.MaxEventSize),
			"origin", b.Origin, "refused", rejected)
	}
	// Acknowledged once written: a collector killed then loses no event
	// it acknowledged that its handlers could flush. A failed flush is
	// the failing handler's to report, and does not hold the ack back.
	fctx, cancel := context.WithTimeout(context.Background(), DefaultAckTimeout)
	_ = a.sink.Flush(fctx)
	cancel()
	ctx.Respond(&pb.Ack{Seq: b.Seq, Rejected: uint32(rejected)})
}

// malformed says what makes b a batch no forwarder sends, or "".
func malformed(b *pb.Batch) string {
	switch {
	case len(b.Events) == 0:
		return "no events"
	case b.Origin == "":
		return "no origin"
	case b.Forwarder == "":
		return "no forwarder"
	case b.Seq == 0:
		return "no sequence number"
	}
	return ""
}
