package actorlog_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/supervision"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The slog adapter passes testing/slogtest: events in a memory handler are
// read back as the maps slogtest expects.
func TestSlogHandlerPassesSlogtest(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "debug"}, Handler: mem})
	slogtest.Run(t, func(t *testing.T) slog.Handler {
		mem.Reset()
		return s.Logger().Handler()
	}, func(t *testing.T) map[string]any {
		require.NoError(t, s.Flush(bg(t)))
		evs := mem.Events()
		require.Len(t, evs, 1)
		return eventMap(evs[0])
	})
}

func eventMap(e *core.Event) map[string]any {
	m := map[string]any{slog.LevelKey: slog.Level(e.Level), slog.MessageKey: e.Message}
	if !e.Time.IsZero() {
		m[slog.TimeKey] = e.Time
	}
	addAttrs(m, e.Attrs)
	return m
}

func addAttrs(m map[string]any, attrs []slog.Attr) {
	for _, a := range attrs {
		if a.Value.Kind() == slog.KindGroup {
			sub := map[string]any{}
			addAttrs(sub, a.Value.Group())
			m[a.Key] = sub
			continue
		}
		m[a.Key] = a.Value.Any()
	}
}

func TestSlogHandlerAsDefaultKeepsSourceAndLoggerAttrs(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: mem})
	prev := slog.Default()
	slog.SetDefault(slog.New(s.Logger().With("service", "billing").Handler()))
	defer slog.SetDefault(prev)
	slog.Info("through slog", "n", 1)
	slog.Debug("below the level")
	require.NoError(t, s.Flush(bg(t)))
	evs := mem.Events()
	require.Len(t, evs, 1)
	assert.Equal(t, "through slog", evs[0].Message)
	assert.Equal(t, "TestSlogHandlerAsDefaultKeepsSourceAndLoggerAttrs", evs[0].Caller().Func)
	svc, _ := evs[0].Lookup("service")
	assert.Equal(t, "billing", svc.String())
}

type crashing struct{}

func (crashing) Receive(c actor.Context) {
	if j, ok := c.Message().(*crashJob); ok && j.ID < 0 {
		panic("negative job")
	}
}

type crashJob struct{ ID int }

// An actor system made with actorlog's LoggerFactory: its crash reports
// and its own records reach the handlers, translated, with the report.
func TestReportsAreTranslatedIntoTheSink(t *testing.T) {
	system := actor.NewActorSystem(append(actors.QuietConfig(), actor.WithLoggerFactory(actorlog.LoggerFactory))...)
	t.Cleanup(system.Shutdown)
	mem, sup := &handlers.Memory{}, &handlers.Memory{}
	s := startCfg(t, actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: mem},
		// This one overrides the switches: supervisor reports too.
		{Config: handlers.Config{ID: "sasl", Level: "info", Filters: []handlers.Filter{translator.Filter(translator.Options{SupervisorReports: true})}}, Handler: sup},
	}})
	ctx := bg(t)
	tree, err := supervision.Start(ctx, system, supervision.Spec{Name: "app", Intensity: 5, Period: time.Minute,
		Children: []supervision.ChildSpec{{ID: "worker", Props: actor.PropsFromProducer(func() actor.Actor { return crashing{} })}}})
	require.NoError(t, err)
	children, err := tree.WhichChildren(ctx)
	require.NoError(t, err)
	system.Root.Send(children[0].PID, &crashJob{ID: -1})

	e, err := mem.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "terminating") })
	require.NoError(t, err)
	assert.Equal(t, actorlog.LevelError, e.Level)
	assert.True(t, strings.HasPrefix(e.Message, "Actor nonhost/app/worker (actorlog_test.crashing) terminating\n** (panic) negative job\n"), e.Message)
	assert.Contains(t, e.Message, "\nLast message: *actorlog_test.crashJob{ID:-1}")
	report, ok := e.Report.(*actors.CrashReport)
	require.True(t, ok, "the report stays on the event")
	assert.Equal(t, "negative job", report.Reason)

	_, err = sup.WaitMatch(ctx, func(e *core.Event) bool {
		return strings.HasPrefix(e.Message, `Child "worker" of Supervisor "app" (nonhost/app) restarted in place`)
	})
	require.NoError(t, err)
	require.NoError(t, tree.Stop(ctx))

	// A dead letter, from Proto.Actor's own logger.
	system.Root.Send(children[0].PID, &crashJob{ID: 1})
	e, err = mem.WaitMatch(ctx, func(e *core.Event) bool {
		return strings.Contains(e.Message, "crashJob") && strings.HasPrefix(e.Message, "Dead letter")
	})
	require.NoError(t, err)
	assert.Equal(t, "Dead letter to nonhost/app/worker: *actorlog_test.crashJob{ID:1}", e.Message)
	_, isRecord := e.Report.(*translator.Record)
	assert.True(t, isRecord)

	require.NoError(t, s.Flush(ctx))
	for _, e := range mem.Events() {
		_, isSup := e.Report.(supervision.Report)
		assert.False(t, isSup, "supervisor reports are off by default: %s", e.Message)
	}
}

type panicOnEverything struct{}

func (panicOnEverything) Log(*core.Event, *handlers.Config) error { panic("handler bug") }

// A handler that panics on every event must not be fed the crash reports
// of its own panics (which would make each crash cause the next).
func TestOwnCrashReportsStayOutOfTheSink(t *testing.T) {
	mem := &handlers.Memory{}
	s := startCfg(t, actorlog.Config{HandlerIntensity: 100, HandlerPeriod: time.Hour, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory"}, Handler: mem},
		{Config: handlers.Config{ID: "buggy"}, Handler: panicOnEverything{}},
	}})
	s.Logger().Info("one event")
	require.NoError(t, s.Flush(context.Background()))
	for _, e := range mem.Events() {
		assert.NotContains(t, e.Message, "terminating", "the buggy handler's crash reached the sink")
	}
	assert.Equal(t, 1, mem.Len())
}
