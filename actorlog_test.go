package actorlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const deadline = actortest.Deadline

func bg(t testing.TB) context.Context { return actortest.Context(t) }

// start starts a System on a quiet actor system with the given handlers
// and stops it at the end of the test.
func start(t testing.TB, hs ...actorlog.Handler) *actorlog.System {
	t.Helper()
	return startCfg(t, actorlog.Config{Handlers: hs})
}

func startCfg(t testing.TB, cfg actorlog.Config) *actorlog.System {
	t.Helper()
	if cfg.ActorSystem == nil {
		sys := actor.NewActorSystem(actors.QuietConfig()...)
		t.Cleanup(sys.Shutdown)
		cfg.ActorSystem = sys
	}
	if cfg.Handlers == nil {
		cfg.Handlers = []actorlog.Handler{}
	}
	s, err := actorlog.Start(cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		_ = s.Stop(ctx)
	})
	return s
}

func memory(id, level string) (*handlers.Memory, actorlog.Handler) {
	m := &handlers.Memory{}
	return m, actorlog.Handler{Config: handlers.Config{ID: id, Level: level}, Handler: m}
}

// floodUntilKilled logs next(0), next(1)… into sink without waiting until
// its killer has struck, and returns how many events it logged and how
// many of them the sink refused (ErrDropped). The sink's actor kills a
// moment after a call finds a mailbox past KillerHWM, not in that call:
// the flood yields between calls, and the events logged meanwhile are
// queued (then dropped by the kill, or handled) or refused, counted —
// between incarnations as NotRunning, by a mailbox the kill closed as
// NoHandler. It fails the test if no kill comes within deadline, or if a
// call returns any other error.
func floodUntilKilled(t *testing.T, sink *sinks.Sink, next func(i int) *core.Event) (logged, refused int) {
	t.Helper()
	ctx := bg(t)
	for ; sink.Kills() == 0; logged++ {
		if ctx.Err() != nil {
			t.Fatalf("no kill after %d events (%d refused); queue %d, mode %v", logged, refused, sink.QueueLen(), sink.Mode())
		}
		switch err := sink.LogNoWait(next(logged)); {
		case errors.Is(err, sinks.ErrDropped):
			refused++
		case err != nil:
			t.Fatalf("event %d: %v", logged, err)
		}
		runtime.Gosched()
	}
	return logged, refused
}

func TestDisabledCallsAllocateNothing(t *testing.T) {
	_, h := memory("mem", "info")
	s := start(t, h)
	log := s.Logger().With("component", "test")
	require.False(t, log.Enabled(actorlog.LevelDebug))
	i := 12345
	allocs := testing.AllocsPerRun(1000, func() {
		log.Debug("not logged")
		log.Debug("not logged", "k", 1, "s", "text")
		log.Debugf("not logged %d", 1)
		log.LogAttrs(context.Background(), actorlog.LevelDebug, "not logged", slog.Int("i", i), slog.String("s", "x"))
	})
	assert.Zero(t, allocs)
}

func TestEventsCarryWhatTheCallGave(t *testing.T) {
	mem, h := memory("mem", "")
	s := start(t, h)
	log := s.Logger()

	log.With("request_id", "r1", "user", 7).Info("user logged in", "path", "/api", slog.Int("status", 200))
	_, file, line := callerLine()
	log.Warningf("disk %d%% full on %s", 91, "/var")
	log.Debug("odd args", "lonely")
	log.Notice("not a key", 42, "k", "v")
	log.Log(context.Background(), actorlog.LevelCritical, "via Log", "n", 1)
	log.LogAttrs(context.Background(), actorlog.LevelEmergency, "via LogAttrs", slog.Bool("b", true))
	events, err := mem.WaitFor(bg(t), 6)
	require.NoError(t, err)

	e := events[0]
	assert.Equal(t, actorlog.LevelInfo, e.Level)
	assert.Equal(t, "user logged in", e.Message)
	assert.Equal(t, "default", e.Sink)
	assert.Equal(t, []string{"request_id=r1", "user=7", "path=/api", "status=200"}, attrStrings(e))
	src := e.Source()
	require.NotNil(t, src)
	assert.Equal(t, file, src.File)
	assert.Equal(t, line-2, src.Line, "the source is the logging call")
	assert.Contains(t, src.Function, "TestEventsCarryWhatTheCallGave")

	assert.Equal(t, "disk 91% full on /var", events[1].Message)
	assert.Equal(t, line, events[1].Source().Line)
	assert.Equal(t, []string{"!BADKEY=lonely"}, attrStrings(events[2]))
	assert.Equal(t, []string{"!BADKEY=42", "k=v"}, attrStrings(events[3]))
	assert.Equal(t, actorlog.LevelCritical, events[4].Level)
	assert.Equal(t, []string{"b=true"}, attrStrings(events[5]))
	assert.Contains(t, events[5].Source().Function, "TestEventsCarryWhatTheCallGave")
}

