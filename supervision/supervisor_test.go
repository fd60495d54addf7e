package supervision_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const deadline = actortest.Deadline

func bg(t *testing.T) context.Context { return actortest.Context(t) }

// Commands a test worker understands.
type (
	cmdPanic struct{}
	cmdExit  struct{ reason error }
	cmdCount struct{}
	cmdBlock struct{ until chan struct{} }
)

// probe records what test workers do, in order, as "start:a", "stop:a",
// "count:a". Supervisors act synchronously, so the order is deterministic.
type probe struct {
	events chan string
}

func newProbe() *probe { return &probe{events: make(chan string, 1024)} }

// worker is a test child. failStarts makes its next Started handlers panic;
// hang makes its Stopping handler block; panicStop makes it panic.
type worker struct {
	p          *probe
	id         string
	failStarts *atomic.Int32
	hang       chan struct{}
	panicStop  bool
}

func (w *worker) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		if w.failStarts != nil && w.failStarts.Add(-1) >= 0 {
			w.p.events <- "failstart:" + w.id
			panic("cannot start " + w.id)
		}
		w.p.events <- "start:" + w.id
	case *actor.Stopping:
		w.p.events <- "stop:" + w.id
		if w.hang != nil {
			<-w.hang
		}
		if w.panicStop {
			panic("cannot stop " + w.id)
		}
	case cmdPanic:
		panic(fmt.Errorf("%s crashed", w.id))
	case cmdExit:
		supervision.Exit(c, m.reason)
	case cmdCount:
		w.p.events <- "count:" + w.id
	case cmdBlock:
		<-m.until
	}
}

type option func(*worker)

func (p *probe) child(id string, restart supervision.RestartType, opts ...option) supervision.ChildSpec {
	return supervision.ChildSpec{ID: id, Restart: restart, Props: p.props(id, opts...)}
}

func (p *probe) props(id string, opts ...option) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		w := &worker{p: p, id: id}
		for _, o := range opts {
			o(w)
		}
		return w
	})
}

// expect reads the next events and compares them with want, in order.
func (p *probe) expect(t *testing.T, want ...string) {
	t.Helper()
	got := make([]string, 0, len(want))
	for range want {
		select {
		case e := <-p.events:
			got = append(got, e)
		case <-time.After(deadline):
			t.Fatalf("got events %v, want %v", got, want)
		}
	}
	require.Equal(t, want, got)
}

// quiet asserts that no event is pending.
func (p *probe) quiet(t *testing.T) {
	t.Helper()
	select {
	case e := <-p.events:
		t.Fatalf("unexpected event %q", e)
	default:
	}
}

// nextReport returns the next report of type T, skipping others.
func nextReport[T supervision.Report](t *testing.T, reports <-chan supervision.Report) T {
	t.Helper()
	timeout := time.After(deadline)
	for {
		select {
		case r := <-reports:
			if v, ok := r.(T); ok {
				return v
			}
		case <-timeout:
			var zero T
			t.Fatalf("no %T report", zero)
			return zero
		}
	}
}

func start(t *testing.T, system *actor.ActorSystem, spec supervision.Spec) *supervision.Supervisor {
	t.Helper()
	sup, err := supervision.Start(bg(t), system, spec)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, sup.Stop(context.Background())) })
	return sup
}

func pidOf(t *testing.T, sup *supervision.Supervisor, id string) *actor.PID {
	t.Helper()
	children, err := sup.WhichChildren(bg(t))
	require.NoError(t, err)
	for _, c := range children {
		if c.ID == id {
			return c.PID
		}
	}
	t.Fatalf("no child %q in %v", id, children)
	return nil
}

func ids(children []supervision.Child) []string {
	out := make([]string, len(children))
	for i, c := range children {
		out[i] = c.ID
		if c.PID == nil {
			out[i] += "(stopped)"
		}
	}
	return out
}

// awaitChildren asks sup for its children until they are want. An exit
// that is not reported publishes nothing to wait for, and a Terminated
// reaches the supervisor after the child's own Stopped: the supervisor's
// answers are the signal.
func whichChildren(t *testing.T, sup *supervision.Supervisor) []supervision.Child {
	t.Helper()
	children, err := sup.WhichChildren(bg(t))
	require.NoError(t, err)
	return children
}

