package actorlog_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Behind a file handler (actorlog's code only), an event's memory is
// reused once the handler wrote it: logging allocates next to nothing,
// and every line is still the event's own.
func TestEventsBehindFileHandlersAreReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.log")
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "file", Level: "info"},
		Handler: &handlers.File{Path: path, Size: handlers.Off, Date: handlers.DateNone}})
	l, ctx := s.Logger(), context.Background()
	const rounds, per = 10, 1000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for r := range rounds {
		for i := range per {
			l.LogAttrs(ctx, actorlog.LevelInfo, "reused", slog.Int("n", r*per+i), slog.String("path", "/api/v1/items"))
		}
		require.NoError(t, s.Flush(bg(t))) // the handler is done with them
	}
	runtime.ReadMemStats(&after)
	// Without reuse an event is at least one allocation of 512 bytes (the
	// race detector's sync.Pool drops a quarter of what it is given).
	perEvent := float64(after.TotalAlloc-before.TotalAlloc) / (rounds * per)
	t.Logf("%.0f bytes allocated per event", perEvent)
	assert.Less(t, perEvent, 384.0, "bytes allocated per event")

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, rounds*per)
	for n, line := range lines {
		require.True(t, strings.HasSuffix(line, fmt.Sprintf(" reused n=%d path=/api/v1/items", n)), "line %d: %q", n, line)
	}
}

// keeper is user code that keeps the events it sees, and checks later
// that they did not change.
type keeper struct {
	mu   sync.Mutex
	kept []*core.Event
	msgs []string
}

func (k *keeper) keep(e *core.Event) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.kept = append(k.kept, e)
	k.msgs = append(k.msgs, e.Message)
}

// unchanged asserts that the kept events still say what they said.
func (k *keeper) unchanged(t *testing.T, want int) {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	require.GreaterOrEqual(t, len(k.kept), want)
	for i, e := range k.kept {
		require.Equal(t, k.msgs[i], e.Message, "kept event %d changed", i)
	}
}

// Format implements formatter.Formatter, keeping e.
func (k *keeper) Format(dst []byte, e *core.Event) []byte {
	k.keep(e)
	return append(dst, e.Message+"\n"...)
}

// Receive implements actor.Actor, keeping the events it gets.
func (k *keeper) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *core.Event:
		k.keep(m)
	case handlers.Flush:
		c.Respond(handlers.Flushed{})
	}
}

// When any handler of a sink runs code of the user's that could keep an
// event — a formatter, a filter, a custom actor — the sink never reuses
// its events, and nothing needs declaring.
func TestEventsSeenByUserCodeAreNeverReused(t *testing.T) {
	file := func(t *testing.T, cfg handlers.Config) actorlog.Handler {
		cfg.Level = "info"
		return actorlog.Handler{Config: cfg, Handler: &handlers.File{Path: filepath.Join(t.TempDir(), cfg.ID+".log")}}
	}
	tests := []struct {
		name     string
		handlers func(t *testing.T, k *keeper) []actorlog.Handler
	}{
		{"a formatter of the user's", func(t *testing.T, k *keeper) []actorlog.Handler {
			return []actorlog.Handler{file(t, handlers.Config{ID: "f", Formatter: k})}
		}},
		{"a filter of the user's", func(t *testing.T, k *keeper) []actorlog.Handler {
			f := handlers.Filter{ID: "keeps", Fn: func(e *core.Event) handlers.FilterAction { k.keep(e); return handlers.Ignore }}
			return []actorlog.Handler{file(t, handlers.Config{ID: "f", Filters: []handlers.Filter{f}})}
		}},
		{"a custom actor beside a file", func(t *testing.T, k *keeper) []actorlog.Handler {
			return []actorlog.Handler{file(t, handlers.Config{ID: "f"}),
				{Config: handlers.Config{ID: "mine", Level: "info"}, Props: actor.PropsFromProducer(func() actor.Actor { return k })}}
		}},
		{"a console with a formatter of the user's beside a file", func(t *testing.T, k *keeper) []actorlog.Handler {
			return []actorlog.Handler{file(t, handlers.Config{ID: "f", Formatter: &formatter.JSON{}}),
				{Config: handlers.Config{ID: "c", Level: "info", Formatter: k}, Handler: &handlers.Console{Writer: discard{}}}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &keeper{}
			s := start(t, tt.handlers(t, k)...)
			const n = 2000
			for i := range n {
				s.Logger().LogAttrs(context.Background(), actorlog.LevelInfo, fmt.Sprintf("event %d", i), slog.Int("i", i))
				if i%100 == 99 {
					require.NoError(t, s.Flush(bg(t)))
				}
			}
			require.NoError(t, s.Flush(bg(t)))
			k.unchanged(t, n)
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// A config change that brings in a formatter of the user's stops the
// reuse (and the lines formatted by callers) from then on; one back to
// actorlog's formatters lets them run again.
func TestAConfigChangeTurnsReuseOffAndOn(t *testing.T) {
	k := &keeper{}
	path := filepath.Join(t.TempDir(), "out.log")
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "file", Level: "info"}, Handler: &handlers.File{Path: path}})
	l, ctx := s.Logger(), context.Background()
	logSome := func(from int) {
		for i := range 500 {
			l.LogAttrs(ctx, actorlog.LevelInfo, fmt.Sprintf("event %d", from+i))
		}
		require.NoError(t, s.Flush(bg(t)))
	}
	logSome(0)
	require.NoError(t, s.UpdateHandlerConfig(bg(t), "file", func(c *handlers.Config) { c.Formatter = k }))
	logSome(500)
	k.unchanged(t, 500)
	require.NoError(t, s.UpdateHandlerConfig(bg(t), "file", func(c *handlers.Config) { c.Formatter = nil }))
	logSome(1000)
	k.unchanged(t, 500)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, 1500)
	assert.Equal(t, "event 700", lines[700], "the keeper's lines are its own format")
	assert.True(t, strings.HasSuffix(lines[1200], " event 1200"), lines[1200])
}
