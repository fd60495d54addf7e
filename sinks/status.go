package sinks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/handleractor"
)

// HandlerStatus is one handler's line in a SinkStatus.
type HandlerStatus struct {
	// ID is the handler's ID and Level its level mask.
	ID    string
	Level core.Mask
	// Custom is true for a custom handler actor (no counters).
	Custom bool
	// Queue is the number of events waiting in the handler's mailbox.
	Queue int
	// Handled, Errors, FilterPanics, Restarts and Dropped are the
	// handler's counters (see handleractor.Stats); LastError the last error's
	// text.
	Handled, Errors, FilterPanics, Restarts, Dropped int64
	LastError                                        string
}

// DropCounts are a sink's drops by reason (see Drops).
type DropCounts struct {
	Discarded, NotRunning, Closed, NoHandler, Killed, Exited int64
}

// Total adds the drops of every reason.
func (d DropCounts) Total() int64 {
	return d.Discarded + d.NotRunning + d.Closed + d.NoHandler + d.Killed + d.Exited
}

// SinkStatus describes a sink, for System.Status.
type SinkStatus struct {
	// Name is the sink's name and Level its mask, the union of its
	// handlers' levels.
	Name  string
	Level core.Mask
	// Mode is the sink's overload mode.
	Mode Mode
	// Queue is the sink's queue length as the overload protection sees it
	// (Sink.QueueLen).
	Queue int
	// Drops counts the events the sink did not deliver, by reason; Kills
	// the times the killer struck; Restarts the restarts of its actor.
	Drops           DropCounts
	Kills, Restarts int64
	// Running is false while the sink's actor is not running.
	Running bool
	// Awaited names, sorted, the handlers that stopped with the sink's
	// last incarnation (a kill, a restart), or exited after failures, and
	// that their watchers are installing again. Their levels stay in Level meanwhile, and an event
	// that no other handler takes is counted in Drops.NoHandler.
	Awaited  []string
	Handlers []HandlerStatus
	// Traces are the sink's traces, silence traces included.
	Traces []TraceStatus
}

func (m *manager) status() SinkStatus {
	st := m.sink.baseStatus()
	st.Running = true
	st.Traces = m.sink.Traces()
	for _, h := range m.handlers {
		if !h.ready {
			continue
		}
		hs := HandlerStatus{ID: h.id, Level: h.mask, Custom: h.custom, Queue: h.stats.Queued(),
			Handled: h.stats.Handled.Load(), Errors: h.stats.Errors.Load(),
			FilterPanics: h.stats.FilterPanics.Load(), Restarts: h.stats.Restarts.Load(), Dropped: h.stats.Dropped.Load()}
		if err := h.stats.LastError.Load(); err != nil {
			hs.LastError = (*err).Error()
		}
		st.Handlers = append(st.Handlers, hs)
	}
	return st
}

func (s *Sink) baseStatus() SinkStatus {
	d := &s.drops
	return SinkStatus{Name: s.name, Level: s.Mask(), Mode: s.Mode(), Queue: s.QueueLen(), Kills: s.Kills(), Restarts: s.Restarts(),
		Awaited: s.awaitedIDs(),
		Drops: DropCounts{Discarded: d.Discarded.Load(), NotRunning: d.NotRunning.Load(), Closed: d.Closed.Load(),
			NoHandler: d.NoHandler.Load(), Killed: d.Killed.Load(), Exited: d.Exited.Load()}}
}

// call sends a request to the sink's actor and waits for the answer.
func (s *Sink) call(ctx context.Context, req any) (any, error) {
	pid := s.PID()
	if pid == nil {
		return nil, fmt.Errorf("%w: %q", ErrNotRunning, s.name)
	}
	reply, err := actors.Call(ctx, s.system, pid, req)
	if errors.Is(err, actors.ErrNoActor) {
		return nil, fmt.Errorf("%w: %q", ErrNotRunning, s.name)
	}
	return reply, err
}