// callerLine returns the caller's file and the line after its call.
func callerLine() (string, string, int) {
	pc, file, line, _ := runtime.Caller(1)
	return runtime.FuncForPC(pc).Name(), file, line + 1
}

func attrStrings(e *core.Event) []string {
	var out []string
	for _, a := range e.Attrs {
		out = append(out, a.String())
	}
	return out
}

type panicky struct{}

func (panicky) String() string { panic("no String for you") }

type cyclic struct {
	Name string
	Next *cyclic
}

func TestBadInputNeverCrashesTheCaller(t *testing.T) {
	mem, h := memory("mem", "")
	h.Config.Formatter = &formatter.JSON{}
	s := startCfg(t, actorlog.Config{Handlers: []actorlog.Handler{h}, Truncation: 64})
	log := s.Logger()
	loop := &cyclic{Name: "a"}
	loop.Next = loop
	self := []any{1, nil}
	self[1] = self
	var nilPtr *cyclic
	var typedNil error = (*net)(nil)

	log.Infof("%v and %d", panicky{}, "x")
	log.Infof("missing %d %d", 1)
	log.Info(strings.Repeat("é", 100))
	log.Info("awkward metadata",
		"bool", true, "bytes", []byte("raw\xff"), "invalid", "a\xffb", "nan", math.NaN(), "inf", math.Inf(-1),
		"time", time.Unix(0, 0).UTC(), "map", map[cyclic]int{{Name: "k"}: 1}, "func", func() {}, "chan", make(chan int),
		"pid", actor.NewPID("nonhost", "$1"), "err", errors.New("boom"), "nil", nilPtr, "typednil", typedNil,
		"cycle", loop, "selfslice", self, "huge", make([]int, 1_000_000), "stringer", panicky{})
	log.Infof("cyclic argument %v", self)

	events, err := mem.WaitFor(bg(t), 5)
	require.NoError(t, err)
	assert.Equal(t, "%!v(PANIC=String method: no String for you) and %!d(string=x)", events[0].Message)
	assert.Equal(t, "missing 1 %!d(MISSING)", events[1].Message)
	assert.LessOrEqual(t, len(events[2].Message), 64)
	assert.True(t, strings.HasSuffix(events[2].Message, core.TruncationMarker))
	assert.Equal(t, "cyclic argument [1 <cycle>]", events[4].Message)
	for _, line := range mem.Lines() {
		assert.True(t, jsonValid(line), "invalid JSON: %s", line)
	}
	meta := mem.Lines()[3]
	for _, want := range []string{`"cycle":"&{Name:a Next:<cycle>}"`, `"selfslice":"[1 <cycle>]"`, `"nan":"NaN"`, `"nil":"<nil>"`, `"typednil":"<nil>"`, `"stringer":"!PANIC(no String for you)"`, `"pid":"nonhost/$1"`} {
		assert.Contains(t, meta, want)
	}
}

type net struct{}

func (*net) Error() string { return "net" }

func TestAttributesAreFrozenInTheCaller(t *testing.T) {
	mem, h := memory("mem", "")
	s := start(t, h)
	type state struct{ N int }
	st := &state{N: 1}
	s.Logger().Info("snapshot", "state", st)
	st.N = 2 // the caller may change its values once the call returned
	events, err := mem.WaitFor(bg(t), 1)
	require.NoError(t, err)
	assert.Equal(t, "state=&{N:1}", events[0].Attrs[0].String())
}

