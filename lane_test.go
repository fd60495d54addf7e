package actorlog_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lineSink is a console's writer that keeps what it is given; it panics
// on a line holding "poison", once, and can be held shut.
type lineSink struct {
	mu       sync.Mutex
	out      bytes.Buffer
	poisoned bool
	gate     chan struct{} // when not nil, Write waits for it to close
	entered  chan string   // when not nil, told each line Write waits with
}

func (w *lineSink) Write(p []byte) (int, error) {
	if w.gate != nil {
		if w.entered != nil {
			select {
			case w.entered <- string(p):
			default:
			}
		}
		<-w.gate
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.Contains(p, []byte("poison")) && !w.poisoned {
		w.poisoned = true
		panic("a writer bug")
	}
	return w.out.Write(p)
}

func (w *lineSink) lines() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := strings.TrimSuffix(w.out.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// A console takes its events as lines that the callers formatted and put
// in its lane; a line that makes it panic is the only one lost, as with
// events: it restarts and writes the ones after it.
func TestALaneLineThatPanicsIsTheOnlyOneLost(t *testing.T) {
	w := &lineSink{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "console", Level: "info",
		Formatter: &formatterMessage}, Handler: &handlers.Console{Writer: w}})
	log := s.Logger()
	for _, m := range []string{"first", "poison", "second", "third"} {
		log.Info(m)
	}
	require.NoError(t, s.Flush(bg(t)))
	assert.Equal(t, []string{"first", "second", "third"}, w.lines())
	st := handlerStatus(t, s.Status(bg(t)), "console")
	assert.Equal(t, int64(1), st.Restarts)
	assert.Equal(t, int64(4), st.Handled, "the poisoning line was handled, then lost")
}

// While a console's writer is stuck, its lane fills and the sink goes to
// sync mode, where callers wait for their lines: each producer's lines
// still come in the order it logged them, and every event is written or a
// counted drop.
func TestLanesKeepOrderAcrossModes(t *testing.T) {
	gate := make(chan struct{})
	w := &lineSink{gate: gate}
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 20, AsyncThresholdWindow: 10},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "console", Level: "info", Formatter: &formatterMessage},
			Handler: &handlers.Console{Writer: w}}},
	})
	log, sink := s.Logger(), actorlog.SinkOf(s)
	const producers, each = 4, 300
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range each {
				log.Info(fmt.Sprintf("p%d %d", p, i))
			}
		})
	}
	require.Eventually(t, func() bool { return sink.Mode() == sinks.Sync }, deadline, time.Millisecond)
	close(gate)
	wg.Wait()
	require.NoError(t, s.Flush(bg(t)))
	st := s.Status(bg(t)).Sinks[0]
	lines := w.lines()
	assert.Equal(t, producers*each, len(lines)+int(st.Drops.Total()), "drops %+v", st.Drops)
	next := make([]int, producers)
	for _, l := range lines {
		var p, i int
		_, err := fmt.Sscanf(l, "p%d %d", &p, &i)
		require.NoError(t, err, l)
		require.GreaterOrEqual(t, i, next[p], "producer %d's line %d after its line %d", p, i, next[p]-1)
		next[p] = i + 1
	}
}

var formatterMessage = formatter.Lager{Tokens: formatter.Tokens(formatter.Message, formatter.Text("\n"))}

// In sync mode a caller still puts its line in the lane, and returns once
// the handler has written it: when Log returns, the line is out, with no
// Flush; a caller whose line is not written within SyncTimeout is told.
func TestSyncCallersWaitForTheirLines(t *testing.T) {
	gate := make(chan struct{})
	w := &lineSink{gate: gate}
	sink := stuckInSync(t, w, time.Hour, 0)
	q := sink.QueueLen() // nothing else comes: the handler is stuck
	done := make(chan error, 1)
	go func() { done <- sink.Log(event("probe")) }()
	require.Eventually(t, func() bool { return sink.QueueLen() == q+1 }, deadline, time.Millisecond, "the probe's line is put")
	select {
	case err := <-done:
		t.Fatalf("a sync caller returned (%v) while its line could not be written", err)
	default:
	}
	close(gate)
	require.NoError(t, <-done)
	assert.Contains(t, w.lines(), "probe", "the line is written when Log returns")
	assert.Zero(t, sink.Dropped())
}

