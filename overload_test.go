package actorlog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gated is a handler that blocks in Log until its gate opens; started says
// when it took its first event.
type gated struct {
	gate    chan struct{}
	started chan struct{}
	once    sync.Once
	mu      sync.Mutex
	got     []string
}

func newGated() *gated { return &gated{gate: make(chan struct{}), started: make(chan struct{})} }

func (g *gated) Log(e *core.Event, _ *handlers.Config) error {
	g.once.Do(func() { close(g.started) })
	<-g.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	g.got = append(g.got, e.Message)
	return nil
}

func (g *gated) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.got)
}

func waitMode(t *testing.T, sink *sinks.Sink, want sinks.Mode, queue int) {
	t.Helper()
	if !assert.Eventually(t, func() bool { return sink.Mode() == want && sink.QueueLen() == queue }, 2*time.Second, time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		st, err := sink.Status(ctx)
		t.Fatalf("want %v at queue %d; have %v at %d; status %+v %v", want, queue, sink.Mode(), sink.QueueLen(), st, err)
	}
}

func emitAsync(log *actorlog.Logger, msg string) <-chan error {
	done := make(chan error, 1)
	go func() { done <- log.Emit(context.Background(), actorlog.LevelInfo, msg) }()
	return done
}

// Async up to the threshold, sync above it, discard at the discard
// threshold, and back to async once the slow handler drains, with no
// further traffic; a fast handler beside the slow one is not held back.
func TestOverloadModes(t *testing.T) {
	slow := newGated()
	fast, hFast := memory("fast", "warning") // it sees the warnings, not the info events that fill the slow one
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 4, AsyncThresholdWindow: 2, DiscardThreshold: 8},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow", Level: "=info"}, Handler: slow}, hFast},
	})
	sink := actorlog.SinkOf(s)
	log := s.Logger()
	ctx := bg(t)

	require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, "e0"))
	<-slow.started // the slow handler holds e0; what follows queues up
	for _, m := range []string{"e1", "e2", "e3", "e4"} {
		require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, m), "async: returns at once")
	}
	waitMode(t, sink, sinks.Async, 4) // 4 queued: not above the threshold

	require.NoError(t, <-emitAsync(log, "e5")) // sent in async mode
	waitMode(t, sink, sinks.Sync, 5)           // 5 queued: sync

	var blocked []<-chan error
	for _, m := range []string{"s6", "s7", "s8"} {
		blocked = append(blocked, emitAsync(log, m)) // these callers wait
	}
	waitMode(t, sink, sinks.Discard, 8) // 8 queued: discard
	for range 3 {
		assert.ErrorIs(t, log.Emit(ctx, actorlog.LevelInfo, "dropped"), sinks.ErrDropped)
	}
	log.Info("dropped too") // the level methods drop silently for the caller, counted
	assert.Equal(t, int64(4), sink.Drops().Discarded.Load())
	// The fast handler gets the warning while the slow one is still stuck:
	// it is not held back.
	entered, err := fast.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "above discard_threshold") })
	require.NoError(t, err)
	assert.Equal(t, "sink default: attempted to log 8 messages, which is above discard_threshold (8): new events are dropped", entered.Message)
	assert.Equal(t, actorlog.LevelWarning, entered.Level)
	_, counted := sinks.ReportedDrops(entered)
	assert.False(t, counted, "entering discard mode reports no count yet")

	close(slow.gate) // the slow handler drains; no more traffic
	for _, b := range blocked {
		assert.NoError(t, <-b, "a sync caller returns once its event was handled")
	}
	waitMode(t, sink, sinks.Async, 0) // never stuck
	left, err := fast.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "below discard_threshold") })
	require.NoError(t, err)
	assert.Contains(t, left.Message, "which is below discard_threshold (8) again; 4 events were dropped")
	n, counted := sinks.ReportedDrops(left)
	assert.True(t, counted)
	assert.Equal(t, int64(4), n, "the count is in the report's attributes too")
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, 9, slow.count(), "e0-e5 and s6-s8: every event not dropped was handled")
	st := s.Status(ctx).Sinks[0]
	assert.Equal(t, int64(4), st.Drops.Discarded)
	assert.Equal(t, sinks.Async, st.Mode)
}

