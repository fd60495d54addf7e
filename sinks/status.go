package sinks

import (
	"context"
	"errors"
	"fmt"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
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
	// Handled, Errors, FilterPanics and Restarts are the handler's
	// counters (see handlers.Stats); LastError the last error's text.
	Handled, Errors, FilterPanics, Restarts int64
	LastError                               string
}

// SinkStatus describes a sink, for System.Status.
type SinkStatus struct {
	// Name is the sink's name and Level its mask, the union of its
	// handlers' levels.
	Name  string
	Level core.Mask
	// Queue is the number of events waiting in the sink's mailbox.
	Queue int
	// Dropped counts events the sink could not take (see Sink.Dropped),
	// Restarts the restarts of its actor.
	Dropped, Restarts int64
	// Running is false while the sink's actor is not running.
	Running  bool
	Handlers []HandlerStatus
}

func (m *manager) status() SinkStatus {
	st := m.sink.baseStatus()
	st.Running = true
	for _, h := range m.handlers {
		if !h.ready {
			continue
		}
		hs := HandlerStatus{ID: h.id, Level: h.mask, Custom: h.custom, Queue: h.stats.Queue.Len(),
			Handled: h.stats.Handled.Load(), Errors: h.stats.Errors.Load(),
			FilterPanics: h.stats.FilterPanics.Load(), Restarts: h.stats.Restarts.Load()}
		if err := h.stats.LastError.Load(); err != nil {
			hs.LastError = (*err).Error()
		}
		st.Handlers = append(st.Handlers, hs)
	}
	return st
}

func (s *Sink) baseStatus() SinkStatus {
	return SinkStatus{Name: s.name, Level: s.Mask(), Queue: s.Queue.Len(), Dropped: s.Dropped(), Restarts: s.Restarts()}
}

// call sends a request to the sink's actor and waits for the answer.
func (s *Sink) call(ctx context.Context, req any) (any, error) {
	pid := s.pid.Load()
	if pid == nil {
		return nil, fmt.Errorf("%w: %q", ErrNotRunning, s.name)
	}
	reply, err := actors.Call(ctx, s.system, pid, req)
	if errors.Is(err, actors.ErrNoActor) {
		return nil, fmt.Errorf("%w: %q", ErrNotRunning, s.name)
	}
	return reply, err
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

// Configure changes handler id's config (see handlers.Configure) and
// updates the sink's mask; it returns the config in force.
func (s *Sink) Configure(ctx context.Context, id string, change handlers.Configure) (handlers.Config, error) {
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
	done := answer.(handlers.Configured)
	if done.Err == nil {
		// The sink's mask follows before Configure returns.
		if _, err := s.call(ctx, setMask{id: id, mask: done.Mask}); err != nil {
			return done.Config, err
		}
	}
	return done.Config, done.Err
}

// Flush returns once every event logged to the sink before the call has
// been handled by every handler and each handler's Flush has returned. The
// errors of the handlers are joined.
func (s *Sink) Flush(ctx context.Context) error {
	reply, err := s.call(ctx, flushList{})
	if err != nil {
		return err
	}
	var errs []error
	for _, ref := range reply.([]handlerRef) {
		answer, err := actors.Call(ctx, s.system, ref.pid, handlers.Flush{})
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("sinks: flush %q in sink %q: %w", ref.id, s.name, err))
		default:
			if f, ok := answer.(handlers.Flushed); ok && f.Err != nil {
				errs = append(errs, fmt.Errorf("sinks: flush %q in sink %q: %w", ref.id, s.name, f.Err))
			}
		}
	}
	return errors.Join(errs...)
}
