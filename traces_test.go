package actorlog_test

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func drain(t *testing.T, s *actorlog.System, mem *handlers.Memory) []string {
	t.Helper()
	require.NoError(t, s.Flush(bg(t)))
	var out []string
	for _, e := range mem.Events() {
		out = append(out, e.Message)
	}
	mem.Reset()
	return out
}

// lager's "tracing works" and "tracing honors loglevel".
func TestTraceRaisesVerbosityForMatchingEventsOnly(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "error"}, Handler: mem})
	log := s.Logger()
	assert.False(t, log.Enabled(actorlog.LevelDebug))

	ref, err := s.Trace(bg(t), "memory", core.Eq("request", 6), "notice")
	require.NoError(t, err)
	assert.True(t, log.Enabled(actorlog.LevelNotice), "the trace widens the mask by its levels")
	assert.False(t, log.Enabled(actorlog.LevelInfo), "and no more")

	log.Notice("traced", "request", 6)
	log.Notice("not traced", "request", 7)
	log.Info("below the trace's level", "request", 6)
	log.Error("by level", "request", 6) // matches both: written once
	assert.Equal(t, []string{"traced", "by level"}, drain(t, s, mem))

	require.NoError(t, s.StopTrace(bg(t), ref))
	log.Notice("after the stop", "request", 6)
	assert.Empty(t, drain(t, s, mem))
	assert.False(t, log.Enabled(actorlog.LevelNotice))
	assert.ErrorIs(t, s.StopTrace(bg(t), ref), sinks.ErrNoTrace)
}

// lager's "tracing works with custom attributes and event stream
// processing", through the string syntax.
func TestTraceWithParsedQuery(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "none"}, Handler: mem})
	q, err := actorlog.ParseQuery(`(beta < 2.12 or meta = "data") and beta > 2`)
	require.NoError(t, err)
	_, err = s.Trace(bg(t), "memory", q, "")
	require.NoError(t, err)
	log := s.Logger()
	log.Debug("1", "beta", 2.1)
	log.Debug("2", "beta", 3, "meta", "data")
	log.Debug("3", "beta", 3)
	log.Debug("4", "beta", 1, "meta", "data")
	log.Debug("5", "meta", "data")
	assert.Equal(t, []string{"1", "2"}, drain(t, s, mem))
}

func TestSilenceTrace(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: mem})
	_, err := s.Trace(bg(t), "memory", core.Eq("component", "noisy"), actorlog.Silence)
	require.NoError(t, err)
	log := s.Logger()
	assert.False(t, log.Enabled(actorlog.LevelDebug), "a silence trace never widens the mask")
	log.Info("quiet please", "component", "noisy")
	log.Info("heard", "component", "db")
	assert.Equal(t, []string{"heard"}, drain(t, s, mem))

	st := s.Status(bg(t)).String()
	assert.Contains(t, st, `component = "noisy" → memory at silence`, "Status works with silence traces (lager crashes)")

	// The fast path survives: a disabled debug call allocates nothing.
	allocs := testing.AllocsPerRun(100, func() { log.Debug("nothing", "k", "v") })
	assert.Zero(t, allocs)
}

func TestTraceErrors(t *testing.T) {
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory"}, Handler: &handlers.Memory{}})
	_, err := s.Trace(bg(t), "memory", core.Query{}, "")
	assert.ErrorIs(t, err, sinks.ErrBadTrace, "an empty filter is an error, not a crash")
	_, err = s.Trace(bg(t), "memory", core.All(), "")
	assert.ErrorIs(t, err, sinks.ErrBadTrace)
	_, err = s.Trace(bg(t), "memory", core.Present("x"), "loud")
	assert.ErrorIs(t, err, sinks.ErrBadTrace)
	_, err = s.Trace(bg(t), "nobody", core.Present("x"), "")
	assert.ErrorIs(t, err, sinks.ErrNotFound)
	_, err = actorlog.ParseQuery(`module = `)
	assert.ErrorIs(t, err, core.ErrBadQuery)
}

