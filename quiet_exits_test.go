package actorlog_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/handlers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Removing a handler and stopping a trace end their watchers normally:
// nothing is reported, on standard error or elsewhere.
func TestRemovingHandlersAndTracesReportsNothing(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stderr := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = stderr }()
	read := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		read <- string(b)
	}()

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
	require.NoError(t, w.Close())
	assert.Empty(t, <-read, "standard error")
	for _, e := range mem.Events() {
		assert.NotContains(t, e.Message, "watcher")
	}
}
