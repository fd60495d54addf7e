package sinks

import (
	"errors"
	"fmt"
	"time"

	"github.com/actorlog/actorlog/handlers"
)

// Mode is how callers hand events to a sink, chosen by the sink's queue
// length (lager's and LoggerBackends' overload protection).
type Mode int32

// The modes.
const (
	// Async: callers hand the event over and return.
	Async Mode = iota
	// Sync: callers wait until every handler has handled the event
	// (gen_event:sync_notify), which slows producers down to the speed of
	// the slowest handler.
	Sync
	// Discard: callers drop the event, and count it.
	Discard
)

// String returns "async", "sync" or "discard".
func (m Mode) String() string {
	switch m {
	case Async:
		return "async"
	case Sync:
		return "sync"
	case Discard:
		return "discard"
	}
	return fmt.Sprintf("Mode(%d)", int32(m))
}

// Errors a logging call can meet under overload; logging methods that
// return nothing count them instead (see Status).
var (
	// ErrDropped: the sink was in discard mode, or could not take the event.
	ErrDropped = errors.New("sinks: event dropped")
	// ErrSinkStopped: the sink stopped (or was killed) while a sync caller
	// waited for its event to be handled.
	ErrSinkStopped = errors.New("sinks: sink stopped while the event was in flight")
	// ErrSyncTimeout: a sync caller waited longer than SyncTimeout.
	ErrSyncTimeout = errors.New("sinks: sync wait timed out")
	// ErrHandlerExited: a handler exited after failures (a panic past its
	// restart intensity) before it handled the event a sync caller waited
	// for; the event is counted (Drops.Exited).
	ErrHandlerExited = errors.New("sinks: a handler exited before it handled the event")
)

// Off is the AsyncThreshold that turns sync mode off: callers never
// wait, and the sink goes from async to discard mode and back (lager
// without an async_threshold). It is handlers.Off, the value that turns
// off an option whose zero value means its default.
const Off = handlers.Off

// Thresholds are a sink's overload settings. The zero value gives the
// defaults written by each field.
type Thresholds struct {
	// AsyncThreshold is the queue length above which callers switch to
	// sync mode (lager's async_threshold). Zero means 20; Off means no
	// sync mode.
	AsyncThreshold int
	// AsyncThresholdWindow is the hysteresis: callers go back to async
	// below AsyncThreshold − AsyncThresholdWindow. Zero means 5 with the
	// default threshold (lager's shipped value), and ⌊0.2 × AsyncThreshold⌋
	// with another (lager's rule when it is unset). With AsyncThreshold
	// Off it must be zero.
	AsyncThresholdWindow int
	// DiscardThreshold is the queue length at which callers drop their
	// events (LoggerBackends' discard_threshold). Zero means 500.
	DiscardThreshold int
	// DiscardThresholdWindow is discard mode's hysteresis, as
	// AsyncThresholdWindow is sync mode's: a sink in discard mode leaves
	// it below DiscardThreshold − DiscardThresholdWindow (then in sync
	// mode), so that a queue hovering at the threshold does not flap in
	// and out of it. It must be less than DiscardThreshold −
	// AsyncThreshold. Zero means ⌊0.2 × DiscardThreshold⌋ (lager's rule
	// for its window: out below 400 with the defaults), less if the
	// thresholds leave no room for it.
	DiscardThresholdWindow int
	// DiscardCheckInterval is how often the mode is recomputed on a timer
	// and, while in discard mode, the warning repeated. Zero means 30 s.
	DiscardCheckInterval time.Duration
	// KillerHWM, when positive, is the queue length above which the sink
	// is killed: its queued events, and its handlers', are discarded and it
	// restarts empty (lager's killer_hwm). Zero means off. It must exceed
	// AsyncThreshold (unless that is Off); above DiscardThreshold it can only strike when many
	// callers race past the discard check, since discard mode stops the
	// queue's growth.
	KillerHWM int
	// KillerReinstallAfter is how long after a kill the handlers come back
	// (lager's killer_reinstall_after). Zero means 5 s.
	KillerReinstallAfter time.Duration
	// SyncTimeout bounds a sync caller's wait. Zero means 5 s.
	SyncTimeout time.Duration
}

