package actorlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/handleractor"
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
	// Handlers are installed into the default sink at Start, in order. An
	// install that fails at Start fails the Start, with an error naming
	// the handler and the reason (an Add answering handlers.ErrIgnore
	// leaves the handler out, without an error). Once installed, a handler
	// that exits is installed again; an install that fails then is
	// reported and retried every RetryEvery, unless it fails with a
	// handlers.Fatal error. A file handler
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
	// CustomAnswerTimeout bounds how long Flush and Stop wait for a custom
	// handler actor's answer (see sinks.Options). Zero means 5 s.
	CustomAnswerTimeout time.Duration
	// RetryEvery is how often a failed reinstall of a handler (after it
	// exited, or after its sink restarted) is tried again. Zero means 5 s.
	RetryEvery time.Duration
	// Translator sets how the actor system's reports are translated, and
	// which handlers get them: actor reports by default, supervisor reports
	// not (Elixir's handle_otp_reports and handle_sasl_reports). A handler
	// overrides the switches with its own translator.Filter.
	Translator translator.Options
	// ExtraSinks are named sinks beside the default one, each with its own
	// handlers, overload protection and killer (lager's extra_sinks, such
	// as "audit"); System.Sink returns one.
	ExtraSinks map[string]SinkConfig
	// Traces are installed at Start, after the handlers (lager's traces):
	// a Start whose trace fails fails and stops what it started.
	Traces []TraceConfig
	// StdLog, when set, redirects the standard log at Start (see
	// System.RedirectStdLog); Stop undoes it.
	StdLog *StdLogOptions
	// ReportSink is the sink the actor system's reports are logged to
	// (lager's error_logger_lager_event); empty means the default sink.
	ReportSink string
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

// problems validates the config and returns it with its defaults, and
// every problem, each with its path.
func (c Config) problems() (Config, problems) {
	if c.Handlers == nil && c.CrashLog == nil {
		c.Handlers, c.CrashLog = DefaultHandlers(), DefaultCrashLog()
	}
	switch {
	case c.Truncation == 0:
		c.Truncation = core.DefaultTruncation
	case c.Truncation < 0:
		c.Truncation = 0
	}
	var ps problems
	if c.HandlerIntensity < 0 {
		ps.add("handler_intensity", nil, "must not be negative, got %d", c.HandlerIntensity)
	}
	if c.HandlerPeriod < 0 {
		ps.add("handler_period", nil, "must not be negative, got %v", c.HandlerPeriod)
	}
	if c.RetryEvery < 0 {
		ps.add("retry_every", nil, "must not be negative, got %v", c.RetryEvery)
	}
	if c.CustomAnswerTimeout < 0 {
		ps.add("custom_answer_timeout", nil, "must not be negative, got %v", c.CustomAnswerTimeout)
	}
	if _, err := c.Overload.WithDefaults(); err != nil {
		ps.addErr("overload", err)
	}
	files := map[string]string{} // path → who writes it
	if c.CrashLog != nil {
		path, err := c.CrashLog.Resolve(c.LogRoot)
		if err == nil {
			err = c.CrashLog.Check(path)
		}
		if err != nil {
			ps.addErr("crash_log", err)
		}
		files[path] = "crash_log"
	}
	c.Handlers = slices.Clone(c.Handlers)
	c.checkHandlers(&ps, "handlers", c.Handlers, files)
	extra := make(map[string]SinkConfig, len(c.ExtraSinks))
	for _, name := range slices.Sorted(maps.Keys(c.ExtraSinks)) {
		sc := c.ExtraSinks[name]
		path := "extra_sinks." + name
		if name == "" || name == DefaultSink || strings.ContainsAny(name, "/ ") {
			ps.add(path, nil, "a sink name must not be empty, %q, or hold '/' or spaces", DefaultSink)
			continue
		}
		if _, err := sc.Overload.WithDefaults(); err != nil {
			ps.addErr(path+".overload", err)
		}
		sc.Handlers = slices.Clone(sc.Handlers)
		c.checkHandlers(&ps, path+".handlers", sc.Handlers, files)
		extra[name] = sc
	}
	c.ExtraSinks = extra
	for i, tc := range c.Traces {
		path := fmt.Sprintf("traces[%d]", i)
		if _, ok := extra[tc.Sink]; tc.Sink != "" && tc.Sink != DefaultSink && !ok {
			ps.add(path+".sink", nil, "no sink %q", tc.Sink)
		}
		if (tc.Handler == "") == (tc.File == "") {
			ps.add(path, nil, "give exactly one of handler and file")
		}
		if err := tc.Query.Check(); err != nil {
			ps.add(path+".query", err, "%v", err)
		}
		if tc.Level != "" && tc.Level != Silence {
			if _, err := core.ParseMask(tc.Level); err != nil {
				ps.add(path+".level", err, "%v", err)
			}
		}
	}
	if _, ok := extra[c.ReportSink]; c.ReportSink != "" && c.ReportSink != DefaultSink && !ok {
		ps.add("report_sink", nil, "no sink %q", c.ReportSink)
	}
	return c, ps
}

