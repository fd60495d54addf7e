package actorlog_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// silentActor is a custom handler actor that takes events and answers
// nothing.
type silentActor struct{ got atomic.Int64 }

func (a *silentActor) Receive(c actor.Context) {
	if _, ok := c.Message().(*core.Event); ok {
		a.got.Add(1)
	}
}

// A custom handler actor that does not answer Flush costs only itself: a
// wait of CustomAnswerTimeout, reported and named, while the other
// handlers are flushed; Stop is held back no longer than that.
func TestCustomActorThatDoesNotAnswerFlush(t *testing.T) {
	silent := &silentActor{}
	mem, hMem := memory("mem", "info")
	s := startCfg(t, actorlog.Config{
		CustomAnswerTimeout: 20 * time.Millisecond,
		Handlers: []actorlog.Handler{{Config: handlers.Config{ID: "silent", Level: "info"},
			Props: actor.PropsFromProducer(func() actor.Actor { return silent })}, hMem},
	})
	s.Logger().Info("one")
	// A deadline far beyond the wait for the silent actor: Flush returns
	// long before it.
	ctx, cancel := context.WithTimeout(bg(t), time.Minute)
	defer cancel()
	err := s.Flush(ctx)
	require.ErrorIs(t, err, sinks.ErrNoAnswer)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), `flush "silent" in sink "default": `)
	assert.Contains(t, messages(mem), "one", "the other handler is flushed")

	report, err := mem.WaitMatch(ctx, func(e *core.Event) bool { return strings.Contains(e.Message, "did not answer") })
	require.NoError(t, err, "the missing answer is reported")
	assert.Equal(t, "sink default: custom handler actor silent did not answer Flush within 20ms", report.Message)
	assert.Equal(t, actorlog.LevelWarning, report.Level)

	err = s.Stop(ctx)
	require.ErrorIs(t, err, sinks.ErrNoAnswer, "Stop says which handler did not answer")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.GreaterOrEqual(t, silent.got.Load(), int64(1), "it took its event, and the reports about it")
}

func TestCustomAnswerTimeoutMustNotBeNegative(t *testing.T) {
	_, err := actorlog.Start(actorlog.Config{CustomAnswerTimeout: -time.Second, Handlers: []actorlog.Handler{}})
	require.ErrorIs(t, err, actorlog.ErrBadConfig)
	assert.Contains(t, err.Error(), "custom_answer_timeout: must not be negative, got -1s")
}