// WithDefaults returns t with the defaults in its zero fields, or an error
// naming the first bad field.
func (t Thresholds) WithDefaults() (Thresholds, error) {
	switch {
	case t.AsyncThreshold < 0 && t.AsyncThreshold != Off:
		return t, fmt.Errorf("async_threshold: must be >= 0 or Off (-1), got %d", t.AsyncThreshold)
	case t.AsyncThreshold == Off && t.AsyncThresholdWindow != 0:
		return t, fmt.Errorf("async_threshold_window: must be 0 with async_threshold Off, got %d", t.AsyncThresholdWindow)
	case t.AsyncThresholdWindow < 0:
		return t, fmt.Errorf("async_threshold_window: must not be negative, got %d", t.AsyncThresholdWindow)
	case t.DiscardThreshold < 0:
		return t, fmt.Errorf("discard_threshold: must not be negative, got %d", t.DiscardThreshold)
	case t.DiscardThresholdWindow < 0:
		return t, fmt.Errorf("discard_threshold_window: must not be negative, got %d", t.DiscardThresholdWindow)
	case t.KillerHWM < 0:
		return t, fmt.Errorf("killer_hwm: must not be negative, got %d", t.KillerHWM)
	case t.DiscardCheckInterval < 0 || t.KillerReinstallAfter < 0 || t.SyncTimeout < 0:
		return t, errors.New("discard_check_interval, killer_reinstall_after and sync_timeout: must not be negative")
	}
	switch {
	case t.AsyncThreshold == Off:
	case t.AsyncThreshold == 0 && t.AsyncThresholdWindow == 0:
		t.AsyncThreshold, t.AsyncThresholdWindow = 20, 5 // lager's shipped defaults
	case t.AsyncThreshold == 0:
		t.AsyncThreshold = 20
	case t.AsyncThresholdWindow == 0:
		t.AsyncThresholdWindow = t.AsyncThreshold / 5
	}
	if t.AsyncThreshold != Off && t.AsyncThresholdWindow > t.AsyncThreshold {
		return t, fmt.Errorf("async_threshold_window: must not exceed async_threshold (%d), got %d", t.AsyncThreshold, t.AsyncThresholdWindow)
	}
	if t.DiscardThreshold == 0 {
		t.DiscardThreshold = 500
	}
	if t.AsyncThreshold != Off && t.DiscardThreshold <= t.AsyncThreshold {
		return t, fmt.Errorf("discard_threshold: must exceed async_threshold (%d), got %d", t.AsyncThreshold, t.DiscardThreshold)
	}
	room := t.DiscardThreshold - t.AsyncThreshold // the window is less
	if t.AsyncThreshold == Off {
		room = t.DiscardThreshold
	}
	switch {
	case t.DiscardThresholdWindow == 0:
		t.DiscardThresholdWindow = min(t.DiscardThreshold/5, room-1)
	case t.DiscardThresholdWindow >= room:
		return t, fmt.Errorf("discard_threshold_window: must be less than discard_threshold − async_threshold (%d), got %d", room, t.DiscardThresholdWindow)
	}
	if t.AsyncThreshold != Off && t.KillerHWM > 0 && t.KillerHWM <= t.AsyncThreshold {
		return t, fmt.Errorf("killer_hwm: must exceed async_threshold (%d), got %d", t.AsyncThreshold, t.KillerHWM)
	}
	if t.DiscardCheckInterval == 0 {
		t.DiscardCheckInterval = 30 * time.Second
	}
	if t.KillerReinstallAfter == 0 {
		t.KillerReinstallAfter = 5 * time.Second
	}
	if t.SyncTimeout == 0 {
		t.SyncTimeout = 5 * time.Second
	}
	return t, nil
}

// busy returns the queue length from which a caller takes part in the
// mode decision: three quarters of the first threshold that changes the
// mode.
func (t *Thresholds) busy() int {
	if t.AsyncThreshold == Off {
		return t.DiscardThreshold * 3 / 4
	}
	return t.AsyncThreshold * 3 / 4
}

// nextMode is the pure mode decision: the mode for a queue of length
// queue, coming from mode cur. Discard at DiscardThreshold or more, and
// out of it only below DiscardThreshold − DiscardThresholdWindow (with
// 500/100, discard at 500 queued, sync again at 399); sync above
// AsyncThreshold; back to async only below AsyncThreshold −
// AsyncThresholdWindow (lager's strict comparisons: with 20/5, sync at 21
// queued, async again at 14). With AsyncThreshold Off, async whenever
// not in discard mode.
func nextMode(cur Mode, queue int, t *Thresholds) Mode {
	switch {
	case queue >= t.DiscardThreshold:
		return Discard
	case cur == Discard && queue >= t.DiscardThreshold-t.DiscardThresholdWindow:
		return Discard
	case t.AsyncThreshold == Off:
		return Async
	case queue > t.AsyncThreshold:
		return Sync
	case queue < t.AsyncThreshold-t.AsyncThresholdWindow:
		return Async
	case cur == Discard:
		// Below the discard threshold, inside the window: a sink leaving
		// discard mode still slows callers down.
		return Sync
	}
	return cur
}