func TestForActor(t *testing.T) {
	mem, h := memory("mem", "")
	s := start(t, h)
	system := s.ActorSystem()
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(string); ok {
			s.Logger().ForActor(c).Info("from an actor")
		}
	}))
	defer system.Root.Stop(pid)
	system.Root.Send(pid, "go")
	events, err := mem.WaitFor(bg(t), 1)
	require.NoError(t, err)
	assert.Equal(t, pid.Id, events[0].Actor.Id)
	assert.Equal(t, system.Address(), events[0].Node)
}

func TestHandlerLevelsMakeTheSinkMask(t *testing.T) {
	_, errs := memory("errors", "error")
	s := start(t, errs)
	ctx := bg(t)
	log := s.Logger()
	assert.False(t, log.Enabled(actorlog.LevelWarning))
	assert.True(t, log.Enabled(actorlog.LevelError))

	_, dbg := memory("debug-only", "=debug")
	require.NoError(t, s.AddHandler(ctx, dbg))
	assert.True(t, log.Enabled(actorlog.LevelDebug))
	assert.False(t, log.Enabled(actorlog.LevelInfo))

	require.NoError(t, s.SetHandlerLevel(ctx, "errors", "!=info"))
	assert.True(t, log.Enabled(actorlog.LevelInfo) == false && log.Enabled(actorlog.LevelNotice))
	lvl, err := s.HandlerLevel(ctx, "errors")
	require.NoError(t, err)
	assert.Equal(t, actorlog.LevelDebug, lvl, "lager reads back the first level of the mask")
	require.NoError(t, s.SetHandlerLevel(ctx, "errors", "!=debug"))
	lvl, _ = s.HandlerLevel(ctx, "errors")
	assert.Equal(t, actorlog.LevelInfo, lvl)

	require.NoError(t, s.RemoveHandler(ctx, "debug-only"))
	require.NoError(t, s.SetHandlerLevel(ctx, "errors", "none"))
	assert.False(t, log.Enabled(actorlog.LevelEmergency))

	assert.ErrorIs(t, s.SetHandlerLevel(ctx, "errors", "fatfinger"), core.ErrBadLevel)
	assert.ErrorIs(t, s.SetHandlerLevel(ctx, "nope", "info"), sinks.ErrNotFound)
	assert.ErrorIs(t, s.RemoveHandler(ctx, "nope"), sinks.ErrNotFound)
}

func TestLevelsAndFiltersPerHandler(t *testing.T) {
	all, hAll := memory("all", "")
	warn, hWarn := memory("warn", "warning")
	blacklist, hBlack := memory("no-info", "!=info")
	filtered, hFilt := memory("filtered", "")
	hFilt.Config.FilterDefault = handlers.Stop
	hFilt.Config.Filters = []handlers.Filter{
		{ID: "drop-secrets", Fn: func(e *core.Event) handlers.FilterAction {
			if _, ok := e.Lookup("secret"); ok {
				return handlers.Stop
			}
			return handlers.Ignore
		}},
		{ID: "audit-only", Fn: func(e *core.Event) handlers.FilterAction {
			if v, ok := e.Lookup("audit"); ok && v.Bool() {
				return handlers.Log
			}
			return handlers.Ignore
		}},
		{ID: "broken", Fn: func(*core.Event) handlers.FilterAction { panic("filter bug") }},
	}
	s := start(t, hAll, hWarn, hBlack, hFilt)
	log := s.Logger()
	log.Debug("d")
	log.Info("i")
	log.Warning("w", "audit", true)
	log.Error("e", "audit", true, "secret", "x")
	log.Notice("n")
	require.NoError(t, s.Flush(bg(t)))
	assert.Equal(t, []string{"d", "i", "w", "e", "n"}, messages(all))
	assert.Equal(t, []string{"w", "e"}, messages(warn))
	assert.Equal(t, []string{"d", "w", "e", "n"}, messages(blacklist))
	assert.Equal(t, []string{"w"}, messages(filtered), "stop wins; log passes; all-ignore falls to filter_default stop")
	st := s.Status(bg(t))
	// Every event but the one stopped before reaching it met the broken
	// filter.
	assert.Equal(t, int64(4), handlerStatus(t, st, "filtered").FilterPanics, "a panicking filter is counted")
}

