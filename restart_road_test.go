package actorlog_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// addsOnceThenPanics is a handler whose Add works the first time only,
// and whose Log holds each event at its gate and panics on bad.
type addsOnceThenPanics struct {
	*onceAdder
	panicsOn
}

func (h addsOnceThenPanics) Log(e *core.Event, cfg *handlers.Config) error {
	return h.panicsOn.Log(e, cfg)
}

// A handler that panics and then cannot be added again exits: the events
// queued behind the one that panicked are counted as Exited, none taken
// by a handler that was not added.
func TestAnAddThatFailsAfterARestartCountsTheQueue(t *testing.T) {
	h := addsOnceThenPanics{&onceAdder{err: errors.New("cannot add again")}, panicsOn{gated: newGated(), bad: "boom"}}
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: sinks.Off, DiscardThreshold: 10_000},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "h", Level: "info"}, Handler: h}},
	})
	sink := actorlog.SinkOf(s)
	require.NoError(t, sink.LogNoWait(event("held")))
	<-h.started // held at its gate while the rest is queued
	require.NoError(t, sink.LogNoWait(event("boom")))
	const n = 200
	for i := range n {
		require.NoError(t, sink.LogNoWait(event(fmt.Sprintf("queued %d", i))))
	}
	close(h.gate)
	require.Eventually(t, func() bool { return int64(h.count()-1)+sink.Drops().Exited.Load() == n }, deadline, time.Millisecond,
		"every queued event is handled or counted: got %d, exited %d", h.count()-1, sink.Drops().Exited.Load())
	assert.Zero(t, h.count()-1, "the handler was never added again")
}

// A sink that restarts in discard mode decides its mode anew: with its
// queue gone, it takes events again, at once, not at its next periodic
// check.
func TestDiscardModeDoesNotOutliveARestart(t *testing.T) {
	slow := newGated()
	th := sinks.Thresholds{AsyncThreshold: sinks.Off, DiscardThreshold: 50, KillerReinstallAfter: time.Millisecond}
	s := startCfg(t, actorlog.Config{
		Overload: th,
		// At notice only: none of the system's own reports reaches it.
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow", Level: "=notice"}, Handler: slow}},
	})
	sink := actorlog.SinkOf(s)
	notice := func(msg string) *core.Event {
		return &core.Event{Time: time.Now(), Level: core.LevelNotice, Message: msg}
	}
	require.NoError(t, sink.LogNoWait(notice("held")))
	<-slow.started
	for i := 0; sink.Mode() != sinks.Discard && i < 200; i++ {
		_ = sink.LogNoWait(notice(fmt.Sprintf("flood %d", i)))
	}
	require.Eventually(t, func() bool { return sink.Mode() == sinks.Discard }, deadline, time.Millisecond)
	first := sink.PID()
	th.KillerHWM = 30 // strikes at the decision SetOverload asks for
	require.NoError(t, s.SetOverload(th))
	require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != first }, deadline, time.Millisecond, "restarted")
	// The handler is still stuck, and takes nothing: no handler asks for
	// a check, no caller posts. The new incarnation decides at its start.
	require.Eventually(t, func() bool { return sink.Mode() != sinks.Discard }, deadline, time.Millisecond,
		"the restarted sink left discard mode")
	close(slow.gate)
	require.Eventually(t, func() bool { return sink.Log(notice("after")) == nil }, deadline, time.Millisecond,
		"it takes events once its handler is back")
}
