package core

import (
	"log/slog"
	"runtime"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Event is one log event. The logging call builds it and hands it to a
// sink; from then on it is shared, read-only, by every handler of the sink,
// on their own goroutines. Nobody may change an Event after it was logged.
type Event struct {
	// Time is when the logging call was made.
	Time time.Time
	// Level is the event's level.
	Level Level
	// Message is the formatted message, truncated to the logger's limit.
	Message string
	// Attrs are the event's metadata, lager's metadata and slog's
	// attributes: the logger's With attributes first, then the call's.
	// Values are frozen (see Freeze).
	Attrs []slog.Attr
	// PC is the program counter of the logging call, or 0 when unknown.
	PC uintptr
	// Sink names the sink the event was logged to.
	Sink string
	// Actor is the actor the event was logged from, if any, and Node the
	// address of the actor system it was logged in.
	Actor *actor.PID
	Node  string
	// Report is the original structured report behind a translated event
	// (an *actors.CrashReport, a supervision.Report, …); nil otherwise.
	Report any
}

// Source returns the file, line and function of the logging call, or nil
// when PC is 0.
func (e *Event) Source() *slog.Source {
	if e.PC == 0 {
		return nil
	}
	f, _ := runtime.CallersFrames([]uintptr{e.PC}).Next()
	return &slog.Source{Function: f.Function, File: f.File, Line: f.Line}
}

// Lookup returns the value of the first top-level attribute named key: as
// in lager, the first occurrence of a key wins.
func (e *Event) Lookup(key string) (slog.Value, bool) {
	for _, a := range e.Attrs {
		if a.Key == key {
			return a.Value, true
		}
	}
	return slog.Value{}, false
}

// Freeze returns a with a value that is safe to share with other
// goroutines and to render later: a LogValuer is resolved (a panic in it
// becomes slog's error value), a value of kind Any — a struct, a map, an
// error, a pointer, anything — is replaced by its Render text, and groups
// are frozen member by member. Strings, numbers, bools, durations and times
// are kept as they are, so filters can still compare them.
func Freeze(a slog.Attr) slog.Attr {
	a.Value = freezeValue(a.Value)
	return a
}

func freezeValue(v slog.Value) slog.Value {
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindAny:
		return slog.StringValue(Render(v.Any()))
	case slog.KindGroup:
		members := v.Group()
		frozen := make([]slog.Attr, len(members))
		for i, m := range members {
			frozen[i] = Freeze(m)
		}
		return slog.GroupValue(frozen...)
	}
	return v
}
