package actorlog

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
)

// TraceRef names an installed trace, to stop it.
type TraceRef = sinks.TraceRef

// Silence is the level of a trace that keeps what it matches from its
// handler.
const Silence = sinks.Silence

// Query is a condition on an event's metadata (see core.Query);
// ParseQuery reads one from text: `module = "cache" and request > 120`.
type Query = core.Query

// ParseQuery parses a query (see core.ParseQuery).
func ParseQuery(text string) (Query, error) { return core.ParseQuery(text) }

// traceOnly remembers the handlers TraceFile started, which go when their
// last trace goes; user-configured handlers are never removed by a trace.
type traceOnly struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (t *traceOnly) add(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ids == nil {
		t.ids = map[string]bool{}
	}
	t.ids[id] = true
}

// take forgets id and says whether TraceFile had started it.
func (t *traceOnly) take(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	mine := t.ids[id]
	delete(t.ids, id)
	return mine
}

// ClearAllTraces removes every trace of every sink, and the handlers
// TraceFile started (never a configured one, even at level none: lager
// deletes those too).
func (s *System) ClearAllTraces(ctx context.Context) error {
	var errs []error
	for _, k := range s.order {
		ids, err := k.sink.ClearTraces(ctx, "")
		errs = append(errs, err, k.dropTraceOnly(ctx, ids, false))
	}
	return errors.Join(errs...)
}

// The default sink's traces; see Sink for each.

// Trace installs a trace on the default sink (see Sink.Trace).
func (s *System) Trace(ctx context.Context, id string, q Query, level string) (TraceRef, error) {
	return s.def.Trace(ctx, id, q, level)
}

// TraceConsole traces to the default sink's "console" handler (see
// Sink.TraceConsole).
func (s *System) TraceConsole(ctx context.Context, q Query, level string) (TraceRef, error) {
	return s.def.TraceConsole(ctx, q, level)
}

// TraceFile traces the default sink to a file (see Sink.TraceFile).
func (s *System) TraceFile(ctx context.Context, path string, q Query, level string, file *handlers.File) (TraceRef, error) {
	return s.def.TraceFile(ctx, path, q, level, file)
}

// StopTrace removes a trace of any sink (see Sink.StopTrace).
func (s *System) StopTrace(ctx context.Context, ref TraceRef) error {
	k, err := s.Sink(ref.Sink)
	if err != nil {
		return fmt.Errorf("%w: %w", sinks.ErrNoTrace, err)
	}
	return k.StopTrace(ctx, ref)
}

// ClearTraces removes the default sink's traces to handler id (see
// Sink.ClearTraces).
func (s *System) ClearTraces(ctx context.Context, id string) error { return s.def.ClearTraces(ctx, id) }

// Traces describes the traces of every sink.
func (s *System) Traces() []sinks.TraceStatus {
	var out []sinks.TraceStatus
	for _, k := range s.order {
		out = append(out, k.Traces()...)
	}
	return out
}