// A sync caller whose line the stuck handler does not write within
// SyncTimeout gets ErrSyncTimeout; the line is still written later.
func TestSyncLineTimesOut(t *testing.T) {
	gate := make(chan struct{})
	w := &lineSink{gate: gate}
	sink := stuckInSync(t, w, 20*time.Millisecond, 0)
	require.ErrorIs(t, sink.Log(event("late")), sinks.ErrSyncTimeout)
	close(gate)
	require.NoError(t, sink.Flush(bg(t)))
	assert.Contains(t, w.lines(), "late")
}

// Sync callers waiting for lines that the killer drops with the sink's
// queue are told the sink stopped, as those waiting on the inbox path are.
func TestSyncLinesKilled(t *testing.T) {
	gate := make(chan struct{})
	defer close(gate)
	w := &lineSink{gate: gate, entered: make(chan string, 1)}
	sink := stuckInSync(t, w, time.Hour, 30)
	// Read once the handler is in its write, having taken its lines: a
	// reading may be low while the handler takes them.
	<-w.entered
	q := sink.QueueLen()
	errs := make(chan error, 2)
	for i := range 2 {
		go func() { errs <- sink.Log(event(fmt.Sprintf("waiting %d", i))) }()
	}
	require.Eventually(t, func() bool { return sink.QueueLen() == q+2 }, deadline, time.Millisecond, "both lines are put")
	for i := 0; sink.Kills() == 0 && i < 40; i++ { // past the killer's mark
		_ = sink.LogNoWait(event(fmt.Sprintf("flood %d", i)))
	}
	require.Equal(t, int64(1), sink.Kills())
	for range 2 {
		assert.ErrorIs(t, <-errs, sinks.ErrSinkStopped)
	}
}

// The killer counts as dropped only what it drops: lines the handler had
// taken from its lane, or the rest of the batch it was handling, are still
// written, and are not counted; events that went from the inbox to the
// handler's mailbox after the kill are counted once. Every event logged is
// then written or counted as killed, never both, and the kill's report
// gives the count.
func TestKilledEventsAreCountedOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    formatter.Formatter
	}{
		{"lines in a lane", &formatterMessage},
		{"events in batches (a formatter of the user's: no lane)", userFormat{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gate := make(chan struct{})
			w := &lineSink{gate: gate, entered: make(chan string, 1)}
			sink := stuckInSyncWith(t, w, sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
				SyncTimeout: time.Hour, KillerHWM: 30, KillerReinstallAfter: time.Millisecond}, tc.f)
			select { // the handler has taken events, and is writing the first
			case line := <-w.entered:
				require.Equal(t, "fill 0\n", line)
			case <-time.After(deadline):
				t.Fatal("the handler never wrote")
			}
			logged := 10                                   // stuckInSync's
			for i := 0; sink.Kills() == 0 && i < 60; i++ { // past the killer's mark
				_ = sink.LogNoWait(event(fmt.Sprintf("flood %d", i)))
				logged++
			}
			require.Equal(t, int64(1), sink.Kills())
			close(gate) // the handler writes what it had taken
			var report string
			require.Eventually(t, func() bool {
				for _, l := range w.lines() {
					if strings.Contains(l, "killed") {
						report = l
						return true
					}
				}
				return false
			}, deadline, time.Millisecond, "the handler is back, with the report")
			written := 0
			for _, l := range w.lines() {
				if strings.HasPrefix(l, "fill") || strings.HasPrefix(l, "flood") {
					written++
				}
			}
			killed := sink.Drops().Killed.Load()
			assert.Positive(t, written, "what was taken before the kill is written")
			assert.Equal(t, int64(logged), int64(written)+killed, "written %d, killed %d, of %d logged", written, killed, logged)
			// Reports the system logs while the handler is away (its
			// watcher's, say) are counted as NoHandler, or NotRunning
			// between incarnations: every event the test logged is
			// written or killed (above).
			d := sink.Drops()
			assert.Equal(t, killed, sink.Dropped()-d.NoHandler.Load()-d.NotRunning.Load(), "no other drop")
			assert.Contains(t, report, fmt.Sprintf("; %d events discarded;", killed))
		})
	}
}

