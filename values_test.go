package actorlog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message with unexported fields of the types Render knows.
type stampedMsg struct {
	ID   int
	at   time.Time
	from *actor.PID
}

// Logging a value with unexported fields renders them; it never panics.
func TestLoggingUnexportedFields(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: mem})
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Logger().Info("stamped", "v", struct {
		ID int
		at time.Time
	}{1, at}, "m", &stampedMsg{2, at, actor.NewPID("nonhost", "$9")})
	require.NoError(t, s.Flush(bg(t)))
	evs := mem.Events()
	require.Len(t, evs, 1)
	v, _ := evs[0].Lookup("v")
	assert.Equal(t, "{ID:1 at:2026-01-02T03:04:05Z}", v.String())
	m, _ := evs[0].Lookup("m")
	assert.Equal(t, "&{ID:2 at:2026-01-02T03:04:05Z from:nonhost/$9}", m.String())
}

type lateReplier struct{ release, replied chan struct{} }

func (a *lateReplier) Receive(c actor.Context) {
	if _, ok := c.Message().(string); ok {
		<-a.release
		c.Respond(&stampedMsg{ID: 3, at: time.Unix(0, 0).UTC(), from: c.Self()})
		close(a.replied)
	}
}

// Proto.Actor's dead-letter records carry the message: one with
// unexported fields neither panics the sender nor stops anything, whether
// the sender is a plain Send to a stopped actor or an actor's late reply to
// a call that timed out.
func TestDeadLettersWithUnexportedFields(t *testing.T) {
	system := actor.NewActorSystem(append(actors.QuietConfig(), actor.WithLoggerFactory(actorlog.LoggerFactory))...)
	t.Cleanup(system.Shutdown)
	mem := &handlers.Memory{}
	s := startCfg(t, actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: mem}}})
	ctx := bg(t)

	stopped := system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	require.NoError(t, system.Root.StopFuture(stopped).Wait())
	system.Root.Send(stopped, &stampedMsg{ID: 1, at: time.Unix(0, 0).UTC(), from: stopped})
	e, err := mem.WaitMatch(ctx, func(e *core.Event) bool {
		return strings.HasPrefix(e.Message, "Dead letter to "+stopped.Address+"/"+stopped.Id)
	})
	require.NoError(t, err)
	assert.Equal(t, "Dead letter to "+stopped.Address+"/"+stopped.Id+": *actorlog_test.stampedMsg{ID:1 at:1970-01-01T00:00:00Z from:"+
		stopped.Address+"/"+stopped.Id+"}", e.Message)

	replier := &lateReplier{release: make(chan struct{}), replied: make(chan struct{})}
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return replier }))
	_, err = system.Root.RequestFuture(pid, "call", time.Millisecond).Result()
	require.ErrorIs(t, err, actor.ErrTimeout)
	close(replier.release)
	select {
	case <-replier.replied:
	case <-ctx.Done():
		t.Fatal("the late reply did not return")
	}
	_, err = mem.WaitMatch(ctx, func(e *core.Event) bool {
		return strings.HasPrefix(e.Message, "Dead letter") && strings.Contains(e.Message, "stampedMsg{ID:3 ")
	})
	require.NoError(t, err)
	require.NoError(t, system.Root.StopFuture(pid).Wait())
	require.NoError(t, s.Flush(ctx))
	for _, e := range mem.Events() {
		assert.NotContains(t, e.Message, "terminating")
		assert.NotContains(t, e.Message, "Recovering")
	}
}

type cyclicPanicker struct{}

func (cyclicPanicker) Receive(c actor.Context) {
	if _, ok := c.Message().(map[string]any); ok {
		self := []any{"again", nil}
		self[1] = self
		panic(self)
	}
}

// An actor that panics with a value that contains itself, on a message
// that contains itself, is reported like any other: translated, and in the
// crash log. fmt would recurse on them until the stack overflows.
func TestCrashWithCyclicValuesIsReported(t *testing.T) {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	t.Cleanup(system.Shutdown)
	root := t.TempDir()
	mem := &handlers.Memory{}
	s := startCfg(t, actorlog.Config{ActorSystem: system, LogRoot: root, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: mem}},
		CrashLog: &handlers.CrashLog{File: handlers.File{Path: "crash.log"}}})
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return cyclicPanicker{} },
		actor.WithReceiverMiddleware(actors.CrashReporter())))
	msg := map[string]any{"k": 1}
	msg["self"] = msg
	system.Root.Send(pid, msg)
	e, err := mem.WaitMatch(bg(t), func(e *core.Event) bool { return strings.Contains(e.Message, "terminating") })
	require.NoError(t, err)
	assert.Contains(t, e.Message, "** (panic) [again <cycle>]")
	assert.Contains(t, e.Message, "Last message: map[k:1 self:<cycle>]")
	require.NoError(t, s.Stop(bg(t))) // the crash log is written out
	b, err := os.ReadFile(filepath.Join(root, "crash.log"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "map[string]interface {} map[k:1 self:<cycle>]")
}
