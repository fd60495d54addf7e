//go:build !race

// Proto.Actor remote's Start writes gRPC's global logger without
// synchronisation (grpclog.SetLoggerV2) while other remotes' gRPC
// goroutines read it: a data race inside the dependency that no caller can
// prevent when several actor systems run remote in one process, as these
// tests do. They are built without -race; .ci/run runs them so.

package remote_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/remote"
	"github.com/asynkron/protoactor-go/actor"
	protoremote "github.com/asynkron/protoactor-go/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collectorNode is an actorlog System collecting into a memory handler.
type collectorNode struct {
	sys  *actorlog.System
	mem  *handlers.Memory
	coll *remote.Collector
}

func startCollector(t testing.TB, port int, opts remote.CollectorOptions) *collectorNode {
	t.Helper()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	mem := &handlers.Memory{}
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "debug"}, Handler: mem}}})
	require.NoError(t, err)
	opts.Port = port
	coll, err := remote.StartCollector(sys, opts)
	require.NoError(t, err)
	n := &collectorNode{sys: sys, mem: mem, coll: coll}
	t.Cleanup(func() { n.stop(t) })
	return n
}

func (n *collectorNode) stop(t testing.TB) {
	if n.coll == nil {
		return
	}
	ctx := actortest.Context(t)
	_ = n.coll.Stop(ctx)
	_ = n.sys.Stop(ctx)
	n.sys.ActorSystem().Shutdown()
	n.coll = nil
}

// serviceNode is an actorlog System forwarding to a collector, with a
// memory handler for its own reports.
type serviceNode struct {
	sys *actorlog.System
	fwd *remote.Forwarder
	mem *handlers.Memory
}

func startService(t testing.TB, collector string, fwd *remote.Forwarder) *serviceNode {
	t.Helper()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	_, _, err := remote.Start(system, remote.Options{})
	require.NoError(t, err)
	fwd.System, fwd.Collector = system, collector
	mem := &handlers.Memory{}
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "forward", Level: "info", Filters: []handlers.Filter{{ID: "no-own-reports", Fn: func(e *core.Event) handlers.FilterAction {
			if _, ok := e.Lookup("collector"); ok {
				return handlers.Stop
			}
			return handlers.Ignore
		}}}}, Handler: fwd},
		{Config: handlers.Config{ID: "memory"}, Handler: mem},
	}})
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx := actortest.Context(t)
		_ = sys.Stop(ctx)
		if r := protoremote.GetRemote(system); r != nil {
			r.Shutdown(false)
		}
		system.Shutdown()
	})
	return &serviceNode{sys: sys, fwd: fwd, mem: mem}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(actortest.Deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCollectsFromTwoNodesWithTheirOrigin(t *testing.T) {
	c := startCollector(t, 0, remote.CollectorOptions{})
	a := startService(t, c.coll.Address(), &remote.Forwarder{})
	b := startService(t, c.coll.Address(), &remote.Forwarder{})
	for i := range 100 {
		a.sys.Logger().Info("from a", "i", i, "took", time.Duration(i)*time.Millisecond)
		b.sys.Logger().Warning("from b", "i", i)
	}
	require.NoError(t, a.sys.Flush(actortest.Context(t)))
	require.NoError(t, b.sys.Flush(actortest.Context(t)))
	waitFor(t, "200 events at the collector", func() bool { return c.mem.Len() >= 200 })

	next := map[string]int64{}
	for _, e := range c.mem.Events() {
		origin, ok := e.Lookup("origin")
		require.True(t, ok, "marked with its origin")
		assert.Equal(t, origin.String(), e.Node)
		i, _ := e.Lookup("i")
		assert.Equal(t, next[e.Message], i.Int64(), "in order per origin")
		next[e.Message]++
		if e.Message == "from a" {
			assert.Equal(t, a.sys.ActorSystem().Address(), e.Node)
			took, _ := e.Lookup("took")
			assert.Equal(t, time.Duration(i.Int64())*time.Millisecond, took.Duration(), "kinds survive the wire")
			assert.Equal(t, actorlog.LevelInfo, e.Level)
		}
	}
	assert.Equal(t, map[string]int64{"from a": 100, "from b": 100}, next)
	assert.Equal(t, int64(200), c.coll.Received())
	assert.Equal(t, int64(100), a.fwd.Sent())
}

// The collector goes away mid-stream and comes back on its address:
// nothing within the buffer is lost, and the drops beyond it are counted
// exactly and reported.
func TestCollectorDownAndBackLosesNothingWithinTheBuffer(t *testing.T) {
	port := freePort(t)
	c := startCollector(t, port, remote.CollectorOptions{})
	s := startService(t, c.coll.Address(), &remote.Forwarder{MaxBuffer: 50, BatchSize: 10, RetryEvery: 20 * time.Millisecond, AckTimeout: 300 * time.Millisecond})
	log := s.sys.Logger()
	for i := range 10 {
		log.Info("before", "i", i)
	}
	waitFor(t, "the first 10, acknowledged", func() bool { return c.mem.Len() == 10 && s.fwd.Sent() == 10 })

	c.stop(t)
	for i := range 80 {
		log.Info("while down", "i", i)
	}
	_, err := s.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return strings.Contains(e.Message, "unreachable") })
	require.NoError(t, err, "the outage is reported")

	c2 := startCollector(t, port, remote.CollectorOptions{})
	waitFor(t, "the buffered 50", func() bool { return c2.mem.Len() == 50 })
	e, err := s.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return strings.Contains(e.Message, "reachable again") })
	require.NoError(t, err)
	assert.Equal(t, "collector "+c2.coll.Address()+" reachable again", e.Message)
	waitFor(t, "the 30 drops reported", func() bool { return reportedDrops(s.mem) == 30 })
	assert.Equal(t, int64(30), s.fwd.Dropped())
	for j, e := range c2.mem.Events() {
		i, _ := e.Lookup("i")
		assert.Equal(t, int64(j), i.Int64(), "the first 50 of the outage, in order")
	}
}

