package actorlog_test

import (
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type panickingActor struct{}

func (panickingActor) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *core.Event:
		if m.Message == "boom" {
			panic("custom handler bug")
		}
	case handlers.Flush:
		c.Respond(handlers.Flushed{})
	}
}

// A crash report's stack is the program's: the frames of the middleware
// actorlog wraps an actor in (a custom handler actor's queue count, a
// supervised child's link) are left out, with Proto.Actor's.
func TestCrashStacksLeaveOutActorlogsMiddleware(t *testing.T) {
	r := firstCrash(t, actorlog.Handler{Config: handlers.Config{ID: "mine", Level: "info"},
		Props: actor.PropsFromProducer(func() actor.Actor { return panickingActor{} })})
	require.Equal(t, "custom handler bug", r.Reason)
	assert.Contains(t, r.Stack, "panickingActor.Receive")
	assert.NotContains(t, r.Stack, "actorlog/sinks.")
	assert.NotContains(t, r.Stack, "actorlog/supervision.")
}

type panickingHandler struct{}

func (panickingHandler) Log(e *core.Event, _ *handlers.Config) error {
	if e.Message == "boom" {
		panic("handler bug")
	}
	return nil
}

// A handler's crash report shows its Log, not the handler actor that runs
// it.
func TestHandlerCrashStacksShowTheHandler(t *testing.T) {
	r := firstCrash(t, actorlog.Handler{Config: handlers.Config{ID: "buggy", Level: "info"}, Handler: panickingHandler{}})
	assert.Contains(t, r.Stack, "panickingHandler.Log")
	assert.NotContains(t, r.Stack, "actorlog/handlers.")
}

// firstCrash starts a System with handler h, logs "boom" at info, and
// returns the first crash report of its actor system.
func firstCrash(t *testing.T, h actorlog.Handler) *actors.CrashReport {
	t.Helper()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	t.Cleanup(system.Shutdown)
	crashes := actortest.Collect[*actors.CrashReport](t, system, 8)
	s := startCfg(t, actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{h}})
	s.Logger().Info("boom")
	select {
	case r := <-crashes:
		return r
	case <-bg(t).Done():
		t.Fatal("no crash report")
		return nil
	}
}
