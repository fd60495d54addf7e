package actorlog_test

import (
	"errors"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A trace, a flood in sync mode, a kill and a custom handler actor, all at
// once in one System, round after round: whatever the interleaving, every
// event is written by each handler that takes it or counted, never both;
// no line is blank or undated; the traced handler gets only what its trace
// matches; and callers meet only the documented errors.
func TestTraceSyncFloodKillAndCustomActorTogether(t *testing.T) {
	for round := range 20 {
		t.Run(fmt.Sprint(round), togetherRound)
	}
}

// producer is what one flooding goroutine logged, by outcome.
type producer struct {
	hot bool // its events carry the metadata the trace matches
	// accepted holds the messages the sink took (Emit returned anything
	// but ErrDropped), by level; dropped those it refused, counted.
	accepted map[core.Level][]string
	dropped  []string
	errs     []error // outside the documented ones
}

// Each event goes to one handler at most, so that a drop counts for one
// handler: info to the console, notice to the custom actor, debug that
// the trace matches to the traced handler, and debug that it does not
// match to none.
var (
	togetherLine  = regexp.MustCompile(`^(\d{4}-\d\d-\d\d) \d\d:\d\d:\d\d\.\d{3} \[info\] (p\d+-\d+)$`)
	togetherLevel = []core.Level{actorlog.LevelDebug, actorlog.LevelInfo, actorlog.LevelNotice}
)

func togetherRound(t *testing.T) {
	console := &lineSink{}
	traced, hTraced := memory("traced", "none") // fed by its trace alone
	custom := &gatedActor{gate: make(chan struct{}), started: make(chan struct{})}
	var release sync.Once
	open := func() { release.Do(func() { close(custom.gate) }) }
	t.Cleanup(open) // never leave the actor stuck, whatever fails
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 4, AsyncThresholdWindow: 2, DiscardThreshold: 100_000,
			KillerReinstallAfter: time.Millisecond},
		Handlers: []actorlog.Handler{
			{Config: handlers.Config{ID: "console", Level: "=info", Formatter: &formatter.Lager{Tokens: formatter.Tokens(
				formatter.Date, formatter.Text(" "), formatter.Time, formatter.Text(" ["), formatter.Severity,
				formatter.Text("] "), formatter.Message, formatter.Text("\n"))}},
				Handler: &handlers.Console{Writer: console}},
			{Config: handlers.Config{ID: "custom", Level: "=notice"},
				Props: actor.PropsFromProducer(func() actor.Actor { return custom })},
			hTraced,
		},
	})
	ctx := bg(t)
	_, err := s.Trace(ctx, "traced", core.Eq("req", "hot"), "=debug")
	require.NoError(t, err)

	// The flood: four producers, two of them with the traced metadata,
	// each logging debug, info and notice in turn until told to stop.
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	var logged atomic.Int64
	var wg sync.WaitGroup
	ps := make([]*producer, 4)
	for i := range ps {
		p := &producer{hot: i%2 == 0, accepted: map[core.Level][]string{}}
		ps[i] = p
		req := "cold"
		if p.hot {
			req = "hot"
		}
		log := s.Logger().With("req", req)
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				level, msg := togetherLevel[n%len(togetherLevel)], fmt.Sprintf("p%d-%d", i, n)
				switch err := log.Emit(ctx, level, msg); {
				case errors.Is(err, sinks.ErrDropped):
					p.dropped = append(p.dropped, msg)
				case err == nil, errors.Is(err, sinks.ErrSinkStopped), errors.Is(err, sinks.ErrSyncTimeout),
					errors.Is(err, sinks.ErrHandlerExited):
					p.accepted[level] = append(p.accepted[level], msg)
				default:
					p.errs = append(p.errs, err)
				}
				logged.Add(1)
			}
		})
	}
	defer wg.Wait()
	defer halt()

	// The custom actor holds its first event: its queue, and the sink's,
	// grows past the async threshold, and stays there.
	<-custom.started
	require.Eventually(t, func() bool { return s.Mode() == sinks.Sync }, deadline, time.Millisecond, "sync mode")
	// The killer, armed low, strikes at the next recompute; the actor is
	// let go once it has.
	require.NoError(t, s.SetOverload(sinks.Thresholds{AsyncThreshold: 4, AsyncThresholdWindow: 2, DiscardThreshold: 100_000,
		KillerHWM: 30, KillerReinstallAfter: time.Millisecond}))
	require.Eventually(t, func() bool { return s.Status(ctx).Sinks[0].Kills > 0 }, deadline, time.Millisecond, "a kill")
	open()
	// The flood goes on while the handlers come back.
	after := logged.Load() + 300
	require.Eventually(t, func() bool { return logged.Load() >= after }, deadline, time.Millisecond)
	halt()
	wg.Wait()
	err = s.Stop(ctx)
	st := s.Status(ctx).Sinks[0]
	require.NoError(t, err, "after %d kills", st.Kills)
	var entryDrops, unmatched, want, got int64
	dropped := map[string]bool{}
	for i, p := range ps {
		assert.Empty(t, p.errs, "producer %d: only the documented errors", i)
		entryDrops += int64(len(p.dropped))
		for _, m := range p.dropped {
			dropped[m] = true
		}
		if p.hot {
			want += int64(len(p.accepted[actorlog.LevelDebug]))
		} else {
			unmatched += int64(len(p.accepted[actorlog.LevelDebug]))
		}
		want += int64(len(p.accepted[actorlog.LevelInfo]) + len(p.accepted[actorlog.LevelNotice]))
	}

	// The console: dated lines of info events, each once, none of them
	// one the sink refused.
	seen := map[string]bool{}
	for _, l := range console.lines() {
		m := togetherLine.FindStringSubmatch(l)
		if !assert.NotNil(t, m, "console line %q", l) {
			continue
		}
		assert.NotEqual(t, "0001-01-01", m[1], "a zero time: %q", l)
		assert.False(t, seen[m[2]], "written twice: %q", l)
		assert.False(t, dropped[m[2]], "written and counted as dropped: %q", l)
		seen[m[2]] = true
	}
	got += int64(len(seen))
	// The traced handler: the debug events of the hot producers, each once.
	for _, e := range traced.Events() {
		assert.Equal(t, actorlog.LevelDebug, e.Level, "%s", e.Message)
		assert.False(t, e.Time.IsZero(), "a zero time: %q", e.Message)
		assert.NotEmpty(t, e.Message)
		assert.True(t, core.Eq("req", "hot").Match(e), "traced without a match: %q %v", e.Message, e.Attrs)
		assert.False(t, seen[e.Message], "handled twice: %q", e.Message)
		assert.False(t, dropped[e.Message], "handled and counted as dropped: %q", e.Message)
		seen[e.Message] = true
	}
	got += int64(traced.Len())
	got += custom.got.Load()
	assert.Zero(t, custom.reported.Load(), "the kill's report is an error: not at the custom actor's level")

	// The accounting (sinks/doc.go, "Overload protection"): an event the
	// sink refused is counted once, as it refuses it — in discard mode,
	// while no incarnation runs, after Close, or when no handler ready
	// takes it (its handler away, or its mailbox closed by the kill); one
	// it took is written by its handler, or counted as killed with the
	// queues, or as dropped by a handler that exited. An unmatched debug
	// event is taken by no one, and counted only when refused (no handler
	// ready at all). The system logs nothing into the sink here: the
	// reports about its own actors go to standard error.
	d := st.Drops
	assert.GreaterOrEqual(t, st.Kills, int64(1))
	assert.Equal(t, entryDrops, d.Discarded+d.NotRunning+d.Closed+d.NoHandler, "refused: counted once each; %+v", d)
	lost, counted := want-got, d.Killed+d.Exited
	assert.GreaterOrEqual(t, counted, lost, "every event not written is counted; %+v; custom got %d", d, custom.got.Load())
	assert.LessOrEqual(t, counted, lost, "no event is both written and counted; %+v", d)
	t.Logf("want %d, got %d, unmatched %d, drops %+v, kills %d", want, got, unmatched, d, st.Kills)
}
