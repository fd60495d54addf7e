package remote

import (
	"slices"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/asynkron/protoactor-go/actor"
)

func TestTheCollectorForgetsSilentForwarders(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	a := &collector{seen: map[string]seen{}, now: func() time.Time { return now }, opts: CollectorOptions{DedupWindow: 10 * time.Minute}}
	steps := []struct {
		after time.Duration
		key   string
		seq   uint64
		want  []string // remembered afterwards
	}{
		{0, "a/1", 1, []string{"a/1"}},
		{time.Minute, "b/1", 1, []string{"a/1", "b/1"}},
		{9 * time.Minute, "b/1", 2, []string{"a/1", "b/1"}}, // a/1 silent 10 min: not more than the window
		{2 * time.Minute, "b/1", 3, []string{"a/1", "b/1"}}, // swept at most once a window: not yet
		{9 * time.Minute, "c/1", 1, []string{"b/1", "c/1"}}, // a/1 silent 21 min: forgotten
		{11 * time.Minute, "c/1", 1, []string{"c/1"}},       // a resend keeps c/1; b/1 forgotten
		{time.Hour, "c/2", 1, []string{"c/2"}},              // a node's new forwarder; the old one forgotten
	}
	for i, s := range steps {
		now = now.Add(s.after)
		a.remember(s.key, s.seq)
		if len(a.seen) != len(s.want) {
			t.Errorf("step %d: remembers %v, want %v", i, a.seen, s.want)
			continue
		}
		for _, k := range s.want {
			if _, ok := a.seen[k]; !ok {
				t.Errorf("step %d: forgot %s", i, k)
			}
		}
	}
	if got := a.seen["c/2"].seq; got != 1 {
		t.Errorf("seq %d, want 1", got)
	}
}

// fakeRemote records the shutdowns asked of it, and panics in a graceful
// one when told to, as the pinned Proto.Actor can.
type fakeRemote struct {
	panics bool
	calls  []bool
}

func (f *fakeRemote) Shutdown(graceful bool) {
	f.calls = append(f.calls, graceful)
	if graceful && f.panics {
		panic("send on closed channel")
	}
}

func TestShutdownFallsBackWhenTheGracefulOnePanics(t *testing.T) {
	for _, tc := range []struct {
		name   string
		panics bool
		want   []bool
		warned []any
	}{
		{"graceful", false, []bool{true}, nil},
		{"graceful panics: at once, with a warning", true, []bool{true, false}, []any{"send on closed channel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeRemote{panics: tc.panics}
			var warned []any
			shutdown(f, func(v any) { warned = append(warned, v) })
			if !slices.Equal(f.calls, tc.want) {
				t.Errorf("shutdowns %v, want %v", f.calls, tc.want)
			}
			if !slices.Equal(warned, tc.warned) {
				t.Errorf("warnings %v, want %v", warned, tc.warned)
			}
		})
	}
}

// The warning of a shutdown that panicked reaches the collector's sink,
// naming the panic.
func TestShutdownPanicIsLogged(t *testing.T) {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	mem := &handlers.Memory{}
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "debug"}, Handler: mem}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := actortest.Context(t)
	defer func() { _ = sys.Stop(ctx) }()
	sink, err := sys.Sink("")
	if err != nil {
		t.Fatal(err)
	}
	c := &Collector{sink: sink}
	shutdown(&fakeRemote{panics: true}, c.shutdownPanicked)
	e, err := mem.WaitMatch(ctx, func(e *core.Event) bool { return e.Level == core.LevelWarning })
	if err != nil {
		t.Fatal(err)
	}
	want := "collector: remote's graceful shutdown panicked (send on closed channel); its server was stopped at once"
	if e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
	if len(e.Attrs) != 1 || e.Attrs[0].Key != "panic" || e.Attrs[0].Value.String() != "send on closed channel" {
		t.Errorf("attrs %v, want panic=send on closed channel", e.Attrs)
	}
}
