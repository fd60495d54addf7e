package sinks

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/actorlog/actorlog/core"
)

// Trace sends the events of a sink that match Query, at the levels of
// Level, to the handler Handler whatever that handler's own level and
// filters say (lager's trace): a way to see one request's debug events in
// one file. With Level "silence", the trace instead keeps the matching
// events from Handler even at levels it takes.
type Trace struct {
	// Query selects events by their metadata (see core.Query).
	Query core.Query
	// Level is a level expression ("debug", the default when empty, means
	// every level; "=error"; "warning") or "silence".
	Level string
	// Handler is the ID of the handler the trace feeds or silences.
	Handler string
}

// Silence is the Level of a trace that silences what it matches.
const Silence = "silence"

// TraceRef names an installed trace, to stop it.
type TraceRef struct {
	Sink string
	ID   uint64
}

// TraceStatus describes an installed trace.
type TraceStatus struct {
	Ref     TraceRef
	Query   string
	Level   string
	Handler string
}

// traceEntry is an installed trace, compiled.
type traceEntry struct {
	id      uint64
	trace   Trace
	mask    core.Mask // the levels it feeds (0 for silence)
	silence bool
}

// tracesChanged tells the sink's actor to take the new traces into its
// mask; it answers it back.
type tracesChanged struct{}

// AddTrace installs a trace. Errors (wrapping ErrBadTrace): an invalid
// query (an empty one included), a bad level; ErrNotFound for an unknown
// handler. The trace survives restarts of the sink's actor. An identical
// trace already installed is not added twice: its ref is returned.
func (s *Sink) AddTrace(ctx context.Context, t Trace) (TraceRef, error) {
	if err := t.Query.Check(); err != nil {
		return TraceRef{}, fmt.Errorf("%w: %w", ErrBadTrace, err)
	}
	te := &traceEntry{trace: t}
	switch t.Level {
	case Silence:
		te.silence = true
	case "":
		te.mask = core.MaskAll
	default:
		m, err := core.ParseMask(t.Level)
		if err != nil {
			return TraceRef{}, fmt.Errorf("%w: level: %w", ErrBadTrace, err)
		}
		te.mask = m
	}
	reply, err := s.call(ctx, lookup{id: t.Handler})
	if err != nil {
		return TraceRef{}, err
	}
	if ref := reply.(handlerRef); ref.err != nil {
		return TraceRef{}, ref.err
	}
	s.traceMu.Lock()
	cur := s.loadTraces()
	for _, old := range cur {
		if old.trace.Handler == t.Handler && old.trace.Level == t.Level && old.trace.Query.String() == t.Query.String() {
			s.traceMu.Unlock()
			return TraceRef{Sink: s.name, ID: old.id}, nil
		}
	}
	s.traceSeq++
	te.id = s.traceSeq
	next := append(slices.Clip(cur), te)
	s.traces.Store(&next)
	s.traceMu.Unlock()
	return TraceRef{Sink: s.name, ID: te.id}, s.tracesChanged(ctx)
}

// Errors about traces.
var (
	// ErrBadTrace is wrapped by errors about a trace's query or level.
	ErrBadTrace = errors.New("sinks: bad trace")
	// ErrNoTrace: no such trace is installed.
	ErrNoTrace = errors.New("sinks: no such trace")
)

// StopTrace removes a trace, and says whether its handler is left with no
// trace. Error: ErrNoTrace.
func (s *Sink) StopTrace(ctx context.Context, ref TraceRef) (handler string, lastOne bool, err error) {
	s.traceMu.Lock()
	cur := s.loadTraces()
	i := slices.IndexFunc(cur, func(te *traceEntry) bool { return te.id == ref.ID })
	if ref.Sink != s.name || i < 0 {
		s.traceMu.Unlock()
		return "", false, fmt.Errorf("%w: %d in sink %q", ErrNoTrace, ref.ID, s.name)
	}
	handler = cur[i].trace.Handler
	next := slices.Delete(slices.Clone(cur), i, i+1)
	s.traces.Store(&next)
	lastOne = !slices.ContainsFunc(next, func(te *traceEntry) bool { return te.trace.Handler == handler })
	s.traceMu.Unlock()
	return handler, lastOne, s.tracesChanged(ctx)
}

// ClearTraces removes every trace that feeds or silences handler, or every
// trace when handler is "" (lager's clear_trace_by_destination and
// clear_all_traces), and returns the handlers that had traces.
func (s *Sink) ClearTraces(ctx context.Context, handler string) ([]string, error) {
	s.traceMu.Lock()
	var keep []*traceEntry
	var had []string
	for _, te := range s.loadTraces() {
		if handler != "" && te.trace.Handler != handler {
			keep = append(keep, te)
			continue
		}
		if !slices.Contains(had, te.trace.Handler) {
			had = append(had, te.trace.Handler)
		}
	}
	s.traces.Store(&keep)
	s.traceMu.Unlock()
	return had, s.tracesChanged(ctx)
}

// Traces describes the installed traces, silence traces included.
func (s *Sink) Traces() []TraceStatus {
	var out []TraceStatus
	for _, te := range s.loadTraces() {
		level := te.trace.Level
		if level == "" {
			level = "debug"
		}
		out = append(out, TraceStatus{Ref: TraceRef{Sink: s.name, ID: te.id}, Query: te.trace.Query.String(), Level: level, Handler: te.trace.Handler})
	}
	return out
}

func (s *Sink) loadTraces() []*traceEntry {
	if p := s.traces.Load(); p != nil {
		return *p
	}
	return nil
}

// tracesChanged makes the sink's actor recompute its mask, and waits.
func (s *Sink) tracesChanged(ctx context.Context) error {
	_, err := s.call(ctx, tracesChanged{})
	return err
}

// traced works out, for one event, which handlers a trace feeds and which
// it silences. Only traces whose levels take the event are evaluated.
func traced(traces []*traceEntry, e *core.Event) (fed, silenced []string) {
	for _, te := range traces {
		if !te.silence && !te.mask.Enabled(e.Level) {
			continue
		}
		if !te.trace.Query.Match(e) {
			continue
		}
		if te.silence {
			silenced = append(silenced, te.trace.Handler)
		} else {
			fed = append(fed, te.trace.Handler)
		}
	}
	return fed, silenced
}

// String renders a trace status on one line.
func (t TraceStatus) String() string {
	return fmt.Sprintf("trace %d: %s → %s at %s", t.Ref.ID, t.Query, t.Handler, t.Level)
}