// callRunning is call, but a sink between two incarnations of its actor
// (restarting after a kill or a crash) is waited for, within ctx; one that
// was closed, or whose tree gave up, is not running.
func (s *Sink) callRunning(ctx context.Context, req any) (any, error) {
	for {
		next := s.nextStart()
		reply, err := s.call(ctx, req)
		if !errors.Is(err, ErrNotRunning) || s.closed.Load() || s.fallback.Load() {
			return reply, err
		}
		if testWaitingStart != nil {
			testWaitingStart()
		}
		select {
		case <-next:
		case <-ctx.Done():
			return nil, err
		}
	}
}

// testWaitingStart, set by a test, is called as callRunning starts to
// wait for the next incarnation; nil otherwise.
var testWaitingStart func()

// nextStart returns a channel closed when an incarnation of the sink's
// actor next starts.
func (s *Sink) nextStart() <-chan struct{} {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	if s.started == nil {
		s.started = make(chan struct{})
	}
	return s.started
}

// announceStart tells those waiting in nextStart that an incarnation has
// started.
func (s *Sink) announceStart() {
	s.startMu.Lock()
	defer s.startMu.Unlock()
	if s.started != nil {
		close(s.started)
		s.started = nil
	}
}

// Status describes the sink; a sink that is not running is described from
// what it keeps outside its actor.
func (s *Sink) Status(ctx context.Context) (SinkStatus, error) {
	reply, err := s.call(ctx, statusReq{})
	if errors.Is(err, ErrNotRunning) {
		return s.baseStatus(), nil
	}
	if err != nil {
		return SinkStatus{}, err
	}
	return reply.(SinkStatus), nil
}

// Remove removes handler id after it handled the events queued for it, and
// waits until it has stopped (its Remove has run). Its watcher ends too.
func (s *Sink) Remove(ctx context.Context, id string) error {
	reply, err := s.call(ctx, remove{id: id})
	if err != nil {
		return err
	}
	return reply.(removeAnswer).err
}

// Configure changes handler id's config (see handleractor.Configure) and
// updates the sink's mask; it returns the config in force.
func (s *Sink) Configure(ctx context.Context, id string, change handleractor.Configure) (handlers.Config, error) {
	reply, err := s.call(ctx, lookup{id: id})
	if err != nil {
		return handlers.Config{}, err
	}
	ref := reply.(handlerRef)
	if ref.err != nil {
		return handlers.Config{}, ref.err
	}
	if ref.custom {
		return handlers.Config{}, fmt.Errorf("%w: handler %q is a custom actor", handlers.ErrBadConfig, id)
	}
	answer, err := actors.Call(ctx, s.system, ref.pid, change)
	if err != nil {
		return handlers.Config{}, fmt.Errorf("sinks: configure %q: %w", id, err)
	}
	done := answer.(handleractor.Configured)
	if done.Err == nil {
		// The sink's mask follows before Configure returns.
		if _, err := s.call(ctx, setMask{id: id, mask: done.Mask, line: done.Line, lines: done.Lines}); err != nil {
			return done.Config, err
		}
	}
	return done.Config, done.Err
}