// checkHandlers prepares and checks the handlers of one sink; path names
// them in problems ("handlers", "extra_sinks.audit.handlers"), and files
// collects the files written, across sinks.
func (c *Config) checkHandlers(ps *problems, path string, hs []Handler, files map[string]string) {
	seen := map[string]int{}
	for i := range hs {
		h := &hs[i]
		at := fmt.Sprintf("%s[%d]", path, i)
		if (h.Handler == nil) == (h.Props == nil) {
			ps.add(at, nil, "give exactly one of Handler and Props (id %q)", h.Config.ID)
			continue
		}
		file, err := prepare(h, c)
		if err != nil {
			ps.addErr(at, err)
			continue
		}
		sameFile := false
		if file != "" {
			if other, dup := files[file]; dup {
				ps.add(at, nil, "writes the same file %s as %s", file, other)
				sameFile = true
			}
			files[file] = fmt.Sprintf("%s (%q)", at, h.Config.ID)
		}
		if err := h.Config.Check(); err != nil {
			ps.addErr(at, err)
			continue
		}
		if j, dup := seen[h.Config.ID]; dup && !sameFile { // a file's id is its path
			ps.add(at, nil, "has the same id %q as %s[%d]", h.Config.ID, path, j)
		}
		seen[h.Config.ID] = i
	}
}

// TraceConfig is a trace to install at Start (see Sink.Trace and
// Sink.TraceFile).
type TraceConfig struct {
	// Sink is the sink's name; empty means the default sink.
	Sink string
	// Handler is the ID of the handler to trace to; or File, a path to
	// trace to (taken from LogRoot), with FileOptions for a new file
	// handler (nil: the defaults).
	Handler     string
	File        string
	FileOptions *handlers.File
	// Query selects the events; Level is a level expression, or Silence.
	Query Query
	Level string
}

