package actorlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// Handler describes a handler to install: a handlers.Handler with its
// handlers.Config, or the Props of a custom handler actor.
type Handler = sinks.Spec

// Config configures a System. The zero value is usable: it logs info and
// above to standard output through a console handler.
type Config struct {
	// ActorSystem is the actor system to run on. Nil means a new one,
	// which Stop shuts down.
	ActorSystem *actor.ActorSystem
	// Handlers are installed into the default sink at Start, in order;
	// each one's install is retried every 5 s if it fails (and reported),
	// unless it fails with a handlers.Fatal error. Nil means one console
	// handler, ID "console", at info. Use an empty, non-nil slice for
	// none.
	Handlers []Handler
	// Truncation is the most bytes a formatted message may have; longer
	// ones are cut, with a marker. Zero means 4096 (lager's); negative
	// means no limit.
	Truncation int
	// HandlerIntensity and HandlerPeriod bound the in-place restarts of a
	// handler that panics (see sinks.Options). Zero means 5 in 10 s.
	HandlerIntensity int
	HandlerPeriod    time.Duration
	// RetryEvery is how often a failed handler install is tried again.
	// Zero means 5 s.
	RetryEvery time.Duration
	// Overload sets the default sink's overload protection: async, sync and
	// discard modes, and the killer (see sinks.Thresholds for each default).
	Overload sinks.Thresholds
}

// DefaultHandlers returns the handlers a Config without Handlers gets: a
// console at info on standard output.
func DefaultHandlers() []Handler {
	return []Handler{{Config: handlers.Config{ID: "console", Level: "info"}, Handler: &handlers.Console{}}}
}

// check validates the config and returns it with its defaults; the error
// names the bad field.
func (c Config) check() (Config, error) {
	if c.Handlers == nil {
		c.Handlers = DefaultHandlers()
	}
	switch {
	case c.Truncation == 0:
		c.Truncation = core.DefaultTruncation
	case c.Truncation < 0:
		c.Truncation = 0
	}
	var errs []error
	if c.HandlerIntensity < 0 || c.HandlerPeriod < 0 || c.RetryEvery < 0 {
		errs = append(errs, fmt.Errorf("%w: handler_intensity, handler_period and retry_every must not be negative", ErrBadConfig))
	}
	if _, err := c.Overload.WithDefaults(); err != nil {
		errs = append(errs, fmt.Errorf("%w: overload.%w", ErrBadConfig, err))
	}
	seen := map[string]int{}
	for i := range c.Handlers {
		h := &c.Handlers[i]
		if (h.Handler == nil) == (h.Props == nil) {
			errs = append(errs, fmt.Errorf("%w: handlers[%d] (%q): give exactly one of Handler and Props", ErrBadConfig, i, h.Config.ID))
			continue
		}
		if err := h.Config.Check(); err != nil {
			errs = append(errs, fmt.Errorf("%w: handlers[%d]: %w", ErrBadConfig, i, err))
			continue
		}
		if j, dup := seen[h.Config.ID]; dup {
			errs = append(errs, fmt.Errorf("%w: handlers[%d] and handlers[%d] have the same id %q", ErrBadConfig, j, i, h.Config.ID))
		}
		seen[h.Config.ID] = i
	}
	return c, errors.Join(errs...)
}

// ErrBadConfig is wrapped by every error about a Config.
var ErrBadConfig = errors.New("actorlog: bad config")

// DefaultSink is the name of the default sink.
const DefaultSink = "default"

// System is a running actorlog: a supervision tree of actors on an actor
// system —
//
//	actorlog                  one_for_one, 10 restarts in 60 s
//	├── sink-default          the default sink's event manager
//	│   └── handler-<id> …    one actor per handler
//	└── watchers              simple_one_for_one
//	    └── watcher-<n> …     one per handler: installs it, reinstalls it
//
// Make one with Start; stop it with Stop.
type System struct {
	cfg      Config
	system   *actor.ActorSystem
	ownsSys  bool
	root     *supervision.Supervisor
	watchers *supervision.Supervisor
	sink     *sinks.Sink
	logger   *Logger

	stopOnce sync.Once
	stopErr  error
	stopping chan struct{}
	monitor  sync.WaitGroup
}

