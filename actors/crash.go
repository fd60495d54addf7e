package actors

import (
	"fmt"
	"github.com/actorlog/actorlog/core"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/ctxext"
)

// Phase names the part of an actor's life in which it panicked.
type Phase string

// The phases a [CrashReport] can name.
const (
	PhaseStarted    Phase = "started"    // while handling *actor.Started (its init)
	PhaseReceive    Phase = "receive"    // while handling a user message, in any behaviour
	PhaseStopping   Phase = "stopping"   // while handling *actor.Stopping
	PhaseStopped    Phase = "stopped"    // while handling *actor.Stopped
	PhaseRestarting Phase = "restarting" // while handling *actor.Restarting
	PhaseGoroutine  Phase = "goroutine"  // in a goroutine or callback run by [Go] or [Safe]
)

// PanicError is the error form of a recovered panic. The crash-report
// middleware re-panics with a *PanicError, so the Failure that Proto.Actor
// hands to the supervisor carries the stack as well as the value.
type PanicError struct {
	// Value is what was passed to panic.
	Value any
	// Stack is the goroutine's stack at the panic, with the runtime's and the
	// actor framework's own frames removed (see [CleanStack]).
	Stack string
}

// Error renders the panic value. It never panics, even when the value's own
// Error or String method does.
func (e *PanicError) Error() string { return SafeSprint(e.Value) }

// Unwrap returns the panic value when it is an error, so errors.Is and
// errors.As see through a recovered panic.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// CrashReport describes one panic: in an actor (published by [CrashReporter])
// or in a goroutine or callback (published by [Go] and [Safe]). Reports are
// published on the actor system's EventStream as *CrashReport values.
type CrashReport struct {
	// Time is when the panic was recovered.
	Time time.Time
	// Phase says where the panic happened.
	Phase Phase
	// Actor is the PID of the actor that panicked; nil for goroutines.
	Actor *actor.PID
	// Parent is the actor's parent (its supervisor), if any.
	Parent *actor.PID
	// ActorType is the Go type of the actor value, such as "*main.worker".
	ActorType string
	// Goroutine is the name given to [Go] or [Safe]; empty for actors.
	Goroutine string
	// Message is the message being handled when the actor panicked. For
	// lifecycle phases it is the lifecycle message (*actor.Started, …).
	Message any
	// Sender is the sender of Message, if it had one.
	Sender *actor.PID
	// Reason is the value passed to panic.
	Reason any
	// Stack is the cleaned stack at the panic (see [CleanStack]).
	Stack string
	// Restarts is how many times this actor had been restarted in place
	// before this panic (0 for the first incarnation).
	Restarts int
	// State is what the actor's CrashState method (see StateReporter)
	// returned at the panic, rendered (core.Render) and cut to StateLimit
	// bytes; empty for actors without one, and for goroutines.
	State string
	// SenderAlive says whether Sender was still running at the panic (a
	// remote sender counts as running).
	SenderAlive bool
}

// StateReporter is implemented by actors that show their state in crash
// reports (Elixir shows a GenServer's state "on debug"). CrashState runs on
// the actor's goroutine, right after the panic; it should return a copy of
// what matters, not the actor itself. An actor value is not rendered
// otherwise: walking it could race with goroutines it shares data with.
type StateReporter interface {
	CrashState() any
}

// StateLimit is the most bytes of an actor's rendered state a CrashReport
// keeps.
const StateLimit = 8 << 10

// String renders the report on a few lines, in the spirit of a crash report:
// who crashed, why, with which message, and where.
func (r *CrashReport) String() string {
	var b strings.Builder
	if r.Actor != nil {
		fmt.Fprintf(&b, "actor %s (%s) panicked in %s: %s", PIDString(r.Actor), r.ActorType, r.Phase, SafeSprint(r.Reason))
	} else {
		fmt.Fprintf(&b, "goroutine %q panicked: %s", r.Goroutine, SafeSprint(r.Reason))
	}
	if r.Message != nil {
		fmt.Fprintf(&b, "\nlast message: %s", TypeName(r.Message)+" "+SafeSprintf("%+v", r.Message))
		if r.Sender != nil {
			fmt.Fprintf(&b, " (from %s)", PIDString(r.Sender))
		}
	}
	if r.Parent != nil {
		fmt.Fprintf(&b, "\nparent: %s", PIDString(r.Parent))
	}
	if r.Restarts > 0 {
		fmt.Fprintf(&b, "\nrestarts: %d", r.Restarts)
	}
	if r.Stack != "" {
		b.WriteString("\n")
		b.WriteString(strings.TrimRight(r.Stack, "\n"))
	}
	return b.String()
}

// crashState is kept per actor (as a context extension, which survives
// in-place restarts) to count incarnations. last is the Started envelope
// counted most recently, so that two reporters in one middleware chain
// count each start once.
type crashState struct {
	starts int
	last   *actor.MessageEnvelope
}