// reportedDrops sums the drops a forwarder reported.
func reportedDrops(mem *handlers.Memory) int64 {
	var n int64
	for _, e := range mem.Events() {
		if d, ok := e.Lookup("dropped"); ok && strings.HasPrefix(e.Message, "forwarder dropped ") {
			n += d.Int64()
		}
	}
	return n
}

// A collector that stays while its forwarder overflows is never reported
// lost or found; the drops are reported with their exact count, at most
// once a second.
func TestOverflowIsNotAnOutage(t *testing.T) {
	c := startCollector(t, 0, remote.CollectorOptions{})
	s := startService(t, c.coll.Address(), &remote.Forwarder{MaxBuffer: 20, BatchSize: 10})
	for i := range 5000 {
		s.sys.Logger().Info("burst", "i", i)
	}
	require.NoError(t, s.sys.Flush(actortest.Context(t)))
	require.Positive(t, s.fwd.Dropped(), "the burst overflowed the buffer")
	waitFor(t, "every drop reported", func() bool { return reportedDrops(s.mem) == s.fwd.Dropped() })
	assert.Equal(t, int64(5000), s.fwd.Sent()+s.fwd.Dropped())
	waitFor(t, "the collector has what was sent", func() bool { return c.coll.Received() == s.fwd.Sent() })
	for _, e := range s.mem.Events() {
		assert.NotContains(t, e.Message, "reachable", "the collector never went away")
	}
}

// A forwarder whose collector leaves and comes back sends again without
// waiting for AckTimeout or RetryEvery (an hour here): it notices the
// connection end, and tries the port until the collector listens again.
func TestResumesWithoutWaitingForTimeouts(t *testing.T) {
	port := freePort(t)
	c := startCollector(t, port, remote.CollectorOptions{})
	s := startService(t, c.coll.Address(), &remote.Forwarder{BatchSize: 10, AckTimeout: time.Hour, RetryEvery: time.Hour})
	for round := range 3 {
		s.sys.Logger().Info("before", "round", round)
		waitFor(t, "the event before, acknowledged", func() bool { return c.mem.Len() == 1 && s.fwd.Sent() == int64(2*round+1) })
		c.stop(t)
		s.sys.Logger().Info("while away", "round", round)
		waitFor(t, "the collector reported unreachable", func() bool {
			n := 0
			for _, e := range s.mem.Events() {
				if strings.Contains(e.Message, " unreachable: ") {
					n++
				}
			}
			return n == round+1
		})
		c = startCollector(t, port, remote.CollectorOptions{})
		waitFor(t, "the event logged while it was away, acknowledged", func() bool { return c.mem.Len() == 1 && s.fwd.Sent() == int64(2*round+2) })
		assert.Equal(t, "while away", c.mem.Events()[0].Message)
		c.stop(t)
		c = startCollector(t, port, remote.CollectorOptions{})
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	port, _ := strconv.Atoi(p)
	return port
}

func TestListenFailureIsAnError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	port, _ := strconv.Atoi(p)
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{}})
	require.NoError(t, err)
	defer sys.Stop(context.Background())
	_, err = remote.StartCollector(sys, remote.CollectorOptions{Options: remote.Options{Port: port}})
	assert.ErrorIs(t, err, remote.ErrListen)
}

func TestAllowListAndMaxEventSize(t *testing.T) {
	c := startCollector(t, 0, remote.CollectorOptions{AllowList: []string{"nobody:1"}, MaxEventSize: 100})
	s := startService(t, c.coll.Address(), &remote.Forwarder{})
	s.sys.Logger().Info("refused")
	require.NoError(t, s.sys.Flush(actortest.Context(t)))
	_, err := c.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return strings.Contains(e.Message, "not on the allow-list") })
	require.NoError(t, err)
	assert.Equal(t, int64(1), c.coll.Refused())

	c2 := startCollector(t, 0, remote.CollectorOptions{MaxEventSize: 100})
	s2 := startService(t, c2.coll.Address(), &remote.Forwarder{})
	s2.sys.Logger().Info(strings.Repeat("x", 200))
	s2.sys.Logger().Info("small")
	require.NoError(t, s2.sys.Flush(actortest.Context(t)))
	_, err = c2.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return e.Message == "small" })
	require.NoError(t, err)
	assert.Equal(t, int64(1), c2.coll.TooLarge())
}