// userFormat writes an event's message and a newline: a formatter of the
// user's, which turns the sink's lanes off.
type userFormat struct{}

func (userFormat) Format(dst []byte, e *core.Event) []byte {
	return append(append(dst, e.Message...), '\n')
}

// stuckInSync starts a sink whose console writes to w, and fills its lane
// with callers that do not wait while w is held shut, until the sink is in
// sync mode; hwm is the killer's mark (0: no killer).
func stuckInSync(t *testing.T, w *lineSink, timeout time.Duration, hwm int) *sinks.Sink {
	t.Helper()
	return stuckInSyncWith(t, w, sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
		SyncTimeout: timeout, KillerHWM: hwm}, &formatterMessage)
}

// stuckInSyncWith is stuckInSync with thresholds th, and the console's
// formatter f.
func stuckInSyncWith(t *testing.T, w *lineSink, th sinks.Thresholds, f formatter.Formatter) *sinks.Sink {
	t.Helper()
	s := startCfg(t, actorlog.Config{
		Overload: th,
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "console", Level: "info", Formatter: f},
			Handler: &handlers.Console{Writer: w}}},
	})
	sink := actorlog.SinkOf(s)
	for i := range 10 {
		require.NoError(t, sink.LogNoWait(event(fmt.Sprintf("fill %d", i))))
	}
	require.Eventually(t, func() bool { return sink.Mode() == sinks.Sync }, deadline, time.Millisecond)
	return sink
}

func event(msg string) *core.Event {
	return &core.Event{Time: time.Now(), Level: actorlog.LevelInfo, Message: msg}
}

// While the killer's handlers are away, the events they would take are
// counted, not skipped unseen: the sink keeps their levels wanted until
// their watchers have them back.
func TestEventsWhileHandlersAreAwayAreCounted(t *testing.T) {
	gate := make(chan struct{})
	w := &lineSink{gate: gate, entered: make(chan string, 1)}
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
			SyncTimeout: time.Hour, KillerHWM: 30, KillerReinstallAfter: time.Hour},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "console", Level: "info", Formatter: &formatterMessage},
			Handler: &handlers.Console{Writer: w}}},
	})
	sink := actorlog.SinkOf(s)
	first := sink.PID()
	for i := 0; sink.Kills() == 0 && i < 60; i++ { // the handler is stuck: past the killer's mark
		_ = sink.LogNoWait(event(fmt.Sprintf("flood %d", i)))
	}
	require.Equal(t, int64(1), sink.Kills())
	close(gate)
	// The new incarnation starts once the killed one has stopped, and
	// with it the killer's count is settled: Dropped moves no more.
	require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != first }, deadline, time.Millisecond,
		"the sink restarts at once")
	require.True(t, sink.Enabled(core.LevelInfo), "the handler's level is still wanted while it is away")
	require.False(t, sink.Enabled(core.LevelDebug), "no other level is")
	before := sink.Dropped()
	for i := range 5 {
		s.Logger().Info(fmt.Sprintf("while away %d", i))
	}
	// At least: the system's own reports while the handler is away are
	// counted too (its watcher's), and may come in meanwhile. Skipped
	// unseen, as they were, none of these would be.
	require.Eventually(t, func() bool { return sink.Dropped() >= before+5 }, deadline, time.Millisecond,
		"the 5 events are counted")
	for _, l := range w.lines() {
		assert.NotContains(t, l, "while away", "the handler waits for KillerReinstallAfter, even when told it exited")
	}

	// An incarnation that stops before the handler is back leaves it
	// awaited by the next.
	second := sink.PID()
	require.NoError(t, actors.StopNow(bg(t), s.ActorSystem(), second))
	require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != second }, deadline, time.Millisecond,
		"the sink restarts")
	st, err := sink.Status(bg(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"console"}, st.Awaited)
	assert.True(t, sink.Enabled(core.LevelInfo), "the handler's level is still wanted")
}

// onceAdder installs the first time, and fails every install after it with
// err.
type onceAdder struct {
	adds atomic.Int64
	err  error
}

