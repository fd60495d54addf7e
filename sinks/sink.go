package sinks

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
)

// Errors of the sink API.
var (
	// ErrAlreadyPresent: a handler with that ID is installed in the sink.
	ErrAlreadyPresent = errors.New("sinks: already present")
	// ErrNotFound: no handler with that ID is installed in the sink.
	ErrNotFound = errors.New("sinks: no such handler")
	// ErrNotRunning: the sink's actor is not running (it is restarting,
	// or the system has stopped).
	ErrNotRunning = errors.New("sinks: sink not running")
)

// Spec describes a handler to install: a Handler run by a handler actor
// with Config, or the Props of a custom handler actor (which receives
// *core.Event and handlers.Flush; only Config.ID and Config.Level apply).
type Spec struct {
	Config  handlers.Config
	Handler handlers.Handler
	Props   *actor.Props
}

func (s *Spec) check() error {
	if (s.Handler == nil) == (s.Props == nil) {
		return fmt.Errorf("%w: handler %q: give exactly one of Handler and Props", handlers.ErrBadConfig, s.Config.ID)
	}
	return s.Config.Check()
}

// Sink is one sink (lager's gen_event manager, "lager_event"): the state
// that outlives its actor's restarts. Logging calls read its level mask and
// its actor's PID with one atomic load each; everything else goes through
// the actor.
type Sink struct {
	name   string
	system *actor.ActorSystem

	mask    atomic.Uint32
	pid     atomic.Pointer[actor.PID]
	closed  atomic.Bool
	dropped atomic.Int64 // events logged while the sink was not running

	// Queue reads the sink actor's mailbox length.
	Queue actors.Gauge

	starts   atomic.Int64
	mu       sync.Mutex
	watchers map[*actor.PID]struct{}

	fallback   atomic.Bool
	fallbackMu sync.Mutex
}

// New returns a sink named name on system. Its actor is started by a
// supervisor from Props.
func New(system *actor.ActorSystem, name string) *Sink {
	s := &Sink{name: name, system: system, watchers: map[*actor.PID]struct{}{}}
	s.mask.Store(uint32(core.MaskNone))
	return s
}

// Name returns the sink's name.
func (s *Sink) Name() string { return s.name }

// System returns the actor system the sink runs on.
func (s *Sink) System() *actor.ActorSystem { return s.system }

// Mask returns the sink's level mask: the union of its handlers' levels.
func (s *Sink) Mask() core.Mask { return core.Mask(s.mask.Load()) }

// Enabled reports whether some handler of the sink takes level l: one
// atomic load.
func (s *Sink) Enabled(l core.Level) bool { return core.Mask(s.mask.Load()).Enabled(l) }

// PID returns the sink actor's PID, nil while it is not running.
func (s *Sink) PID() *actor.PID { return s.pid.Load() }

// Dropped returns how many events were logged while the sink could not
// take them (not running, or closed by Close) and went to standard error
// instead, or nowhere after Close.
func (s *Sink) Dropped() int64 { return s.dropped.Load() }

// Restarts returns how many times the sink's actor started after its first
// start.
func (s *Sink) Restarts() int64 { return max(s.starts.Load()-1, 0) }

// Log hands e to the sink's actor. It never blocks. An event the sink
// cannot take is counted in Dropped and, until Close, written to standard
// error in lager's default format, so that it is not lost silently.
func (s *Sink) Log(e *core.Event) {
	pid := s.pid.Load()
	if pid == nil || s.closed.Load() || s.fallback.Load() {
		s.dropped.Add(1)
		if !s.closed.Load() {
			s.toStderr(e)
		}
		return
	}
	s.system.Root.Send(pid, e)
}

var stderrFormat = &formatter.Lager{}

func (s *Sink) toStderr(e *core.Event) {
	line := formatter.Safe(stderrFormat, []byte("actorlog["+s.name+"] "), e)
	s.fallbackMu.Lock()
	defer s.fallbackMu.Unlock()
	_, _ = os.Stderr.Write(line)
}

// Fallback makes every later event go to standard error (counted in
// Dropped): what a System does when its supervision tree has given up.
func (s *Sink) Fallback() { s.fallback.Store(true) }

// Close makes the sink refuse new events (they are counted in Dropped),
// before a shutdown drains it.
func (s *Sink) Close() { s.closed.Store(true) }

func (s *Sink) addWatcher(pid *actor.PID) {
	s.mu.Lock()
	s.watchers[pid] = struct{}{}
	s.mu.Unlock()
}

func (s *Sink) removeWatcher(pid *actor.PID) {
	s.mu.Lock()
	delete(s.watchers, pid)
	s.mu.Unlock()
}

func (s *Sink) watcherPIDs() []*actor.PID {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*actor.PID, 0, len(s.watchers))
	for pid := range s.watchers {
		out = append(out, pid)
	}
	return out
}

// Options tune a sink's actor.
type Options struct {
	// HandlerIntensity and HandlerPeriod bound the in-place restarts of a
	// handler that panics: more than HandlerIntensity within HandlerPeriod
	// and the handler is removed, and its watcher reports it and installs
	// it again. Zero means 5 in 10 s.
	HandlerIntensity int
	HandlerPeriod    time.Duration
	// DrainTimeout bounds how long a stopping sink waits for each handler
	// to handle its queued events before stopping it at once. Zero means
	// 5 s.
	DrainTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.HandlerIntensity <= 0 {
		o.HandlerIntensity = 5
	}
	if o.HandlerPeriod <= 0 {
		o.HandlerPeriod = 10 * time.Second
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = 5 * time.Second
	}
	return o
}

// Props returns the Props of the sink's actor, for a supervisor's child
// spec.
func (s *Sink) Props(opts Options) *actor.Props {
	opts = opts.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor { return newManager(s, opts) },
		actor.WithMailbox(s.Queue.Mailbox(nil)))
}
