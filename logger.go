package actorlog

import (
	"context"
	"log/slog"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/internal/callsite"
	"github.com/actorlog/actorlog/sinks"
	"github.com/asynkron/protoactor-go/actor"
)

// Logger logs into one sink. It is cheap to copy and safe for concurrent
// use; With and ForActor derive new Loggers and never change this one.
//
// A call at a level no handler of the sink takes costs one atomic load and
// returns. Otherwise the caller formats the message (safely: see
// core.Sprintf), truncates it, takes the time and the call site, freezes
// the attributes (core.Freeze) and hands the event to the sink.
//
// Logging calls never panic. They wait only in the sink's sync mode (lager's
// async_threshold: more than Overload.AsyncThreshold events queued, 20 by
// default): then a call returns once its event has been handled, once the
// sink stops, or after Overload.SyncTimeout (5 s by default) at most, and
// never waits forever. In async mode a call hands its event over and
// returns; in discard mode it counts the drop and returns.
type Logger struct {
	sink  *sinks.Sink
	attrs []slog.Attr // frozen; shared by derived Loggers, never changed
	actor *actor.PID
	node  string
	trunc int
}

// Enabled reports whether an event at level would be handled by some
// handler of the Logger's sink.
func (l *Logger) Enabled(level Level) bool { return l.sink.Enabled(level) }

// Debug logs msg at LevelDebug with slog-style arguments: key/value pairs
// ("user", 42) and slog.Attr values. msg is logged as it is, without
// formatting.
func (l *Logger) Debug(msg string, args ...any) {
	if l.sink.Mask()&core.MaskDebug != 0 {
		l.log(LevelDebug, msg, args)
	}
}

// Info logs at LevelInfo; see Debug.
func (l *Logger) Info(msg string, args ...any) {
	if l.sink.Mask()&core.MaskInfo != 0 {
		l.log(LevelInfo, msg, args)
	}
}

// Notice logs at LevelNotice; see Debug.
func (l *Logger) Notice(msg string, args ...any) {
	if l.sink.Mask()&core.MaskNotice != 0 {
		l.log(LevelNotice, msg, args)
	}
}

// Warning logs at LevelWarning; see Debug.
func (l *Logger) Warning(msg string, args ...any) {
	if l.sink.Mask()&core.MaskWarning != 0 {
		l.log(LevelWarning, msg, args)
	}
}

// Error logs at LevelError; see Debug.
func (l *Logger) Error(msg string, args ...any) {
	if l.sink.Mask()&core.MaskError != 0 {
		l.log(LevelError, msg, args)
	}
}

// Critical logs at LevelCritical; see Debug.
func (l *Logger) Critical(msg string, args ...any) {
	if l.sink.Mask()&core.MaskCritical != 0 {
		l.log(LevelCritical, msg, args)
	}
}

// Alert logs at LevelAlert; see Debug.
func (l *Logger) Alert(msg string, args ...any) {
	if l.sink.Mask()&core.MaskAlert != 0 {
		l.log(LevelAlert, msg, args)
	}
}

// Emergency logs at LevelEmergency; see Debug.
func (l *Logger) Emergency(msg string, args ...any) {
	if l.sink.Mask()&core.MaskEmergency != 0 {
		l.log(LevelEmergency, msg, args)
	}
}

// Debugf logs at LevelDebug a message formatted the fmt way, lager style:
// Debugf("user %d logged in", id). Bad verbs, missing or extra arguments
// and panicking String methods show as fmt's markers in the message.
func (l *Logger) Debugf(format string, args ...any) {
	if l.sink.Mask()&core.MaskDebug != 0 {
		l.logf(LevelDebug, format, args)
	}
}

// Infof logs at LevelInfo; see Debugf.
func (l *Logger) Infof(format string, args ...any) {
	if l.sink.Mask()&core.MaskInfo != 0 {
		l.logf(LevelInfo, format, args)
	}
}

// Noticef logs at LevelNotice; see Debugf.
func (l *Logger) Noticef(format string, args ...any) {
	if l.sink.Mask()&core.MaskNotice != 0 {
		l.logf(LevelNotice, format, args)
	}
}

// Warningf logs at LevelWarning; see Debugf.
func (l *Logger) Warningf(format string, args ...any) {
	if l.sink.Mask()&core.MaskWarning != 0 {
		l.logf(LevelWarning, format, args)
	}
}

// Errorf logs at LevelError; see Debugf.
func (l *Logger) Errorf(format string, args ...any) {
	if l.sink.Mask()&core.MaskError != 0 {
		l.logf(LevelError, format, args)
	}
}

// Criticalf logs at LevelCritical; see Debugf.
func (l *Logger) Criticalf(format string, args ...any) {
	if l.sink.Mask()&core.MaskCritical != 0 {
		l.logf(LevelCritical, format, args)
	}
}

// Alertf logs at LevelAlert; see Debugf.
func (l *Logger) Alertf(format string, args ...any) {
	if l.sink.Mask()&core.MaskAlert != 0 {
		l.logf(LevelAlert, format, args)
	}
}

// Emergencyf logs at LevelEmergency; see Debugf.
func (l *Logger) Emergencyf(format string, args ...any) {
	if l.sink.Mask()&core.MaskEmergency != 0 {
		l.logf(LevelEmergency, format, args)
	}
}

// Log logs msg at any level with slog-style arguments. ctx is not used
// yet; it is there for slog's sake.
func (l *Logger) Log(_ context.Context, level Level, msg string, args ...any) {
	if l.sink.Enabled(level) {
		l.log(level, msg, args)
	}
}

