package remote

import (
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
)

func TestWireRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 0, 0, 123456789, time.UTC)
	e := &core.Event{Time: at, Level: core.LevelWarning, Message: "m \xff",
		Attrs: []slog.Attr{slog.Int("i", -3), slog.Uint64("u", math.MaxUint64), slog.Float64("f", 2.5), slog.Bool("b", true),
			slog.Duration("d", time.Second), slog.Time("t", at), slog.String("s", "x"),
			slog.Group("g", slog.Int("in", 1))},
		Meta: []slog.Attr{slog.String("crash_reason", "r")},
		Sink: "audit", Actor: &actor.PID{Address: "a:1", Id: "$3"}}
	got := fromWire(toWire(e), "a:1")
	assert.True(t, got.Time.Equal(at))
	assert.Equal(t, e.Level, got.Level)
	assert.Equal(t, e.Message, got.Message)
	assert.Equal(t, e.Attrs[0].Value.Int64(), got.Attrs[0].Value.Int64())
	assert.Equal(t, e.Attrs[1].Value.Uint64(), got.Attrs[1].Value.Uint64())
	assert.Equal(t, 2.5, got.Attrs[2].Value.Float64())
	assert.True(t, got.Attrs[3].Value.Bool())
	assert.Equal(t, time.Second, got.Attrs[4].Value.Duration())
	assert.True(t, got.Attrs[5].Value.Time().Equal(at))
	assert.Equal(t, "x", got.Attrs[6].Value.String())
	assert.Equal(t, int64(1), got.Attrs[7].Value.Group()[0].Value.Int64())
	assert.Equal(t, "a:1/$3", got.Actor.Address+"/"+got.Actor.Id)
	origin, _ := got.Lookup("origin")
	assert.Equal(t, "a:1", origin.String())
	assert.Equal(t, "a:1", got.Node)
	cr, _ := got.Lookup("crash_reason")
	assert.Equal(t, "r", cr.String())
}

func TestStrategyFilter(t *testing.T) {
	local := &core.Event{}
	remote := &core.Event{Meta: []slog.Attr{slog.String("origin", "elsewhere:1")}}
	for _, tc := range []struct {
		s          Strategy
		loc, other handlers.FilterAction
	}{
		{Handle, handlers.Ignore, handlers.Ignore},
		{Ignore, handlers.Ignore, handlers.Stop},
		{Mirror, handlers.Stop, handlers.Ignore},
	} {
		f := Filter(tc.s)
		assert.Equal(t, tc.loc, f.Fn(local), "%d", tc.s)
		assert.Equal(t, tc.other, f.Fn(remote), "%d", tc.s)
	}
}
