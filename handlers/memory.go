package handlers

import (
	"context"
	"fmt"
	"sync"

	"github.com/actorlog/actorlog/core"
)

// Memory keeps the events it handles, with their formatted text, for tests
// (its own and its users'). Its methods may be called from any goroutine
// while the handler runs.
type Memory struct {
	// Max bounds how many events are kept; the oldest go first. Zero keeps
	// every event.
	Max int

	mu      sync.Mutex
	total   int // events ever kept, so waiters count across trimming
	events  []*core.Event
	lines   []string
	changed chan struct{} // closed and replaced on every change
}

// Log implements Handler.
func (m *Memory) Log(e *core.Event, cfg *Config) error {
	line := string(cfg.Format(nil, e))
	m.mu.Lock()
	defer m.mu.Unlock()
	m.total++
	m.events = append(m.events, e)
	m.lines = append(m.lines, line)
	if m.Max > 0 && len(m.events) > m.Max {
		// The oldest go by reslicing; append moves the kept ones to new
		// arrays only when the old ones are full, so a Memory at Max
		// copies once per Max events, not Max entries per event.
		drop := len(m.events) - m.Max
		clear(m.events[:drop]) // let the dropped events go
		clear(m.lines[:drop])
		m.events, m.lines = m.events[drop:], m.lines[drop:]
	}
	m.signal()
	return nil
}

func (m *Memory) signal() {
	if m.changed != nil {
		close(m.changed)
		m.changed = nil
	}
}

// Events returns the events kept, oldest first.
func (m *Memory) Events() []*core.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*core.Event(nil), m.events...)
}

// Lines returns the formatted events kept, oldest first.
func (m *Memory) Lines() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.lines...)
}

// Len returns how many events are kept.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.events)
}

// Reset forgets every event.
func (m *Memory) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events, m.lines = nil, nil // total stays: waiters count on
	m.signal()
}

// WaitFor waits until at least n events are kept and returns them, or
// returns ctx's error, wrapped, with the events kept so far.
func (m *Memory) WaitFor(ctx context.Context, n int) ([]*core.Event, error) {
	for {
		m.mu.Lock()
		if len(m.events) >= n {
			out := append([]*core.Event(nil), m.events...)
			m.mu.Unlock()
			return out, nil
		}
		wait := m.wait()
		got := len(m.events)
		m.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return m.Events(), fmt.Errorf("handlers: %d of %d events: %w", got, n, ctx.Err())
		}
	}
}

// WaitMatch waits for an event for which match returns true, looking at
// the kept events first, and returns it, or ctx's error, wrapped.
func (m *Memory) WaitMatch(ctx context.Context, match func(*core.Event) bool) (*core.Event, error) {
	seen := 0 // events looked at, counted over all events ever kept
	for {
		m.mu.Lock()
		first := m.total - len(m.events) // the count of the oldest kept event
		for _, e := range m.events[min(max(seen-first, 0), len(m.events)):] {
			if match(e) {
				m.mu.Unlock()
				return e, nil
			}
		}
		seen = m.total
		wait := m.wait()
		m.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, fmt.Errorf("handlers: no matching event: %w", ctx.Err())
		}
	}
}

// wait returns a channel closed at the next change; m.mu is held.
func (m *Memory) wait() <-chan struct{} {
	if m.changed == nil {
		m.changed = make(chan struct{})
	}
	return m.changed
}
