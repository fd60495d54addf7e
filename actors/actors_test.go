package actors_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const deadline = actortest.Deadline

func waitCtx(t *testing.T) context.Context { return actortest.Context(t) }

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(deadline):
		t.Fatalf("no %T arrived", *new(T))
		panic("unreachable")
	}
}

type job struct{ ID int }

type boom struct {
	when     string
	panicked bool
	behavior actor.Behavior
}

func (b *boom) Receive(c actor.Context) {
	if len(b.behavior) > 0 {
		b.behavior.Receive(c)
		return
	}
	switch m := c.Message().(type) {
	case *actor.Started:
		if b.when == "started" {
			panic("bad init")
		}
	case *actor.Stopping:
		if b.when == "stopping" && !b.panicked {
			// Once only: Proto.Actor restarts a root actor whose Stopping
			// panics, and one that always panicked would never stop.
			b.panicked = true
			panic("bad cleanup")
		}
	case string:
		if m == "become" {
			b.behavior.Become(func(c actor.Context) {
				if _, ok := c.Message().(*job); ok {
					var s []int
					_ = s[5] // runtime error inside a behaviour
				}
			})
		}
	case *job:
		if b.when == "receive" {
			panic(errors.New("job failed"))
		}
	}
}

func spawn(t *testing.T, system *actor.ActorSystem, a actor.Actor) *actor.PID {
	t.Helper()
	props := actor.PropsFromProducer(func() actor.Actor { return a },
		actor.WithReceiverMiddleware(actors.CrashReporter()),
		actor.WithSupervisor(actor.NewOneForOneStrategy(0, 0, func(any) actor.Directive { return actor.StopDirective })))
	pid := system.Root.Spawn(props)
	t.Cleanup(func() {
		// An actor whose Stopping handler panics never finishes stopping
		// (a Proto.Actor trait), so the clean-up is bounded.
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_ = actors.StopNow(ctx, system, pid)
	})
	return pid
}

// reportFor returns the next crash report about pid.
func reportFor(t *testing.T, reports <-chan *actors.CrashReport, pid *actor.PID) *actors.CrashReport {
	t.Helper()
	for {
		if r := recv(t, reports); r.Actor != nil && r.Actor.Id == pid.Id {
			return r
		}
	}
}

func TestCrashReporterReportsEveryPhase(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[*actors.CrashReport](t, system, 64)

	t.Run("receive", func(t *testing.T) {
		sender := system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
		defer system.Root.Stop(sender)
		pid := spawn(t, system, &boom{when: "receive"})
		system.Root.RequestWithCustomSender(pid, &job{ID: 7}, sender)
		r := reportFor(t, reports, pid)
		assert.Equal(t, actors.PhaseReceive, r.Phase)
		assert.Equal(t, pid.Id, r.Actor.Id)
		assert.Equal(t, "*actors_test.boom", r.ActorType)
		assert.Equal(t, &job{ID: 7}, r.Message)
		assert.Equal(t, sender.Id, r.Sender.Id)
		assert.EqualError(t, r.Reason.(error), "job failed")
		assert.Contains(t, r.Stack, "actors_test.(*boom).Receive")
		assert.NotContains(t, r.Stack, "protoactor-go")
		assert.NotContains(t, r.Stack, "runtime.gopanic")
		assert.Contains(t, r.String(), "last message: *actors_test.job &{ID:7} (from "+actors.PIDString(sender)+")")
	})
	t.Run("started", func(t *testing.T) {
		pid := spawn(t, system, &boom{when: "started"})
		r := reportFor(t, reports, pid)
		assert.Equal(t, actors.PhaseStarted, r.Phase)
		assert.Equal(t, "bad init", r.Reason)
	})
	t.Run("stopping", func(t *testing.T) {
		pid := spawn(t, system, &boom{when: "stopping"})
		system.Root.Stop(pid)
		r := reportFor(t, reports, pid)
		assert.Equal(t, actors.PhaseStopping, r.Phase)
	})
	t.Run("become", func(t *testing.T) {
		pid := spawn(t, system, &boom{})
		system.Root.Send(pid, "become")
		system.Root.Send(pid, &job{ID: 1})
		r := reportFor(t, reports, pid)
		assert.Equal(t, actors.PhaseReceive, r.Phase)
		assert.Contains(t, actors.SafeSprint(r.Reason), "index out of range [5] with length 0")
		assert.Contains(t, r.Stack, "actors_test.(*boom).Receive.func1")
	})
}

func TestCrashReporterKeepsSupervisionAndCountsRestarts(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[*actors.CrashReport](t, system, 16)
	reasons := make(chan any, 16)
	parent := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(*actor.Started); ok {
			c.Spawn(actor.PropsFromProducer(func() actor.Actor { return &boom{when: "receive"} },
				actor.WithReceiverMiddleware(actors.CrashReporter())))
		}
		if s, ok := c.Message().(string); ok && s == "kick" {
			c.Send(c.Children()[0], &job{})
		}
	}, actor.WithSupervisor(actor.NewOneForOneStrategy(10, time.Minute, func(reason any) actor.Directive {
		reasons <- reason
		return actor.RestartDirective
	}))))
	defer func() { require.NoError(t, actors.StopGracefully(waitCtx(t), system, parent)) }()

	for i := range 3 {
		system.Root.Send(parent, "kick")
		r := recv(t, reports)
		assert.Equal(t, i, r.Restarts)
		reason := recv(t, reasons)
		var pe *actors.PanicError
		require.ErrorAs(t, reason.(error), &pe, "the supervisor sees the panic as a *PanicError")
		assert.EqualError(t, pe, "job failed")
		assert.Contains(t, pe.Stack, "(*boom).Receive")
	}
}

