package core

import (
	"log/slog"
	"path"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
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
	// Meta is metadata the logging system added to the event, not the
	// call: a translation's (crash_reason, actor, parent, …). Lookups find
	// it before Attrs (it goes over them, as Elixir merges a translator's
	// metadata); structured formats (JSON, logfmt) write it; the human
	// formats (console, file) leave it out, since the message already
	// says it.
	Meta []slog.Attr
	// Report is the original structured report behind a translated event
	// (an *actors.CrashReport, a supervision.Report, …); nil otherwise.
	Report any

	// lines are the event as formatters made it before it was shared (see
	// SetLine). Before the first is set, its text holds the room given by
	// SetLineRoom.
	lines [EventLines]line

	// home numbers the memory of an event from NewEvent (see Home); 0
	// for other events.
	home uint32
}

// SetLineRoom gives e memory for its lines, allocated with it (a Logger
// allocates an event and room for a typical line at once).
func (e *Event) SetLineRoom(room []byte) {
	if e.lines[0].by == nil {
		e.lines[0].text = room[:0]
	}
}

// LineRoom returns the memory SetLineRoom gave, once: the first caller
// formats into it; nil if there is none.
func (e *Event) LineRoom() []byte {
	if e.lines[0].by != nil {
		return nil
	}
	r := e.lines[0].text
	e.lines[0].text = nil
	return r
}

// EventLines is how many pre-formatted lines an event holds (see SetLine).
const EventLines = 2

// line is an event formatted by the formatter by.
type line struct {
	by   any
	text []byte
}

// SetLine records text as what the formatter by makes of e, so that a
// handler formatting with by copies text instead of formatting e again. A
// sink calls it on the logging caller's goroutine, before e is shared (an
// event must not change once it is handed over), for handlers that write
// lines: the callers, which run in parallel, do the formatting, not the
// one goroutine of each handler. by must be a pointer, which Line compares;
// SetLine returns false, and records nothing, when by is not one or e holds
// as many lines as it can.
func (e *Event) SetLine(by any, text []byte) bool {
	if by == nil || reflect.TypeOf(by).Kind() != reflect.Pointer {
		return false
	}
	for i := range e.lines {
		if e.lines[i].by == nil {
			e.lines[i] = line{by: by, text: text}
			return true
		}
	}
	return false
}

// Line returns what the formatter by makes of e, if SetLine recorded it.
// The bytes are shared: append them, do not change them.
func (e *Event) Line(by any) ([]byte, bool) {
	for i := range e.lines {
		if e.lines[i].by == nil {
			break
		}
		if e.lines[i].by == by {
			return e.lines[i].text, true
		}
	}
	return nil, false
}

// Source returns the file, line and function of the logging call, or nil
// when PC is 0. Each call returns a new value; formatters use Caller.
func (e *Event) Source() *slog.Source {
	c := e.Caller()
	if c == nil {
		return nil
	}
	return &slog.Source{Function: c.Function, File: c.File, Line: c.Line}
}

// Caller is where a logging call was made. Resolving a program counter
// costs about a microsecond, so each one is resolved once per process and
// cached: a Caller is shared and must not be changed.
type Caller struct {
	// Function is the full function name ("example.com/app/pkg.(*T).M"),
	// File the full file path and Line the line.
	Function, File string
	Line           int
	// Package is the function's package path ("example.com/app/pkg"),
	// Module its last element ("pkg", lager's module) and Func the rest
	// of the name ("(*T).M").
	Package, Module, Func string
}

var callers sync.Map // uintptr → *Caller

// callerSlots is a direct-mapped cache in front of callers: a formatter
// asks for the caller of one event several times (module, function,
// line), and one atomic load is cheaper than a map lookup.
var callerSlots [1024]atomic.Pointer[callerSlot]

type callerSlot struct {
	pc uintptr
	c  *Caller
}

// Caller returns where the logging call was made, or nil when PC is 0.
func (e *Event) Caller() *Caller {
	if e.PC == 0 {
		return nil
	}
	slot := &callerSlots[(e.PC>>2)%uintptr(len(callerSlots))]
	if cs := slot.Load(); cs != nil && cs.pc == e.PC {
		return cs.c
	}
	if c, ok := callers.Load(e.PC); ok {
		slot.Store(&callerSlot{pc: e.PC, c: c.(*Caller)})
		return c.(*Caller)
	}
	f, _ := runtime.CallersFrames([]uintptr{e.PC}).Next()
	c := &Caller{Function: f.Function, File: f.File, Line: f.Line}
	c.Package, c.Func = splitFunction(f.Function)
	c.Module = path.Base(c.Package)
	if c.Package == "" {
		c.Module = ""
	}
	actual, _ := callers.LoadOrStore(e.PC, c)
	return actual.(*Caller)
}

// splitFunction splits "example.com/app/pkg.(*T).Method" into the package
// path and "(*T).Method".
func splitFunction(full string) (pkg, fn string) {
	slash := strings.LastIndexByte(full, '/')
	dot := strings.IndexByte(full[slash+1:], '.')
	if dot < 0 {
		return "", full
	}
	return full[:slash+1+dot], full[slash+1+dot+1:]
}

// Lookup returns the value of the first top-level attribute named key: as
// in lager, the first occurrence of a key wins.
func (e *Event) Lookup(key string) (slog.Value, bool) {
	for _, a := range e.Meta {
		if a.Key == key {
			return a.Value, true
		}
	}
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
	switch a.Value.Kind() {
	case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
		a.Value = freezeValue(a.Value)
	}
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

// Value returns the value of metadata key k: the event's Meta or first
// attribute named k (see Lookup), else one of the virtual keys every event
// has — "pid" (the actor the event was logged from), "node", "sink",
// "module" (the last element of the calling Go package's path),
// "function", "file" (base name) and "line". Formatters and trace queries
// read metadata through it.
func (e *Event) Value(k string) (slog.Value, bool) {
	if v, ok := e.Lookup(k); ok {
		return v, true
	}
	switch k {
	case "pid":
		if e.Actor != nil {
			return slog.StringValue(e.Actor.Address + "/" + e.Actor.Id), true
		}
	case "node":
		if e.Node != "" {
			return slog.StringValue(e.Node), true
		}
	case "sink":
		if e.Sink != "" {
			return slog.StringValue(e.Sink), true
		}
	case "module", "function", "file", "line":
		src := e.Caller()
		if src == nil {
			return slog.Value{}, false
		}
		switch k {
		case "module":
			return slog.StringValue(src.Module), true
		case "function":
			return slog.StringValue(src.Func), true
		case "file":
			return slog.StringValue(path.Base(src.File)), true
		}
		return slog.IntValue(src.Line), true
	}
	return slog.Value{}, false
}
