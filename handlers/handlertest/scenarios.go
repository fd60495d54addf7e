package handlertest

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/supervision"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
)

// Scenario is one act of LoggerHandlerKit, re-expressed for Go: it makes
// something happen in the kit's System and waits until the handler got
// the event it causes, which it returns. Check reports what the handler
// under test wrote, if the test can read it (see Run).
type Scenario struct {
	Name string
	// Options are what the scenario needs from its kit (the supervisor
	// reports switch, say).
	Options Options
	Act     func(k *Kit) *core.Event
	// Want are texts the event's message must contain.
	Want []string
}

// Scenarios returns every scenario.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "plain message", Act: logged(func(l *actorlog.Logger) { l.Info("Hello World") }), Want: []string{"Hello World"}},
		{Name: "bytes", Act: logged(func(l *actorlog.Logger) {
			l.Info(string([]byte("Hello bytes")), "raw", []byte{1, 2, 3})
		}), Want: []string{"Hello bytes"}},
		{Name: "invalid UTF-8, NUL, ANSI and newlines", Act: logged(func(l *actorlog.Logger) {
			l.Info("bad \xff\xfe utf8, nul \x00, ansi \x1b[31mred\x1b[0m,\nsecond line")
		}), Want: []string{"bad ", "second line"}},
		{Name: "empty message", Act: logged(func(l *actorlog.Logger) { l.Info("") })},
		{Name: "huge message", Act: logged(func(l *actorlog.Logger) { l.Info(strings.Repeat("x", 100_000)) }),
			Want: []string{core.TruncationMarker}},
		{Name: "ordered pairs report", Act: logged(func(l *actorlog.Logger) {
			l.LogAttrs(context.Background(), actorlog.LevelInfo, "report",
				slog.String("hello", "world"), slog.Int("n", 1), slog.String("hello", "again"),
				slog.Group("nested", slog.String("a", "b"), slog.Group("deeper", slog.Bool("ok", true))))
		}), Want: []string{"report"}},
		{Name: "map report", Act: logged(func(l *actorlog.Logger) {
			l.Info("map", "report", map[string]any{"hello": "world", "nested": map[string]int{"a": 1}})
		}), Want: []string{"map"}},
		{Name: "struct report", Act: logged(func(l *actorlog.Logger) { l.Info("struct", "report", newCyclic()) }), Want: []string{"struct"}},
		{Name: "printf mismatches", Act: logged(func(l *actorlog.Logger) { l.Infof("%d and %s and", "text") }),
			Want: []string{"%!d(string=text)", "%!s(MISSING)"}},
		{Name: "actor panics with an error", Act: actorCrash("", func() { panic(errors.New("oops")) }, false),
			Want: []string{"terminating", "** (panic) oops"}},
		{Name: "actor panics with a string", Act: actorCrash("", func() { panic("catch!") }, false),
			Want: []string{"** (panic) catch!"}},
		{Name: "actor panics with a struct", Act: actorCrash("", func() { panic(fakeStruct{Hello: "world"}) }, false),
			Want: []string{"** (panic) handlertest.fakeStruct{Hello:world}"}},
		{Name: "named actor", Act: actorCrash("kit-named-actor", func() { panic("named") }, false),
			Want: []string{"/kit-named-actor ", "terminating"}},
		{Name: "request from a sender that already stopped", Act: deadSender, Want: []string{"terminating", "Last message (from "}},
		{Name: "fire-and-forget send", Act: actorCrash("", func() { panic("no sender") }, false),
			Want: []string{"Last message: handlertest.run{}"}},
		{Name: "panic in Started", Act: panicInStarted, Want: []string{"terminating", "*actor.Started"}},
		{Name: "panic in a Become behaviour", Act: actorCrash("", func() { panic("in second state") }, true),
			Want: []string{"terminating", "in second state"}},
		{Name: "goroutine panic", Act: goroutinePanic, Want: []string{`Goroutine "kit-worker" terminating`, "** (panic) worker failed"}},
		{Name: "callback panic (bare goroutine through actors.Safe)", Act: callbackPanic, Want: []string{`Goroutine "kit-callback" terminating`}},
		{Name: "future panic", Act: futurePanic, Want: []string{"terminating", "future failed"}},
		{Name: "supervisor progress and failure", Options: Options{Translator: translator.Options{SupervisorReports: true}},
			Act: supervisorReports, Want: []string{"caused shutdown", "reached_max_restart_intensity"}},
		{Name: "metadata of every awkward type", Act: logged(awkwardMetadata), Want: []string{"awkward"}},
		{Name: "net/http handler panic", Act: httpPanic, Want: []string{"http: panic serving", "handler exploded"}},
	}
}