func awaitChildren(t *testing.T, sup *supervision.Supervisor, want ...string) {
	t.Helper()
	ctx := bg(t)
	for {
		children, err := sup.WhichChildren(ctx)
		require.NoError(t, err)
		got := ids(children)
		if slices.Equal(got, want) {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("children %v, want %v", got, want)
		}
	}
}

func TestStartsInOrderAndStopsInReverse(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	sup, err := supervision.Start(bg(t), system, supervision.Spec{Name: "sup", Children: []supervision.ChildSpec{
		p.child("a", supervision.Permanent), p.child("b", supervision.Permanent), p.child("c", supervision.Permanent),
	}})
	require.NoError(t, err)
	p.expect(t, "start:a", "start:b", "start:c")
	assert.Equal(t, "sup/b", pidOf(t, sup, "b").Id)

	require.NoError(t, sup.Stop(bg(t)))
	p.expect(t, "stop:c", "stop:b", "stop:a")
	<-sup.Done()
	assert.NoError(t, sup.Err())
	_, err = sup.WhichChildren(bg(t))
	assert.ErrorIs(t, err, supervision.ErrNoSupervisor)
	assert.NoError(t, sup.Stop(bg(t)), "stopping twice is fine")
}

func TestOneForOneRestartsInPlaceKeepingTheMailbox(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[supervision.Report](t, system, 64)
	crashes := actortest.Collect[*actors.CrashReport](t, system, 8)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Name: "sup", Intensity: 5, Period: time.Minute, Children: []supervision.ChildSpec{
		p.child("a", supervision.Permanent), p.child("b", supervision.Permanent), p.child("c", supervision.Permanent),
	}})
	p.expect(t, "start:a", "start:b", "start:c")
	b := pidOf(t, sup, "b")

	gate := make(chan struct{})
	system.Root.Send(b, cmdBlock{until: gate})
	system.Root.Send(b, cmdPanic{})
	for range 3 {
		system.Root.Send(b, cmdCount{})
	}
	close(gate)
	p.expect(t, "start:b", "count:b", "count:b", "count:b")
	p.quiet(t)

	term := nextReport[*supervision.ChildTerminated](t, reports)
	assert.Equal(t, "b", term.ChildID)
	assert.Equal(t, cmdPanic{}, term.Message)
	var pe *actors.PanicError
	require.ErrorAs(t, term.Reason, &pe)
	assert.EqualError(t, pe, "b crashed")
	assert.Contains(t, pe.Stack, "(*worker).Receive", "every supervised child's panic carries its stack")
	assert.NotContains(t, pe.Stack, "actorlog/supervision.", "the supervisor's own frames are left out")

	rs := nextReport[*supervision.ChildRestarted](t, reports)
	assert.True(t, rs.InPlace)
	assert.Same(t, b, rs.PID)
	assert.Same(t, b, pidOf(t, sup, "b"), "restarted in place: the same PID")
	assert.Contains(t, rs.String(), `supervisor "sup" (nonhost/sup): child "b" (nonhost/sup/b) permanent worker restarted in place after: b crashed`)

	crash := <-crashes
	assert.Equal(t, "b", crash.Actor.Id[len("sup/"):])
	assert.Equal(t, "sup", crash.Parent.Id)
}

func TestOneForAll(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Strategy: supervision.OneForAll, Intensity: 5, Period: time.Minute, Children: []supervision.ChildSpec{
		p.child("a", supervision.Permanent), p.child("b", supervision.Permanent), p.child("c", supervision.Permanent),
	}})
	p.expect(t, "start:a", "start:b", "start:c")
	a, b := pidOf(t, sup, "a"), pidOf(t, sup, "b")
	system.Root.Send(b, cmdPanic{})
	// The others are terminated in reverse order, then all start in order;
	// the crashed one in place.
	p.expect(t, "stop:c", "stop:a", "start:a", "start:b", "start:c")
	assert.NotSame(t, a, pidOf(t, sup, "a"), "a sibling is a new actor")
	assert.Equal(t, "a~2", pidOf(t, sup, "a").Id[len("supervisor/"):])
	assert.Same(t, b, pidOf(t, sup, "b"))
}