// Flush returns once every event logged to the sink before the call has
// been handled by every handler and each handler's Flush has returned. A
// handler that leaves while the flush waits for it (removed, or exited
// after failures) is done: what it held was handled or counted. The
// handlers are flushed at once, not one after the other, and a custom
// handler actor is waited for at most Options.CustomAnswerTimeout: one
// that does not answer by then is reported (a warning in the sink naming
// it) and its error wraps ErrNoAnswer. The errors of the handlers are
// joined. A sink whose actor is between two incarnations (restarting
// after a kill) is waited for within ctx; a closed one is ErrNotRunning.
func (s *Sink) Flush(ctx context.Context) error {
	reply, err := s.callRunning(ctx, flushList{})
	if err != nil {
		return err
	}
	refs := reply.([]handlerRef)
	errs := make([]error, len(refs))
	var wg sync.WaitGroup
	for i, ref := range refs {
		wg.Go(func() { errs[i] = s.flush(ctx, ref) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// flush asks one handler to flush and waits for its answer: within ctx,
// and within CustomAnswerTimeout for a custom actor.
func (s *Sink) flush(ctx context.Context, ref handlerRef) error {
	wait := time.Duration(s.customWait.Load())
	if ref.custom && wait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, wait, ErrNoAnswer)
		defer cancel()
	}
	answer, err := actors.Call(ctx, s.system, ref.pid, handlers.Flush{})
	switch {
	case errors.Is(err, actors.ErrNoActor): // it left: done
		return nil
	case err != nil && context.Cause(ctx) == ErrNoAnswer:
		msg := fmt.Sprintf("sink %s: custom handler actor %s did not answer Flush within %v", s.name, ref.id, wait)
		s.deliver(&core.Event{Time: time.Now(), Level: core.LevelWarning, Message: msg, Sink: s.name,
			Attrs: []slog.Attr{slog.String("sink", s.name), slog.String("handler", ref.id)}})
		return fmt.Errorf("sinks: flush %q in sink %q: %w: its Flushed did not come within %v", ref.id, s.name, ErrNoAnswer, wait)
	case err != nil:
		return fmt.Errorf("sinks: flush %q in sink %q: %w", ref.id, s.name, err)
	}
	if f, ok := answer.(handlers.Flushed); ok && f.Err != nil {
		return fmt.Errorf("sinks: flush %q in sink %q: %w", ref.id, s.name, f.Err)
	}
	return nil
}

// Rotate asks handler id to rotate its output (see handlers.Rotatable), or,
// with id "", every handler that can; handlers that cannot are skipped, and
// so are those that leave while the request waits for them.
// Errors: ErrNotFound, errors.ErrUnsupported for a handler id that cannot
// rotate, and the rotations' errors.
func (s *Sink) Rotate(ctx context.Context, id string) error {
	return s.each(ctx, id, "rotate", handleractor.Rotate{}, func(a any) error { return a.(handleractor.Rotated).Err })
}

// Reopen asks handler id to reopen its output (see handlers.Reopener), or,
// with id "", every handler that can, like Rotate.
func (s *Sink) Reopen(ctx context.Context, id string) error {
	return s.each(ctx, id, "reopen", handleractor.Reopen{}, func(a any) error { return a.(handleractor.Reopened).Err })
}

// each sends req to handler id, or to every handler when id is "", and
// gathers the errors that answer reads from the answers.
func (s *Sink) each(ctx context.Context, id, what string, req any, answer func(any) error) error {
	var refs []handlerRef
	if id == "" {
		reply, err := s.callRunning(ctx, flushList{})
		if err != nil {
			return err
		}
		refs = reply.([]handlerRef)
	} else {
		reply, err := s.call(ctx, lookup{id: id})
		if err != nil {
			return err
		}
		ref := reply.(handlerRef)
		if ref.err != nil {
			return ref.err
		}
		refs = []handlerRef{ref}
	}
	var errs []error
	for _, ref := range refs {
		if ref.custom {
			if id != "" {
				errs = append(errs, fmt.Errorf("sinks: %s %q in sink %q: %w", what, ref.id, s.name, errors.ErrUnsupported))
			}
			continue
		}
		reply, err := actors.Call(ctx, s.system, ref.pid, req)
		if id == "" && errors.Is(err, actors.ErrNoActor) {
			continue // it left while the request waited for it
		}
		if err == nil {
			err = answer(reply)
		}
		if err != nil && (id != "" || !errors.Is(err, errors.ErrUnsupported)) {
			errs = append(errs, fmt.Errorf("sinks: %s %q in sink %q: %w", what, ref.id, s.name, err))
		}
	}
	return errors.Join(errs...)
}