// Run runs every scenario as a subtest, in parallel, each with a fresh
// kit and a fresh handler from newHandler. output, if not nil, returns
// what the handler wrote once the System stopped (a file's contents, a
// buffer); each scenario's wanted texts must appear in it too (texts
// without invalid UTF-8).
func Run(t *testing.T, newHandler func(t *testing.T) (h handlers.Handler, output func() string)) {
	for _, sc := range Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			h, output := newHandler(t)
			k := New(t, h, sc.Options)
			e := sc.Act(k)
			for _, w := range sc.Want {
				if !strings.Contains(e.Message, w) {
					t.Errorf("the event's message lacks %q:\n%s", w, e.Message)
				}
			}
			if output == nil {
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), Deadline)
			defer cancel()
			if err := k.Sys.Stop(ctx); err != nil {
				t.Fatal(err)
			}
			got := output()
			for _, w := range sc.Want {
				if !strings.Contains(got, w) {
					t.Errorf("the handler's output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// logged is a scenario that logs through the kit's Logger and waits for
// the handler to get it.
func logged(log func(l *actorlog.Logger)) func(k *Kit) *core.Event {
	return func(k *Kit) *core.Event {
		log(k.Logger)
		e, _ := k.AssertLogged()
		return e
	}
}

type (
	run        struct{}
	become     struct{}
	fakeStruct struct{ Hello string }
	cyclic     struct {
		Name   string
		secret int
		Self   *cyclic
	}
)

func newCyclic() *cyclic {
	c := &cyclic{Name: "loop", secret: 42}
	c.Self = c
	return c
}

// crasher panics with do on a run message, in its second behaviour if
// useBecome (after a become message).
type crasher struct {
	do       func()
	behavior actor.Behavior
}

// Receive implements actor.Actor.
func (a *crasher) Receive(c actor.Context) { a.behavior.Receive(c) }

func (a *crasher) first(c actor.Context) {
	switch c.Message().(type) {
	case run:
		a.do()
	case become:
		a.behavior.Become(a.second)
	}
}

func (a *crasher) second(c actor.Context) {
	if _, ok := c.Message().(run); ok {
		a.do()
	}
}

// isCrash matches the translated crash report of an actor or goroutine.
func isCrash(e *core.Event) bool {
	_, ok := e.Report.(*actors.CrashReport)
	return ok
}

func actorCrash(name string, do func(), useBecome bool) func(k *Kit) *core.Event {
	return func(k *Kit) *core.Event {
		pid := k.Spawn(name, func() actor.Actor {
			a := &crasher{do: do, behavior: actor.NewBehavior()}
			a.behavior.Become(a.first)
			return a
		})
		if useBecome {
			k.System.Root.Send(pid, become{})
		}
		k.System.Root.Send(pid, run{})
		e, _ := k.WaitLogged(isCrash)
		k.System.Root.Stop(pid)
		return e
	}
}

// deadSender: the request's sender stops before the actor crashes on it.
func deadSender(k *Kit) *core.Event {
	gate := make(chan struct{})
	pid := k.Spawn("", func() actor.Actor {
		return actor.ReceiveFunc(func(c actor.Context) {
			if _, ok := c.Message().(run); ok {
				<-gate
				panic("the sender is gone")
			}
		})
	})
	sender := k.System.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(*actor.Started); ok {
			c.Request(pid, run{})
		}
	}))
	if err := k.System.Root.StopFuture(sender).Wait(); err != nil {
		k.t.Fatal(err)
	}
	close(gate)
	e, _ := k.WaitLogged(isCrash)
	k.System.Root.Stop(pid)
	return e
}

func panicInStarted(k *Kit) *core.Event {
	pid := k.Spawn("", func() actor.Actor {
		return actor.ReceiveFunc(func(c actor.Context) {
			if _, ok := c.Message().(*actor.Started); ok {
				panic("cannot start")
			}
		})
	})
	e, _ := k.WaitLogged(isCrash)
	k.System.Root.Stop(pid)
	return e
}