func TestRestForOne(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Strategy: supervision.RestForOne, Intensity: 5, Period: time.Minute, Children: []supervision.ChildSpec{
		p.child("a", supervision.Permanent), p.child("b", supervision.Permanent),
		p.child("c", supervision.Permanent), p.child("d", supervision.Temporary),
	}})
	p.expect(t, "start:a", "start:b", "start:c", "start:d")
	a := pidOf(t, sup, "a")
	system.Root.Send(pidOf(t, sup, "b"), cmdExit{reason: errors.New("lost")})
	// b exited (it is gone already): d and c are terminated; b and c start
	// again; d, temporary, is not restarted and its spec is deleted.
	p.expect(t, "stop:b", "stop:d", "stop:c", "start:b", "start:c")
	children, err := sup.WhichChildren(bg(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, ids(children))
	assert.Same(t, a, pidOf(t, sup, "a"))
}

// TestRestartTypes follows OTP's supervisor: whether a child is restarted
// and its spec kept, and whether its exit is reported. A permanent child's
// every exit is reported; a normal or shutdown exit of a transient or
// temporary child is not, any other exit is.
func TestRestartTypes(t *testing.T) {
	abnormal := errors.New("disk full")
	tests := []struct {
		restart     supervision.RestartType
		cmd         any
		restarted   bool
		specRemains bool
		reported    bool
	}{
		{supervision.Permanent, cmdExit{}, true, true, true},
		{supervision.Permanent, cmdExit{reason: supervision.ErrShutdown}, true, true, true},
		{supervision.Permanent, cmdExit{reason: abnormal}, true, true, true},
		{supervision.Permanent, cmdPanic{}, true, true, true},
		{supervision.Transient, cmdExit{}, false, true, false},
		{supervision.Transient, cmdExit{reason: supervision.ErrShutdown}, false, true, false},
		{supervision.Transient, cmdExit{reason: fmt.Errorf("%w: done", supervision.ErrShutdown)}, false, true, false},
		{supervision.Transient, cmdExit{reason: abnormal}, true, true, true},
		{supervision.Transient, cmdPanic{}, true, true, true},
		{supervision.Temporary, cmdExit{}, false, false, false},
		{supervision.Temporary, cmdExit{reason: supervision.ErrShutdown}, false, false, false},
		{supervision.Temporary, cmdExit{reason: abnormal}, false, false, true},
		{supervision.Temporary, cmdPanic{}, false, false, true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%T%v", tc.restart, tc.cmd, tc.cmd), func(t *testing.T) {
			system := actortest.NewSystem(t)
			reports := actortest.Collect[supervision.Report](t, system, 64)
			p := newProbe()
			sup := start(t, system, supervision.Spec{Children: []supervision.ChildSpec{p.child("w", tc.restart)}})
			p.expect(t, "start:w")
			system.Root.Send(pidOf(t, sup, "w"), tc.cmd)
			if tc.reported {
				term := nextReport[*supervision.ChildTerminated](t, reports)
				if c, ok := tc.cmd.(cmdExit); ok && c.reason != nil {
					assert.ErrorIs(t, term.Reason, c.reason)
				}
				if c, ok := tc.cmd.(cmdExit); ok && c.reason == nil {
					assert.ErrorIs(t, term.Reason, supervision.ErrNormal)
				}
			}
			switch {
			case tc.restarted:
				nextReport[*supervision.ChildRestarted](t, reports)
				// A request is answered after the restart was handled.
				assert.Equal(t, []string{"w"}, ids(whichChildren(t, sup)))
			case tc.specRemains:
				awaitChildren(t, sup, "w(stopped)")
			default:
				awaitChildren(t, sup)
			}
			if !tc.reported { // reports are published before the answer
				for len(reports) > 0 {
					r := <-reports
					_, term := r.(*supervision.ChildTerminated)
					assert.False(t, term, "reported: %s", r)
				}
			}
		})
	}
}

func TestMaxIntensity(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[supervision.Report](t, system, 64)
	p := newProbe()
	sup, err := supervision.Start(bg(t), system, supervision.Spec{Intensity: 2, Period: time.Hour, Children: []supervision.ChildSpec{
		p.child("a", supervision.Permanent), p.child("b", supervision.Permanent), p.child("c", supervision.Permanent),
	}})
	require.NoError(t, err)
	p.expect(t, "start:a", "start:b", "start:c")
	b := pidOf(t, sup, "b")
	for range 2 { // exactly Intensity restarts are allowed
		system.Root.Send(b, cmdPanic{})
		p.expect(t, "start:b")
	}
	system.Root.Send(b, cmdPanic{}) // one more is not
	// The crashed child is stopped, then the others in reverse order.
	p.expect(t, "stop:b", "stop:c", "stop:a")
	select {
	case <-sup.Done():
	case <-time.After(deadline):
		t.Fatal("the supervisor did not terminate")
	}
	assert.ErrorIs(t, sup.Err(), supervision.ErrReachedMaxRestartIntensity)
	assert.ErrorIs(t, sup.Err(), supervision.ErrShutdown)
	mr := nextReport[*supervision.MaxIntensityReached](t, reports)
	assert.Equal(t, "b", mr.ChildID)
	assert.Equal(t, 2, mr.Intensity)
	assert.Contains(t, mr.String(), "reached max restart intensity (2 in 1h0m0s)")
}

