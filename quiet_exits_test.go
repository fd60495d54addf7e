package actorlog_test

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Removing a handler and stopping a trace end their watchers normally:
// nothing is reported, on standard error or elsewhere.
func TestRemovingHandlersAndTracesReportsNothing(t *testing.T) {
	stderr := captureStderr(t)

	mem := &handlers.Memory{}
	s := startCfg(t, actorlog.Config{LogRoot: t.TempDir(), Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "debug"}, Handler: mem}}})
	ctx := bg(t)
	watchers := actorlog.WatchersOf(s)
	before, err := watchers.CountChildren(ctx)
	require.NoError(t, err)
	q, err := actorlog.ParseQuery(`request_id = "r-17"`)
	require.NoError(t, err)
	for range 3 {
		require.NoError(t, s.AddHandler(ctx, actorlog.Handler{Config: handlers.Config{ID: "extra"}, Handler: &handlers.Memory{}}))
		require.NoError(t, s.RemoveHandler(ctx, "extra"))
		ref, err := s.TraceFile(ctx, filepath.Join(t.TempDir(), "trace.log"), q, "debug", nil)
		require.NoError(t, err)
		require.NoError(t, s.StopTrace(ctx, ref))
	}
	for { // the watchers' exits are handled, and reported if they are
		n, err := watchers.CountChildren(ctx)
		require.NoError(t, err)
		if n == before {
			break
		}
	}
	require.NoError(t, s.Flush(ctx))
	assert.Empty(t, stderr(), "standard error")
	for _, e := range mem.Events() {
		assert.NotContains(t, e.Message, "watcher")
	}
}

// Proto.Actor's records of a connection that a normal stop closed are
// info, not the error Proto.Actor logs them at; the message says their
// attributes, which the console leaves out of Meta.
func TestRemoteChatterOfANormalStopIsInfo(t *testing.T) {
	system := actor.NewActorSystem(append(actors.QuietConfig(), actor.WithLoggerFactory(actorlog.LoggerFactory))...)
	t.Cleanup(system.Shutdown)
	mem := &handlers.Memory{}
	s := startCfg(t, actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "debug"}, Handler: mem}}})
	plog := actorlog.LoggerFactory(system)
	plog.Error(translator.LostConnectionMessage, slog.String("address", "127.0.0.1:8090"),
		slog.Any("error", status.Error(codes.Canceled, "grpc: the client connection is closing")))
	plog.Error(translator.LostConnectionMessage, slog.String("address", "127.0.0.1:8091"),
		slog.Any("error", status.Error(codes.Unavailable, "connection refused")))
	plog.Info("Starting remote with address", slog.String("address", "127.0.0.1:8090"))
	require.NoError(t, s.Flush(bg(t)))
	evs := mem.Events()
	require.Len(t, evs, 3)
	assert.Equal(t, actorlog.LevelInfo, evs[0].Level, evs[0].Message)
	assert.Equal(t, actorlog.LevelError, evs[1].Level, evs[1].Message)
	assert.Equal(t, "Starting remote with address address=127.0.0.1:8090", evs[2].Message)
}

// fatalOnReinstall installs once; every later Add fails fatally, and Log
// panics on "boom".
type fatalOnReinstall struct{ adds atomic.Int32 }

func (h *fatalOnReinstall) Add(*handlers.Config) error {
	if h.adds.Add(1) > 1 {
		return handlers.Fatal(errors.New("device gone"))
	}
	return nil
}

func (h *fatalOnReinstall) Log(e *core.Event, _ *handlers.Config) error {
	if e.Message == "boom" {
		panic("handler bug")
	}
	return nil
}

// A watcher that gives up on a handler whose install failed fatally says
// so once; its end is not reported again as an error.
func TestAWatcherThatGivesUpIsNotReportedTwice(t *testing.T) {
	stderr := captureStderr(t)

	mem := &handlers.Memory{}
	s := startCfg(t, actorlog.Config{Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "debug"}, Handler: mem},
		{Config: handlers.Config{ID: "fragile", Level: "info"}, Handler: &fatalOnReinstall{}}}})
	ctx := bg(t)
	watchers := actorlog.WatchersOf(s)
	s.Logger().Info("boom")
	_, err := mem.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "not retrying") })
	require.NoError(t, err)
	for { // the watcher's exit is handled, and reported if it is
		n, err := watchers.CountChildren(ctx)
		require.NoError(t, err)
		if n.Active == 1 {
			break
		}
	}
	assert.NotContains(t, stderr(), `Child "watcher`, "standard error")
	for _, e := range mem.Events() {
		assert.NotContains(t, e.Message, `Child "watcher`)
	}
}

// captureStderr sends standard error to a pipe until the function it
// returns is called, which puts it back and returns what was written.
// Standard error is restored when the test ends in any case.
func captureStderr(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stderr := os.Stderr
	os.Stderr = w
	read := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		read <- string(b)
	}()
	var once sync.Once
	var said string
	done := func() string {
		once.Do(func() {
			os.Stderr = stderr
			_ = w.Close()
			said = <-read
			_ = r.Close()
		})
		return said
	}
	t.Cleanup(func() { done() })
	return done
}
