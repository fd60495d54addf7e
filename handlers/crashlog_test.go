package handlers_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
)

func TestCrashFormatter(t *testing.T) {
	at := time.Date(2026, 11, 22, 10, 15, 4, 123e6, time.UTC)
	sup := &actor.PID{Address: "nonhost", Id: "root"}
	child := &actor.PID{Address: "nonhost", Id: "root/db"}
	info := supervision.ChildInfo{Supervisor: sup, SupervisorName: "root", ChildID: "db", PID: child, Restart: supervision.Permanent, Kind: supervision.KindWorker}
	for _, tc := range []struct {
		name    string
		msgSize int
		e       *core.Event
		want    string
	}{
		{"actor panic", 0, &core.Event{Time: at, Report: &actors.CrashReport{
			Time: at, Phase: actors.PhaseReceive, Actor: &actor.PID{Address: "nonhost", Id: "$3"}, Parent: sup,
			ActorType: "*main.worker", Message: struct{ ID int }{7}, Sender: &actor.PID{Address: "nonhost", Id: "$1"},
			Reason: "index out of range", Stack: "main.(*worker).Receive\n\t/src/main.go:42\n", Restarts: 2,
		}}, "2026-11-22 10:15:04 =CRASH REPORT====\n  crasher:\n    actor: nonhost/$3\n    type: *main.worker\n    parent: nonhost/root\n" +
			"    phase: receive\n    restarts: 2\n    reason: index out of range\n    last message: struct { ID int } {ID:7}\n    sender: nonhost/$1\n" +
			"    stack:\n      main.(*worker).Receive\n          /src/main.go:42\n\n"},
		{"goroutine panic", 0, &core.Event{Report: &actors.CrashReport{Time: at, Phase: actors.PhaseGoroutine, Goroutine: "poller", Reason: errors.New("boom")}},
			"2026-11-22 10:15:04 =CRASH REPORT====\n  crasher:\n    goroutine: poller\n    reason: boom\n\n"},
		{"child terminated", 0, &core.Event{Time: at, Report: &supervision.ChildTerminated{ChildInfo: info, Reason: errors.New("disk gone")}},
			"2026-11-22 10:15:04 =SUPERVISOR REPORT====\n     Supervisor: \"root\" (nonhost/root)\n     Context:    child_terminated\n" +
				"     Reason:     disk gone\n     Offender:   child \"db\" (nonhost/root/db) permanent worker\n\n"},
		{"max intensity", 0, &core.Event{Time: at, Report: &supervision.MaxIntensityReached{ChildInfo: info, Intensity: 1, Period: 5 * time.Second, Reason: errors.New("x")}},
			"2026-11-22 10:15:04 =SUPERVISOR REPORT====\n     Supervisor: \"root\" (nonhost/root)\n     Context:    shutdown\n" +
				"     Reason:     reached_max_restart_intensity (1 in 5s) after: x\n     Offender:   child \"db\" (nonhost/root/db) permanent worker\n\n"},
		{"plain event", 0, &core.Event{Time: at, Message: "something failed"}, "2026-11-22 10:15:04 =ERROR REPORT====\nsomething failed\n\n"},
		{"msg size", 40, &core.Event{Time: at, Message: strings.Repeat("y", 100)}, "2026-11-22 10:15:04 =ERROR REPORT====\n" + core.Truncate(strings.Repeat("y", 100), 40) + "\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &handlers.CrashFormatter{MsgSize: tc.msgSize, Location: time.UTC}
			assert.Equal(t, tc.want, string(f.Format(nil, tc.e)))
		})
	}
}

func TestIsCrash(t *testing.T) {
	for _, tc := range []struct {
		report any
		want   bool
	}{
		{&actors.CrashReport{}, true},
		{&supervision.ChildStartFailed{}, true},
		{&supervision.ShutdownError{}, true},
		{&supervision.MaxIntensityReached{}, true},
		{&supervision.ChildTerminated{Reason: errors.New("x")}, true},
		{&supervision.ChildTerminated{Reason: supervision.ErrNormal}, false},
		{&supervision.ChildTerminated{Reason: supervision.ErrShutdown}, false},
		{&supervision.ChildStarted{}, false},
		{&supervision.ChildRestarted{}, false},
		{"a string", false},
		{nil, false},
	} {
		assert.Equal(t, tc.want, handlers.IsCrash(tc.report), "%T", tc.report)
	}
}