// Start starts a System for cfg and installs its handlers. A bad config is
// an error naming every bad field, and nothing is started. A handler whose
// install fails is reported and retried (see Config.Handlers); Start does
// not fail for it.
func Start(cfg Config) (*System, error) {
	cfg, err := cfg.check()
	if err != nil {
		return nil, err
	}
	s := &System{cfg: cfg, system: cfg.ActorSystem, stopping: make(chan struct{})}
	if s.system == nil {
		s.system = actor.NewActorSystem(actor.WithLoggerFactory(protoActorLogger))
		s.ownsSys = true
	}
	if s.sink, err = sinks.New(s.system, DefaultSink, cfg.Overload); err != nil {
		s.shutdownSystem()
		return nil, fmt.Errorf("actorlog: start: %w", err)
	}
	s.logger = &Logger{sink: s.sink, trunc: cfg.Truncation}
	watchers := supervision.ChildSupervisor("watchers", supervision.Spec{
		Strategy: supervision.SimpleOneForOne, Intensity: 10, Period: 60 * time.Second,
		Children: []supervision.ChildSpec{sinks.WatcherTemplate()},
	})
	spec := supervision.Spec{
		Name: "actorlog", Strategy: supervision.OneForOne, Intensity: 10, Period: 60 * time.Second,
		Children: []supervision.ChildSpec{
			{ID: "sink-" + DefaultSink, Props: s.sink.Props(sinks.Options{HandlerIntensity: cfg.HandlerIntensity, HandlerPeriod: cfg.HandlerPeriod}), Shutdown: 10 * time.Second},
			watchers,
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.root, err = supervision.Start(ctx, s.system, spec)
	if errors.Is(err, actor.ErrNameExists) {
		spec.Name += "-" + s.system.ProcessRegistry.NextId()
		s.root, err = supervision.Start(ctx, s.system, spec)
	}
	if err != nil {
		s.shutdownSystem()
		return nil, fmt.Errorf("actorlog: start: %w", err)
	}
	children, err := s.root.WhichChildren(ctx)
	if err != nil || len(children) != 2 {
		_ = s.root.Stop(ctx)
		s.shutdownSystem()
		return nil, fmt.Errorf("actorlog: start: %w", err)
	}
	s.watchers = supervision.Of(s.system, children[1].PID)
	for _, h := range cfg.Handlers {
		if _, err := s.watchers.StartChildArgs(ctx, s.watch(h, true)); err != nil && !errors.Is(err, supervision.ErrIgnore) {
			_ = s.root.Stop(ctx)
			s.shutdownSystem()
			return nil, fmt.Errorf("actorlog: start: handler %q: %w", h.Config.ID, err)
		}
	}
	s.monitor.Add(1)
	go s.watchRoot()
	return s, nil
}

// protoActorLogger routes the actor system's own log records, warnings and
// above, to standard error. (The translator, which turns them into
// actorlog events, is another layer.)
func protoActorLogger(system *actor.ActorSystem) *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).
		With("lib", "Proto.Actor", "system", system.ID)
}

func (s *System) watch(h Handler, retry bool) *sinks.Watch {
	return &sinks.Watch{Sink: s.sink, Spec: h, Retry: retry, RetryEvery: s.cfg.RetryEvery, Report: s.report}
}

// report logs a message of actorlog itself into the default sink.
func (s *System) report(level core.Level, msg string, attrs ...slog.Attr) {
	s.logger.LogAttrs(context.Background(), level, msg, attrs...)
}

// watchRoot waits for the supervision tree to end. If it ends before Stop
// — it needed more restarts than it allows — logging falls back to
// standard error, and says so, instead of taking the process down.
func (s *System) watchRoot() {
	defer s.monitor.Done()
	select {
	case <-s.stopping:
	case <-s.root.Done():
		s.sink.Fallback()
		fmt.Fprintf(os.Stderr, "actorlog: the supervision tree gave up (%v); logging to standard error from now on\n", s.root.Err())
	}
}

// ActorSystem returns the actor system the System runs on.
func (s *System) ActorSystem() *actor.ActorSystem { return s.system }

// Logger returns the Logger of the default sink.
func (s *System) Logger() *Logger { return s.logger }

