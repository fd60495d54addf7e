package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers/formatter"
)

// Handler logs events: OTP's logger_handler and LoggerBackends' backend.
// Each handler runs inside its own actor, so its methods are called one at
// a time, never concurrently, and may keep state without locks.
//
// Log is called for every event that passed the handler's level, its
// filters and filter_default. cfg is the handler's current configuration;
// cfg.Format formats the event with the configured formatter. An error
// from Log is counted and reported, and the event counts as handled; a
// panic in Log restarts the handler (see the sinks package).
//
// A handler may also implement optional interfaces, which its actor
// discovers when it is installed:
//   - OTP's callbacks: Adder (adding_handler), Changer (changing_config),
//     ConfigFilterer (filter_config), Remover (removing_handler), and
//     Flusher (drain buffered output);
//   - timed work: Waker;
//   - lager's file operations: Rotatable (rotate_handler) and Reopener
//     (after an external rotation);
//   - lines formatted ahead by the callers: LineWriter.
type Handler interface {
	Log(e *core.Event, cfg *Config) error
}

// Adder is implemented by handlers that need to prepare before their first
// event (OTP's adding_handler): validate cfg.Options, open files. Add runs
// in the handler's actor when it is installed, and again when it is
// restarted. Returning ErrIgnore leaves the handler not installed, without
// an error. Any other error fails the install: at a System's start, the
// start fails; when the handler is installed again after it exited, its
// watcher retries every 5 s, unless the error was made with Fatal.
type Adder interface {
	Add(cfg *Config) error
}

// Changer is implemented by handlers that validate or take in a new
// configuration (OTP's changing_config). mode is Set when the whole config
// is replaced (unspecified options take their defaults) and Update when
// only some fields change (unspecified options keep their values). It
// returns the config to use, or an error that leaves the old one in force.
type Changer interface {
	Change(mode ChangeMode, old, updated Config) (Config, error)
}

// ConfigFilterer is implemented by handlers whose config holds internals
// that must not be shown when it is read back (OTP's filter_config).
type ConfigFilterer interface {
	FilterConfig(cfg Config) Config
}

// Flusher is implemented by handlers that buffer output: Flush must put
// everything handled so far where it belongs (for a file, on the disk).
type Flusher interface {
	Flush() error
}

// Remover is implemented by handlers that hold resources (OTP's
// removing_handler): Remove releases them. It is called once the handler's
// queued events have been handled, when it is removed, when the system
// stops, and before a restart.
type Remover interface {
	Remove() error
}

// Waker is implemented by handlers with work due at a time rather than on
// an event: a buffer to write out within an interval, a file to rotate at
// midnight. After every call into the handler (Add, Log, Flush, a config
// change, Wake) its actor reads NextWake; when that time comes it calls
// Wake with the current time, in the actor, like every other call. A zero
// NextWake means nothing is due. NextWake is called once per event, so it
// should only return a field.
type Waker interface {
	NextWake() time.Time
	Wake(now time.Time, cfg *Config)
}

// Rotatable is implemented by handlers whose output can be rotated on
// demand (lager's rotate_handler): a file handler archives its file and
// starts a new one.
type Rotatable interface {
	Rotate(now time.Time, cfg *Config) error
}

// Reopener is implemented by handlers that can close and open their output
// again, for an external rotation tool that moved the file away and sends
// SIGHUP.
type Reopener interface {
	Reopen(now time.Time, cfg *Config) error
}

// ChangeMode says how a config change applies; see Changer.
type ChangeMode int

// The change modes.
const (
	Set ChangeMode = iota
	Update
)

// ErrIgnore is what Adder.Add returns to leave the handler not installed,
// without an error (LoggerBackends' {:error, :ignore}).
var ErrIgnore = errors.New("handlers: ignore")

// ErrBadConfig is wrapped by errors about a handler's configuration; the
// message names the bad field.
var ErrBadConfig = errors.New("handlers: bad config")