func TestNestedEscalation(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[supervision.Report](t, system, 64)
	p := newProbe()
	mid := supervision.ChildSupervisor("mid", supervision.Spec{Intensity: 1, Period: time.Hour, Children: []supervision.ChildSpec{
		p.child("w", supervision.Permanent),
	}})
	root := start(t, system, supervision.Spec{Name: "root", Intensity: 3, Period: time.Hour, Children: []supervision.ChildSpec{
		p.child("first", supervision.Permanent), mid, p.child("last", supervision.Permanent),
	}})
	p.expect(t, "start:first", "start:w", "start:last")
	midPID := pidOf(t, root, "mid")
	w := pidOf(t, supervision.Of(system, midPID), "w")
	assert.Equal(t, "root/mid/w", w.Id)

	system.Root.Send(w, cmdPanic{})
	p.expect(t, "start:w")
	system.Root.Send(w, cmdPanic{}) // past mid's intensity: mid gives up
	p.expect(t, "stop:w", "start:w")
	mr := nextReport[*supervision.MaxIntensityReached](t, reports)
	assert.Equal(t, "mid", mr.SupervisorName)

	term := nextReport[*supervision.ChildTerminated](t, reports)
	for term.ChildID != "mid" {
		term = nextReport[*supervision.ChildTerminated](t, reports)
	}
	assert.Equal(t, "root", term.SupervisorName)
	assert.ErrorIs(t, term.Reason, supervision.ErrReachedMaxRestartIntensity)
	rs := nextReport[*supervision.ChildRestarted](t, reports)
	for rs.ChildID != "mid" {
		rs = nextReport[*supervision.ChildRestarted](t, reports)
	}
	assert.False(t, rs.InPlace)
	newMid := pidOf(t, root, "mid")
	assert.NotSame(t, midPID, newMid)
	assert.Equal(t, "root/mid~2/w", pidOf(t, supervision.Of(system, newMid), "w").Id)
	p.quiet(t) // first and last were not touched
}

// A supervisor under a plain Proto.Actor parent escalates by panicking, so
// the parent's own strategy decides.
func TestEscalationToAPlainParent(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	decided := make(chan any, 4)
	spec := supervision.Spec{Intensity: supervision.NoRestarts, Children: []supervision.ChildSpec{p.child("w", supervision.Permanent)}}
	parent := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(*actor.Started); ok {
			c.SpawnNamed(supervision.ChildSupervisor("sup", spec).Props, "sup")
		}
	}, actor.WithSupervisor(actor.NewOneForOneStrategy(10, time.Hour, func(reason any) actor.Directive {
		decided <- reason
		return actor.StopDirective
	}))))
	defer func() { require.NoError(t, actors.StopGracefully(bg(t), system, parent)) }()
	p.expect(t, "start:w")
	w, err := system.ProcessRegistry.GetLocal(parent.Id + "/sup/w")
	require.True(t, err)
	_ = w
	system.Root.Send(actor.NewPID(system.Address(), parent.Id+"/sup/w"), cmdPanic{})
	p.expect(t, "stop:w")
	select {
	case reason := <-decided:
		assert.ErrorIs(t, reason.(error), supervision.ErrReachedMaxRestartIntensity)
	case <-time.After(deadline):
		t.Fatal("the plain parent saw no failure")
	}
}

