package actorlog

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/supervision"
)

// Sink is one of a System's sinks (lager's sinks: the default one and
// extra ones such as "audit"), with its Logger, its handlers, its
// overload protection and its traces. The System's methods of the same
// names act on the default sink.
type Sink struct {
	sys       *System
	sink      *sinks.Sink
	logger    *Logger
	traceOnly traceOnly
}

// Name returns the sink's name.
func (k *Sink) Name() string { return k.sink.Name() }

// Logger returns the Logger of the default sink.
func (k *Sink) Logger() *Logger { return k.logger }

// AddHandler installs a handler into the default sink at run time and
// returns once its Add has run. Errors: sinks.ErrAlreadyPresent for an ID
// in use, a bad config (handlers.ErrBadConfig), or the error of the
// handler's Add; an Add answering handlers.ErrIgnore installs nothing and
// is not an error. Once installed, the handler is watched like the
// configured ones.
func (k *Sink) AddHandler(ctx context.Context, h Handler) error {
	if _, err := prepare(&h, &k.sys.cfg); err != nil {
		return err
	}
	_, err := k.sys.watchers.StartChildArgs(ctx, k.watch(h))
	var se *supervision.StartError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

// RemoveHandler removes the handler id from the default sink after it has
// handled the events queued for it; it returns once the handler's Remove
// has run. Error: sinks.ErrNotFound.
func (k *Sink) RemoveHandler(ctx context.Context, id string) error {
	return k.withID(id, func(id string) error { return k.sink.Remove(ctx, id) })
}

// withID runs op with a handler ID, and, if no handler has that ID and it
// reads as a relative file path, with that path made absolute (under
// LogRoot, then under the working directory): a file handler answers to
// the path it was configured with as well as to its ID (lager's
// set_loglevel on a file, #65).
func (k *Sink) withID(id string, op func(id string) error) error {
	err := op(id)
	if !errors.Is(err, sinks.ErrNotFound) || filepath.IsAbs(id) {
		return err
	}
	var tried []string
	for _, root := range []string{k.sys.cfg.LogRoot, ""} {
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
func (k *Sink) SetHandlerLevel(ctx context.Context, id, level string) error {
	if _, err := ParseMask(level); err != nil {
		return err
	}
	return k.configure(ctx, id, handleractor.Configure{Mode: handlers.Update, Update: func(c *handlers.Config) { c.Level = level }}, nil)
}

// configure sends a config change to handler id (see withID) and stores
// the config in force into out, if not nil.
func (k *Sink) configure(ctx context.Context, id string, change handleractor.Configure, out *handlers.Config) error {
	return k.withID(id, func(id string) error {
		cfg, err := k.sink.Configure(ctx, id, change)
		if out != nil {
			*out = cfg
		}
		return err
	})
}

// HandlerLevel returns the level of handler id as lager reads it back: the
// first (most verbose) level of its mask, LevelNone for none.
func (k *Sink) HandlerLevel(ctx context.Context, id string) (Level, error) {
	cfg, err := k.HandlerConfig(ctx, id)
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
func (k *Sink) HandlerConfig(ctx context.Context, id string) (handlers.Config, error) {
	var cfg handlers.Config
	err := k.configure(ctx, id, handleractor.Configure{Mode: handlers.Update}, &cfg)
	return cfg, err
}

// SetHandlerConfig replaces handler id's config (its ID excepted), OTP's
// set_handler_config: the handler's Changer sees the change as a Set.
func (k *Sink) SetHandlerConfig(ctx context.Context, id string, cfg handlers.Config) error {
	return k.configure(ctx, id, handleractor.Configure{Mode: handlers.Set, Config: cfg}, nil)
}

// UpdateHandlerConfig changes handler id's config with update, applied to
// a copy of the config in force: OTP's update_handler_config.
func (k *Sink) UpdateHandlerConfig(ctx context.Context, id string, update func(*handlers.Config)) error {
	return k.configure(ctx, id, handleractor.Configure{Mode: handlers.Update, Update: update}, nil)
}

// RotateHandler rotates handler id's output now (lager's rotate_handler):
// a file handler archives its file and starts a new one; its next time
// rotation stays where it was. Errors: sinks.ErrNotFound, the rotation's
// error, errors.ErrUnsupported for a handler that cannot rotate.
func (k *Sink) RotateHandler(ctx context.Context, id string) error {
	return k.withID(id, func(id string) error { return k.sink.Rotate(ctx, id) })
}

// Mode returns the default sink's overload mode with one atomic load, for
// metrics and health checks; unlike Status it sends the sink nothing (a
// request in its mailbox counts in its queue, as a call did in lager's
// gen_event mailbox).
func (k *Sink) Mode() sinks.Mode { return k.sink.Mode() }

// SetOverload changes the default sink's overload thresholds at run time
// (LoggerBackends.configure); the error names a bad field and changes
// nothing.
func (k *Sink) SetOverload(th sinks.Thresholds) error {
	if err := k.sink.SetThresholds(th); err != nil {
		return fmt.Errorf("%w: overload.%w", ErrBadConfig, errors.Unwrap(err))
	}
	return nil
}

// Trace sends the default sink's events that match q, at the levels of
// level ("" or "debug" for all, any level expression, or Silence), to
// handler id, whatever its own level (lager's trace). An event that
// matches a trace and the handler's level is written once. The caller-side
// check widens only by the levels a trace feeds; a Silence trace never
// widens it. Errors: a bad query or level (sinks.ErrBadTrace), an unknown
// handler (sinks.ErrNotFound).
func (k *Sink) Trace(ctx context.Context, id string, q Query, level string) (TraceRef, error) {
	var ref TraceRef
	err := k.withID(id, func(id string) error {
		var err error
		ref, err = k.sink.AddTrace(ctx, sinks.Trace{Query: q, Level: level, Handler: id})
		return err
	})
	return ref, err
}

// TraceConsole traces to the handler with ID "console" (lager's
// trace_console).
func (k *Sink) TraceConsole(ctx context.Context, q Query, level string) (TraceRef, error) {
	return k.Trace(ctx, "console", q, level)
}

// TraceFile traces to a file (lager's trace_file): to the file handler
// already writing path if there is one, else to a new one at level none
// (it writes only what traces send it), with the options of file (its
// Path is replaced by path; nil means the defaults). path is taken from
// LogRoot once, like every file handler's. The new handler is removed
// when its last trace stops, and by ClearAllTraces; configured handlers
// never are.
func (k *Sink) TraceFile(ctx context.Context, path string, q Query, level string, file *handlers.File) (TraceRef, error) {
	if err := q.Check(); err != nil {
		return TraceRef{}, fmt.Errorf("%w: %w", sinks.ErrBadTrace, err)
	}
	f := &handlers.File{}
	if file != nil {
		*f = *file
	}
	f.Path = path
	abs, err := f.Resolve(k.sys.cfg.LogRoot)
	if err != nil {
		return TraceRef{}, err
	}
	if _, err := k.HandlerConfig(ctx, abs); errors.Is(err, sinks.ErrNotFound) {
		err := k.AddHandler(ctx, Handler{Config: handlers.Config{ID: abs, Level: "none"}, Handler: f})
		if err != nil && !errors.Is(err, sinks.ErrAlreadyPresent) {
			return TraceRef{}, err
		}
		if err == nil {
			k.traceOnly.add(abs)
		}
	}
	ref, err := k.sink.AddTrace(ctx, sinks.Trace{Query: q, Level: level, Handler: abs})
	if err != nil {
		k.dropTraceOnly(ctx, []string{abs}, true)
	}
	return ref, err
}

// StopTrace removes a trace; a handler TraceFile started goes with its
// last trace. Error: sinks.ErrNoTrace.
func (k *Sink) StopTrace(ctx context.Context, ref TraceRef) error {
	id, last, err := k.sink.StopTrace(ctx, ref)
	if err != nil {
		return err
	}
	if last {
		return k.dropTraceOnly(ctx, []string{id}, false)
	}
	return nil
}

// ClearTraces removes every trace that feeds or silences handler id
// (lager's clear_trace_by_destination), and the handler if TraceFile
// started it.
func (k *Sink) ClearTraces(ctx context.Context, id string) error {
	return k.withID(id, func(id string) error {
		ids, err := k.sink.ClearTraces(ctx, id)
		if err == nil && len(ids) == 0 {
			if _, lookupErr := k.sink.Configure(ctx, id, handleractor.Configure{Mode: handlers.Update}); lookupErr != nil {
				return lookupErr
			}
		}
		return errors.Join(err, k.dropTraceOnly(ctx, ids, false))
	})
}

// Traces describes the sink's traces.
func (k *Sink) Traces() []sinks.TraceStatus { return k.sink.Traces() }

// dropTraceOnly removes those of ids that TraceFile started (when
// onlyIfUntraced, only if no trace targets them).
func (k *Sink) dropTraceOnly(ctx context.Context, ids []string, onlyIfUntraced bool) error {
	var errs []error
	for _, id := range ids {
		traced := func(t sinks.TraceStatus) bool { return t.Handler == id }
		if onlyIfUntraced && slices.ContainsFunc(k.sink.Traces(), traced) || !k.traceOnly.take(id) {
			continue
		}
		if err := k.RemoveHandler(ctx, id); err != nil && !errors.Is(err, sinks.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// watch is the Watch of handler h in the sink: its first install's error
// is the caller's; after that, a failed install is reported and retried.
func (k *Sink) watch(h Handler) *sinks.Watch {
	return &sinks.Watch{Sink: k.sink, Spec: h, RetryEvery: k.sys.cfg.RetryEvery, Report: k.sys.report}
}

// Flush returns once every event logged to the sink before it was handled
// and its handlers flushed their output.
func (k *Sink) Flush(ctx context.Context) error { return k.sink.Flush(ctx) }

// LogEvent hands a complete event to the sink as it is — its time, level,
// attributes, actor and origin — as Logger.Emit would a new one, and
// returns what Emit returns. It is for bridges that receive events made
// elsewhere, such as remote's collector. Nobody may change e afterwards.
func (k *Sink) LogEvent(e *core.Event) error {
	e.Sink = k.Name()
	return k.sink.Log(e)
}
