package mailbox

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/actorlog/actorlog/core"
	"github.com/asynkron/protoactor-go/actor"
)

// Line is a line of a Page: where it ends in the page's Text, and the
// time and level of its event.
type Line struct {
	End   int
	Time  time.Time
	Level core.Level
}

// Page is a run of consecutive lines (PostLine), handed to the actor as
// one message, in the order they were posted: Text holds them one after
// another, Lines says where each ends, Levels has each line's level bit.
//
// The actor sets Done to i+1 before it writes line i: if it panics, line
// i is lost (the crash names it) and the lines after it come again, first,
// once the actor is restarted. The actor must not keep a Page: the mailbox
// reuses its memory once Receive returns.
type Page struct {
	Text   []byte
	Lines  []Line
	Levels core.Mask
	Done   int
}

// Line returns line i of p.
func (p *Page) Line(i int) []byte {
	start := 0
	if i > 0 {
		start = p.Lines[i-1].End
	}
	return p.Text[start:p.Lines[i].End]
}

// Batch is a run of consecutive user messages that the batch rule takes
// (Options.Batchable), handed to the actor as one message, in the order
// they were posted. Done is as in Page: set to i+1 before handling
// message i, it keeps the messages after one that panicked for after the
// restart. The actor must not keep Messages: the mailbox reuses the slice
// once Receive returns.
type Batch struct {
	Messages []any
	Done     int
}

// Options tune a Mailbox.
type Options struct {
	// Batchable says which user messages may travel in a Batch (nil:
	// none). A request (an envelope with its sender) never does.
	Batchable func(any) bool
	// Refused, if not nil, is given each message sent (PostUserMessage)
	// after the mailbox was closed, on the sender's goroutine.
	Refused func(any)
	// Handled, if not nil, is called on the actor's goroutine after each
	// user message, Page or Batch the actor handled.
	Handled func()
}

// Mailbox is a Proto.Actor mailbox (actor.Mailbox) whose queue is the
// actor's whole queue: lines formatted by the posters (PostLine) and
// messages (Post, or Proto.Actor's Send), numbered from one count as they
// are posted, delivered in that order, and counted until handled, but for
// the first entry of the delivery in hand (Len, two atomic loads).
// System messages (Stop, Watch, a failure's Restart) go first, as in
// Proto.Actor's own mailbox.
//
// It is cut in shards, each with its own lock and memory, so that posters
// on different processors share no lock and copy their lines to different
// memory: a poster names the shard (its event's home, core.Event.Home);
// they share only the count that numbers the entries. The actor's
// goroutine takes every shard at once, with all their locks held, and
// merges them by number; consecutive lines reach the actor as one *Page,
// consecutive messages that Options.Batchable takes as one *Batch (each at
// most MaxDelivery), the others one by one.
//
// A poster may wait for what it posted (Wake, with the number Post or
// PostLine returned), as a caller in sync mode does. Kill and Drop close
// the mailbox and drop what the actor has not been handed, for a killer
// or an exit after failures, and wake the posters waiting for it
// (Dropped); Drain, as the actor stops, closes it and hands the actor
// what is left. What is posted after either is refused.
type Mailbox struct {
	// shards and opts are read by every poster and written by none: a
	// cache line of their own.
	shards []shard
	opts   Options
	_      [64 - (unsafe.Sizeof([]shard{})+unsafe.Sizeof(Options{}))%64]byte

	// put counts the entries ever posted, numbering them. Entries are
	// handled in the order they were numbered.
	put atomic.Uint64
	_   [56]byte
	// running: the run loop is scheduled or running.
	running atomic.Bool
	_       [63]byte
	// gone counts the entries ever taken by the actor or dropped (Kill,
	// Drop): put - gone wait. It goes up by one as a delivery is handed
	// over (the entry the actor handles first), and by the rest once the
	// delivery is handled (of a Page or Batch that panicked, by what was
	// handled: the rest waits again). Posters read it at every post: the
	// actor writes it twice per delivery, on a cache line of its own.
	gone atomic.Uint64
	_    [56]byte

	// finished counts the entries ever handled, in order: entry k is
	// handled once finished >= k (Wake).
	finished atomic.Uint64
	// dropFrom is the number of the first entry dropped (0: none); every
	// entry from it on was dropped. exited: Drop, not Kill, dropped them.
	dropFrom atomic.Uint64
	exited   atomic.Bool

	smu    sync.Mutex
	system []any
	sysN   atomic.Int32

	suspended atomic.Bool

	// The take, under tmu (the run loop's, and Kill's): the entries taken
	// from the shards, merged in order, from at on not delivered; their
	// lines' text and marks; the shards' pages taken last, for reuse.
	tmu   sync.Mutex
	taken uint64 // entries ever taken from the shards
	items []entry
	at    int
	// itemMsgs: some item holds a message (see shardPage.msgs).
	itemMsgs bool
	text     []byte
	lines    []Line
	runs     []int // where each run of lines (one Page at most) starts in text
	spare    []shardPage

	// The delivery in hand: the run loop's alone.
	from, delivering int
	page             Page
	batch            Batch
	msgs             []any
	rest             []Line // a run's lines after one that panicked, from their start

	wmu     sync.Mutex
	waiting atomic.Int32 // posters about to take, or holding, a wake channel
	onWake  int32
	wake    chan struct{} // closed when entries are handled or dropped

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
}

