package mailbox_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/internal/mailbox"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ev is a message the tests' mailboxes take in batches; any other type
// comes alone.
type ev int

func isEv(m any) bool { _, ok := m.(ev); return ok }

// recorder is an actor that records what it receives, one entry per
// Receive: "3" for an ev, "[1 2 3]" for a Batch, the value for anything
// else. entered, when set, is told each user message as it arrives; gate,
// when set, is then waited on; stopping gets what Close returned.
type recorder struct {
	mb       *mailbox.Mailbox
	mu       sync.Mutex
	got      []string
	gate     chan struct{}
	entered  chan any // told each user message before the gate, if set
	stopping chan []any
	panicOn  any
	worker   *actors.Worker
}

func (r *recorder) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started, *actor.Restarting, *actor.Stopped:
		if _, ok := m.(*actor.Stopped); ok && r.worker != nil {
			r.worker.Close()
		}
		return
	case *actor.Stopping:
		if r.stopping != nil {
			var left []any
			r.mb.Drain(func(m any) {
				if b, ok := m.(*mailbox.Batch); ok {
					left = append(left, b.Messages...)
				} else {
					left = append(left, m)
				}
			})
			r.stopping <- left
		}
		return
	}
	if r.entered != nil {
		r.entered <- c.Message()
	}
	if r.gate != nil {
		<-r.gate
	}
	entry := fmt.Sprint(c.Message())
	if b, ok := c.Message().(*mailbox.Batch); ok {
		entry = fmt.Sprint(b.Messages)
	}
	r.mu.Lock()
	r.got = append(r.got, entry)
	r.mu.Unlock()
	if r.panicOn != nil && c.Message() == r.panicOn {
		panic("poisoned")
	}
}

func (r *recorder) entries() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// spawn starts r with its own mailbox, on a Worker of its own when worker
// is true.
func spawn(t *testing.T, system *actor.ActorSystem, r *recorder, worker bool) *actor.PID {
	t.Helper()
	r.mb = mailbox.New(mailbox.Options{Batchable: isEv})
	opts := []actor.PropsOption{actor.WithMailbox(r.mb.Producer())}
	if worker {
		r.worker = actors.NewWorker(300)
		opts = append(opts, actor.WithDispatcher(r.worker))
	}
	return system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return r }, opts...))
}

func stop(t *testing.T, system *actor.ActorSystem, pid *actor.PID) {
	t.Helper()
	require.NoError(t, system.Root.StopFuture(pid).Wait())
}

// Consecutive events reach the actor as one batch, in order; anything
// else comes alone, between them, where it was posted.
func TestRunsOfEventsComeAsOneBatchInOrder(t *testing.T) {
	for _, worker := range []bool{false, true} {
		t.Run(fmt.Sprint("worker=", worker), func(t *testing.T) {
			system := actortest.NewSystem(t)
			r := &recorder{gate: make(chan struct{}), entered: make(chan any, 16)}
			pid := spawn(t, system, r, worker)
			system.Root.Send(pid, "first")
			<-r.entered // held at the gate while the rest is posted
			for _, m := range []any{ev(1), ev(2), ev(3), "flush", ev(4), "a", "b", ev(5)} {
				system.Root.Send(pid, m)
			}
			assert.Equal(t, 8, r.mb.Len(), "every message posted waits but the one in hand")
			close(r.gate)
			want := []string{"first", "[1 2 3]", "flush", "[4]", "a", "b", "[5]"}
			require.Eventually(t, func() bool { return len(r.entries()) == len(want) }, 5*time.Second, time.Millisecond)
			assert.Equal(t, want, r.entries())
			assert.Equal(t, 0, r.mb.Len(), "the last batch, in hand or handled, does not count")
			stop(t, system, pid)
		})
	}
}

// Of the delivery in hand, Len counts all but one entry, as Erlang's
// message_queue_len leaves out the message a process is handling and
// counts the rest: with a Batch of 5 held in Receive and 3 more posted
// behind it, Len is 4 + 3. The posters of the Batch still wait for it
// until it is handled; then nothing waits.
func TestABatchInHandCountsButOne(t *testing.T) {
	system := actortest.NewSystem(t)
	r := &recorder{gate: make(chan struct{}), entered: make(chan any, 1)}
	pid := spawn(t, system, r, true)
	system.Root.Send(pid, "held")
	<-r.entered // held at the gate while the events are posted
	var seqs []uint64
	postEv := func(i int) {
		t.Helper()
		seq, _, _, ok := r.mb.Post(ev(i), uint32(i))
		require.True(t, ok)
		seqs = append(seqs, seq)
	}
	for i := range 5 {
		postEv(i)
	}
	assert.Equal(t, 5, r.mb.Len())
	r.gate <- struct{}{}
	<-r.entered // the batch of 5 is in Receive, held at the gate
	assert.Equal(t, 4, r.mb.Len(), "the batch in hand counts but its first")
	for i := 5; i < 8; i++ {
		postEv(i)
	}
	assert.Equal(t, 4+3, r.mb.Len(), "the batch of 5 in hand counts 4")
	assert.Equal(t, 4+3, r.mb.UserMessageCount())
	for _, seq := range seqs {
		assert.NotNil(t, r.mb.Wake(seq), "entry %d is not handled yet", seq)
	}
	close(r.gate)
	settled(t, r.mb, seqs[len(seqs)-1])
	assert.Equal(t, []string{"held", "[0 1 2 3 4]", "[5 6 7]"}, r.entries())
	stop(t, system, pid)
}

