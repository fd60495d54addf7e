package handlers_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCrashFormatter(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 15, 4, 123e6, time.UTC)
	sup := &actor.PID{Address: "nonhost", Id: "root"}
	child := &actor.PID{Address: "nonhost", Id: "root/db"}
	info := supervision.ChildInfo{Supervisor: sup, SupervisorName: "root", ChildID: "db", PID: child, Restart: supervision.Permanent, Kind: supervision.KindWorker}
	for _, tc := range []struct {
		name    string
		msgSize int
		e       *core.Event
		want    string
	}{
		{"actor panic", 0, &core.Event{Time: at, Report: &actors.CrashReport{
			Time: at, Phase: actors.PhaseReceive, Actor: &actor.PID{Address: "nonhost", Id: "$3"}, Parent: sup,
			ActorType: "*main.worker", Message: struct{ ID int }{7}, Sender: &actor.PID{Address: "nonhost", Id: "$1"},
			Reason: "index out of range", Stack: "main.(*worker).Receive\n\t/src/main.go:42\n", Restarts: 2,
		}}, "2026-11-22 10:15:04 =CRASH REPORT====\n  crasher:\n    actor: nonhost/$3\n    type: *main.worker\n    parent: nonhost/root\n" +
			"    phase: receive\n    restarts: 2\n    reason: index out of range\n    last message: struct { ID int } {ID:7}\n    sender: nonhost/$1\n" +
			"    stack:\n      main.(*worker).Receive\n          /src/main.go:42\n\n"},
		{"goroutine panic", 0, &core.Event{Report: &actors.CrashReport{Time: at, Phase: actors.PhaseGoroutine, Goroutine: "poller", Reason: errors.New("boom")}},
			"2026-11-22 10:15:04 =CRASH REPORT====\n  crasher:\n    goroutine: poller\n    reason: boom\n\n"},
		{"child terminated", 0, &core.Event{Time: at, Report: &supervision.ChildTerminated{ChildInfo: info, Reason: errors.New("disk gone")}},
			"2026-11-22 10:15:04 =SUPERVISOR REPORT====\n     Supervisor: \"root\" (nonhost/root)\n     Context:    child_terminated\n" +
				"     Reason:     disk gone\n     Offender:   child \"db\" (nonhost/root/db) permanent worker\n\n"},
		{"max intensity", 0, &core.Event{Time: at, Report: &supervision.MaxIntensityReached{ChildInfo: info, Intensity: 1, Period: 5 * time.Second, Reason: errors.New("x")}},
			"2026-11-22 10:15:04 =SUPERVISOR REPORT====\n     Supervisor: \"root\" (nonhost/root)\n     Context:    shutdown\n" +
				"     Reason:     reached_max_restart_intensity (1 in 5s) after: x\n     Offender:   child \"db\" (nonhost/root/db) permanent worker\n\n"},
		{"plain event", 0, &core.Event{Time: at, Message: "something failed"}, "2026-11-22 10:15:04 =ERROR REPORT====\nsomething failed\n\n"},
		{"msg size", 40, &core.Event{Time: at, Message: strings.Repeat("y", 100)}, "2026-11-22 10:15:04 =ERROR REPORT====\n" + core.Truncate(strings.Repeat("y", 100), 40) + "\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &handlers.CrashFormatter{MsgSize: tc.msgSize, Location: time.UTC}
			assert.Equal(t, tc.want, string(f.Format(nil, tc.e)))
		})
	}
}

func TestIsCrash(t *testing.T) {
	for _, tc := range []struct {
		report any
		want   bool
	}{
		{&actors.CrashReport{}, true},
		{&supervision.ChildStartFailed{}, true},
		{&supervision.ShutdownError{}, true},
		{&supervision.MaxIntensityReached{}, true},
		{&supervision.ChildTerminated{Reason: errors.New("x")}, true},
		{&supervision.ChildTerminated{Reason: supervision.ErrNormal}, false},
		{&supervision.ChildTerminated{Reason: supervision.ErrShutdown}, false},
		{&supervision.ChildStarted{}, false},
		{&supervision.ChildRestarted{}, false},
		{"a string", false},
		{nil, false},
	} {
		assert.Equal(t, tc.want, handlers.IsCrash(tc.report), "%T", tc.report)
	}
}

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
	stats := &handlers.Stats{}
	var mu sync.Mutex
	var reports []string
	props, err := handlers.CrashLogProps(h, handlers.Config{ID: "crash_log"}, stats, func(e *core.Event) {
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
	assert.Contains(t, got, "    type: handlers_test.crasher\n")
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
	props, err := handlers.CrashLogProps(h, handlers.Config{ID: "crash_log"}, &handlers.Stats{}, func(e *core.Event) { reported <- e.Message })
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