func messages(m *handlers.Memory) []string {
	var out []string
	for _, e := range m.Events() {
		out = append(out, e.Message)
	}
	return out
}

func handlerStatus(t *testing.T, st actorlog.Status, id string) sinks.HandlerStatus {
	t.Helper()
	for _, h := range st.Sinks[0].Handlers {
		if h.ID == id {
			return h
		}
	}
	t.Fatalf("no handler %q in %v", id, st)
	return sinks.HandlerStatus{}
}

// scripted is a handler whose Add and Log misbehave as told.
type scripted struct {
	mu        sync.Mutex
	addErrs   []error // returned by successive Adds
	adds      int
	removes   int
	panicOn   string // Log panics on an event with this message
	got       []string
	flushes   int
	gate      chan struct{} // Log waits on it when not nil
	logStarts chan string
}

func (h *scripted) Add(*handlers.Config) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.adds++
	if len(h.addErrs) > 0 {
		err := h.addErrs[0]
		h.addErrs = h.addErrs[1:]
		return err
	}
	return nil
}

func (h *scripted) Log(e *core.Event, _ *handlers.Config) error {
	if h.logStarts != nil {
		h.logStarts <- e.Message
	}
	if h.gate != nil {
		<-h.gate
	}
	if h.panicOn != "" && e.Message == h.panicOn {
		panic("cannot log " + e.Message)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, e.Message)
	return nil
}

func (h *scripted) Flush() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.flushes++
	return nil
}

func (h *scripted) Remove() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removes++
	return nil
}

func (h *scripted) snapshot() (got []string, adds, removes, flushes int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.got...), h.adds, h.removes, h.flushes
}

func TestAddHandlerResults(t *testing.T) {
	s := start(t)
	ctx := bg(t)
	_, h := memory("mem", "")
	require.NoError(t, s.AddHandler(ctx, h))
	assert.ErrorIs(t, s.AddHandler(ctx, h), sinks.ErrAlreadyPresent)

	ignored := &scripted{addErrs: []error{handlers.ErrIgnore}}
	assert.NoError(t, s.AddHandler(ctx, actorlog.Handler{Config: handlers.Config{ID: "ignored"}, Handler: ignored}))
	broken := &scripted{addErrs: []error{errors.New("cannot open device")}}
	err := s.AddHandler(ctx, actorlog.Handler{Config: handlers.Config{ID: "broken"}, Handler: broken})
	assert.ErrorContains(t, err, "cannot open device")
	assert.ErrorIs(t, s.AddHandler(ctx, actorlog.Handler{Config: handlers.Config{ID: "bad", Level: "loud"}, Handler: &scripted{}}), handlers.ErrBadConfig)

	st := s.Status(ctx)
	require.Len(t, st.Sinks[0].Handlers, 1, "only the memory handler is installed")
}

func TestHandlerPanicRestartsInPlaceKeepingItsQueue(t *testing.T) {
	h := &scripted{panicOn: "poison", gate: make(chan struct{}), logStarts: make(chan string, 16)}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "fragile"}, Handler: h})
	crashes := make(chan *actors.CrashReport, 4)
	sub := s.ActorSystem().EventStream.Subscribe(func(e any) {
		if r, ok := e.(*actors.CrashReport); ok {
			crashes <- r
		}
	})
	defer s.ActorSystem().EventStream.Unsubscribe(sub)
	log := s.Logger()
	log.Info("first")
	<-h.logStarts // the handler is busy: what follows queues up
	log.Info("poison")
	log.Info("second")
	log.Info("third")
	close(h.gate)
	require.NoError(t, s.Flush(bg(t)))
	got, adds, removes, _ := h.snapshot()
	assert.Equal(t, []string{"first", "second", "third"}, got, "only the poisoning event is lost")
	assert.Equal(t, 2, adds, "a restart adds the handler again")
	assert.Equal(t, 1, removes)
	r := <-crashes
	assert.Equal(t, "poison", r.Message.(*core.Event).Message, "the crash report names the poisoning event")
	assert.Equal(t, int64(1), handlerStatus(t, s.Status(bg(t)), "fragile").Restarts)
}