// FieldError is the part of a config error that names the bad field
// (errors.As finds it), so that a config file can point at the key:
// "date: rotation: bad date spec …".
type FieldError struct {
	Field string // the option's key: "level", "date", "filters[2]"
	Err   error
}

// Error returns the field and its problem.
func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *FieldError) Unwrap() error { return e.Err }

// fieldErr makes a FieldError with a formatted problem.
func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// FatalError marks an install error that retrying cannot fix, such as a
// bad option. Make one with Fatal.
type FatalError struct{ Err error }

// Error returns the cause's text.
func (e *FatalError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FatalError) Unwrap() error { return e.Err }

// Fatal marks err as not worth retrying. Fatal(nil) is nil.
func Fatal(err error) error {
	if err == nil {
		return nil
	}
	return &FatalError{Err: err}
}

// IsFatal reports whether err was made with Fatal.
func IsFatal(err error) bool {
	var fe *FatalError
	return errors.As(err, &fe)
}

// FilterAction is what a filter says about an event.
type FilterAction int

// The filter actions (OTP's log, stop and ignore).
const (
	// Log passes the event on: to the next filter, or to the handler.
	Log FilterAction = iota
	// Stop drops the event.
	Stop
	// Ignore means the filter has nothing to say about this event; when
	// every filter ignores it, the handler's FilterDefault decides.
	Ignore
)

// Filter is a named handler filter.
type Filter struct {
	ID string
	Fn func(e *core.Event) FilterAction
}

// Config is a handler's configuration.
type Config struct {
	// ID names the handler within its sink. Required.
	ID string
	// Level is a level expression (see core.ParseMask): "info" logs info
	// and above, "=debug" only debug, "none" nothing. Empty means every
	// level (OTP's all).
	Level string
	// FilterDefault is what happens to an event that every filter ignored:
	// Log (the default) or Stop.
	FilterDefault FilterAction
	// Filters run in order on each event that passed Level.
	Filters []Filter
	// Formatter formats events for handlers that write text. Nil means the
	// handler's own default.
	Formatter formatter.Formatter
	// HighWaterMark, when positive, is the most events a second the
	// handler takes (lager's file-backend high_water_mark, for any
	// handler): the others are dropped, counted, and reported when the
	// second is over ("handler H dropped N messages in the last second that
	// exceeded the limit of M messages/sec"). Zero means no limit.
	HighWaterMark int
	// Options are the handler's own options, for Adder and Changer.
	Options any

	mask       core.Mask
	defaultFmt formatter.Formatter
	report     func(*core.Event)
}

// Mask returns the parsed Level (valid once the config was checked).
func (c *Config) Mask() core.Mask { return c.mask }

// Check parses Level, and checks FilterDefault and the filters; the error
// names the bad field.
func (c *Config) Check() error {
	if c.ID == "" {
		return fmt.Errorf("%w: %w", ErrBadConfig, fieldErr("id", "must not be empty"))
	}
	c.mask = core.MaskAll
	if c.Level != "" {
		m, err := core.ParseMask(c.Level)
		if err != nil {
			return fmt.Errorf("%w: handler %q: %w", ErrBadConfig, c.ID, &FieldError{Field: "level", Err: err})
		}
		c.mask = m
	}
	if c.HighWaterMark < 0 {
		return fmt.Errorf("%w: handler %q: %w", ErrBadConfig, c.ID, fieldErr("high_water_mark", "must not be negative, got %d", c.HighWaterMark))
	}
	if c.FilterDefault != Log && c.FilterDefault != Stop {
		return fmt.Errorf("%w: handler %q: %w", ErrBadConfig, c.ID, fieldErr("filter_default", "must be Log or Stop"))
	}
	for i, f := range c.Filters {
		if f.Fn == nil {
			return fmt.Errorf("%w: handler %q: %w", ErrBadConfig, c.ID, fieldErr(fmt.Sprintf("filters[%d]", i), "filter %q has a nil function", f.ID))
		}
	}
	return nil
}