// SinkConfig configures an extra sink (lager's extra_sinks): its handlers
// and its overload protection, as Config does for the default sink.
type SinkConfig struct {
	Handlers []Handler
	Overload sinks.Thresholds
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
//	├── sink-<name> …         one per extra sink, by name, alike
//	├── watchers              simple_one_for_one
//	│   └── watcher-<n> …     one per handler: installs it, reinstalls it
//	└── crash_log             with Config.CrashLog: lager's crash log
//
// A handler's actor is named under its sink's and owned by it, but it is
// not the sink actor's child in Proto.Actor's sense: it is spawned from
// the root and supervised by a guardian that hands its failures to the
// sink, so that a killed sink never waits for a handler stuck in its Log
// (see the sinks package).
//
// Make one with Start; stop it with Stop.
type System struct {
	cfg      Config
	system   *actor.ActorSystem
	ownsSys  bool
	root     *supervision.Supervisor
	watchers *supervision.Supervisor
	sink     *sinks.Sink // the default sink's
	logger   *Logger
	def      *Sink
	extra    map[string]*Sink
	order    []*Sink // every sink, the default first
	reportTo *Sink   // where the actor system's reports go

	translator *translator.Translator
	reports    *eventstream.Subscription
	rootID     string // the root supervisor's actor ID: actorlog's own actors are under it

	stdLogMu   sync.Mutex
	stdLogUndo func() // undoes RedirectStdLog, while it is in force

	crashLog   string // the crash log's child ID in root, if it runs
	crashPath  string
	crashStats handleractor.Stats

	stopOnce sync.Once
	stopErr  error
	stopping chan struct{}
	monitor  sync.WaitGroup
}

// Start starts a System for cfg and installs its handlers. A bad config is
// an error naming every bad field, and nothing is started. A handler whose
// install fails (its Add returns an error, handlers.Fatal or not) fails
// the Start too: the error names the sink, the handler and the reason, and
// everything Start started is stopped. A handler whose Add answers
// handlers.ErrIgnore is left out, and Start goes on.
func Start(cfg Config) (*System, error) {
	cfg, ps := cfg.problems()
	if err := ps.err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := &System{cfg: cfg, system: cfg.ActorSystem, stopping: make(chan struct{}), translator: translator.New(cfg.Translator)}
	if s.system == nil {
		s.system = actor.NewActorSystem(actor.WithLoggerFactory(LoggerFactory))
		s.ownsSys = true
	}
	if err := s.start(ctx); err != nil {
		_ = s.teardown(ctx)
		return nil, fmt.Errorf("actorlog: start: %w", err)
	}
	return s, nil
}

// Child IDs under the root supervisor.
const (
	sinkChildPrefix = "sink-" // + the sink's name
	watchersChild   = "watchers"
	crashLogChild   = "crash_log"
)

// tree is what Start starts for a checked Config: the supervision tree,
// and what Start wires to it once it runs.
type tree struct {
	spec supervision.Spec
	// sinks are the sinks the tree's sink-<name> children run, in the
	// children's order: the default sink first, then the extra sinks by
	// name.
	sinks []*sinks.Sink
	// reportTo is the sink the actor system's reports go to.
	reportTo *sinks.Sink
	// crashPath is the crash log's file; "" without a crash log.
	crashPath string
}

// buildTree returns the tree for cfg, checked (see Config.problems), on
// system: one child per sink, the watchers' supervisor, and the crash log
// last, so that it stops first, flushing. It starts nothing: the sinks'
// actors and the crash log run once a supervisor starts spec. crashStats
// and report are the crash log's counters and its way to report.
func buildTree(system *actor.ActorSystem, cfg Config, crashStats *handleractor.Stats, report func(*core.Event)) (tree, error) {
	t := tree{spec: supervision.Spec{Name: "actorlog", Strategy: supervision.OneForOne, Intensity: 10, Period: 60 * time.Second}}
	opts := sinks.Options{HandlerIntensity: cfg.HandlerIntensity, HandlerPeriod: cfg.HandlerPeriod,
		CustomAnswerTimeout: cfg.CustomAnswerTimeout}
	names := append([]string{DefaultSink}, slices.Sorted(maps.Keys(cfg.ExtraSinks))...)
	for _, name := range names {
		th := cfg.Overload
		if name != DefaultSink {
			th = cfg.ExtraSinks[name].Overload
		}
		sk, err := sinks.New(system, name, th)
		if err != nil {
			return tree{}, err
		}
		t.sinks = append(t.sinks, sk)
		if name == cfg.ReportSink || t.reportTo == nil {
			t.reportTo = sk
		}
		t.spec.Children = append(t.spec.Children,
			supervision.ChildSpec{ID: sinkChildPrefix + name, Props: sk.Props(opts), Shutdown: 10 * time.Second})
	}
	t.spec.Children = append(t.spec.Children, supervision.ChildSupervisor(watchersChild, supervision.Spec{
		Strategy: supervision.SimpleOneForOne, Intensity: 10, Period: 60 * time.Second,
		Children: []supervision.ChildSpec{sinks.WatcherTemplate()},
	}))
	if cfg.CrashLog != nil {
		t.crashPath, _ = cfg.CrashLog.Resolve(cfg.LogRoot) // checked
		props, err := handleractor.CrashLogProps(cfg.CrashLog, handlers.Config{ID: t.crashPath}, crashStats, report)
		if err != nil {
			return tree{}, fmt.Errorf("crash_log: %w", err)
		}
		t.spec.Children = append(t.spec.Children,
			supervision.ChildSpec{ID: crashLogChild, Props: props, Shutdown: 10 * time.Second})
	}
	return t, nil
}

// start builds the tree and starts it, installs the handlers and the
// traces, and redirects the standard log if asked. What it started is
// left for teardown to stop, if it fails.
func (s *System) start(ctx context.Context) error {
	cfg := s.cfg
	t, err := buildTree(s.system, cfg, &s.crashStats, func(e *core.Event) { s.report(e.Level, e.Message, e.Attrs...) })
	if err != nil {
		return err
	}
	s.extra = map[string]*Sink{}
	for _, sk := range t.sinks {
		k := &Sink{sys: s, sink: sk, logger: &Logger{sink: sk, trunc: cfg.Truncation}}
		s.order = append(s.order, k)
		if sk.Name() == DefaultSink {
			s.def = k
		} else {
			s.extra[sk.Name()] = k
		}
		if sk == t.reportTo {
			s.reportTo = k
		}
	}
	s.sink, s.logger, s.crashPath = s.def.sink, s.def.logger, t.crashPath
	s.root, err = supervision.Start(ctx, s.system, t.spec)
	if errors.Is(err, actor.ErrNameExists) {
		t.spec.Name += "-" + s.system.ProcessRegistry.NextId()
		s.root, err = supervision.Start(ctx, s.system, t.spec)
	}
	if err != nil {
		return err
	}
	started, err := s.root.WhichChildren(ctx)
	if err != nil {
		return err
	}
	for _, c := range started {
		switch c.ID {
		case watchersChild:
			s.watchers = supervision.Of(s.system, c.PID)
		case crashLogChild:
			s.crashLog = c.ID
		}
	}
	if len(started) != len(t.spec.Children) || s.watchers == nil {
		return fmt.Errorf("%d of %d children started", len(started), len(t.spec.Children))
	}
	for _, k := range s.order {
		hs := cfg.Handlers
		if k != s.def {
			hs = cfg.ExtraSinks[k.Name()].Handlers
		}
		if err := s.install(ctx, k, hs); err != nil {
			return err
		}
	}
	s.rootID = s.root.PID().Id
	s.reports = s.subscribeReports()
	systems.Store(s.system, s)
	s.monitor.Add(1)
	go s.watchRoot()
	for i, tc := range cfg.Traces {
		k, _ := s.Sink(tc.Sink)
		var err error
		if tc.File != "" {
			_, err = k.TraceFile(ctx, tc.File, tc.Query, tc.Level, tc.FileOptions)
		} else {
			_, err = k.Trace(ctx, tc.Handler, tc.Query, tc.Level)
		}
		if err != nil {
			return fmt.Errorf("traces[%d]: %w", i, err)
		}
	}
	if cfg.StdLog != nil {
		s.RedirectStdLog(*cfg.StdLog)
	}
	return nil
}

// install starts a watcher for each of a sink's handlers at Start, which
// installs it; an install that fails is an error naming the sink and the
// handler, and one that answers handlers.ErrIgnore is left out.
func (s *System) install(ctx context.Context, k *Sink, hs []Handler) error {
	for _, h := range hs {
		_, err := s.watchers.StartChildArgs(ctx, k.watch(h))
		if err == nil || errors.Is(err, supervision.ErrIgnore) {
			continue
		}
		var se *supervision.StartError
		if errors.As(err, &se) {
			err = se.Err
		}
		return fmt.Errorf("sink %s: handler %q: %w", k.Name(), h.Config.ID, err)
	}
	return nil
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
		for _, k := range s.order {
			k.sink.Fallback()
		}
		fmt.Fprintf(os.Stderr, "actorlog: the supervision tree gave up (%v); logging to standard error from now on\n", s.root.Err())
	}
}

