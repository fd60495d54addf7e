package translator_test

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/supervision"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
)

type job struct{ ID int }

var (
	worker = &actor.PID{Address: "nonhost", Id: "$3"}
	client = &actor.PID{Address: "nonhost", Id: "$1"}
	root   = &actor.PID{Address: "nonhost", Id: "root"}
	crash  = &actors.CrashReport{
		Time: time.Now(), Phase: actors.PhaseReceive, Actor: worker, Parent: root, ActorType: "*main.worker",
		Message: &job{ID: 7}, Sender: client, SenderAlive: true,
		Reason: "runtime error: index out of range [5] with length 3",
		Stack:  "main.(*worker).Receive\n\t/src/app/main.go:42\nmain.helper\n\t/src/app/util.go:9\n",
		State:  "{jobs:[1 2 3]}", Restarts: 1,
	}
	info = supervision.ChildInfo{Supervisor: root, SupervisorName: "root", ChildID: "db",
		PID: &actor.PID{Address: "nonhost", Id: "root/db"}, Restart: supervision.Permanent, Kind: supervision.KindWorker}
)

func translate(report any, verbose bool, opts translator.Options) (*core.Event, bool) {
	e := &core.Event{Level: core.LevelError, Message: "default", Report: report}
	keep := translator.New(opts).Translate(e, verbose)
	return e, keep
}