// entry is one posted line (msg nil) or message.
// Packed in 64 bytes: a poster writes one per line.
type entry struct {
	seq uint64
	msg any
	t   time.Time
	// A line's text: [from, to) of its shard's page; once merged (take),
	// from is its index in the take's lines and to its run's (runs).
	from, to int32
	shard    int32 // set as it is merged
	level    int8
}

type shard struct {
	shardState
	_ [128 - unsafe.Sizeof(shardState{})%128]byte
}

type shardState struct {
	mu     sync.Mutex
	closed bool
	page   shardPage
}

type shardPage struct {
	text    []byte
	entries []entry
	// msgs: some entry holds a message, which emptying the page must
	// clear; lines keep nothing alive but a time's location.
	msgs bool
}

var _ actor.Mailbox = (*Mailbox)(nil)

// New returns an empty mailbox.
func New(opts Options) *Mailbox {
	n := min(2*max(runtime.GOMAXPROCS(0), 1), 16)
	return &Mailbox{opts: opts, shards: make([]shard, n), spare: make([]shardPage, n)}
}

// Producer returns a producer that builds m, for actor.WithMailbox. A
// mailbox serves one actor: its Props must be spawned once.
func (m *Mailbox) Producer() actor.MailboxProducer {
	return func() actor.Mailbox { return m }
}

// keepCap is the largest emptied slice or page kept for reuse, in entries
// or bytes: after a flood the mailbox does not hold on to its memory. The
// take, which merges every shard's page, keeps up to 16 times as much
// text, and keeps a larger slice while takes need a quarter of it.
const keepCap = 1 << 16

// maxShardText bounds the text a shard holds, not taken: its entries say
// where their lines are in 32 bits.
const maxShardText = 1 << 30

// MaxDelivery is the most entries a Page or a Batch holds, so that the
// actor takes a backlog after a stall a bounded run at a time.
const MaxDelivery = 512

// YieldBytes is how much line text a shard holds, not taken, each time
// PostLine tells its poster to yield; YieldEntries the same in entries.
const (
	YieldBytes   = 32 << 10
	YieldEntries = 512
)