var crashStateID = ctxext.NextContextExtensionID()

// ExtensionID implements ctxext.ContextExtension.
func (*crashState) ExtensionID() ctxext.ContextExtensionID { return crashStateID }

// CrashReporter returns a receiver middleware that reports every panic of
// the actor it is installed on. It recovers the panic, captures the stack,
// publishes a *CrashReport on the actor system's EventStream, and panics
// again with a *PanicError so that supervision proceeds as it would have
// without it. Panics while handling Started, Stopping, Stopped, Restarting
// and any user message, in any Become behaviour, are all reported.
//
// Install it with actor.WithReceiverMiddleware(actors.CrashReporter()).
// A panic that already is a *PanicError (reported by an inner reporter) is
// passed on without a second report.
func CrashReporter() actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			state, _ := c.Get(crashStateID).(*crashState)
			if state == nil {
				state = &crashState{}
				c.Set(state)
			}
			if _, ok := env.Message.(*actor.Started); ok && state.last != env {
				state.starts++
				state.last = env
			}
			defer func() {
				if r := recover(); r != nil {
					panic(Report(c, env, r))
				}
			}()
			next(c, env)
		}
	}
}

// Report publishes a *CrashReport for the panic value r, recovered while
// the actor of c handled env, and returns the *PanicError that carries it.
// If r already is a *PanicError (it was reported closer to the panic), it is
// returned as it is and nothing more is published. Middleware that must
// recover a panic rather than pass it on uses Report so the panic is still
// reported.
func Report(c actor.ReceiverContext, env *actor.MessageEnvelope, r any) *PanicError {
	if pe, ok := r.(*PanicError); ok {
		return pe
	}
	restarts := 0
	if state, ok := c.Get(crashStateID).(*crashState); ok {
		restarts = max(state.starts-1, 0)
	}
	stack := CleanStack(captureStack(2))
	alive := false
	if env.Sender != nil {
		_, alive = c.ActorSystem().ProcessRegistry.Get(env.Sender)
	}
	state := ""
	if sr, ok := c.Actor().(StateReporter); ok {
		state = core.Truncate(renderState(sr), StateLimit)
	}
	c.ActorSystem().EventStream.Publish(&CrashReport{
		State:       state,
		SenderAlive: alive,
		Time:        time.Now(),
		Phase:       phaseOf(env.Message),
		Actor:       c.Self(),
		Parent:      c.Parent(),
		ActorType:   TypeName(c.Actor()),
		Message:     env.Message,
		Sender:      env.Sender,
		Reason:      r,
		Stack:       stack,
		Restarts:    restarts,
	})
	return &PanicError{Value: r, Stack: stack}
}

func phaseOf(msg any) Phase {
	switch msg.(type) {
	case *actor.Started:
		return PhaseStarted
	case *actor.Stopping:
		return PhaseStopping
	case *actor.Stopped:
		return PhaseStopped
	case *actor.Restarting:
		return PhaseRestarting
	default:
		return PhaseReceive
	}
}

// captureStack returns the program counters of the calling goroutine,
// skipping skip frames; called from a deferred recover it includes the
// frames between the panic and the recovery.
func captureStack(skip int) []uintptr {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(skip, pcs)
	return pcs[:n]
}

// frameworkPrefixes are the function-name prefixes CleanStack drops: the Go
// runtime's panic machinery, Proto.Actor's dispatch, and this package.
var frameworkPrefixes = []string{
	"runtime.",
	"github.com/asynkron/protoactor-go/",
	"github.com/actorlog/actorlog/actors.",
}

// ownDir is this package's source directory. Inlined middleware frames are
// named after their caller, so frames are also dropped by file: this
// package's non-test files and Proto.Actor's.
var ownDir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return file[:strings.LastIndexByte(file, '/')+1]
}()

func isFrameworkFrame(f runtime.Frame) bool {
	if hasAnyPrefix(f.Function, frameworkPrefixes) || strings.Contains(f.File, "/asynkron/protoactor-go") {
		return true
	}
	if hidden := hiddenFuncs.Load(); hidden != nil && isHidden(f.Function, *hidden) {
		return true
	}
	return strings.HasPrefix(f.File, ownDir) && !strings.HasSuffix(f.File, "_test.go") &&
		!strings.ContainsRune(f.File[len(ownDir):], '/')
}

// hiddenFuncs are the functions HideFrames was given, by package path
// and name in it: {"example.com/lib.", "wrap"}.
var (
	hiddenFuncs atomic.Pointer[[]hiddenFunc]
	hiddenMu    sync.Mutex
)

// hiddenFunc is a function, or with methods set the methods of a type:
// name is "(*T)" and methods "T", for both receivers.
type hiddenFunc struct{ pkg, name, methods string }