func TestStartFailureLeavesNothingRunning(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[supervision.Report](t, system, 64)
	p := newProbe()
	fails := new(atomic.Int32)
	fails.Store(1)
	_, err := supervision.Start(bg(t), system, supervision.Spec{Name: "sup", Children: []supervision.ChildSpec{
		p.child("a", supervision.Permanent), p.child("b", supervision.Permanent),
		p.child("c", supervision.Permanent, func(w *worker) { w.failStarts = fails }),
		p.child("d", supervision.Permanent),
	}})
	var se *supervision.StartError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "c", se.Child)
	assert.Equal(t, "sup", se.Supervisor)
	assert.Contains(t, err.Error(), `supervision: supervisor "sup": child "c" failed to start: cannot start c`)
	var pe *actors.PanicError
	assert.ErrorAs(t, err, &pe)
	// c failed (and is stopped), then b and a are terminated in reverse.
	p.expect(t, "start:a", "start:b", "failstart:c", "stop:c", "stop:b", "stop:a")
	p.quiet(t)
	sf := nextReport[*supervision.ChildStartFailed](t, reports)
	assert.Equal(t, "c", sf.ChildID)
	_, alive := system.ProcessRegistry.GetLocal("sup")
	assert.False(t, alive, "the supervisor is gone")
}

func TestNestedStartFailureNamesTheChild(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	bad := supervision.ChildSupervisor("pool", supervision.Spec{Children: []supervision.ChildSpec{{ID: "x"}}})
	_, err := supervision.Start(bg(t), system, supervision.Spec{Name: "root", Children: []supervision.ChildSpec{
		p.child("a", supervision.Permanent), bad,
	}})
	var se *supervision.StartError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "pool", se.Child)
	assert.ErrorIs(t, err, supervision.ErrInvalidSpec)
	p.expect(t, "start:a", "stop:a")
}

func TestShutdownTimeoutThenKill(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[supervision.Report](t, system, 64)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Children: []supervision.ChildSpec{
		{ID: "slow", Props: p.props("slow"), Shutdown: 20 * time.Millisecond},
	}})
	p.expect(t, "start:slow")
	slow := pidOf(t, sup, "slow")
	gate := make(chan struct{})
	system.Root.Send(slow, cmdBlock{until: gate})
	system.Root.Send(slow, cmdCount{}) // queued behind the block

	done := make(chan error, 1)
	go func() { done <- sup.TerminateChild(bg(t), "slow") }()
	se := nextReport[*supervision.ShutdownError](t, reports)
	assert.ErrorIs(t, se.Reason, supervision.ErrKilled)
	assert.Contains(t, se.String(), "did not stop within 20ms")
	close(gate) // the child returns from its handler and the kill takes effect
	require.NoError(t, <-done)
	p.expect(t, "stop:slow")
	p.quiet(t) // the queued message was dropped by the kill, not handled
	children, err := sup.WhichChildren(bg(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"slow(stopped)"}, ids(children))
}

func TestShutdownDrainsWithinTheTimeout(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Children: []supervision.ChildSpec{p.child("w", supervision.Permanent)}})
	p.expect(t, "start:w")
	w := pidOf(t, sup, "w")
	for range 5 {
		system.Root.Send(w, cmdCount{})
	}
	require.NoError(t, sup.TerminateChild(bg(t), "w"))
	p.expect(t, "count:w", "count:w", "count:w", "count:w", "count:w", "stop:w")
}

func TestPanicInStoppingIsReportedAndTheStopCompletes(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[supervision.Report](t, system, 64)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Children: []supervision.ChildSpec{
		p.child("w", supervision.Permanent, func(w *worker) { w.panicStop = true }),
	}})
	p.expect(t, "start:w")
	require.NoError(t, sup.TerminateChild(bg(t), "w"))
	p.expect(t, "stop:w")
	se := nextReport[*supervision.ShutdownError](t, reports)
	assert.Contains(t, se.Reason.Error(), "cannot stop w")
	_, alive := system.ProcessRegistry.GetLocal("supervisor/w")
	assert.False(t, alive)
}