func TestBuiltinTranslations(t *testing.T) {
	for _, tc := range []struct {
		name    string
		report  any
		verbose bool
		want    string
	}{
		{"actor panic", crash, false, "Actor nonhost/$3 (*main.worker) terminating\n" +
			"** (panic) runtime error: index out of range [5] with length 3\n" +
			"    app/main.go:42: main.(*worker).Receive\n    app/util.go:9: main.helper\n" +
			"Last message (from nonhost/$1): *translator_test.job{ID:7}"},
		{"actor panic on debug", crash, true, "Actor nonhost/$3 (*main.worker) terminating\n" +
			"** (panic) runtime error: index out of range [5] with length 3\n" +
			"    app/main.go:42: main.(*worker).Receive\n    app/util.go:9: main.helper\n" +
			"Last message (from nonhost/$1): *translator_test.job{ID:7}\n" +
			"State: {jobs:[1 2 3]}\nParent: nonhost/root\nPhase: receive\nRestarts: 1\nSender nonhost/$1 is alive"},
		{"goroutine panic", &actors.CrashReport{Goroutine: "poller", Reason: errors.New("boom\nsecond line")}, false,
			"Goroutine \"poller\" terminating\n** (panic) boom\n    second line"},
		{"child started", &supervision.ChildStarted{ChildInfo: info}, false,
			"Child \"db\" of Supervisor \"root\" (nonhost/root) started\nPid: nonhost/root/db"},
		{"child started on debug", &supervision.ChildStarted{ChildInfo: info}, true,
			"Child \"db\" of Supervisor \"root\" (nonhost/root) started\nPid: nonhost/root/db\nRestart: permanent\nType: worker"},
		{"start failed", &supervision.ChildStartFailed{ChildInfo: info, Err: errors.New("no db")}, false,
			"Child \"db\" of Supervisor \"root\" (nonhost/root) failed to start\n** (exit) no db"},
		{"terminated by a panic", &supervision.ChildTerminated{ChildInfo: info, Reason: &actors.PanicError{Value: "oops"}}, false,
			"Child \"db\" of Supervisor \"root\" (nonhost/root) terminated\n** (panic) oops\nPid: nonhost/root/db"},
		{"restarted", &supervision.ChildRestarted{ChildInfo: info, InPlace: true, Reason: errors.New("x")}, false,
			"Child \"db\" of Supervisor \"root\" (nonhost/root) restarted in place\n** (exit) x\nPid: nonhost/root/db"},
		{"shutdown error", &supervision.ShutdownError{ChildInfo: info, Reason: supervision.ErrKilled}, false,
			"Child \"db\" of Supervisor \"root\" (nonhost/root) shut down abnormally\n** (exit) " + supervision.ErrKilled.Error() + "\nPid: nonhost/root/db"},
		{"max intensity", &supervision.MaxIntensityReached{ChildInfo: info, Intensity: 1, Period: 5 * time.Second, Reason: errors.New("x")}, false,
			"Child \"db\" of Supervisor \"root\" (nonhost/root) caused shutdown\n** (exit) reached_max_restart_intensity: more than 1 restarts in 5s\nLast reason: x"},
		{"a panic only Proto.Actor saw", &translator.Record{Message: translator.RecoveringMessage, Attrs: []slog.Attr{slog.String("self", "nonhost/$3"), slog.String("reason", "oops")}}, false,
			"Actor nonhost/$3 terminating\n** (panic) oops\n(no stack: spawn the actor with actors.CrashReporter() for a full report)"},
		{"dead letter", &translator.Record{Message: "[DeadLetter]", Attrs: []slog.Attr{slog.String("pid", "nonhost/$9"), slog.String("message", "*main.Job{ID:7}"), slog.String("sender", "nonhost/$1")}}, false,
			"Dead letter to nonhost/$9: *main.Job{ID:7} (from nonhost/$1)"},
		{"dead letters throttled", &translator.Record{Message: "[DeadLetter]", Attrs: []slog.Attr{slog.Int64("throttled", 12)}}, false,
			"Dead letters: 12 more were not logged (throttled by Proto.Actor)"},
		{"supervision directive", &translator.Record{Message: "[SUPERVISION]", Attrs: []slog.Attr{slog.String("actor", "nonhost/$3"), slog.String("directive", actor.RestartDirective.String()), slog.String("reason", "oops")}}, false,
			"Proto.Actor supervisor directive restart for actor nonhost/$3 after: oops"},
		{"unknown record", &translator.Record{Message: "something new"}, false, "default"},
		// The human formats leave Meta out: the message says what the
		// attributes of a record no translation knows are.
		{"unknown record with attributes", &translator.Record{Message: "Starting remote with address",
			Attrs: []slog.Attr{slog.String("address", "127.0.0.1:8090")}}, false,
			"Starting remote with address address=127.0.0.1:8090"},
		{"unknown record with attributes to quote and groups", &translator.Record{Message: "Started Activator",
			Attrs: []slog.Attr{slog.String("error", "rpc error: code = Canceled"), slog.Group("peer", slog.Int("port", 9), slog.String("host", ""))}}, false,
			`Started Activator error="rpc error: code = Canceled" peer.port=9 peer.host=""`},
		{"unknown report", struct{ X int }{1}, false, "default"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, keep := translate(tc.report, tc.verbose, translator.Options{})
			assert.True(t, keep, "the built-in translator never drops")
			assert.Equal(t, tc.want, e.Message)
			assert.Equal(t, tc.report, e.Report, "the report stays beside the translation")
		})
	}
}

func TestRecoveringRecordOfAReportedPanicIsSkipped(t *testing.T) {
	_, keep := translate(&translator.Record{Message: translator.RecoveringMessage, Reported: true}, false, translator.Options{})
	assert.False(t, keep, "actors.CrashReporter reported it in full: not twice")
}

func TestCrashMetadata(t *testing.T) {
	e, _ := translate(crash, false, translator.Options{})
	v, ok := e.Lookup("actor")
	assert.True(t, ok)
	assert.Equal(t, "nonhost/$3", v.String())
	v, _ = e.Lookup("parent")
	assert.Equal(t, "nonhost/root", v.String())
	v, _ = e.Lookup("crash_reason")
	group := map[string]string{}
	for _, a := range v.Group() {
		group[a.Key] = a.Value.String()
	}
	assert.Equal(t, crash.Stack, group["stack"])
	assert.Equal(t, "runtime error: index out of range [5] with length 3", group["reason"])
	assert.Empty(t, e.Attrs, "metadata of the translation goes to Meta")
}