// A stop goes before the user messages still queued, and Drain hands them
// to the stopping actor, in order; what is posted after is refused.
func TestAStopHandsBackWhatWasNotDelivered(t *testing.T) {
	system := actortest.NewSystem(t)
	var refusedMu sync.Mutex
	var refused []any
	r := &recorder{gate: make(chan struct{}), entered: make(chan any, 1), stopping: make(chan []any, 1)}
	r.mb = mailbox.New(mailbox.Options{Batchable: isEv,
		Refused: func(m any) { refusedMu.Lock(); refused = append(refused, m); refusedMu.Unlock() }})
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return r }, actor.WithMailbox(r.mb.Producer())))
	system.Root.Send(pid, "held")
	<-r.entered // "held" is being handled, and holds the actor at the gate
	for _, m := range []any{ev(1), "x", ev(2)} {
		system.Root.Send(pid, m)
	}
	stopped := system.Root.StopFuture(pid)
	// "held", in hand, does not count; the Stop, a system message, neither.
	require.Eventually(t, func() bool { return r.mb.Len() == 3 }, 5*time.Second, time.Millisecond)
	close(r.gate) // "held" returns; the Stop goes before the rest
	left := <-r.stopping
	require.NoError(t, stopped.Wait())
	assert.Equal(t, []any{ev(1), "x", ev(2)}, left)
	assert.Equal(t, []string{"held"}, r.entries())
	assert.Equal(t, 0, r.mb.Len())
	r.mb.PostUserMessage(ev(3)) // as a Send racing with the stop would
	refusedMu.Lock()
	defer refusedMu.Unlock()
	assert.Equal(t, []any{ev(3)}, refused)
}

// A message that panics is lost, counted as handled; the actor is
// restarted and the messages after it are delivered.
func TestAPanicLosesOnlyItsMessage(t *testing.T) {
	system := actortest.NewSystem(t)
	r := &recorder{panicOn: "poison", gate: make(chan struct{}), entered: make(chan any, 8)}
	pid := spawn(t, system, r, true)
	system.Root.Send(pid, "a")
	<-r.entered // held at the gate while the rest is posted: one take
	for _, m := range []any{"poison", "b", ev(1), ev(2)} {
		system.Root.Send(pid, m)
	}
	close(r.gate)
	require.Eventually(t, func() bool { return len(r.entries()) == 4 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, []string{"a", "poison", "b", "[1 2]"}, r.entries())
	require.Eventually(t, func() bool { return r.mb.Len() == 0 }, 5*time.Second, time.Millisecond)
	stop(t, system, pid)
}

// Requests are never in a batch: the actor's context sees their sender.
func TestRequestsComeAloneWithTheirSender(t *testing.T) {
	system := actortest.NewSystem(t)
	mb := mailbox.New(mailbox.Options{Batchable: func(any) bool { return true }}) // even a rule that takes everything
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch c.Message().(type) {
		case string:
			c.Respond("pong")
		case *mailbox.Batch:
		}
	}, actor.WithMailbox(mb.Producer())))
	got, err := system.Root.RequestFuture(pid, "ping", 5*time.Second).Result()
	require.NoError(t, err)
	assert.Equal(t, "pong", got)
	stop(t, system, pid)
}

// Many posters at once: every message is delivered once, each poster's in
// the order it posted them, and Len ends at zero.
func TestManyPostersLoseNothing(t *testing.T) {
	const posters, each = 8, 2000
	system := actortest.NewSystem(t)
	var mu sync.Mutex
	next := make([]int, posters)
	var bad []string
	mb := mailbox.New(mailbox.Options{Batchable: func(m any) bool { _, ok := m.([2]int); return ok }})
	seen := func(m any) {
		v := m.([2]int)
		if next[v[0]] != v[1] {
			bad = append(bad, fmt.Sprintf("poster %d: got %d, want %d", v[0], v[1], next[v[0]]))
		}
		next[v[0]] = v[1] + 1
	}
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		mu.Lock()
		defer mu.Unlock()
		switch m := c.Message().(type) {
		case *mailbox.Batch:
			for _, x := range m.Messages {
				seen(x)
			}
		case [2]int:
			seen(m)
		}
	}, actor.WithMailbox(mb.Producer())))
	var wg sync.WaitGroup
	for p := range posters {
		wg.Go(func() {
			for i := range each {
				system.Root.Send(pid, [2]int{p, i})
			}
		})
	}
	wg.Wait()
	require.Eventually(t, func() bool { return mb.Len() == 0 }, 10*time.Second, time.Millisecond)
	stop(t, system, pid) // after the delivery in hand, which Len leaves out
	assert.Equal(t, 0, mb.Len())
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, bad)
	for p, n := range next {
		assert.Equal(t, each, n, "poster %d", p)
	}
}