func TestDiscardWarningRepeatsWhileItLasts(t *testing.T) {
	slow := newGated()
	fast, hFast := memory("fast", "warning")
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 1, AsyncThresholdWindow: 1, DiscardThreshold: 2, DiscardCheckInterval: 5 * time.Millisecond},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow", Level: "=info"}, Handler: slow}, hFast},
	})
	log := s.Logger()
	require.NoError(t, log.Emit(bg(t), actorlog.LevelInfo, "held"))
	<-slow.started
	require.NoError(t, log.Emit(bg(t), actorlog.LevelInfo, "queued"))
	blocked := emitAsync(log, "sync")
	waitMode(t, actorlog.SinkOf(s), sinks.Discard, 2)
	assert.ErrorIs(t, log.Emit(bg(t), actorlog.LevelInfo, "x"), sinks.ErrDropped)
	repeated, err := fast.WaitMatch(bg(t), func(e *core.Event) bool { return strings.Contains(e.Message, "since the last report") })
	require.NoError(t, err)
	assert.Contains(t, repeated.Message, "which is above discard_threshold (2): 1 events dropped since the last report")
	n, counted := sinks.ReportedDrops(repeated)
	assert.True(t, counted)
	assert.Equal(t, int64(1), n)
	close(slow.gate)
	assert.NoError(t, <-blocked)
}

// stepped is a custom handler actor that takes one event each time its
// step channel is sent to: its queue, counted event by event, is exact.
type stepped struct {
	step    chan struct{}
	started chan struct{}
	once    sync.Once
}

func (h *stepped) Receive(c actor.Context) {
	switch c.Message().(type) {
	case *core.Event:
		h.once.Do(func() { close(h.started) })
		<-h.step
	case handlers.Flush:
		c.Respond(handlers.Flushed{})
	}
}

// Discard mode has a hysteresis: a sink in it stays there until its queue
// is below DiscardThreshold − DiscardThresholdWindow, so a queue that
// hovers at the threshold does not flap in and out of it with a warning
// at each change; and no report counts zero drops.
func TestDiscardHysteresis(t *testing.T) {
	slow := &stepped{step: make(chan struct{}), started: make(chan struct{})}
	fast, hFast := memory("fast", "notice")
	// The discard window defaults to a fifth of the threshold: out below
	// 8. The mode is recomputed, and the discard warning due, every
	// millisecond.
	th := sinks.Thresholds{AsyncThreshold: 4, AsyncThresholdWindow: 2, DiscardThreshold: 10, DiscardCheckInterval: time.Millisecond}
	s := startCfg(t, actorlog.Config{
		Overload: th,
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow", Level: "=info"},
			Props: actor.PropsFromProducer(func() actor.Actor { return slow })}, hFast},
	})
	var release sync.Once
	open := func() { release.Do(func() { close(slow.step) }) }
	t.Cleanup(open) // before the system stops, should the test fail
	sink := actorlog.SinkOf(s)
	ctx := bg(t)
	// modeAt waits until the queue is q, and returns the mode decided
	// then (SetOverload recomputes it at once).
	modeAt := func(q int) sinks.Mode {
		t.Helper()
		require.Eventually(t, func() bool { return sink.QueueLen() == q }, deadline, time.Millisecond, "queue %d", q)
		require.NoError(t, s.SetOverload(th))
		return sink.Mode()
	}

	require.NoError(t, sink.LogNoWait(event("held")))
	<-slow.started // held; what follows queues up
	for range 10 {
		require.NoError(t, sink.LogNoWait(event("queued")))
	}
	require.Equal(t, sinks.Discard, modeAt(10))
	for _, q := range []int{9, 8} {
		slow.step <- struct{}{}
		require.Equal(t, sinks.Discard, modeAt(q), "inside the window: still discard")
	}
	assert.ErrorIs(t, sink.LogNoWait(event("dropped")), sinks.ErrDropped)
	slow.step <- struct{}{}
	require.Equal(t, sinks.Sync, modeAt(7), "below 10 − 2: out")
	left, err := fast.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "below discard_threshold") })
	require.NoError(t, err)
	assert.Contains(t, left.Message, "sink default: attempted to log 7 messages, which is below discard_threshold (10) again")

	// In again, and out with nothing dropped: no count of zero.
	for range 3 {
		require.NoError(t, sink.LogNoWait(event("queued")))
	}
	require.Equal(t, sinks.Discard, modeAt(10))
	for range 3 {
		slow.step <- struct{}{}
	}
	require.Equal(t, sinks.Sync, modeAt(7))
	open()
	waitMode(t, sink, sinks.Async, 0)
	require.NoError(t, s.Flush(ctx))
	var reported int64
	entered, leaving := 0, 0
	for _, e := range fast.Events() {
		if n, ok := sinks.ReportedDrops(e); ok {
			assert.Positive(t, n, "a report of zero drops: %s", e.Message)
			reported += n
		}
		switch {
		case strings.HasSuffix(e.Message, "new events are dropped"):
			entered++
		case strings.Contains(e.Message, "below discard_threshold"):
			leaving++
		}
	}
	assert.Equal(t, 2, entered, "one report on entering each time")
	assert.Equal(t, 2, leaving, "one report on leaving each time")
	assert.Equal(t, int64(1), reported, "the drop is reported once, when the drop was made or on leaving")
	assert.Equal(t, int64(1), sink.Drops().Discarded.Load())
}

