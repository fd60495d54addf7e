package handleractor_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// Handler actors, their workers and a File's writes behind are goroutines:
// none may outlive the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type crasher struct{}

func (crasher) Receive(c actor.Context) {
	if s, ok := c.Message().(string); ok && s == "crash" {
		panic("crash requested")
	}
}

// waitForFile polls path until it satisfies ok (a guard against a hang, not
// a timing assertion).
func waitForFile(t *testing.T, path string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(actortest.Deadline)
	for {
		got := readFile(t, path)
		if ok(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never matched; it holds:\n%s", path, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCrashLogActorWritesTheSystemsCrashes(t *testing.T) {
	system := actortest.NewSystem(t)
	ctx := actortest.Context(t)
	path := filepath.Join(t.TempDir(), "crash.log")
	h := &handlers.CrashLog{File: handlers.File{Path: path}}
	stats := &handleractor.Stats{}
	var mu sync.Mutex
	var reports []string
	props, err := handleractor.CrashLogProps(h, handlers.Config{ID: "crash_log"}, stats, func(e *core.Event) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, e.Message)
	})
	require.NoError(t, err)
	pid := system.Root.Spawn(props)
	// Once it answers, it has started and subscribed.
	_, err = actors.Call(ctx, system, pid, handlers.Flush{})
	require.NoError(t, err)
	worker := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return crasher{} },
		actor.WithReceiverMiddleware(actors.CrashReporter())))
	system.Root.Send(worker, "crash")

	got := waitForFile(t, path, func(s string) bool { return strings.Contains(s, "=CRASH REPORT====") })
	assert.Contains(t, got, "    reason: crash requested\n")
	assert.Contains(t, got, "    type: handleractor_test.crasher\n")
	assert.Contains(t, got, "    last message: string crash\n")

	system.EventStream.Publish(&supervision.ChildStarted{}) // progress: not written
	system.EventStream.Publish(&supervision.ChildTerminated{ChildInfo: supervision.ChildInfo{SupervisorName: "sup", ChildID: "db"}, Reason: errors.New("disk gone")})
	require.NoError(t, actors.StopGracefully(ctx, system, pid))
	got = readFile(t, path)
	assert.Equal(t, 2, strings.Count(got, "===="), "one crash report and one supervisor report:\n%s", got)
	assert.Contains(t, got, "     Reason:     disk gone\n")
	require.NoError(t, actors.StopGracefully(ctx, system, worker))
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, reports)
}

// lager's crash log "file can't be opened on startup triggers an error
// message", and "unavailable files that are fixed at runtime".
func TestCrashLogUnavailableAtStart(t *testing.T) {
	system := actortest.NewSystem(t)
	ctx := actortest.Context(t)
	dir := t.TempDir()
	blocker := filepath.Join(dir, "blocker")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	path := filepath.Join(blocker, "crash.log")
	reported := make(chan string, 4)
	h := &handlers.CrashLog{File: handlers.File{Path: path, CheckInterval: 10 * time.Millisecond}}
	props, err := handleractor.CrashLogProps(h, handlers.Config{ID: "crash_log"}, &handleractor.Stats{}, func(e *core.Event) { reported <- e.Message })
	require.NoError(t, err)
	pid := system.Root.Spawn(props)
	select {
	case msg := <-reported:
		assert.Equal(t, "Failed to open crash log file "+path+" with error not a directory", msg)
	case <-ctx.Done():
		t.Fatal("no report")
	}
	system.EventStream.Publish(&actors.CrashReport{Time: time.Now(), Goroutine: "g", Reason: "kept while unavailable"})
	require.NoError(t, os.Remove(blocker))
	got := waitForFile(t, path, func(s string) bool { return strings.Contains(s, "kept while unavailable") })
	assert.Contains(t, got, "=CRASH REPORT====")
	require.NoError(t, actors.StopGracefully(ctx, system, pid))
}

// A handler actor's reports go where its Stats say (its sink, in a sink),
// not to its parent.
func TestHandlerActorReportsGoToStatsReport(t *testing.T) {
	system := actortest.NewSystem(t)
	ctx := actortest.Context(t)
	blocker := filepath.Join(t.TempDir(), "blocker")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	path := filepath.Join(blocker, "app.log")
	reported := make(chan string, 4)
	stats := &handleractor.Stats{Report: func(e *core.Event) { reported <- e.Message }}
	cfg := handlers.Config{ID: path, Level: "info"}
	require.NoError(t, cfg.Check())
	p := &parent{child: handleractor.Props(&handlers.File{Path: path}, cfg, stats, nil, nil)}
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return p }))
	select {
	case msg := <-reported:
		assert.Equal(t, "Failed to open log file "+path+" with error not a directory", msg)
	case <-ctx.Done():
		t.Fatal("no report")
	}
	require.NoError(t, actors.StopGracefully(ctx, system, pid))
	assert.Zero(t, p.events.Load(), "no report went to the parent")
}

// parent spawns a handler actor, as a sink's actor does, and counts the
// events it is sent.
type parent struct {
	child  *actor.Props
	events atomic.Int64
}

func (p *parent) Receive(c actor.Context) {
	switch c.Message().(type) {
	case *actor.Started:
		c.Spawn(p.child)
	case *core.Event:
		p.events.Add(1)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "<missing>"
	}
	require.NoError(t, err)
	return string(b)
}