// Post adds msg on shard home (any number: it is taken modulo the shards)
// and returns its number, for Wake, and how many entries wait now, as Len
// counts them (msg among them, unless the actor has it already); ok is
// false, having posted nothing, when the mailbox is closed. yield is true
// when the shard has grown by YieldEntries since it was last taken: the
// poster should let the actor's goroutine run (runtime.Gosched), or
// posters that never wait could fill the mailbox for a whole slice of the
// scheduler's time before it does.
func (m *Mailbox) Post(msg any, home uint32) (seq uint64, waiting int, yield, ok bool) {
	sh := &m.shards[home%uint32(len(m.shards))]
	sh.mu.Lock()
	if sh.closed {
		sh.mu.Unlock()
		return 0, 0, false, false
	}
	seq = m.put.Add(1)
	sh.page.entries = append(sh.page.entries, entry{seq: seq, msg: msg})
	sh.page.msgs = true
	yield = len(sh.page.entries)%YieldEntries == 0
	sh.mu.Unlock()
	m.schedule()
	return seq, m.waitingUpTo(seq), yield, true
}

// PostLine adds a copy of line, of an event of time t and level level, on
// shard home, as Post does; it refuses a line that would take the text
// the shard holds, not taken, past 1 GiB.
func (m *Mailbox) PostLine(line []byte, t time.Time, level core.Level, home uint32) (seq uint64, waiting int, yield, ok bool) {
	sh := &m.shards[home%uint32(len(m.shards))]
	sh.mu.Lock()
	if sh.closed || len(sh.page.text)+len(line) > maxShardText {
		sh.mu.Unlock()
		return 0, 0, false, false
	}
	from := len(sh.page.text)
	sh.page.text = append(sh.page.text, line...)
	yield = from/YieldBytes != len(sh.page.text)/YieldBytes
	seq = m.put.Add(1)
	sh.page.entries = append(sh.page.entries, entry{seq: seq, t: t, level: int8(level), from: int32(from), to: int32(len(sh.page.text))})
	sh.mu.Unlock()
	m.schedule()
	return seq, m.waitingUpTo(seq), yield, true
}

// waitingUpTo returns how many of the entries numbered up to put wait
// (see gone). put is read first (by the caller): a reader delayed before
// it reads gone, while entries are posted and handled, counts fewer than
// were waiting, never more.
func (m *Mailbox) waitingUpTo(put uint64) int {
	return max(int(int64(put)-int64(m.gone.Load())), 0)
}

// PostUserMessage implements actor.Mailbox: Post on the first shard;
// Options.Refused is given what a closed mailbox refuses.
func (m *Mailbox) PostUserMessage(msg any) {
	if _, _, _, ok := m.Post(msg, 0); !ok && m.opts.Refused != nil {
		m.opts.Refused(msg)
	}
}