func TestHandlerPastItsIntensityIsReportedAndReinstalled(t *testing.T) {
	mem, hMem := memory("mem", "")
	fragile := &scripted{panicOn: "poison"}
	s := startCfg(t, actorlog.Config{HandlerIntensity: 2, HandlerPeriod: time.Hour, Handlers: []actorlog.Handler{
		hMem, {Config: handlers.Config{ID: "fragile", Level: "=warning"}, Handler: fragile},
	}})
	log := s.Logger()
	for range 3 {
		log.Warning("poison")
	}
	exited, err := mem.WaitMatch(bg(t), func(e *core.Event) bool { return strings.Contains(e.Message, "exited") })
	require.NoError(t, err)
	assert.Equal(t, actorlog.LevelError, exited.Level)
	assert.Contains(t, exited.Message, "handler fragile in sink default exited: cannot log poison (more than 2 restarts in 1h0m0s)")
	// The watcher installed it again: it logs once more.
	require.Eventually(t, func() bool {
		log.Warning("after")
		_ = s.Flush(bg(t))
		got, _, _, _ := fragile.snapshot()
		return len(got) > 0 && got[len(got)-1] == "after"
	}, deadline, time.Millisecond)
}

// A handler whose install fails at Start fails the start, which names it
// and stops what it started (LoggerBackends'); one that answers ErrIgnore
// is left out without an error.
func TestAFailedInstallFailsStart(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"error", errors.New("device busy")},
		{"fatal", handlers.Fatal(errors.New("bad option color=purple"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, hMem := memory("mem", "")
			failing := &scripted{addErrs: []error{tc.err}}
			sys := actor.NewActorSystem(actors.QuietConfig()...)
			defer sys.Shutdown()
			before := localActors(sys)
			s, err := actorlog.Start(actorlog.Config{ActorSystem: sys, RetryEvery: 10 * time.Millisecond, Handlers: []actorlog.Handler{
				hMem, {Config: handlers.Config{ID: "failing"}, Handler: failing},
			}})
			if s != nil {
				_ = s.Stop(bg(t))
			}
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), `handler "failing": `+tc.err.Error())
			assert.Contains(t, err.Error(), tc.err.Error())
			_, adds, _, _ := failing.snapshot()
			assert.Equal(t, 1, adds, "it is not retried")
			assert.Equal(t, before, localActors(sys), "every actor it started is stopped")
		})
	}
	ignored := &scripted{addErrs: []error{handlers.ErrIgnore}}
	mem, hMem := memory("mem", "")
	s := start(t, hMem, actorlog.Handler{Config: handlers.Config{ID: "ignored"}, Handler: ignored})
	st := s.Status(bg(t))
	require.Len(t, st.Sinks[0].Handlers, 1, "only the memory handler is installed")
	s.Logger().Info("hello")
	require.NoError(t, s.Flush(bg(t)))
	assert.Equal(t, []string{"hello"}, messages(mem))
}

