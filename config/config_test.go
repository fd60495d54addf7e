package config_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startCfg starts a System for cfg on a quiet actor system and stops it
// at the end of the test.
func startCfg(t *testing.T, cfg actorlog.Config) *actorlog.System {
	t.Helper()
	sys := actor.NewActorSystem(actors.QuietConfig()...)
	t.Cleanup(sys.Shutdown)
	cfg.ActorSystem = sys
	s, err := actorlog.Start(cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), actortest.Deadline)
		defer cancel()
		_ = s.Stop(ctx)
	})
	return s
}

func TestTheShippedExampleConfigIsValid(t *testing.T) {
	cfg, err := config.Load(filepath.Join("..", "examples", "quickstart", "actorlog.jsonc"))
	require.NoError(t, err)
	assert.Len(t, cfg.Handlers, 3)
	assert.Contains(t, cfg.ExtraSinks, "audit")
	require.Len(t, cfg.Traces, 1)
	assert.Equal(t, `request_id * and path = "/api/v1/items"`, cfg.Traces[0].Query.String())
	require.NotNil(t, cfg.StdLog)
	assert.Equal(t, 50, cfg.StdLog.HWM)
	assert.Equal(t, 5*time.Second, cfg.Overload.KillerReinstallAfter)
	assert.Equal(t, 100, cfg.Overload.DiscardThresholdWindow)
}

func TestConfigKeepsLagersMeanings(t *testing.T) {
	cfg, err := config.Parse([]byte(`{
		"handlers": [{"type": "file", "file": "/tmp/x.log", "size": 0, "count": 0, "date": "",
		              "sync_interval": 0, "sync_size": 0, "check_interval": "always"},
		             {"type": "file", "file": "/tmp/y.log", "size": 100, "sync_interval": "250ms", "check_interval": 3000}],
		"crash_log": false
	}`))
	require.NoError(t, err)
	x := cfg.Handlers[0].Handler.(*handlers.File)
	assert.Equal(t, handlers.File{Path: "/tmp/x.log", Size: handlers.Off, Count: handlers.Off, Date: handlers.DateNone,
		SyncInterval: handlers.Off, SyncSize: handlers.Off, CheckInterval: handlers.Off}, clearResolved(*x))
	assert.Equal(t, "info", cfg.Handlers[0].Config.Level, "a file handler's level defaults to info")
	y := cfg.Handlers[1].Handler.(*handlers.File)
	assert.Equal(t, int64(100), y.Size)
	assert.Equal(t, 250*time.Millisecond, y.SyncInterval)
	assert.Equal(t, 3*time.Second, y.CheckInterval)
	assert.Nil(t, cfg.CrashLog)
}

// clearResolved returns f without what Resolve set.
func clearResolved(f handlers.File) handlers.File {
	return handlers.File{Path: f.Path, Size: f.Size, Date: f.Date, Count: f.Count, SyncInterval: f.SyncInterval,
		SyncSize: f.SyncSize, CheckInterval: f.CheckInterval, MaxPending: f.MaxPending, SyncOn: f.SyncOn}
}

