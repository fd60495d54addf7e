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

// A console takes its events as lines that the callers formatted and
// posted to its mailbox; a line that makes it panic is the only one lost,
// as with events: it restarts and writes the ones after it.
func TestAPostedLineThatPanicsIsTheOnlyOneLost(t *testing.T) {
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

// While a console's writer is stuck, its mailbox fills with lines and the
// sink goes to sync mode, where callers wait for their lines: each
// producer's lines still come in the order it logged them, and every event
// is written or a counted drop.
func TestPostedLinesKeepOrderAcrossModes(t *testing.T) {
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

// In sync mode a caller still posts its line to the handler's mailbox,
// and returns once the handler has written it: when Log returns, the line is out, with no
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
// queue are told the sink stopped, as those waiting for events are.
func TestSyncLinesKilled(t *testing.T) {
	gate := make(chan struct{})
	defer close(gate)
	w := &lineSink{gate: gate}
	sink := stuckInSync(t, w, time.Hour, 30)
	q := sink.QueueLen() // the handler is in its write: nothing leaves the queue
	errs := make(chan error, 2)
	for i := range 2 {
		go func() { errs <- sink.Log(event(fmt.Sprintf("waiting %d", i))) }()
	}
	require.Eventually(t, func() bool { return sink.QueueLen() == q+2 }, deadline, time.Millisecond, "both lines are put")
	floodUntilKilled(t, sink, func(i int) *core.Event { return event(fmt.Sprintf("flood %d", i)) }) // past the killer's mark
	require.Equal(t, int64(1), sink.Kills())
	for range 2 {
		assert.ErrorIs(t, <-errs, sinks.ErrSinkStopped)
	}
}

// The killer counts as dropped only what it drops: the lines or the batch
// of events the handler had taken from its mailbox are still written, and
// are not counted. Every event logged is then written, counted as killed,
// or refused as the kill struck (counted, ErrDropped), never two of them,
// and the kill's report gives the count.
func TestKilledEventsAreCountedOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    formatter.Formatter
	}{
		{"lines posted by the callers", &formatterMessage},
		{"events in batches (a formatter of the user's: no lines)", userFormat{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gate := make(chan struct{})
			w := &lineSink{gate: gate}
			// The handler has taken events, and is writing the first.
			sink, filled := stuckInSyncWith(t, w, sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
				SyncTimeout: time.Hour, KillerHWM: 30, KillerReinstallAfter: time.Millisecond}, tc.f)
			// Past the killer's mark.
			flooded, refused := floodUntilKilled(t, sink, func(i int) *core.Event { return event(fmt.Sprintf("flood %d", i)) })
			logged := filled + flooded
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
			assert.Equal(t, int64(logged), int64(written)+killed+int64(refused), "written %d, killed %d, refused %d, of %d logged",
				written, killed, refused, logged)
			// Events logged as the kill struck were refused: counted as
			// NoHandler (a mailbox the kill closed), or NotRunning between
			// incarnations, as are reports the system logs while the
			// handler is away (its watcher's, say). Every event the test
			// logged is written, killed or refused (above).
			d := sink.Drops()
			assert.GreaterOrEqual(t, d.NoHandler.Load()+d.NotRunning.Load(), int64(refused), "every refused event is counted")
			assert.Equal(t, killed, sink.Dropped()-d.NoHandler.Load()-d.NotRunning.Load(), "no other drop")
			assert.Contains(t, report, fmt.Sprintf("; %d events discarded;", killed))
		})
	}
}

// userFormat writes an event's message and a newline: a formatter of the
// user's, so that the callers post the console events, not lines.
type userFormat struct{}

func (userFormat) Format(dst []byte, e *core.Event) []byte {
	return append(append(dst, e.Message...), '\n')
}

// stuckInSync starts a sink whose console writes to w, and fills the
// console's mailbox with callers that do not wait while w is held shut,
// until the sink is in sync mode; hwm is the killer's mark (0: no killer).
func stuckInSync(t *testing.T, w *lineSink, timeout time.Duration, hwm int) *sinks.Sink {
	t.Helper()
	sink, _ := stuckInSyncWith(t, w, sinks.Thresholds{AsyncThreshold: 5, AsyncThresholdWindow: 2, DiscardThreshold: 10_000,
		SyncTimeout: timeout, KillerHWM: hwm}, &formatterMessage)
	return sink
}

// stuckInSyncWith is stuckInSync with thresholds th, and the console's
// formatter f; it also returns how many events it logged. When it
// returns, the console is in its first write ("fill 0"), holding what it
// took with it, and its queue only grows.
func stuckInSyncWith(t *testing.T, w *lineSink, th sinks.Thresholds, f formatter.Formatter) (*sinks.Sink, int) {
	t.Helper()
	if w.entered == nil {
		w.entered = make(chan string, 1)
	}
	s := startCfg(t, actorlog.Config{
		Overload: th,
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "console", Level: "info", Formatter: f},
			Handler: &handlers.Console{Writer: w}}},
	})
	sink := actorlog.SinkOf(s)
	logged := 0
	fill := func() {
		require.NoError(t, sink.LogNoWait(event(fmt.Sprintf("fill %d", logged))))
		logged++
	}
	for range 10 {
		fill()
	}
	select {
	case line := <-w.entered:
		require.Equal(t, "fill 0\n", line)
	case <-bg(t).Done():
		t.Fatal("the console never wrote")
	}
	// What the console took with its first line (up to all 10) is in its
	// hands, not queued: its queue leaves it out.
	for sink.QueueLen() <= th.AsyncThreshold {
		fill()
	}
	require.Eventually(t, func() bool { return sink.Mode() == sinks.Sync }, deadline, time.Millisecond)
	return sink, logged
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
	floodUntilKilled(t, sink, func(i int) *core.Event { return event(fmt.Sprintf("flood %d", i)) }) // the handler is stuck
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
// back: every handler that can is back. While its watcher retries, its levels stay wanted and what only
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
			floodUntilKilled(t, sink, func(i int) *core.Event { return event(fmt.Sprintf("flood %d", i)) }) // the console is stuck
			require.Equal(t, int64(1), sink.Kills())
			close(gate)
			var st sinks.SinkStatus
			require.Eventually(t, func() bool {
				var err error
				st, err = sink.Status(bg(t))
				return err == nil && len(st.Handlers) == 1 && st.Handlers[0].ID == "console" && slices.Equal(st.Awaited, tc.awaited)
			}, deadline, time.Millisecond, "the console is back; awaited: %v", tc.awaited)
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
	floodUntilKilled(t, sink, func(i int) *core.Event { return event(fmt.Sprintf("flood %d", i)) })
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
	assert.Equal(t, 1, reports(), "once")
}
