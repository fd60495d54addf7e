package actorlog_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/supervision"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A handler stuck in Log holds back only itself when the killer strikes:
// the sink restarts at once, a healthy handler is back after
// KillerReinstallAfter and receives while the stuck one is still in Log,
// the events only the stuck one takes are counted meanwhile, and the
// stuck one comes back once its old incarnation has left Log (two
// incarnations never write at once).
func TestKillerWithAHandlerStuckInLog(t *testing.T) {
	s, stuck, open, mem := stuckBesideHealthy(t, "stuck", "=notice")
	sink := actorlog.SinkOf(s)
	ctx := bg(t)
	notice := func(msg string) *core.Event {
		return &core.Event{Time: time.Now(), Level: actorlog.LevelNotice, Message: msg}
	}

	require.NoError(t, sink.LogNoWait(notice("held")))
	<-stuck.started // it is in Log, and stays there
	first := sink.PID()
	flooded, refused := floodUntilKilled(t, sink, func(i int) *core.Event { return notice(fmt.Sprintf("flood %d", i)) })
	logged := 1 + flooded
	require.Equal(t, int64(1), sink.Kills())

	require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != first }, deadline, time.Millisecond,
		"the sink restarts at once, the stuck handler still in Log")
	require.Eventually(t, func() bool {
		st := s.Status(ctx).Sinks[0]
		return len(st.Handlers) == 1 && st.Handlers[0].ID == "healthy"
	}, deadline, time.Millisecond, "the healthy handler is back")
	assert.Equal(t, []string{"stuck"}, s.Status(ctx).Sinks[0].Awaited)
	require.NoError(t, sink.LogNoWait(&core.Event{Time: time.Now(), Level: actorlog.LevelWarning, Message: "while stuck"}))
	_, err := mem.WaitMatch(ctx, func(e *core.Event) bool { return e.Message == "while stuck" })
	require.NoError(t, err, "the healthy handler receives while the stuck one is in Log")

	// The flood's events refused as the kill struck are counted, and
	// nothing else is: the system's reports here go to standard error.
	noHandler := sink.Drops().NoHandler.Load()
	assert.Equal(t, int64(refused), sink.Drops().NotRunning.Load()+noHandler, "each refused event is counted once")
	for range 3 {
		require.ErrorIs(t, sink.LogNoWait(notice("meanwhile")), sinks.ErrDropped, "no handler ready takes it")
	}
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, noHandler+3, sink.Drops().NoHandler.Load(), "what only the stuck handler takes is counted meanwhile")
	assert.Equal(t, 0, stuck.count(), "its old incarnation is still in Log")

	open() // its old incarnation leaves Log, and stops
	require.Eventually(t, func() bool {
		st := s.Status(ctx).Sinks[0]
		return len(st.Handlers) == 2 && len(st.Awaited) == 0
	}, deadline, time.Millisecond, "the stuck handler is back")
	require.NoError(t, sink.LogNoWait(notice("after")))
	require.NoError(t, s.Flush(ctx))
	got := stuck.count()
	stuck.mu.Lock()
	last := stuck.got[len(stuck.got)-1]
	stuck.mu.Unlock()
	assert.Equal(t, "after", last)
	// What the old incarnation took before it was told to stop is
	// handled; the rest of what was queued was counted by the killer; what
	// came as it struck was refused, counted.
	assert.Equal(t, int64(logged), int64(got-1)+sink.Drops().Killed.Load()+int64(refused), "handled %d, killed %d, refused %d, of %d",
		got-1, sink.Drops().Killed.Load(), refused, logged)
}

// A killed sink exits with reason killed, not normal: its supervisor's
// report says what happened.
func TestAKilledSinkExitsKilled(t *testing.T) {
	stuck := newGated()
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 2, AsyncThresholdWindow: 1, DiscardThreshold: 1000, KillerHWM: 10,
			KillerReinstallAfter: time.Millisecond},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "stuck", Level: "info"}, Handler: stuck}},
	})
	t.Cleanup(func() { close(stuck.gate) })
	terminated := actortest.Collect[*supervision.ChildTerminated](t, s.ActorSystem(), 16)
	sink := actorlog.SinkOf(s)
	require.NoError(t, sink.LogNoWait(event("held")))
	<-stuck.started
	floodUntilKilled(t, sink, func(i int) *core.Event { return event(fmt.Sprintf("flood %d", i)) })
	require.Equal(t, int64(1), sink.Kills())
	select {
	case r := <-terminated:
		assert.Equal(t, "sink-default", r.ChildID)
		assert.ErrorIs(t, r.Reason, supervision.ErrKilled)
	case <-bg(t).Done():
		t.Fatal("no report of the sink's exit")
	}
}

// The sink's last stop waits, within DrainTimeout, for a handler actor
// that a kill let go while it was still in its handler, as it waits for
// its own handlers: the actor handles what it had taken and ends before
// Stop returns, and is not reported stuck.
func TestTheLastStopWaitsForAHandlerAKillLetGo(t *testing.T) {
	stderr := captureStderr(t)
	s, stuck, open, _ := stuckBesideHealthy(t, "stuck", "=notice")
	sink := actorlog.SinkOf(s)
	notice := func(msg string) *core.Event {
		return &core.Event{Time: time.Now(), Level: actorlog.LevelNotice, Message: msg}
	}
	require.NoError(t, sink.LogNoWait(notice("held")))
	<-stuck.started // it is in Log, and stays there
	first := sink.PID()
	floodUntilKilled(t, sink, func(i int) *core.Event { return notice(fmt.Sprintf("flood %d", i)) })
	require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != first }, deadline, time.Millisecond,
		"the sink restarts, the stuck handler's old actor still in Log")

	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(bg(t)) }()
	require.Eventually(t, func() bool { return sink.PID() == nil }, deadline, time.Millisecond, "the last incarnation stops")
	open() // its Log returns while the last incarnation stops
	require.NoError(t, <-stopped)
	assert.Equal(t, 1, stuck.count(), "it handled what it had taken before Stop returned")
	assert.NotContains(t, stderr(), "did not stop")
}

// stuckBesideHealthy starts a System whose killer strikes at 10 queued
// events, with a handler id at level that blocks in Log until open is
// called (at the latest when the test ends), and a healthy memory handler
// at warning and above.
func stuckBesideHealthy(t *testing.T, id, level string) (s *actorlog.System, stuck *gated, open func(), mem *handlers.Memory) {
	t.Helper()
	stuck = newGated()
	mem, hMem := memory("healthy", ">=warning")
	s = startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 2, AsyncThresholdWindow: 1, DiscardThreshold: 1000, KillerHWM: 10,
			KillerReinstallAfter: 20 * time.Millisecond},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: id, Level: level}, Handler: stuck}, hMem},
	})
	var release sync.Once
	open = func() { release.Do(func() { close(stuck.gate) }) }
	t.Cleanup(open)
	return s, stuck, open, mem
}