// HideFrames makes CleanStack leave out the frames of fns: receiver
// middleware that wraps an actor's Receive, or the actor that runs a
// handler, whose frames in a crash report say nothing about the crash.
// Each of fns is a function or method expression, whose frames and whose
// closures' frames are left out, or a value of a type (a typed nil
// pointer will do), whose methods' frames are. A closure inlined into its
// maker's caller is named after that caller ("pkg.caller.wrap.func1"), and
// is found all the same. actorlog's packages hide their own machinery; a
// library may hide its own too.
func HideFrames(fns ...any) {
	hiddenMu.Lock()
	defer hiddenMu.Unlock()
	var all []hiddenFunc
	if old := hiddenFuncs.Load(); old != nil {
		all = append(all, *old...)
	}
	for _, fn := range fns {
		if h, ok := hiddenOf(fn); ok {
			all = append(all, h)
		}
	}
	hiddenFuncs.Store(&all)
}

// hiddenOf returns what HideFrames hides for fn.
func hiddenOf(fn any) (hiddenFunc, bool) {
	t := reflect.TypeOf(fn)
	if t == nil {
		return hiddenFunc{}, false
	}
	if t.Kind() != reflect.Func {
		name := t.Name()
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
			name = "(*" + t.Name() + ")"
		}
		if t.Name() == "" || t.PkgPath() == "" {
			return hiddenFunc{}, false
		}
		return hiddenFunc{pkg: t.PkgPath() + ".", name: name, methods: t.Name()}, true
	}
	v := reflect.ValueOf(fn)
	if v.IsNil() {
		return hiddenFunc{}, false
	}
	f := runtime.FuncForPC(v.Pointer())
	if f == nil {
		return hiddenFunc{}, false
	}
	full := strings.TrimSuffix(f.Name(), "-fm") // a method value
	slash := strings.LastIndexByte(full, '/')
	dot := strings.IndexByte(full[slash+1:], '.')
	if dot < 0 {
		return hiddenFunc{}, false
	}
	cut := slash + 1 + dot + 1
	return hiddenFunc{pkg: full[:cut], name: full[cut:]}, true
}

// isHidden reports whether function, a frame's full function name, is one
// of hidden or a closure of one.
func isHidden(function string, hidden []hiddenFunc) bool {
	for _, h := range hidden {
		rest, ok := strings.CutPrefix(function, h.pkg)
		if !ok {
			continue
		}
		if rest == h.name || strings.HasPrefix(rest, h.name+".") || strings.Contains(rest, "."+h.name+".") {
			return true
		}
		if h.methods != "" && (strings.HasPrefix(rest, h.methods+".") || strings.HasPrefix(rest, "(*"+h.methods+").") ||
			strings.Contains(rest, "."+h.methods+".") || strings.Contains(rest, ".(*"+h.methods+").")) {
			return true
		}
	}
	return false
}

// CleanStack renders program counters as a stack trace, one frame per two
// lines ("function" then "\tfile:line"), keeping only the frames that belong
// to the program: the runtime's panic machinery, Proto.Actor's mailbox and
// dispatch frames, this package's own recover frames and the middleware
// given to HideFrames (actorlog's supervision link and handler queue count
// among it) are left out.
func CleanStack(pcs []uintptr) string {
	var b strings.Builder
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if f.Function != "" && !isFrameworkFrame(f) {
			b.WriteString(f.Function)
			b.WriteString("\n\t")
			b.WriteString(f.File)
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(f.Line))
			b.WriteByte('\n')
		}
		if !more {
			return b.String()
		}
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// TypeName returns the Go type of v as %T prints it ("*main.worker"), or
// "<nil>".
func TypeName(v any) string {
	if v == nil {
		return "<nil>"
	}
	return reflect.TypeOf(v).String()
}

// PIDString renders a PID as "address/id" ("nonhost/$3"), or "<nil>".
func PIDString(pid *actor.PID) string {
	if pid == nil {
		return "<nil>"
	}
	return pid.Address + "/" + pid.Id
}

// SafeSprint formats v with fmt.Sprint. A panic in v's String or Error
// method is caught and rendered as a visible marker instead.
func SafeSprint(v any) string { return SafeSprintf("%v", v) }

// SafeSprintf is fmt.Sprintf that never panics and never recurses without
// end (core.Sprintf): a panicking String, Error or Format method yields
// "%!v(PANIC=…)"-style text, as fmt itself does, and an argument that
// contains itself through a slice or a map, which would make fmt overflow
// the stack, is printed with core.Render.
func SafeSprintf(format string, args ...any) string { return core.Sprintf(format, args...) }

// renderState renders an actor's CrashState; a panic there is shown, not
// raised.
func renderState(sr StateReporter) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = "<CrashState panicked: " + SafeSprint(r) + ">"
		}
	}()
	return core.Render(sr.CrashState())
}
