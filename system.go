package actorlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/supervision"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/eventstream"
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
	// unless it fails with a handlers.Fatal error. A file handler
	// (*handlers.File) without an ID gets its absolute path. When neither
	// Handlers nor CrashLog is set, lager's default set is started:
	// DefaultHandlers and DefaultCrashLog. Use an empty, non-nil slice for
	// no handler.
	Handlers []Handler
	// LogRoot is the directory that relative paths of file handlers and
	// of the crash log are taken from (lager's log_root); empty means the
	// working directory. It is joined once, at Start (or AddHandler).
	LogRoot string
	// CrashLog, when set, starts lager's crash log: an actor writing every
	// crash and supervisor failure report of the actor system to its file
	// (see handlers.CrashLog).
	CrashLog *handlers.CrashLog
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
	// Translator sets how the actor system's reports are translated, and
	// which handlers get them: actor reports by default, supervisor reports
	// not (Elixir's handle_otp_reports and handle_sasl_reports). A handler
	// overrides the switches with its own translator.Filter.
	Translator translator.Options
	// Overload sets the default sink's overload protection: async, sync and
	// discard modes, and the killer (see sinks.Thresholds for each default).
	Overload sinks.Thresholds
}

// DefaultHandlers returns lager's default handlers, which a Config with
// neither Handlers nor CrashLog gets: a console at info on standard output
// (ID "console"), log/error.log at error and log/console.log at info
// (their IDs are their absolute paths; see Config.LogRoot).
func DefaultHandlers() []Handler {
	return []Handler{
		{Config: handlers.Config{ID: "console", Level: "info"}, Handler: &handlers.Console{}},
		{Config: handlers.Config{Level: "error"}, Handler: &handlers.File{Path: filepath.Join("log", "error.log")}},
		{Config: handlers.Config{Level: "info"}, Handler: &handlers.File{Path: filepath.Join("log", "console.log")}},
	}
}

// DefaultCrashLog returns lager's default crash log, log/crash.log, which
// a Config with neither Handlers nor CrashLog gets.
func DefaultCrashLog() *handlers.CrashLog {
	return &handlers.CrashLog{File: handlers.File{Path: filepath.Join("log", "crash.log")}}
}

// fileHandler is what file handlers (handlers.File, handlers.CrashLog)
// have: a path to resolve under the log root, and options to check.
type fileHandler interface {
	Resolve(root string) (string, error)
	Check(id string) error
}

// prepare gives a handler the translator's switches (unless it has its
// own filter for them), resolves a file handler's path under the log root,
// gives it its path as ID if it has none, and checks its options.
func prepare(h *Handler, cfg *Config) (path string, err error) {
	if !slices.ContainsFunc(h.Config.Filters, func(f handlers.Filter) bool { return f.ID == translator.FilterID }) {
		h.Config.Filters = append(slices.Clip(h.Config.Filters), translator.Filter(cfg.Translator))
	}
	root := cfg.LogRoot
	f, ok := h.Handler.(fileHandler)
	if !ok {
		return "", nil
	}
	if path, err = f.Resolve(root); err != nil {
		return "", err
	}
	if h.Config.ID == "" {
		h.Config.ID = path
	}
	return path, f.Check(h.Config.ID)
}