// Strict validation: every problem, with its path, in one error.
func TestConfigListsEveryProblem(t *testing.T) {
	_, err := config.Parse([]byte(`{
		// a comment
		"log_root": 7,
		"loglevel": "info",
		"async_threshold": -2,
		"handlers": [
			{"type": "console", "level": "loud", "colored": "sometimes"},
			{"type": "file", "size": -1, "date": "$M5H30", "sync_on": "often"},
			{"type": "file", "file": "dup.log", "count": "five"},
			{"type": "nosuch"},
			"not an object",
			{"type": "file", "file": "dup.log", "frobnicate": true}
		],
		"extra_sinks": {"audit": {"handlers": [{"type": "console", "level": ">=bogus"}], "killer_hwm": "x"}},
		"traces": [{"handler": "console", "query": "module = "}],
		"std_log": {"hwm": "many"},
		"translator": {"handle_otp_reports": true}
	}`))
	require.Error(t, err)
	assert.ErrorIs(t, err, actorlog.ErrBadConfig)
	msg := err.Error()
	for _, want := range []string{
		"log_root: must be a string, got a number",
		"loglevel: unknown key",
		"async_threshold: must be >= -1, got -2",
		"handlers[0].level: ",
		`handlers[0].colored: must be auto, always or never, got "sometimes"`,
		"handlers[1].file: required",
		"handlers[1].size: must be >= 0, got -1",
		"handlers[1].sync_on: ",
		"handlers[2].count: must be an integer, got a string",
		`handlers[3].type: unknown handler type "nosuch"`,
		"handlers[4]: must be an object, got a string",
		"handlers[5].frobnicate: unknown key",
		"extra_sinks.audit.handlers[0].level: ",
		"extra_sinks.audit.killer_hwm: must be an integer, got a string",
		"traces[0].query: at 9: expected a value",
		"std_log.hwm: must be an integer, got a string",
		"translator.handle_otp_reports: unknown key",
	} {
		assert.Contains(t, msg, want)
	}
	assert.Contains(t, msg, `handlers[5]: writes the same file `, "what Start's check finds is in the list too")
	assert.True(t, strings.HasPrefix(msg, "actorlog: bad config: 18 problems:\n  "), msg)
}

func TestConfigSemanticErrorsToo(t *testing.T) {
	_, err := config.Parse([]byte(`{"handlers": [
		{"type": "file", "file": "/tmp/same.log"}, {"type": "file", "file": "/tmp/same.log", "id": "other"},
		{"type": "file", "file": "/tmp/d.log", "date": "$MxD0"}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `handlers[1]: writes the same file /tmp/same.log as handlers[0] ("/tmp/same.log")`)
	assert.Contains(t, err.Error(), "\n  handlers[2].date: rotation: bad date spec")
}

type countingHandler struct{ prefix string }

func (countingHandler) Log(*core.Event, *handlers.Config) error { return nil }

func TestConfigRegisteredHandlerType(t *testing.T) {
	require.NoError(t, config.RegisterHandler("counting", func(opts json.RawMessage) (handlers.Handler, error) {
		var o struct{ Prefix string }
		if err := json.Unmarshal(opts, &o); err != nil {
			return nil, err
		}
		if o.Prefix == "" {
			return nil, errors.New("prefix is required")
		}
		return countingHandler{prefix: o.Prefix}, nil
	}))
	assert.Error(t, config.RegisterHandler("file", nil), "built-in names are taken")
	cfg, err := config.Parse([]byte(`{"handlers": [{"type": "counting", "id": "c", "level": "warning", "options": {"Prefix": "p"}}]}`))
	require.NoError(t, err)
	assert.Equal(t, countingHandler{prefix: "p"}, cfg.Handlers[0].Handler)
	assert.Equal(t, "warning", cfg.Handlers[0].Config.Level)
	_, err = config.Parse([]byte(`{"handlers": [{"type": "counting", "id": "c", "options": {}}]}`))
	assert.ErrorContains(t, err, "handlers[0].options: prefix is required")
}

func TestConfigStartsWhatItSays(t *testing.T) {
	root := t.TempDir()
	cfg, err := config.Parse([]byte(`{
		"handlers": [{"type": "file", "file": "app.log", "level": "warning", "sync_interval": 0}],
		"traces": [{"handler": "` + filepath.Join(root, "app.log") + `", "query": "user = alice", "level": "debug"}],
		"crash_log": false, "std_log": {"redirect": false}
	}`))
	require.NoError(t, err)
	cfg.LogRoot = root
	s := startCfg(t, cfg)
	s.Logger().Debug("traced", "user", "alice")
	s.Logger().Info("not traced", "user", "bob")
	s.Logger().Warning("by level")
	require.NoError(t, s.Flush(actortest.Context(t)))
	b, err := os.ReadFile(filepath.Join(root, "app.log"))
	require.NoError(t, err)
	got := string(b)
	assert.Contains(t, got, "traced")
	assert.Contains(t, got, "by level")
	assert.NotContains(t, got, "not traced")
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `{"handlers": [{"type": "console"}]}`, `{"traces": [{"handler": "x", "query": "a = 1"}]}`,
		`// c
{"crash_log": "c.log", "extra_sinks": {"a": {}}}`, `{"handlers": [{"type": "file", "file": "x", "size": 1e99}]}`,
		`{"utc": true, "utc": false, "a": [{"b": 1, "b": [2]}]}`, "{\"x\": 1 /* open", `{"s": "\\"//"} // c`, `{}{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cfg, err := config.Parse([]byte(in))
		if err != nil && !errors.Is(err, actorlog.ErrBadConfig) {
			t.Fatalf("an error not wrapping ErrBadConfig: %v", err)
		}
		_ = cfg
	})
}

// async_threshold -1 turns sync mode off (lager's negative
// async_threshold); level "all" is OTP's, accepted wherever levels are.
func TestConfigSyncOffAndLevelAll(t *testing.T) {
	cfg, err := config.Parse([]byte(`{
		"async_threshold": -1,
		"handlers": [{"type": "console", "level": "all"}],
		"extra_sinks": {"audit": {"handlers": [], "async_threshold": -1}},
		"traces": [{"handler": "console", "query": "a = 1", "level": "all"}],
		"std_log": {"level": "all"}
	}`))
	require.NoError(t, err)
	assert.Equal(t, sinks.Off, cfg.Overload.AsyncThreshold)
	assert.Equal(t, sinks.Off, cfg.ExtraSinks["audit"].Overload.AsyncThreshold)
	assert.Equal(t, "all", cfg.Handlers[0].Config.Level)
	m, err := actorlog.ParseMask(cfg.Handlers[0].Config.Level)
	require.NoError(t, err)
	assert.Equal(t, actorlog.MaskAll, m)
	assert.Equal(t, actorlog.LevelAll, cfg.StdLog.Level)
}

// Every problem, whichever layer finds it, is in the one numbered list
// with its path.
func TestConfigOneListForEveryLayer(t *testing.T) {
	_, err := config.Parse([]byte(`{
		"log_root": 7,
		"handlers": [{"type": "file", "file": "/tmp/d.log", "date": "$MxD0", "size": -1},
		             {"type": "console", "level": "loud"}]
	}`))
	require.ErrorIs(t, err, actorlog.ErrBadConfig)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "actorlog: bad config: 4 problems:\n  "), msg)
	for _, want := range []string{
		"\n  log_root: must be a string, got a number",
		"\n  handlers[0].size: must be >= 0, got -1",
		"\n  handlers[0].date: rotation: bad date spec",
		"\n  handlers[1].level: ",
	} {
		assert.Contains(t, msg, want)
	}
	assert.Equal(t, 1, strings.Count(msg, "handlers[1].level"), "a problem is listed once")
}