// ActorSystem returns the actor system the System runs on.
func (s *System) ActorSystem() *actor.ActorSystem { return s.system }

// Rotate rotates every handler that can (file handlers) and the crash log
// (lager's rotate_all).
func (s *System) Rotate(ctx context.Context) error {
	errs := []error{s.crashLogDo(ctx, handleractor.Rotate{})}
	for _, k := range s.order {
		errs = append(errs, k.sink.Rotate(ctx, ""))
	}
	return errors.Join(errs...)
}

// Reopen makes every handler that writes a file close it and open it again
// at its path, and the crash log too: for an external rotation tool that
// moved the files away and sends SIGHUP. (Without it, a moved file is
// noticed within its CheckInterval.)
func (s *System) Reopen(ctx context.Context) error {
	errs := []error{s.crashLogDo(ctx, handleractor.Reopen{})}
	for _, k := range s.order {
		errs = append(errs, k.sink.Reopen(ctx, ""))
	}
	return errors.Join(errs...)
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
		case handleractor.Rotated:
			return a.Err
		case handleractor.Reopened:
			return a.Err
		}
	}
	return nil
}

// Flush returns once every event logged before it has been handled by
// every handler and every handler has flushed its output.
func (s *System) Flush(ctx context.Context) error {
	var errs []error
	for _, k := range s.order {
		errs = append(errs, k.sink.Flush(ctx))
	}
	return errors.Join(errs...)
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
		for _, k := range s.order {
			if err := k.sink.Flush(ctx); err != nil {
				errs = append(errs, fmt.Errorf("actorlog: stop: not drained: %w", err))
				if st, serr := k.sink.Status(context.Background()); serr == nil {
					errs = append(errs, fmt.Errorf("actorlog: stop: %s", undrained(st)))
				}
			}
		}
		if err := s.teardown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("actorlog: stop: %w", err))
		}
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