func TestRuntimeAPI(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Children: []supervision.ChildSpec{p.child("a", supervision.Permanent)}})
	ctx := bg(t)
	p.expect(t, "start:a")

	pid, err := sup.StartChild(ctx, p.child("b", supervision.Transient))
	require.NoError(t, err)
	assert.Equal(t, "supervisor/b", pid.Id)
	p.expect(t, "start:b")
	_, err = sup.StartChild(ctx, p.child("b", supervision.Transient))
	assert.ErrorIs(t, err, supervision.ErrAlreadyStarted)

	require.NoError(t, sup.TerminateChild(ctx, "b"))
	p.expect(t, "stop:b")
	_, err = sup.StartChild(ctx, p.child("b", supervision.Transient))
	assert.ErrorIs(t, err, supervision.ErrAlreadyPresent)

	counts, err := sup.CountChildren(ctx)
	require.NoError(t, err)
	assert.Equal(t, supervision.Counts{Specs: 2, Active: 1, Workers: 2}, counts)

	assert.ErrorIs(t, sup.DeleteChild(ctx, "a"), supervision.ErrRunning)
	_, err = sup.RestartChild(ctx, "a")
	assert.ErrorIs(t, err, supervision.ErrRunning)
	pid, err = sup.RestartChild(ctx, "b")
	require.NoError(t, err)
	assert.Equal(t, "supervisor/b~2", pid.Id)
	p.expect(t, "start:b")

	require.NoError(t, sup.TerminateChild(ctx, "b"))
	p.expect(t, "stop:b")
	require.NoError(t, sup.DeleteChild(ctx, "b"))
	for _, err := range []error{
		sup.TerminateChild(ctx, "b"), sup.DeleteChild(ctx, "b"),
		func() error { _, err := sup.RestartChild(ctx, "b"); return err }(),
	} {
		assert.ErrorIs(t, err, supervision.ErrNotFound)
	}
	_, err = sup.StartChildArgs(ctx, 1)
	assert.ErrorIs(t, err, supervision.ErrSimpleOneForOne)
	_, err = sup.StartChild(ctx, supervision.ChildSpec{ID: "x"})
	assert.ErrorIs(t, err, supervision.ErrInvalidSpec)

	// A child that fails to start is not kept.
	fails := new(atomic.Int32)
	fails.Store(1)
	_, err = sup.StartChild(ctx, p.child("c", supervision.Permanent, func(w *worker) { w.failStarts = fails }))
	var se *supervision.StartError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "c", se.Child)
	p.expect(t, "failstart:c", "stop:c")
	children, err := sup.WhichChildren(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, ids(children))
}

func TestIgnore(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	ignoreStart := supervision.ChildSpec{ID: "lazy", Start: func([]any) (*actor.Props, error) { return nil, supervision.ErrIgnore }}
	ignoreInit := supervision.ChildSpec{ID: "shy", Props: actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(*actor.Started); ok {
			supervision.Exit(c, supervision.ErrIgnore)
		}
	})}
	sup := start(t, system, supervision.Spec{Children: []supervision.ChildSpec{ignoreStart, ignoreInit, p.child("a", supervision.Permanent)}})
	p.expect(t, "start:a")
	children, err := sup.WhichChildren(bg(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"lazy(stopped)", "shy(stopped)", "a"}, ids(children))
}

func TestSimpleOneForOne(t *testing.T) {
	system := actortest.NewSystem(t)
	reports := actortest.Collect[supervision.Report](t, system, 64)
	p := newProbe()
	sup := start(t, system, supervision.Spec{Name: "pool", Strategy: supervision.SimpleOneForOne, Intensity: 5, Period: time.Hour,
		Children: []supervision.ChildSpec{{ID: "conn", Restart: supervision.Transient, Start: func(args []any) (*actor.Props, error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("want 1 argument, got %d", len(args))
			}
			return p.props(fmt.Sprint(args[0])), nil
		}}}})
	p.quiet(t) // a simple_one_for_one supervisor starts no child by itself
	ctx := bg(t)
	c1, err := sup.StartChildArgs(ctx, "db")
	require.NoError(t, err)
	c2, err := sup.StartChildArgs(ctx, "cache")
	require.NoError(t, err)
	p.expect(t, "start:db", "start:cache")
	assert.Equal(t, "pool/conn-1", c1.Id)
	assert.Equal(t, "pool/conn-2", c2.Id)

	_, err = sup.StartChildArgs(ctx)
	var se *supervision.StartError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), "want 1 argument, got 0")

	system.Root.Send(c2, cmdPanic{})
	p.expect(t, "start:cache")
	system.Root.Send(c1, cmdExit{}) // transient, normal: deleted, not reported
	awaitChildren(t, sup, "conn-2")
	for len(reports) > 0 {
		if r, ok := (<-reports).(*supervision.ChildTerminated); ok {
			assert.NotEqual(t, "conn-1", r.ChildID, "a normal exit of a transient child is not reported")
		}
	}
	counts, err := sup.CountChildren(ctx)
	require.NoError(t, err)
	assert.Equal(t, supervision.Counts{Specs: 1, Active: 1, Workers: 1}, counts)

	require.NoError(t, sup.TerminateChild(ctx, "conn-2"))
	p.expect(t, "stop:db", "stop:cache")
	children, err := sup.WhichChildren(ctx)
	require.NoError(t, err)
	assert.Empty(t, children)
	_, err = sup.StartChild(ctx, p.child("x", supervision.Permanent))
	assert.ErrorIs(t, err, supervision.ErrSimpleOneForOne)
	assert.ErrorIs(t, sup.DeleteChild(ctx, "conn-1"), supervision.ErrSimpleOneForOne)
}