func TestGoAndSafeReportPanics(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[*actors.CrashReport](t, system, 4)

	task := actors.Go(system, "fetcher", func() { panic("lost connection") })
	err := task.Wait(waitCtx(t))
	var pe *actors.PanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "lost connection", pe.Value)
	r := recv(t, reports)
	assert.Equal(t, actors.PhaseGoroutine, r.Phase)
	assert.Equal(t, "fetcher", r.Goroutine)
	assert.Contains(t, r.Stack, "TestGoAndSafeReportPanics")
	assert.True(t, strings.HasPrefix(r.String(), `goroutine "fetcher" panicked: lost connection`))

	ok := actors.Go(system, "fine", func() {})
	assert.NoError(t, ok.Wait(waitCtx(t)))
	assert.NoError(t, actors.Safe(system, "cb", func() {})())
}

type badStringer struct{}

func (badStringer) String() string { panic("no") }

func TestSafeSprintNeverPanics(t *testing.T) {
	pe := &actors.PanicError{Value: badStringer{}}
	assert.Contains(t, pe.Error(), "PANIC")
	assert.Equal(t, "<nil>", actors.PIDString(nil))
	assert.Equal(t, "<nil>", actors.TypeName(nil))
}

func TestGaugeCountsQueuedMessages(t *testing.T) {
	system := actortest.NewSystem(t)
	var g actors.Gauge
	assert.Equal(t, 0, g.Len(), "no mailbox yet")
	gate := make(chan struct{})
	entered := make(chan struct{}, 1)
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(int); ok {
			select {
			case entered <- struct{}{}:
			default:
			}
			<-gate
		}
	}, actor.WithMailbox(g.Mailbox(nil))))
	system.Root.Send(pid, 0)
	recv(t, entered)
	for i := 1; i <= 100; i++ {
		system.Root.Send(pid, i)
	}
	assert.Equal(t, 100, g.Len(), "the message in hand is not counted")
	close(gate)
	require.NoError(t, actors.StopGracefully(waitCtx(t), system, pid))
	assert.Equal(t, 0, g.Len())
}

func TestCall(t *testing.T) {
	system := actortest.NewSystem(t)
	echo := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if s, ok := c.Message().(string); ok {
			c.Respond("echo:" + s)
		}
	}))
	reply, err := actors.Call(waitCtx(t), system, echo, "hi")
	require.NoError(t, err)
	assert.Equal(t, "echo:hi", reply)

	require.NoError(t, actors.StopNow(waitCtx(t), system, echo))
	_, err = actors.Call(waitCtx(t), system, echo, "hi")
	assert.ErrorIs(t, err, actors.ErrNoActor)

	// A target that stops without answering (its queue dropped) ends the
	// call at once.
	busy := make(chan struct{})
	entered := make(chan struct{})
	slow := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if c.Message() == "block" {
			close(entered)
			<-busy
		}
	}))
	system.Root.Send(slow, "block")
	<-entered
	answered := make(chan error, 1)
	go func() { _, err := actors.Call(waitCtx(t), system, slow, "hi"); answered <- err }()
	system.Root.Stop(slow)
	close(busy)
	assert.ErrorIs(t, recv(t, answered), actors.ErrNoActor)

	mute := system.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}))
	defer system.Root.Stop(mute)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = actors.Call(ctx, system, mute, "hi")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestStopGracefullyDrainsTheQueue(t *testing.T) {
	system := actortest.NewSystem(t)
	gate := make(chan struct{})
	var handled []int
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if n, ok := c.Message().(int); ok {
			if n == 0 {
				<-gate
			}
			handled = append(handled, n)
		}
	}))
	for i := range 50 {
		system.Root.Send(pid, i)
	}
	done := make(chan error, 1)
	go func() { done <- actors.StopGracefully(waitCtx(t), system, pid) }()
	close(gate)
	require.NoError(t, recv(t, done))
	assert.Len(t, handled, 50, "every queued message was handled before the stop")

	// Stopping an actor that is gone already returns at once.
	require.NoError(t, actors.StopGracefully(waitCtx(t), system, pid))

	// A context that ends first is reported.
	stuck := make(chan struct{})
	slow := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(int); ok {
			<-stuck
		}
	}))
	system.Root.Send(slow, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, actors.StopGracefully(ctx, system, slow), context.DeadlineExceeded)
	close(stuck)
	require.NoError(t, actors.StopGracefully(waitCtx(t), system, slow))
}

// A panic value or a last message that contains itself through a slice
// or a map would make fmt recurse until the stack overflows, a crash no
// recover can catch: the reports' text renders it instead.
func TestSafeSprintOfCyclicValues(t *testing.T) {
	self := []any{1, nil}
	self[1] = self
	m := map[string]any{"k": 1}
	m["self"] = m
	pe := &actors.PanicError{Value: self}
	assert.Equal(t, "[1 <cycle>]", pe.Error())
	r := &actors.CrashReport{Reason: self, Message: m, ActorType: "*main.worker"}
	assert.Contains(t, r.String(), "last message: map[string]interface {} map[k:1 self:<cycle>]")
	assert.Equal(t, "[1 <cycle>]", actors.SafeSprint(self))
}