func goroutinePanic(k *Kit) *core.Event {
	task := actors.Go(k.System, "kit-worker", func() { panic(errors.New("worker failed")) })
	<-task.Done()
	e, _ := k.WaitLogged(isCrash)
	return e
}

func callbackPanic(k *Kit) *core.Event {
	done := make(chan struct{})
	callback := actors.Safe(k.System, "kit-callback", func() { nilMap["x"] = 1 }) // a runtime error
	go func() { defer close(done); _ = callback() }()
	<-done
	e, _ := k.WaitLogged(isCrash)
	return e
}

// futurePanic: an actor answering a future panics instead.
func futurePanic(k *Kit) *core.Event {
	pid := k.Spawn("", func() actor.Actor {
		return actor.ReceiveFunc(func(c actor.Context) {
			if _, ok := c.Message().(run); ok {
				panic("future failed")
			}
		})
	})
	// The future is never answered: it times out by itself, later.
	k.System.Root.RequestFuture(pid, run{}, Deadline)
	e, _ := k.WaitLogged(isCrash)
	k.System.Root.Stop(pid)
	return e
}

// supervisorReports: a child started, then terminating once too often, so
// that its supervisor gives up.
func supervisorReports(k *Kit) *core.Event {
	ctx, cancel := context.WithTimeout(context.Background(), Deadline)
	defer cancel()
	sup, err := supervision.Start(ctx, k.System, supervision.Spec{Name: "kit-sup", Intensity: supervision.NoRestarts, Period: time.Minute,
		Children: []supervision.ChildSpec{{ID: "child", Props: actor.PropsFromFunc(func(c actor.Context) {
			if _, ok := c.Message().(run); ok {
				panic("child failed")
			}
		})}}})
	if err != nil {
		k.t.Fatal(err)
	}
	if _, err := k.WaitLogged(func(e *core.Event) bool { _, ok := e.Report.(*supervision.ChildStarted); return ok }); err != nil {
		k.t.Error(err)
	}
	children, err := sup.WhichChildren(ctx)
	if err != nil {
		k.t.Fatal(err)
	}
	k.System.Root.Send(children[0].PID, run{})
	e, _ := k.WaitLogged(func(e *core.Event) bool { _, ok := e.Report.(*supervision.MaxIntensityReached); return ok })
	<-sup.Done()
	return e
}

// nilMap is never made: writing to it is the runtime error of a callback.
var nilMap map[string]int

// awkwardMetadata logs metadata of every awkward type.
func awkwardMetadata(l *actorlog.Logger) {
	var nilPtr *fakeStruct
	var typedNil error = (*net0)(nil)
	x := 1
	l.Info("awkward",
		"bool", true, "string", "s", "bytes", []byte{1, 2, 3}, "invalid_utf8", "\xff\xfe",
		"int", -42, "uint", uint64(math.MaxUint64), "nan", math.NaN(), "inf", math.Inf(1), "neg_inf", math.Inf(-1),
		"time", time.Date(2026, 11, 22, 1, 2, 3, 4, time.UTC), "duration", 1500*time.Millisecond,
		"struct", fakeStruct{Hello: "world"}, "array", [3]int{1, 2, 3}, "nested", [][]string{{"a"}, {"b", "c"}},
		"map_any", map[any]any{1: "one", "two": 2, 3.5: nil}, "func", awkwardMetadata, "chan", make(chan int),
		"pid", &actor.PID{Address: "nonhost", Id: "$1"}, "error", errors.New("an error"), "nil_pointer", nilPtr,
		"typed_nil", typedNil, "nil", nil, "cyclic", newCyclic(), "unsafe", unsafe.Pointer(&x),
		"huge", strings.Repeat("h", 20_000), slog.Group("group", slog.String("in", "side")))
}

// net0 is a type whose nil pointer is an error that panics when printed.
type net0 struct{ msg string }

func (n *net0) Error() string { return n.msg }

// httpPanic: a net/http handler panics; net/http recovers it and logs it
// through the server's ErrorLog, here the kit's Logger at error.
func httpPanic(k *Kit) *core.Event {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("handler exploded")
	}))
	srv.Config.ErrorLog = slog.NewLogLogger(k.Logger.Handler(), slog.LevelError)
	srv.Start()
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err == nil {
		_ = resp.Body.Close()
	}
	e, _ := k.WaitLogged(func(e *core.Event) bool { return strings.Contains(e.Message, "http: panic serving") })
	return e
}