// teardown stops what Start started, whatever it got to: it undoes the
// standard log's redirect, stops routing the actor system's reports,
// closes the sinks, ends watchRoot, stops the supervision tree, and shuts
// down the actor system if Start made it. Stop ends with it; a Start that
// fails undoes itself with it.
func (s *System) teardown(ctx context.Context) error {
	s.stdLogMu.Lock()
	undo := s.stdLogUndo
	s.stdLogMu.Unlock()
	if undo != nil {
		undo()
	}
	s.system.EventStream.Unsubscribe(s.reports) // nil: not subscribed
	systems.CompareAndDelete(s.system, s)
	for _, k := range s.order {
		k.sink.Close()
	}
	close(s.stopping)
	s.monitor.Wait()
	var err error
	if s.root != nil {
		err = s.root.Stop(ctx)
	}
	s.shutdownSystem()
	return err
}

func (s *System) shutdownSystem() {
	if s.ownsSys {
		s.system.Shutdown()
	}
}

// ErrNoSink is returned by System.Sink for a name no sink has.
var ErrNoSink = errors.New("actorlog: no such sink")

// Sink returns sink name: DefaultSink or one of Config.ExtraSinks. An
// unknown name is ErrNoSink, never a panic.
func (s *System) Sink(name string) (*Sink, error) {
	if name == DefaultSink || name == "" {
		return s.def, nil
	}
	if k, ok := s.extra[name]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrNoSink, name)
}

// The default sink's Logger and handlers; see Sink for each.

// Logger returns the default sink's Logger.
func (s *System) Logger() *Logger { return s.logger }

// AddHandler installs a handler into the default sink (see
// Sink.AddHandler).
func (s *System) AddHandler(ctx context.Context, h Handler) error { return s.def.AddHandler(ctx, h) }

// RemoveHandler removes a handler of the default sink (see
// Sink.RemoveHandler).
func (s *System) RemoveHandler(ctx context.Context, id string) error {
	return s.def.RemoveHandler(ctx, id)
}

// SetHandlerLevel sets the level of a handler of the default sink (see
// Sink.SetHandlerLevel).
func (s *System) SetHandlerLevel(ctx context.Context, id, level string) error {
	return s.def.SetHandlerLevel(ctx, id, level)
}

// HandlerLevel returns the level of a handler of the default sink (see
// Sink.HandlerLevel).
func (s *System) HandlerLevel(ctx context.Context, id string) (Level, error) {
	return s.def.HandlerLevel(ctx, id)
}

// HandlerConfig returns the config of a handler of the default sink (see
// Sink.HandlerConfig).
func (s *System) HandlerConfig(ctx context.Context, id string) (handlers.Config, error) {
	return s.def.HandlerConfig(ctx, id)
}

// SetHandlerConfig replaces the config of a handler of the default sink
// (see Sink.SetHandlerConfig).
func (s *System) SetHandlerConfig(ctx context.Context, id string, cfg handlers.Config) error {
	return s.def.SetHandlerConfig(ctx, id, cfg)
}

// UpdateHandlerConfig changes the config of a handler of the default sink
// (see Sink.UpdateHandlerConfig).
func (s *System) UpdateHandlerConfig(ctx context.Context, id string, update func(*handlers.Config)) error {
	return s.def.UpdateHandlerConfig(ctx, id, update)
}

// RotateHandler rotates a handler of the default sink (see
// Sink.RotateHandler).
func (s *System) RotateHandler(ctx context.Context, id string) error {
	return s.def.RotateHandler(ctx, id)
}

// Mode returns the default sink's overload mode (see Sink.Mode).
func (s *System) Mode() sinks.Mode { return s.def.Mode() }

// SetOverload changes the default sink's overload thresholds (see
// Sink.SetOverload).
func (s *System) SetOverload(th sinks.Thresholds) error { return s.def.SetOverload(th) }