// AddHandler installs a handler into the default sink at run time and
// returns once its Add has run. Errors: sinks.ErrAlreadyPresent for an ID
// in use, a bad config (handlers.ErrBadConfig), or the error of the
// handler's Add; an Add answering handlers.ErrIgnore installs nothing and
// is not an error. Once installed, the handler is watched like the
// configured ones.
func (s *System) AddHandler(ctx context.Context, h Handler) error {
	_, err := s.watchers.StartChildArgs(ctx, s.watch(h, false))
	var se *supervision.StartError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

// RemoveHandler removes the handler id from the default sink after it has
// handled the events queued for it; it returns once the handler's Remove
// has run. Error: sinks.ErrNotFound.
func (s *System) RemoveHandler(ctx context.Context, id string) error {
	return s.sink.Remove(ctx, id)
}

// SetHandlerLevel sets the level of handler id to a level expression
// (core.ParseMask: "debug", "=info", "!=notice", "<warning", …); the
// sink's mask follows at once. Errors: sinks.ErrNotFound, a bad
// expression (core.ErrBadLevel).
func (s *System) SetHandlerLevel(ctx context.Context, id, level string) error {
	if _, err := ParseMask(level); err != nil {
		return err
	}
	_, err := s.sink.Configure(ctx, id, handlers.Configure{Mode: handlers.Update, Update: func(c *handlers.Config) { c.Level = level }})
	return err
}

// HandlerLevel returns the level of handler id as lager reads it back: the
// first (most verbose) level of its mask, LevelNone for none.
func (s *System) HandlerLevel(ctx context.Context, id string) (Level, error) {
	cfg, err := s.HandlerConfig(ctx, id)
	if err != nil {
		return LevelNone, err
	}
	m, err := ParseMask(cfg.Level)
	if cfg.Level == "" {
		m, err = MaskAll, nil
	}
	return m.First(), err
}

// HandlerConfig returns handler id's config, as its ConfigFilterer shows
// it.
func (s *System) HandlerConfig(ctx context.Context, id string) (handlers.Config, error) {
	return s.sink.Configure(ctx, id, handlers.Configure{Mode: handlers.Update})
}

// SetHandlerConfig replaces handler id's config (its ID excepted), OTP's
// set_handler_config: the handler's Changer sees the change as a Set.
func (s *System) SetHandlerConfig(ctx context.Context, id string, cfg handlers.Config) error {
	_, err := s.sink.Configure(ctx, id, handlers.Configure{Mode: handlers.Set, Config: cfg})
	return err
}

// UpdateHandlerConfig changes handler id's config with update, applied to
// a copy of the config in force: OTP's update_handler_config.
func (s *System) UpdateHandlerConfig(ctx context.Context, id string, update func(*handlers.Config)) error {
	_, err := s.sink.Configure(ctx, id, handlers.Configure{Mode: handlers.Update, Update: update})
	return err
}

// Mode returns the default sink's overload mode with one atomic load, for
// metrics and health checks; unlike Status it sends the sink nothing (a
// request in its mailbox counts in its queue, as a call did in lager's
// gen_event mailbox).
func (s *System) Mode() sinks.Mode { return s.sink.Mode() }

// SetOverload changes the default sink's overload thresholds at run time
// (LoggerBackends.configure); the error names a bad field and changes
// nothing.
func (s *System) SetOverload(th sinks.Thresholds) error {
	if err := s.sink.SetThresholds(th); err != nil {
		return fmt.Errorf("%w: overload.%w", ErrBadConfig, errors.Unwrap(err))
	}
	return nil
}

// Flush returns once every event logged before it has been handled by
// every handler and every handler has flushed its output.
func (s *System) Flush(ctx context.Context) error {
	return s.sink.Flush(ctx)
}

// Stop drains every queued event into every handler, flushes, removes the
// handlers (their Remove runs), and stops every actor of the System, and
// the actor system too if Start made it. Events logged once Stop has begun
// are dropped and counted (Status shows them). If ctx ends first, Stop
// returns an error saying what was not drained; the shutdown goes on. A
// second Stop returns the first one's result.
func (s *System) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		var errs []error
		if err := s.sink.Flush(ctx); err != nil {
			errs = append(errs, fmt.Errorf("actorlog: stop: not drained: %w", err))
			if st, serr := s.sink.Status(context.Background()); serr == nil {
				errs = append(errs, fmt.Errorf("actorlog: stop: %s", undrained(st)))
			}
		}
		s.sink.Close()
		close(s.stopping)
		s.monitor.Wait()
		if err := s.root.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("actorlog: stop: %w", err))
		}
		s.shutdownSystem()
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}

func undrained(st sinks.SinkStatus) string {
	msg := fmt.Sprintf("sink %s: %d queued", st.Name, st.Queue)
	for _, h := range st.Handlers {
		msg += fmt.Sprintf("; handler %s: %d queued", h.ID, h.Queue)
	}
	return msg
}

func (s *System) shutdownSystem() {
	if s.ownsSys {
		s.system.Shutdown()
	}
}