func TestFailedRestartCountsTowardsIntensity(t *testing.T) {
	system := actortest.NewSystem(t)
	p := newProbe()
	fails := new(atomic.Int32)
	sup, err := supervision.Start(bg(t), system, supervision.Spec{Intensity: 3, Period: time.Hour, Children: []supervision.ChildSpec{
		p.child("w", supervision.Permanent, func(w *worker) { w.failStarts = fails }),
	}})
	require.NoError(t, err)
	p.expect(t, "start:w")
	fails.Store(100) // from now on every start fails
	system.Root.Send(pidOf(t, sup, "w"), cmdPanic{})
	// The in-place restart and two more attempts fail; the fourth restart
	// is one too many.
	p.expect(t, "failstart:w", "failstart:w", "failstart:w", "stop:w")
	select {
	case <-sup.Done():
	case <-time.After(deadline):
		t.Fatal("the supervisor did not give up")
	}
	assert.ErrorIs(t, sup.Err(), supervision.ErrReachedMaxRestartIntensity)
}

func TestInvalidSpec(t *testing.T) {
	system := actortest.NewSystem(t)
	_, err := supervision.Start(bg(t), system, supervision.Spec{Children: []supervision.ChildSpec{{ID: "a"}, {ID: "a"}}})
	assert.ErrorIs(t, err, supervision.ErrInvalidSpec)
	p := newProbe()
	_ = start(t, system, supervision.Spec{Name: "taken"})
	_, err = supervision.Start(bg(t), system, supervision.Spec{Name: "taken", Children: []supervision.ChildSpec{p.child("a", supervision.Permanent)}})
	assert.ErrorIs(t, err, actor.ErrNameExists)
	p.quiet(t)
}

// Stopping a tree, or a supervisor giving up, sends nothing to a child
// that has already stopped: no dead letters.
func TestStoppingLeavesNoDeadLetters(t *testing.T) {
	t.Run("stop", func(t *testing.T) {
		system := actortest.NewSystem(t)
		dead := actortest.Collect[*actor.DeadLetterEvent](t, system, 64)
		p := newProbe()
		sup := start(t, system, supervision.Spec{Name: "root", Children: []supervision.ChildSpec{
			p.child("a", supervision.Permanent),
			supervision.ChildSupervisor("inner", supervision.Spec{Children: []supervision.ChildSpec{
				p.child("b", supervision.Permanent), p.child("c", supervision.Permanent)}}),
			p.child("d", supervision.Permanent),
		}})
		p.expect(t, "start:a", "start:b", "start:c", "start:d")
		require.NoError(t, sup.Stop(bg(t)))
		p.expect(t, "stop:d", "stop:c", "stop:b", "stop:a")
		for len(dead) > 0 {
			d := <-dead
			t.Errorf("dead letter to %s: %T", d.PID, d.Message)
		}
	})
	t.Run("give up", func(t *testing.T) {
		system := actortest.NewSystem(t)
		dead := actortest.Collect[*actor.DeadLetterEvent](t, system, 64)
		p := newProbe()
		sup := start(t, system, supervision.Spec{Intensity: 1, Period: time.Hour, Children: []supervision.ChildSpec{
			p.child("a", supervision.Permanent), p.child("b", supervision.Permanent)}})
		p.expect(t, "start:a", "start:b")
		b := pidOf(t, sup, "b")
		system.Root.Send(b, cmdPanic{})
		p.expect(t, "start:b")
		system.Root.Send(b, cmdPanic{}) // one restart too many
		select {
		case <-sup.Done():
		case <-bg(t).Done():
			t.Fatal("the supervisor did not terminate")
		}
		require.ErrorIs(t, sup.Err(), supervision.ErrReachedMaxRestartIntensity)
		for len(dead) > 0 {
			d := <-dead
			t.Errorf("dead letter to %s: %T", d.PID, d.Message)
		}
	})
}