// localActors returns the IDs of the actors running on sys.
func localActors(sys *actor.ActorSystem) []string {
	var ids []string
	for _, b := range sys.ProcessRegistry.LocalPIDs.LocalPIDs {
		for _, id := range b.Keys() {
			// Proto.Actor keeps the guardian of the sinks' handler
			// actors, one per actor system, as long as the system.
			if !strings.HasPrefix(id, "guardian$") {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// A handler that fails to come back after it exited is retried every
// RetryEvery; one whose Add answers a Fatal error is reported once and
// not retried.
func TestFailedReinstallsAreRetriedAndFatalOnesAreNot(t *testing.T) {
	mem, hMem := memory("mem", "")
	busy := errors.New("device busy")
	flaky := &scripted{panicOn: "poison", addErrs: []error{nil, busy, busy, busy}}
	fatal := &scripted{panicOn: "poison", addErrs: []error{nil, handlers.Fatal(errors.New("bad option color=purple")),
		handlers.Fatal(errors.New("bad option color=purple"))}}
	s := startCfg(t, actorlog.Config{RetryEvery: 10 * time.Millisecond, Handlers: []actorlog.Handler{
		hMem,
		{Config: handlers.Config{ID: "flaky", Level: "=warning"}, Handler: flaky},
		{Config: handlers.Config{ID: "fatal", Level: "=warning"}, Handler: fatal},
	}})
	ctx := bg(t)
	s.Logger().Warning("poison")
	first, err := mem.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "failed to install handler flaky") })
	require.NoError(t, err)
	assert.Contains(t, first.Message, "failed to install handler flaky into sink default, retrying in 10ms: device busy")
	_, err = mem.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "failed to install handler fatal") })
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, adds, _, _ := flaky.snapshot()
		return adds == 5
	}, deadline, time.Millisecond)
	require.Eventually(t, func() bool { return len(s.Status(ctx).Sinks[0].Handlers) == 2 }, deadline, time.Millisecond)
	_, adds, _, _ := fatal.snapshot()
	assert.Equal(t, 3, adds, "a fatal error is not retried")
	count := 0
	for _, m := range messages(mem) {
		if strings.Contains(m, "failed to install handler fatal") {
			count++
			assert.Contains(t, m, "not retrying: bad option color=purple")
		}
	}
	assert.Equal(t, 1, count, "and reported once")
}

func TestHandlersAreReinstalledAfterASinkRestart(t *testing.T) {
	mem, h := memory("mem", "")
	s := start(t, h)
	s.Logger().Info("before")
	require.NoError(t, s.Flush(bg(t)))
	pid := sinkOf(t, s)
	require.NoError(t, actors.StopNow(bg(t), s.ActorSystem(), pid))
	require.Eventually(t, func() bool {
		st := s.Status(bg(t)).Sinks[0]
		return st.Restarts == 1 && len(st.Handlers) == 1
	}, deadline, time.Millisecond)
	s.Logger().Info("after")
	_, err := mem.WaitMatch(bg(t), func(e *core.Event) bool { return e.Message == "after" })
	require.NoError(t, err)
}

func sinkOf(t *testing.T, s *actorlog.System) *actor.PID {
	t.Helper()
	_, ok := s.ActorSystem().ProcessRegistry.GetLocal("actorlog/sink-default")
	require.True(t, ok, "the sink actor runs")
	return actor.NewPID(s.ActorSystem().Address(), "actorlog/sink-default")
}

func TestFlushReachesEveryHandlerAfterItsQueue(t *testing.T) {
	h := &scripted{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "buffered"}, Handler: h})
	for i := range 100 {
		s.Logger().Infof("event %d", i)
	}
	require.NoError(t, s.Flush(bg(t)))
	got, _, _, flushes := h.snapshot()
	assert.Len(t, got, 100)
	assert.Equal(t, 1, flushes)
}

func TestStopDrainsFlushesAndRemoves(t *testing.T) {
	h := &scripted{gate: make(chan struct{})}
	sys := actor.NewActorSystem(actors.QuietConfig()...)
	defer sys.Shutdown()
	// Thresholds high enough to stay async: this test is about draining.
	s, err := actorlog.Start(actorlog.Config{ActorSystem: sys, Overload: sinks.Thresholds{AsyncThreshold: 1000, DiscardThreshold: 2000},
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "slow"}, Handler: h}}})
	require.NoError(t, err)
	for i := range 500 {
		s.Logger().Infof("event %d", i)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(bg(t)) }()
	close(h.gate)
	require.NoError(t, <-stopped)
	got, _, removes, flushes := h.snapshot()
	assert.Len(t, got, 500, "every queued event was handled")
	assert.Equal(t, 1, removes)
	assert.GreaterOrEqual(t, flushes, 1)

	s.Logger().Error("too late")
	assert.Equal(t, int64(1), s.Status(bg(t)).Sinks[0].Drops.Closed, "an event after Stop is counted")
	assert.NoError(t, s.Stop(bg(t)), "a second Stop returns the first's result")
}

