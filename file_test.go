package actorlog_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "<missing>"
	}
	require.NoError(t, err)
	return string(b)
}

// eventually polls cond until it holds (a guard against a hang, not a
// timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestFileHandlerUnderLogRoot(t *testing.T) {
	root := t.TempDir()
	s := startCfg(t, actorlog.Config{LogRoot: root, Handlers: []actorlog.Handler{
		{Config: handlers.Config{Level: "info"}, Handler: &handlers.File{Path: "log/app.log"}},
	}})
	path := filepath.Join(root, "log", "app.log")
	log := s.Logger()
	log.Info("user logged in", "user", 42)
	log.Debug("below the level")
	require.NoError(t, s.Flush(bg(t)))
	got := read(t, path)
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[info\] actorlog_test:TestFileHandlerUnderLogRoot:\d+ user logged in user=42\n$`, got)

	// The handler's ID is its absolute path; the configured path works too.
	lvl, err := s.HandlerLevel(bg(t), path)
	require.NoError(t, err)
	assert.Equal(t, actorlog.LevelInfo, lvl)
	require.NoError(t, s.SetHandlerLevel(bg(t), "log/app.log", "debug"))
	lvl, err = s.HandlerLevel(bg(t), path)
	require.NoError(t, err)
	assert.Equal(t, actorlog.LevelDebug, lvl)
	assert.ErrorIs(t, s.SetHandlerLevel(bg(t), "log/other.log", "debug"), sinks.ErrNotFound)

	log.Debug("now logged")
	require.NoError(t, s.RotateHandler(bg(t), "log/app.log"))
	log.Info("after the rotation")
	require.NoError(t, s.Flush(bg(t)))
	assert.Contains(t, read(t, path+".0"), "now logged")
	assert.Contains(t, read(t, path), "after the rotation")
	assert.NotContains(t, read(t, path), "now logged")
}

func TestFileHandlerWritesWithinSyncIntervalWithoutFlush(t *testing.T) {
	path := filepath.Join(t.TempDir(), "timed.log")
	s := start(t, actorlog.Handler{Config: handlers.Config{Level: "info"},
		Handler: &handlers.File{Path: path, SyncInterval: 20 * time.Millisecond}})
	s.Logger().Info("written by the alarm")
	eventually(t, "the buffered event reaches the file", func() bool { return strings.Contains(read(t, path), "written by the alarm") })
}

func TestFileHandlerConfigErrorsStartNothing(t *testing.T) {
	dir := t.TempDir()
	_, err := actorlog.Start(actorlog.Config{LogRoot: dir, Handlers: []actorlog.Handler{
		{Handler: &handlers.File{Path: "a.log"}},
		{Handler: &handlers.File{Path: "b.log", Size: -4}},
		{Config: handlers.Config{ID: "again"}, Handler: &handlers.File{Path: filepath.Join(dir, "a.log")}},
	}})
	require.Error(t, err)
	assert.ErrorIs(t, err, actorlog.ErrBadConfig)
	assert.Contains(t, err.Error(), "handlers[1].size: must be >= 0 or Off, got -4")
	assert.Contains(t, err.Error(), `handlers[2]: writes the same file `+filepath.Join(dir, "a.log")+` as handlers[0] ("`)
	assert.Equal(t, "<missing>", read(t, filepath.Join(dir, "a.log")), "nothing started")

	_, err = actorlog.Start(actorlog.Config{LogRoot: dir, Handlers: []actorlog.Handler{},
		CrashLog: &handlers.CrashLog{File: handlers.File{Path: "crash.log", Date: "$M5H30"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "crash_log.date: rotation: bad date spec")
}

func TestFileHandlerAddedAtRunTimeOnATakenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "taken.log")
	s := start(t, actorlog.Handler{Handler: &handlers.File{Path: path}})
	err := s.AddHandler(bg(t), actorlog.Handler{Config: handlers.Config{ID: "second"}, Handler: &handlers.File{Path: path}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `both write file `+path)
}

// lager's "file can't be opened on startup triggers an error message" and
// "unavailable files that are fixed at runtime should start having log
// messages written", through a running System.
func TestFileHandlerUnavailableAtStart(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "blocker")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	path := filepath.Join(blocker, "app.log")
	mem := &handlers.Memory{}
	s := start(t,
		actorlog.Handler{Config: handlers.Config{ID: "memory"}, Handler: mem},
		actorlog.Handler{Config: handlers.Config{Level: "info"}, Handler: &handlers.File{Path: path, CheckInterval: 10 * time.Millisecond}},
	)
	e, err := mem.WaitMatch(bg(t), func(e *actorlog.Event) bool { return strings.HasPrefix(e.Message, "Failed to open") })
	require.NoError(t, err)
	assert.Equal(t, "Failed to open log file "+path+" with error not a directory", e.Message)
	assert.Equal(t, actorlog.LevelError, e.Level)

	s.Logger().Info("kept until the file can be written")
	require.NoError(t, os.Remove(blocker))
	require.NoError(t, s.Flush(bg(t)))
	// The report was made while the handler was being installed, so it
	// reached the other handlers only.
	assert.Contains(t, read(t, path), "kept until the file can be written")
}

type crashOnRequest struct{}

func (crashOnRequest) Receive(c actor.Context) {
	if c.Message() == "crash" {
		panic("crash requested")
	}
}

// With neither Handlers nor CrashLog, lager's default set runs: the
// console, error.log, console.log, and the crash log.
func TestDefaultHandlersAndCrashLog(t *testing.T) {
	root := t.TempDir()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	t.Cleanup(system.Shutdown)
	s, err := actorlog.Start(actorlog.Config{ActorSystem: system, LogRoot: root,
		Handlers: nil, CrashLog: nil})
	require.NoError(t, err)
	ctx := bg(t)
	sup, err := supervision.Start(ctx, system, supervision.Spec{Name: "app", Intensity: 5, Period: time.Minute,
		Children: []supervision.ChildSpec{{ID: "worker", Props: actor.PropsFromProducer(func() actor.Actor { return crashOnRequest{} })}}})
	require.NoError(t, err)
	children, err := sup.WhichChildren(ctx)
	require.NoError(t, err)
	system.Root.Send(children[0].PID, "crash")
	crashLog := filepath.Join(root, "log", "crash.log")
	eventually(t, "the crash log has the supervisor report", func() bool {
		return strings.Contains(read(t, crashLog), "=SUPERVISOR REPORT====")
	})
	require.NoError(t, sup.Stop(ctx))
	s.Logger().Error("an error")
	s.Logger().Info("an info")
	st := s.Status(ctx)
	require.NotNil(t, st.CrashLog)
	assert.Equal(t, crashLog, st.CrashLog.Path)
	assert.Contains(t, st.String(), "crash log "+crashLog+": ")
	require.NoError(t, s.Rotate(ctx), "rotates every file and the crash log")
	s.Logger().Error("after the rotation")
	require.NoError(t, s.Stop(ctx))

	assert.Contains(t, read(t, crashLog+".0"), "=CRASH REPORT====")
	assert.Contains(t, read(t, crashLog+".0"), "    reason: crash requested\n")
	errorLog, consoleLog := filepath.Join(root, "log", "error.log"), filepath.Join(root, "log", "console.log")
	assert.Contains(t, read(t, errorLog+".0"), "[error]")
	assert.NotContains(t, read(t, errorLog+".0"), "an info")
	assert.Contains(t, read(t, consoleLog+".0"), "an info")
	assert.Contains(t, read(t, errorLog), "after the rotation")
}

// lager's "no silent hwm drops": a file handler with high_water_mark 5
// given 15 events in a second writes 5 and then says it dropped 10.
func TestFileHandlerNoSilentHWMDrops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hwm.log")
	s := start(t, actorlog.Handler{Config: handlers.Config{Level: "info", HighWaterMark: 5},
		Handler: &handlers.File{Path: path, SyncInterval: handlers.Off}})
	for i := range 15 {
		s.Logger().Infof("message %d", i)
	}
	want := "handler " + path + " dropped 10 messages in the last second that exceeded the limit of 5 messages/sec"
	eventually(t, "the drop report at the end of the second", func() bool { return strings.Contains(read(t, path), want) })
	lines := strings.Split(strings.TrimSpace(read(t, path)), "\n")
	require.Len(t, lines, 6)
	assert.Contains(t, lines[4], "message 4")
	assert.Contains(t, lines[5], want)
}