func TestUserTranslators(t *testing.T) {
	mine := func(e *core.Event, _ bool) (translator.Translation, translator.Result) {
		if _, ok := e.Report.(*supervision.ChildStarted); ok {
			return translator.Translation{Message: "mine", Attrs: []slog.Attr{slog.Bool("mine", true)}}, translator.Translated
		}
		return translator.Translation{}, translator.None
	}
	skip := func(e *core.Event, _ bool) (translator.Translation, translator.Result) {
		if _, ok := e.Report.(*supervision.ChildStartFailed); ok {
			return translator.Translation{}, translator.Skip
		}
		return translator.Translation{}, translator.None
	}
	panicky := func(e *core.Event, _ bool) (translator.Translation, translator.Result) {
		if _, ok := e.Report.(*supervision.ShutdownError); ok {
			panic("translator bug")
		}
		return translator.Translation{}, translator.None
	}
	opts := translator.Options{Translators: []translator.Func{panicky, skip, mine}}

	e, keep := translate(&supervision.ChildStarted{ChildInfo: info}, false, opts)
	assert.True(t, keep)
	assert.Equal(t, "mine", e.Message, "a user translator before the built-in one")
	v, _ := e.Lookup("mine")
	assert.True(t, v.Bool())

	_, keep = translate(&supervision.ChildStartFailed{ChildInfo: info}, false, opts)
	assert.False(t, keep, "Skip drops the event")

	report := &supervision.ShutdownError{ChildInfo: info, Reason: errors.New("x")}
	e, keep = translate(report, false, opts)
	assert.True(t, keep)
	assert.Equal(t, "Failure while translating *supervision.ShutdownError: translator panicked: translator bug\ndefault", e.Message)
	assert.Same(t, report, e.Report, "the original stays attached")

	e, _ = translate(&supervision.ChildTerminated{ChildInfo: info, Reason: errors.New("y")}, false, opts)
	assert.Contains(t, e.Message, "terminated", "None from all users: the built-in one")
}

func TestFilterSwitches(t *testing.T) {
	plain := &core.Event{}
	actorEv := &core.Event{Report: crash}
	supEv := &core.Event{Report: &supervision.ChildStarted{}}
	recovering := &core.Event{Report: &translator.Record{Message: "[SUPERVISION]"}}
	deadLetter := &core.Event{Report: &translator.Record{Message: "[DeadLetter]"}}
	for _, tc := range []struct {
		name string
		opts translator.Options
		want [5]handlers.FilterAction
	}{
		{"defaults: actor reports, no supervisor reports", translator.Options{},
			[5]handlers.FilterAction{handlers.Ignore, handlers.Ignore, handlers.Stop, handlers.Stop, handlers.Ignore}},
		{"no actor reports", translator.Options{NoActorReports: true},
			[5]handlers.FilterAction{handlers.Ignore, handlers.Stop, handlers.Stop, handlers.Stop, handlers.Stop}},
		{"supervisor reports", translator.Options{SupervisorReports: true},
			[5]handlers.FilterAction{handlers.Ignore, handlers.Ignore, handlers.Ignore, handlers.Ignore, handlers.Ignore}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := translator.Filter(tc.opts)
			assert.Equal(t, translator.FilterID, f.ID)
			got := [5]handlers.FilterAction{f.Fn(plain), f.Fn(actorEv), f.Fn(supEv), f.Fn(recovering), f.Fn(deadLetter)}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDescribe(t *testing.T) {
	assert.Equal(t, "*translator_test.job{ID:7}", translator.Describe(&job{ID: 7}))
	assert.Equal(t, "translator_test.job{ID:7}", translator.Describe(job{ID: 7}))
	assert.Equal(t, `"crash"`, translator.Describe("crash"))
	assert.Equal(t, "42", translator.Describe(42))
	assert.Equal(t, "*actor.PoisonPill{}", translator.Describe(&actor.PoisonPill{}))
}
