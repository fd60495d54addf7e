package actorlog

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/actorlog/actorlog/supervision"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildTree returns the tree Start starts, and starts nothing.
func TestBuildTree(t *testing.T) {
	root := t.TempDir()
	cwd, err := filepath.Abs(".")
	require.NoError(t, err)
	none := []Handler{}
	for _, tc := range []struct {
		name      string
		cfg       Config
		children  []string
		sinks     []string
		reportTo  string
		crashPath string
	}{
		{"default config: lager's set", Config{},
			[]string{"sink-default", "watchers", "crash_log"}, []string{"default"}, "default", filepath.Join(cwd, "log", "crash.log")},
		{"no handlers, no crash log", Config{Handlers: none},
			[]string{"sink-default", "watchers"}, []string{"default"}, "default", ""},
		{"extra sinks, by name after the default", Config{Handlers: none, ExtraSinks: map[string]SinkConfig{"zeta": {}, "audit": {}}},
			[]string{"sink-default", "sink-audit", "sink-zeta", "watchers"}, []string{"default", "audit", "zeta"}, "default", ""},
		{"crash log last, under the log root", Config{Handlers: none, LogRoot: root, CrashLog: &handlers.CrashLog{File: handlers.File{Path: "c.log"}}},
			[]string{"sink-default", "watchers", "crash_log"}, []string{"default"}, "default", filepath.Join(root, "c.log")},
		{"report sink", Config{Handlers: none, ExtraSinks: map[string]SinkConfig{"reports": {}, "audit": {}}, ReportSink: "reports"},
			[]string{"sink-default", "sink-audit", "sink-reports", "watchers"}, []string{"default", "audit", "reports"}, "reports", ""},
		{"report sink named default", Config{Handlers: none, ExtraSinks: map[string]SinkConfig{"audit": {}}, ReportSink: DefaultSink},
			[]string{"sink-default", "sink-audit", "watchers"}, []string{"default", "audit"}, "default", ""},
		{"everything", Config{LogRoot: root, Handlers: none, CrashLog: &handlers.CrashLog{File: handlers.File{Path: "crash.log"}},
			ExtraSinks: map[string]SinkConfig{"audit": {}}, ReportSink: "audit"},
			[]string{"sink-default", "sink-audit", "watchers", "crash_log"}, []string{"default", "audit"}, "audit", filepath.Join(root, "crash.log")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ps := tc.cfg.problems()
			require.NoError(t, ps.err())
			tr, err := buildTree(nil, cfg, &handleractor.Stats{}, func(*core.Event) {})
			require.NoError(t, err)
			assert.Equal(t, "actorlog", tr.spec.Name)
			assert.Equal(t, supervision.OneForOne, tr.spec.Strategy)
			assert.Equal(t, 10, tr.spec.Intensity)
			assert.Equal(t, 60*time.Second, tr.spec.Period)
			var ids []string
			for _, c := range tr.spec.Children {
				ids = append(ids, c.ID)
				require.NotNil(t, c.Props, c.ID)
				if c.ID == "watchers" {
					assert.Equal(t, supervision.KindSupervisor, c.Kind)
				} else {
					assert.Equal(t, supervision.KindWorker, c.Kind, c.ID)
					assert.Equal(t, 10*time.Second, c.Shutdown, c.ID)
				}
			}
			assert.Equal(t, tc.children, ids)
			var names []string
			for _, sk := range tr.sinks {
				names = append(names, sk.Name())
				assert.Nil(t, sk.PID(), "no sink's actor runs")
			}
			assert.Equal(t, tc.sinks, names)
			require.NotNil(t, tr.reportTo)
			assert.Equal(t, tc.reportTo, tr.reportTo.Name())
			assert.Contains(t, tr.sinks, tr.reportTo)
			assert.Equal(t, tc.crashPath, tr.crashPath)
		})
	}
}