// lager's "stopped trace stops and removes its event handler (gh#267)",
// with the log root joined once (lager doubles it in trace_file).
func TestTraceFileHandlersComeAndGoWithTheirTraces(t *testing.T) {
	root := t.TempDir()
	mem := &handlers.Memory{}
	s := startCfg(t, actorlog.Config{LogRoot: root, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory"}, Handler: mem},
		{Config: handlers.Config{ID: "configured", Level: "none"}, Handler: &handlers.Memory{}},
	}})
	path := filepath.Join(root, "log", "trace.log")
	a, err := s.TraceFile(bg(t), "log/trace.log", core.Eq("user", "alice"), "", &handlers.File{SyncInterval: handlers.Off})
	require.NoError(t, err)
	b, err := s.TraceFile(bg(t), "log/trace.log", core.Eq("user", "bob"), "", nil)
	require.NoError(t, err)
	assert.Len(t, s.Status(bg(t)).Sinks[0].Handlers, 3, "two traces to one file: one handler")

	s.Logger().Debug("for alice", "user", "alice")
	s.Logger().Debug("for carol", "user", "carol")
	require.NoError(t, s.Flush(bg(t)))
	got := read(t, path)
	assert.Contains(t, got, "for alice")
	assert.NotContains(t, got, "for carol")
	assert.Equal(t, 1, strings.Count(got, "\n"))

	require.NoError(t, s.StopTrace(bg(t), a))
	assert.Len(t, s.Status(bg(t)).Sinks[0].Handlers, 3, "one trace left: the handler stays")
	require.NoError(t, s.StopTrace(bg(t), b))
	assert.Len(t, s.Status(bg(t)).Sinks[0].Handlers, 2, "the last trace took its handler")
	assert.Empty(t, s.Traces())

	_, err = s.TraceFile(bg(t), "log/trace.log", core.Present("user"), "", nil)
	require.NoError(t, err)
	_, err = s.Trace(bg(t), "configured", core.Present("user"), "")
	require.NoError(t, err)
	require.NoError(t, s.ClearAllTraces(bg(t)))
	var ids []string
	for _, h := range s.Status(bg(t)).Sinks[0].Handlers {
		ids = append(ids, h.ID)
	}
	assert.ElementsMatch(t, []string{"memory", "configured"}, ids, "ClearAllTraces keeps configured level-none handlers")
}

func TestClearTracesByDestination(t *testing.T) {
	mem, other := &handlers.Memory{}, &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "none"}, Handler: mem},
		actorlog.Handler{Config: handlers.Config{ID: "other", Level: "none"}, Handler: other})
	_, err := s.Trace(bg(t), "memory", core.Present("x"), "")
	require.NoError(t, err)
	_, err = s.Trace(bg(t), "other", core.Present("x"), "")
	require.NoError(t, err)
	require.NoError(t, s.ClearTraces(bg(t), "memory"))
	s.Logger().Info("m", "x", 1)
	assert.Empty(t, drain(t, s, mem))
	assert.Equal(t, []string{"m"}, drain(t, s, other))
}

// A handler that panics on an event a trace sent it, in async mode (no
// caller waits for it), is restarted like any other, and goes on.
func TestATracedEventThatPanicsItsHandler(t *testing.T) {
	h := &scripted{panicOn: "boom"}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "h", Level: "error"}, Handler: h})
	ctx := bg(t)
	_, err := s.Trace(ctx, "h", core.Eq("traced", true), "info")
	require.NoError(t, err)
	l := s.Logger()
	l.Info("boom", "traced", true) // below the handler's level: sent by the trace
	l.Info("after", "traced", true)
	require.NoError(t, s.Flush(ctx))
	got, _, _, _ := h.snapshot()
	assert.Equal(t, []string{"after"}, got)
}