// The killer: the flooded sink is stopped with its queue, callers blocked
// in sync mode get an error, the sink restarts at once, the handlers come
// back after KillerReinstallAfter, and each one gets the report.
func TestKiller(t *testing.T) {
	slow := newGated()
	mem, hMem := memory("mem", "error")
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 2, AsyncThresholdWindow: 1, DiscardThreshold: 100, KillerHWM: 10,
			KillerReinstallAfter: 20 * time.Millisecond},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow", Level: "=info"}, Handler: slow}, hMem},
	})
	sink := actorlog.SinkOf(s)
	log := s.Logger()
	ctx := bg(t)
	require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, "held"))
	<-slow.started
	for range 3 {
		require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, "queued"))
	}
	waitMode(t, sink, sinks.Sync, 3)
	first := sink.PID()

	var callers []<-chan error
	for range 8 {
		callers = append(callers, emitAsync(log, "blocked"))
	}
	for i, c := range callers {
		select {
		case err := <-c:
			assert.Error(t, err, "caller %d", i)
			assert.True(t, errors.Is(err, sinks.ErrSinkStopped) || errors.Is(err, sinks.ErrDropped), "caller %d: %v", i, err)
		case <-time.After(deadline):
			t.Fatalf("caller %d still blocked after the kill", i)
		}
	}
	close(slow.gate) // the stuck handler lets its actor stop
	require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != first }, deadline, time.Millisecond, "the sink restarts at once")
	assert.Equal(t, int64(1), sink.Kills())

	report, err := mem.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "killed") })
	require.NoError(t, err, "the report survives the kill: the handler gets it when it is back")
	// The 3 queued and the 8 blocked callers' events are discarded, but
	// for those the slow handler took before its actor was told to stop
	// (it had stopped by the time the report came): those are handled,
	// and not counted.
	handled := slow.count() - 1 // "held" aside
	killed := sink.Drops().Killed.Load()
	assert.Equal(t, int64(11), int64(handled)+killed, "handled %d, killed %d", handled, killed)
	assert.Regexp(t, fmt.Sprintf(`^sink default killed: 11 events queued, above killer_hwm \(10\); %d events discarded; handlers back at \d\d:\d\d:\d\d\.\d{3}$`, killed), report.Message)
	require.Eventually(t, func() bool { return len(s.Status(ctx).Sinks[0].Handlers) == 2 }, deadline, time.Millisecond, "both handlers are back")
	log.Error("after the kill")
	_, err = mem.WaitMatch(ctx, func(e *core.Event) bool { return e.Message == "after the kill" })
	require.NoError(t, err)
	// The handler recomputes the mode once Log has returned: a moment
	// after the event is seen.
	assert.Eventually(t, func() bool { return sink.Mode() == sinks.Async }, deadline, time.Millisecond)
}