func TestStopReportsWhatWasNotDrained(t *testing.T) {
	h := &scripted{gate: make(chan struct{}), logStarts: make(chan string, 1000)}
	sys := actor.NewActorSystem(actors.QuietConfig()...)
	defer sys.Shutdown()
	s, err := actorlog.Start(actorlog.Config{ActorSystem: sys, Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "stuck"}, Handler: h}}})
	require.NoError(t, err)
	for i := range 10 {
		s.Logger().Infof("event %d", i)
	}
	<-h.logStarts
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Stop(ctx) }()
	var stopErr error
	select {
	case stopErr = <-done:
	case <-time.After(deadline):
		close(h.gate)
		t.Fatal("Stop did not return")
	}
	close(h.gate)
	require.Error(t, stopErr)
	assert.Contains(t, stopErr.Error(), "not drained")
	assert.Regexp(t, `handler stuck: \d+ queued`, stopErr.Error())
}

func TestBadConfigStartsNothing(t *testing.T) {
	_, err := actorlog.Start(actorlog.Config{Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "a", Level: "loud"}, Handler: &scripted{}},
		{Config: handlers.Config{ID: "b"}, Handler: &scripted{}},
		{Config: handlers.Config{ID: "b"}, Handler: &scripted{}},
		{Config: handlers.Config{ID: "c"}},
	}})
	require.ErrorIs(t, err, actorlog.ErrBadConfig)
	for _, want := range []string{`handlers[0].level: bad level`, `handlers[2]: has the same id "b" as handlers[1]`, `handlers[3]: give exactly one of Handler and Props (id "c")`} {
		assert.Contains(t, err.Error(), want)
	}
}

// custom is a custom handler actor: it receives events and flushes.
type custom struct{ got chan string }

func (c *custom) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *core.Event:
		c.got <- m.Message
	case handlers.Flush:
		ctx.Respond(handlers.Flushed{})
	}
}

func TestCustomHandlerActor(t *testing.T) {
	got := make(chan string, 4)
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "mine", Level: "warning"},
		Props: actor.PropsFromProducer(func() actor.Actor { return &custom{got: got} })})
	s.Logger().Info("not for it")
	s.Logger().Error("for it")
	require.NoError(t, s.Flush(bg(t)))
	assert.Equal(t, "for it", <-got)
	assert.Contains(t, s.Status(bg(t)).String(), "handler mine (custom actor) at level warning")
}

// A custom actor's filters run in its sink (it has no runner): the
// translator's switches among them, so it does not get the reports its
// config turns off.
func TestCustomHandlerActorFilters(t *testing.T) {
	got := make(chan string, 8)
	secret := handlers.Filter{ID: "no-secrets", Fn: func(e *core.Event) handlers.FilterAction {
		if strings.Contains(e.Message, "secret") {
			return handlers.Stop
		}
		return handlers.Ignore
	}}
	panicky := handlers.Filter{ID: "panics", Fn: func(e *core.Event) handlers.FilterAction {
		if e.Message == "boom" {
			panic("filter bug")
		}
		return handlers.Ignore
	}}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "mine", Filters: []handlers.Filter{secret, panicky}},
		Props: actor.PropsFromProducer(func() actor.Actor { return &custom{got: got} })})
	l := s.Logger()
	l.Info("a secret")
	l.Info("boom") // a filter that panics counts as ignoring: the others decide
	l.Info("public")
	l.Error("supervisor report", "k", "v")
	def, err := s.Sink("")
	require.NoError(t, err)
	require.NoError(t, def.LogEvent(&core.Event{Time: time.Now(), Level: actorlog.LevelError, Message: "a supervisor's report",
		Report: &supervision.ChildTerminated{Reason: supervision.ErrNormal}}))
	require.NoError(t, s.Flush(bg(t)))
	close(got)
	var seen []string
	for m := range got {
		seen = append(seen, m)
	}
	assert.Equal(t, []string{"boom", "public", "supervisor report"}, seen,
		"no secret, and no supervisor report (the translator's default switches)")
}

func TestStatusString(t *testing.T) {
	_, h := memory("mem", "info")
	s := start(t, h)
	s.Logger().Info("one")
	require.NoError(t, s.Flush(bg(t)))
	out := s.Status(bg(t)).String()
	assert.Contains(t, out, "actorlog status (nonhost/actorlog):\n")
	assert.Contains(t, out, "sink default at level info, async: queue 0, dropped 0, kills 0, restarts 0\n")
	assert.Contains(t, out, "  handler mem at level info: queue 0, handled 1, errors 0, restarts 0\n")
}

