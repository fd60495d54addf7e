package mailbox

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// Batch is a run of consecutive user messages that the mailbox's batch
// rule took (see New), handed to the actor as one message, in the order
// they were posted. The actor must not keep Messages: the mailbox reuses
// the slice once Receive returns.
type Batch struct {
	Messages []any
}

// Mailbox is a Proto.Actor mailbox (actor.Mailbox) whose queue is the
// actor's whole queue: every user message posted and not yet handled,
// counted in one atomic (Len). System messages (Stop, Watch, a failure's
// Restart) go first, as in Proto.Actor's own mailbox.
//
// User messages are taken all at once, in the order they were posted,
// under one lock, and delivered in order; consecutive messages that the
// batch rule takes reach the actor as one *Batch, the others one by one
// (a request, whose sender the actor's context must see, is never in a
// batch). A message counts in Len until the actor has handled it: while
// the actor handles a Batch, all of its messages count.
//
// Close refuses what is posted after it, and returns what the mailbox held
// and never delivered, so that its owner can count it: a stopping actor's
// queue is never lost unseen.
type Mailbox struct {
	batchable func(any) bool
	refused   func(any)

	mu     sync.Mutex
	user   []any // posted, not taken
	spare  []any // the slice taken last, emptied for reuse
	system []any
	closed bool

	// taken is the slice being delivered, from at on; delivering is how
	// many messages the actor is handling, and batch the Batch it is
	// handed. They are the run loop's alone (Close runs on it).
	taken      []any
	at         int
	delivering int32
	batch      Batch

	userN     atomic.Int32 // posted and not yet handled
	sysN      atomic.Int32
	running   atomic.Bool
	suspended atomic.Bool

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
}

var _ actor.Mailbox = (*Mailbox)(nil)

// New returns an empty mailbox. batchable says which user messages may
// travel in a Batch (nil: none); refused, if not nil, is given each
// message posted after Close, on the poster's goroutine.
func New(batchable func(any) bool, refused func(any)) *Mailbox {
	return &Mailbox{batchable: batchable, refused: refused}
}

// Producer returns a producer that builds m, for actor.WithMailbox. A
// mailbox serves one actor: its Props must be spawned once.
func (m *Mailbox) Producer() actor.MailboxProducer {
	return func() actor.Mailbox { return m }
}

// keepCap is the largest emptied slice kept for reuse: after a flood the
// mailbox does not hold on to the flood's memory.
const keepCap = 4096

// PostUserMessage implements actor.Mailbox.
func (m *Mailbox) PostUserMessage(msg any) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		if m.refused != nil {
			m.refused(msg)
		}
		return
	}
	m.user = append(m.user, msg)
	m.userN.Add(1)
	m.mu.Unlock()
	m.schedule()
}

// PostSystemMessage implements actor.Mailbox.
func (m *Mailbox) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.system = append(m.system, msg)
	m.sysN.Add(1)
	m.mu.Unlock()
	m.schedule()
}

// RegisterHandlers implements actor.Mailbox.
func (m *Mailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.invoker, m.dispatcher = invoker, dispatcher
}

// Start implements actor.Mailbox.
func (m *Mailbox) Start() {}

// UserMessageCount implements actor.Mailbox: Len.
func (m *Mailbox) UserMessageCount() int { return m.Len() }

// Len returns how many user messages were posted and not yet handled: one
// atomic load, from any goroutine.
func (m *Mailbox) Len() int { return int(m.userN.Load()) }

// Close refuses every message posted from now on and returns, in order,
// the user messages posted and not delivered. It is for the actor itself,
// called while it stops (on *actor.Stopping or *actor.Stopped), so that
// nothing it held is lost uncounted; it may be called again, returning
// nothing more.
func (m *Mailbox) Close() []any {
	m.mu.Lock()
	m.closed = true
	rest := m.taken[m.at:]
	left := make([]any, 0, len(rest)+len(m.user))
	left = append(append(left, rest...), m.user...)
	m.user = nil
	m.mu.Unlock()
	clear(rest)
	m.taken = m.taken[:m.at]
	m.userN.Add(-int32(len(left)))
	return left
}

func (m *Mailbox) schedule() {
	if m.running.CompareAndSwap(false, true) {
		m.dispatcher.Schedule(m.process)
	}
}

func (m *Mailbox) process() {
	for {
		m.run()
		m.running.Store(false)
		// A message posted after run found the queues empty, and before
		// running was cleared, scheduled nothing: look again.
		if m.sysN.Load() == 0 && (m.suspended.Load() || m.userN.Load() == 0) {
			return
		}
		if !m.running.CompareAndSwap(false, true) {
			return
		}
	}
}

// run delivers system messages first, then user messages, until both are
// empty or the mailbox is suspended, yielding every Throughput deliveries.
// A panic escapes Receive only from a user message (Proto.Actor recovers
// its own), which counts as handled, and goes to the actor's supervisor.
func (m *Mailbox) run() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.handled()
			m.invoker.EscalateFailure(r, msg)
		}
	}()
	n, throughput := 0, m.dispatcher.Throughput()
	for {
		if n++; n > throughput {
			n = 0
			runtime.Gosched()
		}
		if m.sysN.Load() > 0 {
			msg = m.popSystem()
			switch msg.(type) {
			case *actor.SuspendMailbox:
				m.suspended.Store(true)
			case *actor.ResumeMailbox:
				m.suspended.Store(false)
			default:
				m.invoker.InvokeSystemMessage(msg)
			}
			continue
		}
		if m.suspended.Load() {
			return
		}
		if m.at == len(m.taken) && !m.take() {
			return
		}
		msg = m.next()
		m.invoker.InvokeUserMessage(msg)
		m.handled()
	}
}

func (m *Mailbox) popSystem() any {
	m.mu.Lock()
	msg := m.system[0]
	m.system[0] = nil
	m.system = m.system[1:]
	m.mu.Unlock()
	m.sysN.Add(-1)
	return msg
}

// take moves every posted user message to taken; false if there is none.
func (m *Mailbox) take() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.user) == 0 {
		return false
	}
	old := m.taken
	m.taken, m.at = m.user, 0
	m.user, m.spare = m.spare, nil
	if cap(old) <= keepCap {
		clear(old[:cap(old)]) // keeps no message alive
		m.spare = old[:0]
	}
	return true
}

// next returns the next user message of taken to deliver, or a Batch of
// the run of batchable ones it starts, and moves past it; handled takes
// it out of Len once delivered.
func (m *Mailbox) next() any {
	from := m.at
	msg := m.taken[from]
	m.at++
	if m.batches(msg) {
		for m.at < len(m.taken) && m.batches(m.taken[m.at]) {
			m.at++
		}
		m.batch.Messages = m.taken[from:m.at:m.at]
		msg = &m.batch
	}
	m.delivering = int32(m.at - from)
	return msg
}

// batches says whether msg may travel in a Batch: the batch rule takes it,
// and it is not a request (an envelope with its sender).
func (m *Mailbox) batches(msg any) bool {
	if _, request := msg.(*actor.MessageEnvelope); request || m.batchable == nil {
		return false
	}
	return m.batchable(msg)
}

// handled takes the messages last delivered out of Len.
func (m *Mailbox) handled() {
	m.userN.Add(-m.delivering)
	m.delivering = 0
	m.batch.Messages = nil
}