// PostSystemMessage implements actor.Mailbox.
func (m *Mailbox) PostSystemMessage(msg any) {
	m.smu.Lock()
	m.system = append(m.system, msg)
	m.sysN.Add(1)
	m.smu.Unlock()
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

// Len returns how many entries wait: posted, and neither handled nor
// dropped, but for the first entry of the delivery (a Page, a Batch or
// one message) the actor is handling: as Erlang's message_queue_len
// leaves out the message a process is handling and counts the rest of
// its mailbox, the rest of a Page or Batch counts until it is handled.
// Len reads two atomics, from any goroutine; a reader delayed between the
// reads, while entries are posted and handled, counts fewer than were
// waiting, never more.
func (m *Mailbox) Len() int {
	return m.waitingUpTo(m.put.Load())
}

// Wake returns nil once entry seq (numbered by Post or PostLine) is
// handled or dropped (see Dropped); until then, a channel closed the next
// time entries are. A poster that waits for its entry asks again when
// the channel is closed.
func (m *Mailbox) Wake(seq uint64) <-chan struct{} {
	if m.over(seq) {
		return nil
	}
	m.waiting.Add(1)
	m.wmu.Lock()
	defer m.wmu.Unlock()
	if m.over(seq) { // over before the waiter was seen
		m.waiting.Add(-1)
		return nil
	}
	if m.wake == nil {
		m.wake = make(chan struct{})
	}
	m.onWake++
	return m.wake
}

func (m *Mailbox) over(seq uint64) bool {
	return m.finished.Load() >= seq || m.Dropped(seq)
}

// Dropped reports whether entry seq was dropped by Kill or Drop; Exited
// whether Drop did it.
func (m *Mailbox) Dropped(seq uint64) bool {
	from := m.dropFrom.Load()
	return from != 0 && seq >= from
}

// Exited reports whether Drop closed the mailbox.
func (m *Mailbox) Exited() bool { return m.exited.Load() }

// wakeAll wakes the posters waiting for entries.
func (m *Mailbox) wakeAll() {
	// A waiter counts itself before it reads finished; one not seen here
	// saw its entry over.
	if m.waiting.Load() == 0 {
		return
	}
	m.wmu.Lock()
	if m.wake != nil {
		close(m.wake)
		m.wake = nil
		m.waiting.Add(-m.onWake)
		m.onWake = 0
	}
	m.wmu.Unlock()
}

// finish records that k more entries were handled, then wakes the
// posters waiting.
func (m *Mailbox) finish(k int) {
	if k > 0 {
		m.finished.Add(uint64(k))
		m.wakeAll()
	}
}

func (m *Mailbox) schedule() {
	if !m.running.Load() && m.running.CompareAndSwap(false, true) {
		m.dispatcher.Schedule(m.process)
	}
}

func (m *Mailbox) process() {
	for {
		m.run()
		m.running.Store(false)
		// An entry posted after run found the mailbox empty, and before
		// running was cleared, scheduled nothing: look again.
		if m.sysN.Load() == 0 && (m.suspended.Load() || m.Len() == 0) {
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
// its own), and goes to the actor's supervisor.
func (m *Mailbox) run() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.panicked()
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
		if msg = m.next(); msg == nil {
			return
		}
		m.invoker.InvokeUserMessage(msg)
		m.handled()
		if m.opts.Handled != nil {
			m.opts.Handled()
		}
	}
}

func (m *Mailbox) popSystem() any {
	m.smu.Lock()
	msg := m.system[0]
	m.system[0] = nil
	m.system = m.system[1:]
	m.smu.Unlock()
	m.sysN.Add(-1)
	return msg
}

// next returns the next delivery: a Page of the run of lines, a Batch of
// the run of batchable messages, or one message; nil when nothing waits.
func (m *Mailbox) next() any {
	m.tmu.Lock()
	defer m.tmu.Unlock()
	if m.at == len(m.items) && !m.take() {
		return nil
	}
	from := m.at
	first := m.items[from]
	to := from + 1
	var msg any
	switch {
	case first.msg == nil:
		for to < len(m.items) && m.items[to].msg == nil && m.items[to].to == first.to { // one run (take)
			to++
		}
		m.deliverLines(from, to)
		msg = &m.page
	case m.batches(first.msg):
		for to < len(m.items) && to-from < MaxDelivery && m.batches(m.items[to].msg) {
			to++
		}
		m.msgs = m.msgs[:0]
		for _, e := range m.items[from:to] {
			m.msgs = append(m.msgs, e.msg)
		}
		m.batch = Batch{Messages: m.msgs[:len(m.msgs):len(m.msgs)]}
		msg = &m.batch
	default:
		msg = first.msg
	}
	m.from, m.delivering, m.at = from, to-from, to
	m.gone.Add(1)
	return msg
}

// deliverLines makes the page of the lines items[from:to].
func (m *Mailbox) deliverLines(from, to int) {
	lo, hi := int(m.items[from].from), int(m.items[to-1].from)+1 // their indexes in lines
	start := m.runs[m.items[from].to]                            // their run's, in text
	lines, offset := m.lines[lo:hi], 0
	if from > 0 && m.items[from-1].msg == nil && m.items[from-1].to == m.items[from].to {
		// The rest of a run after a line that panicked: from its own start.
		offset = m.lines[lo-1].End
		lines = m.rest[:0]
		for _, l := range m.lines[lo:hi] {
			l.End -= offset
			lines = append(lines, l)
		}
		m.rest = lines
	}
	var levels core.Mask
	for i := range lines {
		levels |= lines[i].Level.Bit()
	}
	m.page = Page{Text: m.text[start+offset : start+offset+lines[len(lines)-1].End], Lines: lines, Levels: levels}
}

// batches says whether msg may travel in a Batch: the batch rule takes it,
// and it is not a request (an envelope with its sender).
func (m *Mailbox) batches(msg any) bool {
	if _, request := msg.(*actor.MessageEnvelope); request || m.opts.Batchable == nil {
		return false
	}
	return m.opts.Batchable(msg)
}

// take moves every entry of the shards to items, merged in the order
// they were numbered, and their lines' text to text; false if there is
// none. It runs under tmu.
func (m *Mailbox) take() bool {
	for i := range m.shards { // in order: a poster holds one lock at most
		m.shards[i].mu.Lock()
	}
	n := 0
	for i := range m.shards {
		sh := &m.shards[i]
		n += len(sh.page.entries)
		sh.page, m.spare[i] = shardPage{text: m.spare[i].text[:0], entries: m.spare[i].entries[:0]}, sh.page
	}
	base := m.taken + 1 // the first entry's number
	m.taken += uint64(n)
	for i := range m.shards {
		m.shards[i].mu.Unlock()
	}
	if n == 0 {
		return false
	}
	// Everything taken before is handled: empty the take for reuse,
	// letting go of what a flood grew once takes are small again.
	text := 0
	for i := range m.spare {
		text += len(m.spare[i].text)
	}
	if m.itemMsgs {
		clear(m.items) // keeps no message alive
	}
	m.itemMsgs = false
	m.items, m.at = reuse(m.items, n, keepCap), 0
	m.text, m.lines = reuse(m.text, text, 16*keepCap), reuse(m.lines, n, keepCap)
	m.runs = reuse(m.runs, n/MaxDelivery+1, keepCap)
	m.rest, m.msgs = reuse(m.rest, n, keepCap), reuse(m.msgs, n, keepCap)
	m.items = slices.Grow(m.items, n)[:n]
	for i := range m.spare {
		m.itemMsgs = m.itemMsgs || m.spare[i].msgs
		for _, e := range m.spare[i].entries {
			e.shard = int32(i)
			m.items[e.seq-base] = e
		}
	}
	// The lines' text, merged, in runs as next delivers them: each line's
	// End is from its run's start, where its Page's Text will start, so
	// that a Page is a slice of the take, not a copy.
	run, start := 0, 0
	for i := range m.items {
		e := &m.items[i]
		if e.msg != nil {
			run = 0
			continue
		}
		if run == 0 || run == MaxDelivery {
			run, start = 0, len(m.text)
			m.runs = append(m.runs, start)
		}
		run++
		m.text = append(m.text, m.spare[e.shard].text[e.from:e.to]...)
		m.lines = append(m.lines, Line{End: len(m.text) - start, Time: e.t, Level: core.Level(e.level)})
		e.from, e.to = int32(len(m.lines)-1), int32(len(m.runs)-1) // its line, and its run
	}
	for i := range m.spare {
		p := &m.spare[i]
		if p.msgs {
			clear(p.entries)
			p.msgs = false
		}
		if cap(p.text) > keepCap || cap(p.entries) > keepCap {
			*p = shardPage{}
		}
	}
	return true
}

// reuse returns s emptied, for a take that needs need of it, or nil if
// it holds more than keep and four times need: a flood's memory goes once
// a take needs much less.
func reuse[S ~[]E, E any](s S, need, keep int) S {
	if c := cap(s); c > keep && c > 4*need {
		return nil
	}
	return s[:0]
}

// handled counts the delivery in hand as handled.
func (m *Mailbox) handled() {
	k := m.delivering
	m.delivering = 0
	m.page.Text, m.batch.Messages = nil, nil
	// Done counts for the delivery it was set in: a Page's must not
	// tell how much of the next Batch was handled, nor the other way.
	m.page.Done, m.batch.Done = 0, 0
	clear(m.msgs) // keeps no message alive
	if k > 1 {
		m.gone.Add(uint64(k - 1))
	}
	m.finish(k)
}

// panicked counts the delivery in hand as handled up to the entry that
// panicked (Page.Done, Batch.Done; a lone message is lost whole); the
// entries after it are delivered again, first, once the actor resumes.
func (m *Mailbox) panicked() {
	k := m.delivering
	if k > 1 {
		done := max(m.page.Done, m.batch.Done)
		k = min(max(done, 1), k)
		m.tmu.Lock()
		m.at = m.from + k
		m.tmu.Unlock()
	}
	m.delivering = k
	m.handled()
}

// Kill closes the mailbox and drops every entry the actor has not been
// handed: a killer's drop. It returns how many lines it dropped, and the
// messages, in order, for its owner to count and answer. What the actor
// is handling now it still handles; the posters waiting for what was
// dropped are woken, and learn it from Dropped.
func (m *Mailbox) Kill() (lines int, msgs []any) { return m.drop(false) }

// Drop is Kill for an actor taken out after failures: Exited then
// reports true.
func (m *Mailbox) Drop() (lines int, msgs []any) { return m.drop(true) }

func (m *Mailbox) drop(exited bool) (lines int, msgs []any) {
	m.tmu.Lock()
	defer m.tmu.Unlock()
	for i := range m.shards {
		m.shards[i].mu.Lock()
	}
	var first uint64
	count := func(e *entry) {
		if first == 0 {
			first = e.seq
		}
		if e.msg == nil {
			lines++
		} else {
			msgs = append(msgs, e.msg)
		}
	}
	for i := range m.items[m.at:] {
		count(&m.items[m.at+i])
	}
	clear(m.items[m.at:])
	m.items = m.items[:m.at]
	// The shards' entries, in order: every one is numbered after those
	// taken, and they are the rest of the numbers up to put.
	var rest []entry
	for i := range m.shards {
		sh := &m.shards[i]
		sh.closed = true
		rest = append(rest, sh.page.entries...)
		clear(sh.page.entries)
		sh.page = shardPage{}
	}
	m.taken += uint64(len(rest))
	for i := range m.shards {
		m.shards[i].mu.Unlock()
	}
	if len(rest) > 0 {
		ordered := make([]entry, len(rest))
		base := rest[0].seq
		for _, e := range rest {
			base = min(base, e.seq)
		}
		for _, e := range rest {
			ordered[e.seq-base] = e
		}
		for i := range ordered {
			count(&ordered[i])
		}
	}
	if exited {
		m.exited.Store(true)
	}
	if first == 0 {
		return 0, nil
	}
	if m.dropFrom.Load() == 0 {
		m.dropFrom.Store(first)
	}
	m.gone.Add(uint64(lines + len(msgs)))
	m.wakeAll()
	return lines, msgs
}

// Drain closes the mailbox, as its actor stops, and hands handle what is
// left, as the run loop would have: Pages, Batches and messages in order,
// each counted as handled once handle returns. A panic in handle loses
// the entry it was handling (see Page.Done); Drain goes on with the rest.
// It runs on the actor's goroutine, from its *actor.Stopping.
func (m *Mailbox) Drain(handle func(msg any)) {
	for i := range m.shards {
		sh := &m.shards[i]
		sh.mu.Lock()
		sh.closed = true
		sh.mu.Unlock()
	}
	for m.drainOne(handle) {
	}
}

func (m *Mailbox) drainOne(handle func(msg any)) (more bool) {
	msg := m.next()
	if msg == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			m.panicked()
			more = true // the rest is still to be handed over
		}
	}()
	handle(msg)
	m.handled()
	return true
}
