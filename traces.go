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

// Trace sends the default sink's events that match q, at the levels of
// level ("" or "debug" for all, any level expression, or Silence), to
// handler id, whatever its own level (lager's trace). An event that
// matches a trace and the handler's level is written once. The caller-side
// check widens only by the levels a trace feeds; a Silence trace never
// widens it. Errors: a bad query or level (sinks.ErrBadTrace), an unknown
// handler (sinks.ErrNotFound).
func (s *System) Trace(ctx context.Context, id string, q Query, level string) (TraceRef, error) {
	var ref TraceRef
	err := s.withID(id, func(id string) error {
		var err error
		ref, err = s.sink.AddTrace(ctx, sinks.Trace{Query: q, Level: level, Handler: id})
		return err
	})
	return ref, err
}

// TraceConsole traces to the handler with ID "console" (lager's
// trace_console).
func (s *System) TraceConsole(ctx context.Context, q Query, level string) (TraceRef, error) {
	return s.Trace(ctx, "console", q, level)
}

// TraceFile traces to a file (lager's trace_file): to the file handler
// already writing path if there is one, else to a new one at level none
// (it writes only what traces send it), with the options of file (its
// Path is replaced by path; nil means the defaults). path is taken from
// LogRoot once, like every file handler's. The new handler is removed
// when its last trace stops, and by ClearAllTraces; configured handlers
// never are.
func (s *System) TraceFile(ctx context.Context, path string, q Query, level string, file *handlers.File) (TraceRef, error) {
	if err := q.Check(); err != nil {
		return TraceRef{}, fmt.Errorf("%w: %w", sinks.ErrBadTrace, err)
	}
	f := &handlers.File{}
	if file != nil {
		*f = *file
	}
	f.Path = path
	abs, err := f.Resolve(s.cfg.LogRoot)
	if err != nil {
		return TraceRef{}, err
	}
	if _, err := s.HandlerConfig(ctx, abs); errors.Is(err, sinks.ErrNotFound) {
		err := s.AddHandler(ctx, Handler{Config: handlers.Config{ID: abs, Level: "none"}, Handler: f})
		if err != nil && !errors.Is(err, sinks.ErrAlreadyPresent) {
			return TraceRef{}, err
		}
		if err == nil {
			s.traceOnly.mu.Lock()
			if s.traceOnly.ids == nil {
				s.traceOnly.ids = map[string]bool{}
			}
			s.traceOnly.ids[abs] = true
			s.traceOnly.mu.Unlock()
		}
	}
	ref, err := s.sink.AddTrace(ctx, sinks.Trace{Query: q, Level: level, Handler: abs})
	if err != nil {
		s.dropTraceOnly(ctx, []string{abs}, true)
	}
	return ref, err
}

// StopTrace removes a trace; a handler TraceFile started goes with its
// last trace. Error: sinks.ErrNoTrace.
func (s *System) StopTrace(ctx context.Context, ref TraceRef) error {
	id, last, err := s.sink.StopTrace(ctx, ref)
	if err != nil {
		return err
	}
	if last {
		return s.dropTraceOnly(ctx, []string{id}, false)
	}
	return nil
}

// ClearAllTraces removes every trace, and the handlers TraceFile started
// (never a configured one, even at level none: lager deletes those too).
func (s *System) ClearAllTraces(ctx context.Context) error {
	ids, err := s.sink.ClearTraces(ctx, "")
	return errors.Join(err, s.dropTraceOnly(ctx, ids, false))
}

// ClearTraces removes every trace that feeds or silences handler id
// (lager's clear_trace_by_destination), and the handler if TraceFile
// started it.
func (s *System) ClearTraces(ctx context.Context, id string) error {
	return s.withID(id, func(id string) error {
		ids, err := s.sink.ClearTraces(ctx, id)
		if err == nil && len(ids) == 0 {
			if _, lookupErr := s.sink.Configure(ctx, id, handlers.Configure{Mode: handlers.Update}); lookupErr != nil {
				return lookupErr
			}
		}
		return errors.Join(err, s.dropTraceOnly(ctx, ids, false))
	})
}

// Traces describes the default sink's traces.
func (s *System) Traces() []sinks.TraceStatus { return s.sink.Traces() }

// dropTraceOnly removes those of ids that TraceFile started (when
// onlyIfUntraced, only if no trace targets them).
func (s *System) dropTraceOnly(ctx context.Context, ids []string, onlyIfUntraced bool) error {
	var errs []error
	for _, id := range ids {
		s.traceOnly.mu.Lock()
		mine := s.traceOnly.ids[id]
		s.traceOnly.mu.Unlock()
		if !mine {
			continue
		}
		if onlyIfUntraced {
			for _, t := range s.sink.Traces() {
				if t.Handler == id {
					mine = false
				}
			}
			if !mine {
				continue
			}
		}
		s.traceOnly.mu.Lock()
		delete(s.traceOnly.ids, id)
		s.traceOnly.mu.Unlock()
		if err := s.RemoveHandler(ctx, id); err != nil && !errors.Is(err, sinks.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