// A handler's high water mark: at most N events a second, the rest counted
// and reported when the second is over, even with no further event, never
// for 0.
func TestHighWaterMarkReport(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "limited", HighWaterMark: 5}, Handler: mem})
	for i := range 15 {
		s.Logger().Infof("burst %d", i)
	}
	report, err := mem.WaitMatch(bg(t), func(e *core.Event) bool { return strings.Contains(e.Message, "dropped") })
	require.NoError(t, err)
	assert.Equal(t, "handler limited dropped 10 messages in the last second that exceeded the limit of 5 messages/sec", report.Message)
	assert.Equal(t, actorlog.LevelWarning, report.Level)
	assert.Len(t, mem.Events(), 6, "5 events and the report")
	st := handlerStatus(t, s.Status(bg(t)), "limited")
	assert.Equal(t, int64(10), st.Dropped)
	assert.Contains(t, s.Status(bg(t)).String(), "dropped 10 over its high water mark")
}

func TestOverloadConfig(t *testing.T) {
	_, err := actorlog.Start(actorlog.Config{Overload: sinks.Thresholds{AsyncThreshold: 10, AsyncThresholdWindow: 11}})
	require.ErrorIs(t, err, actorlog.ErrBadConfig)
	assert.Contains(t, err.Error(), "overload.async_threshold_window: must not exceed async_threshold (10), got 11")

	s := start(t)
	err = s.SetOverload(sinks.Thresholds{DiscardThreshold: 5})
	require.ErrorIs(t, err, actorlog.ErrBadConfig)
	assert.Contains(t, err.Error(), "overload.discard_threshold: must exceed async_threshold (20), got 5")
	require.NoError(t, s.SetOverload(sinks.Thresholds{AsyncThreshold: 50, DiscardThreshold: 1000}))
	th := actorlog.SinkOf(s).Thresholds()
	assert.Equal(t, 50, th.AsyncThreshold)
	assert.Equal(t, 10, th.AsyncThresholdWindow)
}

// panicsOn is a gated handler that panics on one message.
type panicsOn struct {
	*gated
	bad string
}

func (p panicsOn) Log(e *core.Event, cfg *handlers.Config) error {
	if e.Message == p.bad {
		panic("poisoned event")
	}
	return p.gated.Log(e, cfg)
}

func TestSyncCallersGoOnWhenTheirBatchPanics(t *testing.T) {
	h := panicsOn{gated: newGated(), bad: "bad"}
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 1, AsyncThresholdWindow: 1, DiscardThreshold: 100, SyncTimeout: time.Hour},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "h"}, Handler: h}},
	})
	sink, log, ctx := actorlog.SinkOf(s), s.Logger(), bg(t)
	require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, "e0"))
	<-h.started
	require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, "e1"))
	require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, "e2"))
	waitMode(t, sink, sinks.Sync, 2)
	waiting := []<-chan error{emitAsync(log, "bad"), emitAsync(log, "after")}
	require.Eventually(t, func() bool { return sink.QueueLen() == 4 }, deadline, time.Millisecond)

	close(h.gate) // e0-e2 are handled, "bad" panics, the handler restarts
	for _, w := range waiting {
		select {
		case err := <-w:
			assert.NoError(t, err)
		case <-time.After(deadline):
			t.Fatal("a sync caller still waits: its ack was lost with the panic")
		}
	}
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, 4, h.count(), "e0-e2 and after")
}

// gatedActor is a custom handler actor that blocks on each event until
// its gate opens, and counts the events it took, and the kill reports.
type gatedActor struct {
	gate          chan struct{}
	started       chan struct{}
	once          sync.Once
	got, reported atomic.Int64
	discarded     atomic.Int64 // as the kill's report says
}

func (g *gatedActor) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *core.Event:
		if strings.Contains(m.Message, "killed") {
			for _, a := range m.Attrs {
				if a.Key == "discarded" {
					g.discarded.Store(a.Value.Int64())
				}
			}
			g.reported.Add(1)
			return
		}
		g.once.Do(func() { close(g.started) })
		<-g.gate
		g.got.Add(1)
	case handlers.Flush:
		c.Respond(handlers.Flushed{})
	}
}