func TestConfigChanges(t *testing.T) {
	mem, h := memory("mem", "")
	s := start(t, h)
	ctx := bg(t)
	require.NoError(t, s.UpdateHandlerConfig(ctx, "mem", func(c *handlers.Config) {
		c.Formatter = &formatter.Lager{Tokens: formatter.Tokens(formatter.Sev, formatter.Text(" "), formatter.Message)}
	}))
	s.Logger().Warning("formatted")
	require.NoError(t, s.Flush(ctx))
	assert.Equal(t, []string{"W formatted"}, mem.Lines())
	require.NoError(t, s.SetHandlerConfig(ctx, "mem", handlers.Config{Level: "error"}))
	cfg, err := s.HandlerConfig(ctx, "mem")
	require.NoError(t, err)
	assert.Equal(t, "mem", cfg.ID)
	assert.Equal(t, "error", cfg.Level)
	assert.Nil(t, cfg.Formatter, "set replaces the whole config")
}

func TestConsoleHandler(t *testing.T) {
	var out bytes.Buffer
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) })
	s := start(t,
		actorlog.Handler{Config: handlers.Config{ID: "plain", Level: "info"}, Handler: &handlers.Console{Writer: w}},
		actorlog.Handler{Config: handlers.Config{ID: "colored", Level: "=error"}, Handler: &handlers.Console{Writer: w, Color: handlers.ColorAlways}},
	)
	s.Logger().Info("hello", "user", 42)
	require.NoError(t, s.Flush(bg(t)))
	s.Logger().Error("boom")
	require.NoError(t, s.Flush(bg(t)))
	mu.Lock()
	defer mu.Unlock()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^\d\d:\d\d:\d\d\.\d{3} \[info\] hello user=42$`, lines[0])
	// The two handlers run in their own actors: their lines come in
	// either order.
	errLines := strings.Join(lines[1:], "\n")
	assert.Regexp(t, `(?m)^\d\d:\d\d:\d\d\.\d{3} \[error\] boom$`, errLines)
	assert.Regexp(t, "(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \x1b\\[1;31m\\[error\\] boom\x1b\\[0m$", errLines)
}

func TestAFatalInstallErrorFailsStart(t *testing.T) {
	sys := actor.NewActorSystem(actors.QuietConfig()...)
	defer sys.Shutdown()
	_, err := actorlog.Start(actorlog.Config{ActorSystem: sys,
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "c"}, Handler: &handlers.Console{Color: 9}}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `handler "c"`)
}

// A trace that fails at Start fails the start, which names it, and stops
// everything Start started through the same cleanup as a failed install:
// the handlers' actors and the sinks', and the routing of the actor
// system's reports.
func TestAFailedTraceFailsStart(t *testing.T) {
	sys := actor.NewActorSystem(actors.QuietConfig()...)
	defer sys.Shutdown()
	before, subscribers := localActors(sys), sys.EventStream.Length()
	_, hMem := memory("mem", "")
	q, err := actorlog.ParseQuery("user = alice")
	require.NoError(t, err)
	s, err := actorlog.Start(actorlog.Config{ActorSystem: sys, Handlers: []actorlog.Handler{hMem},
		ExtraSinks: map[string]actorlog.SinkConfig{"audit": {Handlers: []actorlog.Handler{hMem}}},
		Traces:     []actorlog.TraceConfig{{Handler: "mem", Query: q}, {Sink: "audit", Handler: "nosuch", Query: q}}})
	if s != nil {
		_ = s.Stop(bg(t))
	}
	require.Error(t, err)
	assert.Nil(t, s)
	assert.Contains(t, err.Error(), "actorlog: start: traces[1]: ")
	assert.Contains(t, err.Error(), "nosuch")
	assert.Equal(t, before, localActors(sys), "every actor it started is stopped")
	assert.Equal(t, subscribers, sys.EventStream.Length(), "the actor system's reports are not routed")
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func jsonValid(s string) bool { return json.Valid([]byte(s)) }