func TestConfigRefusesDuplicateKeys(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"utc": true, "utc": false}`, "utc: duplicate key (line 1, column 15)"},
		{`{"handlers": [{"type": "console"},
		  {"type": "console", "level": "info", "level": "debug"}]}`, "handlers[1].level: duplicate key (line 2, column 42)"},
		{`{"extra_sinks": {"a": {}, "a": {}}}`, "extra_sinks.a: duplicate key (line 1, column 27)"},
	} {
		_, err := config.Parse([]byte(tc.in))
		require.ErrorIs(t, err, actorlog.ErrBadConfig, tc.in)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestConfigSyntaxErrorsSayWhere(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"utc": true,}`, "line 1, column 14: "},
		{"{\n  \"utc\": true,\n}", "line 3, column 1: "},
		{"{ /* a */ \"utc\": tru }", "line 1, column 21: "},
		{"{\"utc\": true}\n/* never closed", "line 2, column 1: unterminated comment"},
		{"hello", "line 1, column 1: "},
		{`{"utc": true} {}`, "line 1, column 15: "},
		{`{"utc": "tr`, "line 1, column 12: "},
		{"", "line 1, column 1: "},
	} {
		_, err := config.Parse([]byte(tc.in))
		require.ErrorIs(t, err, actorlog.ErrBadConfig, tc.in)
		assert.Contains(t, err.Error(), tc.want, tc.in)
	}
}