// A custom actor's queue counts in its sink's, as a handler's does: a
// stuck one takes the sink to sync mode, and its killer counts what the
// actor had not taken, and only that.
func TestCustomActorsQueueCounts(t *testing.T) {
	g := &gatedActor{gate: make(chan struct{}), started: make(chan struct{})}
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
			KillerHWM: 20, KillerReinstallAfter: time.Millisecond},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "custom", Level: "info"},
			Props: actor.PropsFromProducer(func() actor.Actor { return g })}},
	})
	sink := actorlog.SinkOf(s)
	first := sink.PID()
	require.NoError(t, sink.LogNoWait(event("held")))
	<-g.started
	for i := range 6 {
		require.NoError(t, sink.LogNoWait(event(fmt.Sprintf("queued %d", i))))
	}
	waitMode(t, sink, sinks.Sync, 6)

	flooded, refused := floodUntilKilled(t, sink, func(i int) *core.Event { return event(fmt.Sprintf("flood %d", i)) })
	logged := 7 + flooded
	require.Equal(t, int64(1), sink.Kills())
	// The gate opens once the sink has restarted (it does not wait for
	// an actor stuck in its Receive), so that the Stop sent to the actor
	// reaches it before it takes the events queued behind "held".
	require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != first }, deadline, time.Millisecond,
		"the sink restarts at once")
	close(g.gate)
	require.Eventually(t, func() bool { return g.reported.Load() == 1 }, deadline, time.Millisecond, "the actor is back, with the report")
	// Events logged as the kill struck were refused, counted as NoHandler
	// (a mailbox the kill closed), or NotRunning between incarnations, as
	// are the system's own reports while the actor was away (its
	// watcher's): every other event logged here was taken or dropped.
	d := sink.Drops()
	assert.GreaterOrEqual(t, d.NoHandler.Load()+d.NotRunning.Load(), int64(refused), "every refused event is counted")
	dropped := sink.Dropped() - d.NoHandler.Load() - d.NotRunning.Load()
	assert.Equal(t, int64(logged), g.got.Load()+dropped+int64(refused), "taken %d, dropped %d, refused %d, of %d logged",
		g.got.Load(), dropped, refused, logged)
	// Killed may be zero: the actor can take every queued event before
	// the Stop reaches it, and then the kill discarded nothing. The report
	// says what was counted, whatever it was.
	assert.Equal(t, sink.Drops().Killed.Load(), g.discarded.Load(), "the kill's report and the sink's count")
	// The system's reports of the kill may still be on their way to the
	// actor; once it has taken them, nothing is left counted.
	assert.Eventually(t, func() bool { return sink.QueueLen() == 0 }, deadline, time.Millisecond, "the queue, once taken, counts nothing")
}

// With AsyncThreshold Off there is no sync mode: callers never wait, and
// the sink goes from async to discard and back.
func TestSyncModeOff(t *testing.T) {
	slow := newGated()
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: sinks.Off, DiscardThreshold: 8},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow", Level: "=info"}, Handler: slow}},
	})
	sink := actorlog.SinkOf(s)
	log := s.Logger()
	ctx := bg(t)
	require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, "e0"))
	<-slow.started
	for i := 1; i <= 8; i++ {
		require.NoError(t, log.Emit(ctx, actorlog.LevelInfo, fmt.Sprint("e", i)), "no sync mode: returns at once")
		assert.NotEqual(t, sinks.Sync, sink.Mode())
	}
	waitMode(t, sink, sinks.Discard, 8)
	assert.ErrorIs(t, log.Emit(ctx, actorlog.LevelInfo, "dropped"), sinks.ErrDropped)
	close(slow.gate)
	waitMode(t, sink, sinks.Async, 0)
	assert.Equal(t, sinks.Off, sink.Thresholds().AsyncThreshold, "Thresholds shows it off")
	require.NoError(t, s.SetOverload(sink.Thresholds()), "and takes it back")
}