func (h *onceAdder) Add(*handlers.Config) error {
	if h.adds.Add(1) > 1 {
		return h.err
	}
	return nil
}

func (h *onceAdder) Log(*core.Event, *handlers.Config) error { return nil }

// A handler that cannot come back after a kill does not hold the others
// back: once every handler that can is back, the callers use the lanes
// again. While its watcher retries, its levels stay wanted and what only
// it would take is counted; once its watcher gives up, they are no longer
// wanted.
func TestAHandlerThatCannotComeBackHoldsNoOneBack(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		awaited []string
	}{
		{"its watcher retries", errors.New("not today"), []string{"flaky"}},
		{"its watcher gives up", handlers.Fatal(errors.New("never")), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gate := make(chan struct{})
			w := &lineSink{gate: gate}
			s := startCfg(t, actorlog.Config{
				Overload: sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
					SyncTimeout: time.Hour, KillerHWM: 30, KillerReinstallAfter: time.Millisecond},
				Handlers: []actorlog.Handler{
					{Config: handlers.Config{ID: "console", Level: "info", Formatter: &formatterMessage}, Handler: &handlers.Console{Writer: w}},
					{Config: handlers.Config{ID: "flaky", Level: "debug"}, Handler: &onceAdder{err: tc.err}},
				},
			})
			sink := actorlog.SinkOf(s)
			for i := 0; sink.Kills() == 0 && i < 60; i++ { // the console is stuck: past the killer's mark
				_ = sink.LogNoWait(event(fmt.Sprintf("flood %d", i)))
			}
			require.Equal(t, int64(1), sink.Kills())
			close(gate)
			var st sinks.SinkStatus
			require.Eventually(t, func() bool {
				var err error
				st, err = sink.Status(bg(t))
				return err == nil && len(st.Handlers) == 1 && st.Handlers[0].ID == "console" && slices.Equal(st.Awaited, tc.awaited)
			}, deadline, time.Millisecond, "the console is back; awaited: %v", tc.awaited)
			assert.True(t, st.Lanes, "the console's lane is used again")
			if tc.awaited == nil {
				assert.False(t, sink.Enabled(core.LevelDebug), "no one wants debug any more")
				return
			}
			require.True(t, sink.Enabled(core.LevelDebug), "the flaky handler's levels are still wanted")
			before := sink.Drops().NoHandler.Load()
			for range 3 {
				s.Logger().Debug("only the flaky handler takes this")
			}
			assert.Equal(t, before+3, sink.Drops().NoHandler.Load(), "what only the flaky handler takes is counted")
		})
	}
}

// The report of a kill reaches the handlers back after it even when the
// incarnation that followed the kill stopped before they were back.
func TestAKillsReportOutlivesTheNextIncarnation(t *testing.T) {
	gate := make(chan struct{})
	w := &lineSink{gate: gate}
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
			SyncTimeout: time.Hour, KillerHWM: 30, KillerReinstallAfter: 300 * time.Millisecond},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "console", Level: "info", Formatter: &formatterMessage},
			Handler: &handlers.Console{Writer: w}}},
	})
	sink := actorlog.SinkOf(s)
	first := sink.PID()
	for i := 0; sink.Kills() == 0 && i < 60; i++ {
		_ = sink.LogNoWait(event(fmt.Sprintf("flood %d", i)))
	}
	require.Equal(t, int64(1), sink.Kills())
	close(gate)
	var second *actor.PID
	require.Eventually(t, func() bool { second = sink.PID(); return second != nil && second != first }, deadline, time.Millisecond)
	// Mostly before the console is back: KillerReinstallAfter holds it.
	require.NoError(t, actors.StopNow(bg(t), s.ActorSystem(), second))
	reports := func() (n int) {
		for _, l := range w.lines() {
			if strings.Contains(l, "sink default killed") {
				n++
			}
		}
		return n
	}
	require.Eventually(t, func() bool { return reports() == 1 }, deadline, time.Millisecond, "the console gets the kill's report")
	st, err := sink.Status(bg(t))
	require.NoError(t, err)
	assert.Empty(t, st.Awaited)
	assert.True(t, st.Lanes, "the console is back on its lane")
	assert.Equal(t, 1, reports(), "once")
}