// The README's trace to a file, beside lager's default set: the debug
// events the trace does not match reach no handler. Every handler here
// releases the events it handled, so the sink reuses their memory; an
// event no handler takes must not be reused while the sink still routes
// it (it was, and went to every handler at info as a blank, zero-time
// line).
func TestUnmatchedDebugEventsUnderATraceFileWriteNothing(t *testing.T) {
	root := t.TempDir()
	console := &actortest.Buffer{}
	hs := actorlog.DefaultHandlers()
	hs[0].Handler = &handlers.Console{Writer: console}
	s := startCfg(t, actorlog.Config{LogRoot: root, Handlers: hs})
	q, err := actorlog.ParseQuery(`request_id = "r-17"`)
	require.NoError(t, err)
	_, err = s.TraceFile(bg(t), "requests.log", q, "debug", nil)
	require.NoError(t, err)

	log := s.Logger()
	for i := range 200 {
		log.Debug("cache miss", "request_id", "r-18", "i", i)
		if i%50 == 0 {
			log.Debug("cache miss", "request_id", "r-17", "i", i)
		}
	}
	require.NoError(t, s.Flush(bg(t)))
	assert.Empty(t, console.String(), "the console at info")
	assert.Empty(t, read(t, filepath.Join(root, "log", "console.log")), "log/console.log at info")
	traced := read(t, filepath.Join(root, "requests.log"))
	assert.Equal(t, 4, strings.Count(traced, "\n"), traced)
	assert.Equal(t, 4, strings.Count(traced, "request_id=r-17"), traced)
	assert.NotContains(t, traced, "r-18")
}

// While a handler that only a trace feeds is away after a kill, an event
// that its trace matches, and that no other handler takes, is counted,
// as an event at its own level is (TestKillerWithAHandlerStuckInLog).
func TestEventsForATracedHandlerAwayAreCounted(t *testing.T) {
	s, stuck, _, mem := stuckBesideHealthy(t, "traced", "none")
	ctx := bg(t)
	_, err := s.Trace(ctx, "traced", core.Eq("req", "hot"), "=debug")
	require.NoError(t, err)
	sink := actorlog.SinkOf(s)
	hot := func(msg string) *core.Event {
		return &core.Event{Time: time.Now(), Level: actorlog.LevelDebug, Message: msg, Attrs: []slog.Attr{slog.String("req", "hot")}}
	}

	require.NoError(t, sink.LogNoWait(hot("held")))
	<-stuck.started // it is in Log, and stays there
	floodUntilKilled(t, sink, func(i int) *core.Event { return hot(fmt.Sprintf("flood %d", i)) })
	require.Equal(t, int64(1), sink.Kills())
	require.Eventually(t, func() bool {
		st := s.Status(ctx).Sinks[0]
		return st.Running && len(st.Handlers) == 1 && st.Handlers[0].ID == "healthy"
	}, deadline, time.Millisecond, "the healthy handler is back")
	assert.Equal(t, []string{"traced"}, s.Status(ctx).Sinks[0].Awaited)
	require.NoError(t, sink.LogNoWait(&core.Event{Time: time.Now(), Level: actorlog.LevelWarning, Message: "while stuck"}))
	_, err = mem.WaitMatch(ctx, func(e *core.Event) bool { return e.Message == "while stuck" })
	require.NoError(t, err)

	noHandler := sink.Drops().NoHandler.Load()
	for range 3 {
		require.ErrorIs(t, sink.LogNoWait(hot("meanwhile")), sinks.ErrDropped, "no handler ready takes it")
	}
	cold := hot("not traced")
	cold.Attrs = []slog.Attr{slog.String("req", "cold")}
	require.NoError(t, sink.LogNoWait(cold), "no handler takes it, and none awaited would")
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, noHandler+3, sink.Drops().NoHandler.Load(),
		"what only the traced handler takes is counted meanwhile, and what no one takes is not")
}
