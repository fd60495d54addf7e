package actorlog_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lager's extra_sinks: an "audit" sink with its own handler, thresholds
// and traces, apart from the default sink.
func TestExtraSink(t *testing.T) {
	main, audit := &handlers.Memory{}, &handlers.Memory{}
	s := startCfg(t, actorlog.Config{
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: main}},
		ExtraSinks: map[string]actorlog.SinkConfig{"audit": {
			Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "audit-log", Level: "notice"}, Handler: audit}},
			Overload: sinks.Thresholds{AsyncThreshold: 100, AsyncThresholdWindow: 10},
		}},
	})
	k, err := s.Sink("audit")
	require.NoError(t, err)
	assert.Equal(t, "audit", k.Name())
	k.Logger().Notice("user 7 deleted order 12")
	k.Logger().Info("below the audit level")
	s.Logger().Info("an ordinary event")
	require.NoError(t, s.Flush(bg(t)))
	require.Len(t, audit.Events(), 1)
	assert.Equal(t, "audit", audit.Events()[0].Sink)
	assert.Equal(t, []string{"user 7 deleted order 12"}, drain(t, s, audit))
	assert.Equal(t, []string{"an ordinary event"}, drain(t, s, main))

	require.NoError(t, k.SetHandlerLevel(bg(t), "audit-log", "info"))
	lvl, err := k.HandlerLevel(bg(t), "audit-log")
	require.NoError(t, err)
	assert.Equal(t, actorlog.LevelInfo, lvl)
	_, err = s.HandlerLevel(bg(t), "audit-log")
	assert.ErrorIs(t, err, sinks.ErrNotFound, "the System's methods act on the default sink")

	ref, err := k.Trace(bg(t), "audit-log", core.Eq("user", 7), "debug")
	require.NoError(t, err)
	assert.Equal(t, "audit", ref.Sink)
	k.Logger().Debug("traced in the audit sink", "user", 7)
	assert.Equal(t, []string{"traced in the audit sink"}, drain(t, s, audit))
	require.NoError(t, s.StopTrace(bg(t), ref), "the System stops a trace of any sink")

	st := s.Status(bg(t))
	require.Len(t, st.Sinks, 2)
	assert.Equal(t, "audit", st.Sinks[1].Name)

	_, err = s.Sink("nope")
	assert.ErrorIs(t, err, actorlog.ErrNoSink)
}

func TestExtraSinkConfigErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := actorlog.Start(actorlog.Config{
		LogRoot:  dir,
		Handlers: []actorlog.Handler{{Handler: &handlers.File{Path: "a.log"}}},
		ExtraSinks: map[string]actorlog.SinkConfig{
			"default": {},
			"audit":   {Handlers: []actorlog.Handler{{Handler: &handlers.File{Path: "a.log"}}}},
			"bad":     {Overload: sinks.Thresholds{AsyncThreshold: -2}},
		},
		ReportSink: "missing",
	})
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "extra_sinks.default: a sink name must not be")
	assert.Contains(t, msg, `extra_sinks.audit.handlers[0]: writes the same file `+filepath.Join(dir, "a.log")+` as handlers[0] (`)
	assert.Contains(t, msg, "extra_sinks.bad.overload.")
	assert.Contains(t, msg, `report_sink: no sink "missing"`)
}

// lager's error_logger_lager_event: the actor system's reports go to a
// sink of their own.
func TestReportSink(t *testing.T) {
	main, reports := &handlers.Memory{}, &handlers.Memory{}
	s := startCfg(t, actorlog.Config{
		Handlers:   []actorlog.Handler{{Config: handlers.Config{ID: "memory"}, Handler: main}},
		ExtraSinks: map[string]actorlog.SinkConfig{"reports": {Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "r"}, Handler: reports}}}},
		ReportSink: "reports",
	})
	task := actors.Go(s.ActorSystem(), "failing", func() { panic("in a goroutine") })
	<-task.Done()
	e, err := reports.WaitMatch(bg(t), func(e *core.Event) bool { return strings.Contains(e.Message, "terminating") })
	require.NoError(t, err)
	assert.Equal(t, "reports", e.Sink)
	require.NoError(t, s.Flush(bg(t)))
	for _, e := range main.Events() {
		assert.NotContains(t, e.Message, "terminating")
	}
}