// Report logs an event about the handler itself — a file that cannot be
// opened, a disk that is full again — into the handler's sink, where every
// handler, this one included, gets it like any other event (lager's
// internal log). Outside a sink's handler actor it writes to standard
// error. It never blocks.
func (c *Config) Report(level core.Level, msg string, attrs ...slog.Attr) {
	e := &core.Event{Time: time.Now(), Level: level, Message: msg,
		Attrs: append([]slog.Attr{slog.String("handler", c.ID)}, attrs...)}
	if c.report == nil {
		fmt.Fprintf(os.Stderr, "%s [%s] %s\n", e.Time.Format("2006-01-02 15:04:05.000"), level, msg)
		return
	}
	c.report(e)
}

// SetReport sets where Report sends events. A handler actor sets it to its
// sink; tests, and programs that run a Handler outside a sink, set their
// own.
func (c *Config) SetReport(fn func(*core.Event)) { c.report = fn }

// SetDefaultFormatter sets the formatter Format uses when Formatter is nil;
// handlers call it from Add.
func (c *Config) SetDefaultFormatter(f formatter.Formatter) { c.defaultFmt = f }

var fallbackFormatter = &formatter.Lager{}

// Format appends e formatted with the configured formatter (the handler's
// default if none, lager's default format if neither). It never panics.
//
// When the sink formatted e ahead with the same formatter (LineWriter), it
// appends that line.
func (c *Config) Format(dst []byte, e *core.Event) []byte {
	f := c.formatter()
	if line, ok := e.Line(f); ok {
		return append(dst, line...)
	}
	return formatter.Safe(f, dst, e)
}

// formatter returns the formatter Format uses.
func (c *Config) formatter() formatter.Formatter {
	switch {
	case c.Formatter != nil:
		return c.Formatter
	case c.defaultFmt != nil:
		return c.defaultFmt
	}
	return fallbackFormatter
}

// LineWriter is implemented by handlers whose Log writes the line
// Config.Format makes of each event it takes (Console and File). A sink
// formats the events such a handler's level takes ahead, on the logging
// callers' goroutines, which run in parallel, and Format then copies the
// line: the handler's one goroutine no longer formats. WritesLines says
// whether it does so now.
type LineWriter interface {
	Handler
	WritesLines() bool
}

// LineFormatter returns the formatter a sink may run ahead for handler h
// under this config: Format's, when h is a LineWriter that writes lines
// and the formatter is a pointer (the line is found by it); nil otherwise.
func (c *Config) LineFormatter(h Handler) formatter.Formatter {
	lw, ok := h.(LineWriter)
	if !ok || !lw.WritesLines() {
		return nil
	}
	f := c.formatter()
	if reflect.TypeOf(f).Kind() != reflect.Pointer {
		return nil
	}
	return f
}

// Inherit makes c, a config that replaces from (a config change), keep
// from's ID and what was set on from beside its fields: the handler's
// default formatter (SetDefaultFormatter) and where its reports go
// (SetReport). A handler's actor calls it on the new config before
// Changer.Change, and on the config Change returns.
func (c *Config) Inherit(from *Config) {
	c.ID, c.defaultFmt, c.report = from.ID, from.defaultFmt, from.report
}

// Accepts applies the level, the filters and FilterDefault to e. A filter
// that panics counts as ignoring the event; panics says how many did.
func (c *Config) Accepts(e *core.Event) (ok bool, panics int) {
	if !c.mask.Enabled(e.Level) {
		return false, 0
	}
	decided := false
	for _, f := range c.Filters {
		a, panicked := runFilter(f, e)
		if panicked {
			panics++
		}
		switch a {
		case Stop:
			return false, panics
		case Log:
			decided = true
		}
	}
	return decided || c.FilterDefault == Log, panics
}

func runFilter(f Filter, e *core.Event) (a FilterAction, panicked bool) {
	defer func() {
		if recover() != nil {
			a, panicked = Ignore, true
		}
	}()
	return f.Fn(e), false
}