// LogAttrs logs msg at level with attributes; with attributes built by
// slog.Int, slog.String and the like, it allocates no more than the event.
//
//go:noinline
func (l *Logger) LogAttrs(_ context.Context, level Level, msg string, attrs ...slog.Attr) {
	if !l.sink.Enabled(level) || l.sink.Discarding() != nil {
		return
	}
	e := l.event(callsite.Return(), 3, level, core.Truncate(msg, l.trunc), len(attrs))
	for _, a := range attrs {
		e.Attrs = append(e.Attrs, core.Freeze(a))
	}
	_ = l.sink.Log(e) // counted by the sink when not delivered
}

// Emit logs msg at level with attributes, like LogAttrs, and says what
// became of the event: nil when it was handed over (async mode), handled
// by every handler (sync mode), or not wanted by any handler at this level;
// sinks.ErrDropped when the sink was in discard mode or could not take it;
// sinks.ErrSinkStopped when the sink stopped, or was killed, while the call
// waited in sync mode; sinks.ErrHandlerExited when a handler exited after
// failures before it handled the event; sinks.ErrSyncTimeout. It never panics, and a sync
// wait is bounded by the sink's SyncTimeout, not by ctx.
//
//go:noinline
func (l *Logger) Emit(_ context.Context, level Level, msg string, attrs ...slog.Attr) error {
	if !l.sink.Enabled(level) {
		return nil
	}
	if err := l.sink.Discarding(); err != nil {
		return err
	}
	e := l.event(callsite.Return(), 3, level, core.Truncate(msg, l.trunc), len(attrs))
	for _, a := range attrs {
		e.Attrs = append(e.Attrs, core.Freeze(a))
	}
	return l.sink.Log(e)
}

// With returns a Logger that adds args (slog-style) to every event, before
// the call's own: lager's metadata. Values are frozen now.
func (l *Logger) With(args ...any) *Logger {
	if len(args) == 0 {
		return l
	}
	c := *l
	c.attrs = appendArgs(append([]slog.Attr(nil), l.attrs...), args)
	return &c
}

// ForActor returns a Logger whose events carry the actor c belongs to and
// its system's address, for logging from inside an actor's Receive.
func (l *Logger) ForActor(c interface {
	Self() *actor.PID
	ActorSystem() *actor.ActorSystem
}) *Logger {
	cp := *l
	cp.actor = c.Self()
	cp.node = c.ActorSystem().Address()
	return &cp
}

// log logs an enabled call; the level methods checked the level inline.
//
//go:noinline
func (l *Logger) log(level Level, msg string, args []any) {
	if l.sink.Discarding() != nil {
		return // counted
	}
	e := l.event(callsite.Return(), 4, level, core.Truncate(msg, l.trunc), (len(args)+1)/2) // key/value pairs, mostly
	e.Attrs = appendArgs(e.Attrs, args)
	_ = l.sink.Log(e) // counted by the sink when not delivered
}

// logf logs an enabled printf-style call; the level methods checked the
// level inline.
//
//go:noinline
func (l *Logger) logf(level Level, format string, args []any) {
	if l.sink.Discarding() != nil {
		return // counted
	}
	_ = l.sink.Log(l.event(callsite.Return(), 4, level, core.Truncate(core.Sprintf(format, args...), l.trunc), 0))
}

// event builds the event of a logging call, with the Logger's attributes
// and room for extra more; ret is the logging method's return address
// (callsite.Return, called by the method itself: its callers are marked
// noinline so that it has a frame of its own), and skip runtime.Callers'
// skip that reaches the user's call from here.
func (l *Logger) event(ret uintptr, skip int, level Level, msg string, extra int) *core.Event {
	return l.eventAt(time.Now(), callsite.PC(ret, skip), level, msg, extra)
}

// eventAt builds an event made at t by the call at pc (for records and
// lines that come with their own: slog's, the standard log's).
func (l *Logger) eventAt(t time.Time, pc uintptr, level Level, msg string, extra int) *core.Event {
	// One allocation, or none: the sink may reuse an event once its
	// handlers are done with it (core.NewEvent).
	e := core.NewEvent(len(l.attrs) + extra)
	// Field by field: assigning a whole Event would write every field
	// again (behind the GC's write barrier while it marks, which at
	// logging rates is often).
	e.Time, e.Level, e.Message, e.PC, e.Sink = t, level, msg, pc, l.sink.Name()
	if l.actor != nil {
		e.Actor = l.actor
	}
	if l.node != "" {
		e.Node = l.node
	}
	e.Attrs = append(e.Attrs, l.attrs...)
	return e
}

// badKey is slog's key for an argument that is not a key.
const badKey = "!BADKEY"

// appendArgs turns slog-style arguments into frozen attributes, as
// slog.Record.Add does: a string followed by a value is a pair, a
// slog.Attr stands for itself, anything else (or a last string alone) goes
// under "!BADKEY".
func appendArgs(dst []slog.Attr, args []any) []slog.Attr {
	for len(args) > 0 {
		var a slog.Attr
		switch x := args[0].(type) {
		case string:
			if len(args) == 1 {
				a, args = slog.String(badKey, x), nil
			} else {
				a, args = slog.Any(x, args[1]), args[2:]
			}
		case slog.Attr:
			a, args = x, args[1:]
		default:
			a, args = slog.Any(badKey, x), args[1:]
		}
		dst = append(dst, core.Freeze(a))
	}
	return dst
}
