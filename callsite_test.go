package actorlog_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// here returns the line after the one it is called on.
func here() int {
	_, _, line, _ := runtime.Caller(1)
	return line + 1
}

// logVia logs through a helper that the compiler inlines into each caller.
func logVia(l *actorlog.Logger, msg string) { l.Info(msg) }

func TestEveryCallSiteIsItsOwn(t *testing.T) {
	m, h := memory("mem", "debug")
	s := start(t, h)
	l := s.Logger()
	ctx := context.Background()
	var want []int
	// Twice: the second time every call site is remembered.
	for range 2 {
		want = append(want, here())
		l.Info("info")
		want = append(want, here())
		l.Debug("debug")
		want = append(want, here())
		l.Infof("infof %d", 1)
		want = append(want, here())
		l.LogAttrs(ctx, actorlog.LevelInfo, "attrs")
		want = append(want, here())
		_ = l.Emit(ctx, actorlog.LevelInfo, "emit")
		want = append(want, here())
		l.With("k", "v").Warning("with")
		want = append(want, here())
		l.Info("same method, next line")
		for i := range 3 {
			want = append(want, here())
			l.Info("loop", "i", i)
		}
	}
	require.NoError(t, s.Flush(bg(t)))
	events := m.Events()
	require.Len(t, events, len(want))
	for i, e := range events {
		c := e.Caller()
		require.NotNil(t, c, e.Message)
		assert.Equal(t, want[i], c.Line, "%s", e.Message)
		assert.Equal(t, "TestEveryCallSiteIsItsOwn", c.Func, "%s", e.Message)
	}

	// An inlined helper's call sites are the helper's line, wherever the
	// helper is called from.
	logVia(l, "a")
	logVia(l, "b")
	require.NoError(t, s.Flush(bg(t)))
	events = m.Events()
	for _, e := range events[len(events)-2:] {
		assert.Equal(t, "logVia", e.Caller().Func)
	}
}