// check validates the config and returns it with its defaults; the error
// names the bad field.
func (c Config) check() (Config, error) {
	if c.Handlers == nil && c.CrashLog == nil {
		c.Handlers, c.CrashLog = DefaultHandlers(), DefaultCrashLog()
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
	files := map[string]string{} // path → who writes it
	if c.CrashLog != nil {
		path, err := c.CrashLog.Resolve(c.LogRoot)
		if err == nil {
			err = c.CrashLog.Check(path)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: crash_log: %w", ErrBadConfig, err))
		}
		files[path] = "crash_log"
	}
	c.Handlers = slices.Clone(c.Handlers)
	for i := range c.Handlers {
		h := &c.Handlers[i]
		if (h.Handler == nil) == (h.Props == nil) {
			errs = append(errs, fmt.Errorf("%w: handlers[%d] (%q): give exactly one of Handler and Props", ErrBadConfig, i, h.Config.ID))
			continue
		}
		path, err := prepare(h, &c)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: handlers[%d]: %w", ErrBadConfig, i, err))
			continue
		}
		if path != "" {
			who := fmt.Sprintf("handlers[%d] (%q)", i, h.Config.ID)
			if other, dup := files[path]; dup {
				errs = append(errs, fmt.Errorf("%w: %s and %s write the same file %s", ErrBadConfig, other, who, path))
			}
			files[path] = who
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

	translator *translator.Translator
	reports    *eventstream.Subscription
	rootID     string // the root supervisor's actor ID: actorlog's own actors are under it

	stdLogMu   sync.Mutex
	stdLogUndo func() // undoes RedirectStdLog, while it is in force

	traceOnly traceOnly

	crashLog   string // the crash log's child ID in root, if it runs
	crashPath  string
	crashStats handlers.Stats

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
	s := &System{cfg: cfg, system: cfg.ActorSystem, stopping: make(chan struct{}), translator: translator.New(cfg.Translator)}
	if s.system == nil {
		s.system = actor.NewActorSystem(actor.WithLoggerFactory(LoggerFactory))
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
	if cfg.CrashLog != nil {
		path, _ := cfg.CrashLog.Resolve(cfg.LogRoot)
		s.crashPath = path
		props, err := handlers.CrashLogProps(cfg.CrashLog, handlers.Config{ID: path}, &s.crashStats,
			func(e *core.Event) { s.report(e.Level, e.Message, e.Attrs...) })
		if err != nil {
			s.shutdownSystem()
			return nil, fmt.Errorf("actorlog: start: crash_log: %w", err)
		}
		// Last, so that it stops first, flushing.
		spec.Children = append(spec.Children, supervision.ChildSpec{ID: "crash_log", Props: props, Shutdown: 10 * time.Second})
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
	if err != nil || len(children) != len(spec.Children) {
		_ = s.root.Stop(ctx)
		s.shutdownSystem()
		return nil, fmt.Errorf("actorlog: start: %w", err)
	}
	s.watchers = supervision.Of(s.system, children[1].PID)
	if cfg.CrashLog != nil {
		s.crashLog = children[2].ID
	}
	for _, h := range cfg.Handlers {
		if _, err := s.watchers.StartChildArgs(ctx, s.watch(h, true)); err != nil && !errors.Is(err, supervision.ErrIgnore) {
			_ = s.root.Stop(ctx)
			s.shutdownSystem()
			return nil, fmt.Errorf("actorlog: start: handler %q: %w", h.Config.ID, err)
		}
	}
	s.rootID = s.root.PID().Id
	s.reports = s.subscribeReports()
	systems.Store(s.system, s)
	s.monitor.Add(1)
	go s.watchRoot()
	return s, nil
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
	if _, err := prepare(&h, &s.cfg); err != nil {
		return err
	}
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
	return s.withID(id, func(id string) error { return s.sink.Remove(ctx, id) })
}

// withID runs op with a handler ID, and, if no handler has that ID and it
// reads as a relative file path, with that path made absolute (under
// LogRoot, then under the working directory): a file handler answers to
// the path it was configured with as well as to its ID (lager's
// set_loglevel on a file, #65).
func (s *System) withID(id string, op func(id string) error) error {
	err := op(id)
	if !errors.Is(err, sinks.ErrNotFound) || filepath.IsAbs(id) {
		return err
	}
	var tried []string
	for _, root := range []string{s.cfg.LogRoot, ""} {
		abs, aerr := filepath.Abs(filepath.Join(root, id))
		if aerr != nil || abs == id || slices.Contains(tried, abs) {
			continue
		}
		tried = append(tried, abs)
		if err2 := op(abs); !errors.Is(err2, sinks.ErrNotFound) {
			return err2
		}
	}
	return err
}

// SetHandlerLevel sets the level of handler id to a level expression
// (core.ParseMask: "debug", "=info", "!=notice", "<warning", …); the
// sink's mask follows at once. Errors: sinks.ErrNotFound, a bad
// expression (core.ErrBadLevel).
func (s *System) SetHandlerLevel(ctx context.Context, id, level string) error {
	if _, err := ParseMask(level); err != nil {
		return err
	}
	return s.configure(ctx, id, handlers.Configure{Mode: handlers.Update, Update: func(c *handlers.Config) { c.Level = level }}, nil)
}

// configure sends a config change to handler id (see withID) and stores
// the config in force into out, if not nil.
func (s *System) configure(ctx context.Context, id string, change handlers.Configure, out *handlers.Config) error {
	return s.withID(id, func(id string) error {
		cfg, err := s.sink.Configure(ctx, id, change)
		if out != nil {
			*out = cfg
		}
		return err
	})
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
	var cfg handlers.Config
	err := s.configure(ctx, id, handlers.Configure{Mode: handlers.Update}, &cfg)
	return cfg, err
}

// SetHandlerConfig replaces handler id's config (its ID excepted), OTP's
// set_handler_config: the handler's Changer sees the change as a Set.
func (s *System) SetHandlerConfig(ctx context.Context, id string, cfg handlers.Config) error {
	return s.configure(ctx, id, handlers.Configure{Mode: handlers.Set, Config: cfg}, nil)
}

// UpdateHandlerConfig changes handler id's config with update, applied to
// a copy of the config in force: OTP's update_handler_config.
func (s *System) UpdateHandlerConfig(ctx context.Context, id string, update func(*handlers.Config)) error {
	return s.configure(ctx, id, handlers.Configure{Mode: handlers.Update, Update: update}, nil)
}

// RotateHandler rotates handler id's output now (lager's rotate_handler):
// a file handler archives its file and starts a new one; its next time
// rotation stays where it was. Errors: sinks.ErrNotFound, the rotation's
// error, errors.ErrUnsupported for a handler that cannot rotate.
func (s *System) RotateHandler(ctx context.Context, id string) error {
	return s.withID(id, func(id string) error { return s.sink.Rotate(ctx, id) })
}

// Rotate rotates every handler that can (file handlers) and the crash log
// (lager's rotate_all).
func (s *System) Rotate(ctx context.Context) error {
	return errors.Join(s.sink.Rotate(ctx, ""), s.crashLogDo(ctx, handlers.Rotate{}))
}

// Reopen makes every handler that writes a file close it and open it again
// at its path, and the crash log too: for an external rotation tool that
// moved the files away and sends SIGHUP. (Without it, a moved file is
// noticed within its CheckInterval.)
func (s *System) Reopen(ctx context.Context) error {
	return errors.Join(s.sink.Reopen(ctx, ""), s.crashLogDo(ctx, handlers.Reopen{}))
}

// crashLogDo sends the crash log a Rotate or Reopen and returns its error.
func (s *System) crashLogDo(ctx context.Context, req any) error {
	if s.crashLog == "" {
		return nil
	}
	children, err := s.root.WhichChildren(ctx)
	if err != nil {
		return err
	}
	for _, c := range children {
		if c.ID != s.crashLog || c.PID == nil {
			continue
		}
		answer, err := actors.Call(ctx, s.system, c.PID, req)
		if err != nil {
			return fmt.Errorf("actorlog: crash log: %w", err)
		}
		switch a := answer.(type) {
		case handlers.Rotated:
			return a.Err
		case handlers.Reopened:
			return a.Err
		}
	}
	return nil
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
		s.stdLogMu.Lock()
		undo := s.stdLogUndo
		s.stdLogMu.Unlock()
		if undo != nil {
			undo()
		}
		s.system.EventStream.Unsubscribe(s.reports)
		systems.CompareAndDelete(s.system, s)
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
