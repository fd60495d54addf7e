package mailbox_test

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/internal/mailbox"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tape is an actor that writes down what it is handed, in order, as a
// handler writes events: a Page as "page" and then each of its lines, a
// Batch as "batch" and then each of its messages, any other message as
// fmt.Sprint of it, a restart as "restart N" (N the mailbox's Len then), a
// stop as "stopping" and then what Drain hands it, written the same way,
// each delivery after "len N" (N the Len as it is handed over). It sets
// Page.Done and Batch.Done as the mailbox asks, and panics on a line or
// message whose text is in poison, once it has written it down.
//
// When gate is set, each delivery (or, if holdAt is set, only the message
// holdAt) is told to entered and then waits on gate.
type tape struct {
	mb      *mailbox.Mailbox
	poison  map[string]bool
	gate    chan struct{}
	entered chan any
	holdAt  string
	inside  atomic.Bool // in Receive with a delivery

	mu    sync.Mutex
	log   []string
	pages []pageCopy
}

// pageCopy is what a Page held when the actor got it.
type pageCopy struct {
	Text   string
	Lines  []mailbox.Line
	Levels core.Mask
}

// newTape returns a tape that holds each delivery at its gate if held.
func newTape(held bool, poison ...string) *tape {
	r := &tape{poison: map[string]bool{}}
	if held {
		r.gate, r.entered = make(chan struct{}), make(chan any, 64)
	}
	for _, p := range poison {
		r.poison[p] = true
	}
	return r
}

func (r *tape) Receive(c actor.Context) {
	switch c.Message().(type) {
	case *actor.Started, *actor.Stopped:
		return
	case *actor.Restarting:
		r.add(fmt.Sprint("restart ", r.mb.Len()))
		return
	case *actor.Stopping:
		r.add("stopping")
		r.mb.Drain(func(m any) {
			r.add(fmt.Sprint("len ", r.mb.Len()))
			r.write(m)
		})
		return
	}
	r.inside.Store(true)
	defer r.inside.Store(false)
	if s, _ := c.Message().(string); r.gate != nil && (r.holdAt == "" || s == r.holdAt) {
		r.entered <- c.Message()
		<-r.gate
	}
	r.write(c.Message())
}

func (r *tape) write(m any) {
	switch m := m.(type) {
	case *mailbox.Page:
		r.mu.Lock()
		r.pages = append(r.pages, pageCopy{Text: string(m.Text), Lines: slices.Clone(m.Lines), Levels: m.Levels})
		r.mu.Unlock()
		r.add("page")
		for i := range m.Lines {
			m.Done = i + 1
			r.take(string(m.Line(i)))
		}
	case *mailbox.Batch:
		r.add("batch")
		for i, x := range m.Messages {
			m.Done = i + 1
			r.take(fmt.Sprint(x))
		}
	default:
		r.take(fmt.Sprint(m))
	}
}

// take writes s down, and panics if it is poison.
func (r *tape) take(s string) {
	r.add(s)
	if r.poison[s] {
		panic("poison: " + s)
	}
}

func (r *tape) add(s string) {
	r.mu.Lock()
	r.log = append(r.log, s)
	r.mu.Unlock()
}

func (r *tape) written() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.log)
}

func (r *tape) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

func (r *tape) pagesGot() []pageCopy {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.pages)
}

// spawnTape starts r with a mailbox of opts (Batchable: isEv if nil).
func spawnTape(t *testing.T, system *actor.ActorSystem, r *tape, opts mailbox.Options) *actor.PID {
	t.Helper()
	if opts.Batchable == nil {
		opts.Batchable = isEv
	}
	r.mb = mailbox.New(opts)
	return system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return r }, actor.WithMailbox(r.mb.Producer())))
}

// at is the time of the tests' line i.
func at(i int) time.Time {
	return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(i) * time.Millisecond)
}

// postLine posts text as a line of level info on shard home.
func postLine(t *testing.T, mb *mailbox.Mailbox, text string, home uint32) uint64 {
	t.Helper()
	seq, _, _, ok := mb.PostLine([]byte(text), at(0), core.LevelInfo, home)
	require.True(t, ok, "posting %q", text)
	return seq
}

// post posts msg on shard home.
func post(t *testing.T, mb *mailbox.Mailbox, msg any, home uint32) uint64 {
	t.Helper()
	seq, _, _, ok := mb.Post(msg, home)
	require.True(t, ok, "posting %v", msg)
	return seq
}

// settled waits, as a poster in sync mode does, until entry last, and so
// every entry before it, is handled or dropped; with nothing posted after
// it, nothing then waits. (Len is zero earlier, with the last delivery
// still in hand.)
func settled(t *testing.T, mb *mailbox.Mailbox, last uint64) {
	t.Helper()
	deadline := time.After(actortest.Deadline)
	for ch := mb.Wake(last); ch != nil; ch = mb.Wake(last) {
		select {
		case <-ch:
		case <-deadline:
			require.FailNow(t, "still waiting", "for entry %d", last)
		}
	}
	assert.Equal(t, 0, mb.Len(), "entries up to %d are over", last)
}

// waitAll waits for wg, at most Deadline.
func waitAll(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(actortest.Deadline):
		require.FailNow(t, "still waiting")
	}
}

func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Lines and messages posted by several goroutines, each on its own
// shard, in turn: the actor gets them in the order they were numbered,
// the lines of a run as one Page (the actor was held while they were
// posted, so one take has them all) with their text, ends, times and
// levels, the batchable messages of a run as one Batch, the others alone.
func TestLinesAndMessagesComeInTheirNumberedOrder(t *testing.T) {
	system := actortest.NewSystem(t)
	r := newTape(true)
	pid := spawnTape(t, system, r, mailbox.Options{})
	post(t, r.mb, "held", 0)
	<-r.entered

	const posters, n = 4, 48
	type item struct {
		line  string
		level core.Level
		msg   any
	}
	items := make([]item, n)
	for i := range items {
		switch {
		case i%7 == 3:
			items[i].msg = ev(i)
		case i%11 == 5:
			items[i].msg = fmt.Sprintf("m%d", i)
		case i == 20:
			items[i] = item{level: core.LevelError} // an empty line
		default:
			items[i] = item{line: fmt.Sprintf("line %d %s\n", i, strings.Repeat("x", i)), level: core.Levels[i%8]}
		}
	}
	seqs := make([]uint64, n)
	turn := make([]chan struct{}, posters)
	for g := range turn {
		turn[g] = make(chan struct{}, 1)
	}
	var wg sync.WaitGroup
	for g := range posters {
		wg.Go(func() {
			var buf []byte
			for i := g; i < n; i += posters {
				<-turn[g]
				it, ok := items[i], false
				if it.msg != nil {
					seqs[i], _, _, ok = r.mb.Post(it.msg, uint32(g))
				} else {
					buf = append(buf[:0], it.line...)
					seqs[i], _, _, ok = r.mb.PostLine(buf, at(i), it.level, uint32(g))
					copy(buf, strings.Repeat("!", len(buf))) // the mailbox keeps a copy
				}
				assert.True(t, ok)
				turn[(g+1)%posters] <- struct{}{}
			}
		})
	}
	turn[0] <- struct{}{}
	waitAll(t, &wg)
	for i, seq := range seqs {
		assert.Equal(t, uint64(i+2), seq, "item %d", i) // "held" is 1
	}
	assert.Equal(t, n, r.mb.Len(), "all wait but \"held\", in hand")

	want := []string{"held"}
	var pages []pageCopy
	for i, it := range items {
		switch m := it.msg.(type) {
		case nil:
			if i == 0 || items[i-1].msg != nil {
				want = append(want, "page")
				pages = append(pages, pageCopy{})
			}
			p := &pages[len(pages)-1]
			p.Text += it.line
			p.Lines = append(p.Lines, mailbox.Line{End: len(p.Text), Time: at(i), Level: it.level})
			p.Levels |= it.level.Bit()
			want = append(want, it.line)
		case ev:
			if i == 0 || !isEv(items[i-1].msg) {
				want = append(want, "batch")
			}
			want = append(want, fmt.Sprint(m))
		default:
			want = append(want, fmt.Sprint(m))
		}
	}
	close(r.gate)
	settled(t, r.mb, seqs[n-1])
	assert.Equal(t, want, r.written())
	assert.Equal(t, pages, r.pagesGot())
	assert.Greater(t, len(pages), 3)
	stop(t, system, pid)
}

// Lines and messages posted at once by goroutines on different shards,
// while the actor takes them: each comes once, in the order of the
// numbers Post and PostLine returned; lines only in Pages, batchable
// messages only in Batches.
func TestRacingPostersComeInTheirNumberedOrder(t *testing.T) {
	const posters, each = 4, 1500
	system := actortest.NewSystem(t)
	r := newTape(false)
	pid := spawnTape(t, system, r, mailbox.Options{})
	seqOf := make([]map[string]uint64, posters)
	var wg sync.WaitGroup
	for g := range posters {
		seqOf[g] = map[string]uint64{}
		wg.Go(func() {
			for i := range each {
				var key string
				var seq uint64
				var yield, ok bool
				switch i % 10 {
				case 3:
					msg := ev(g*each + i)
					key = fmt.Sprint(msg)
					seq, _, yield, ok = r.mb.Post(msg, uint32(g))
				case 7:
					key = fmt.Sprintf("m%d.%d", g, i)
					seq, _, yield, ok = r.mb.Post(key, uint32(g))
				default:
					key = fmt.Sprintf("l%d.%d", g, i)
					seq, _, yield, ok = r.mb.PostLine([]byte(key), at(i), core.Levels[i%8], uint32(g))
				}
				assert.True(t, ok)
				seqOf[g][key] = seq
				if yield {
					runtime.Gosched()
				}
			}
		})
	}
	waitAll(t, &wg)
	settled(t, r.mb, posters*each)
	stop(t, system, pid)

	seq := map[string]uint64{}
	for _, m := range seqOf {
		for k, s := range m {
			seq[k] = s
		}
	}
	var got []uint64
	in := ""
	for _, s := range r.written() {
		switch {
		case s == "page", s == "batch":
			in = s
			continue
		case s == "stopping":
			in = ""
			continue
		case strings.HasPrefix(s, "l"):
			assert.Equal(t, "page", in, "line %s outside a page", s)
		case strings.HasPrefix(s, "m"):
			in = ""
		default:
			assert.Equal(t, "batch", in, "event %s outside a batch", s)
		}
		n, ok := seq[s]
		require.True(t, ok, "%s was not posted", s)
		got = append(got, n)
	}
	want := make([]uint64, posters*each)
	for i := range want {
		want[i] = uint64(i + 1)
	}
	assert.Equal(t, want, got)
	for _, p := range r.pagesGot() {
		var levels core.Mask
		for i, l := range p.Lines {
			levels |= l.Level.Bit()
			if i > 0 {
				assert.Less(t, p.Lines[i-1].End, l.End)
			}
		}
		assert.Equal(t, levels, p.Levels)
		assert.Equal(t, len(p.Text), p.Lines[len(p.Lines)-1].End)
	}
}

// Len counts the entries posted and not yet handed to the actor, exactly:
// the delivery in hand (a Page, a Batch or one message) does not count,
// while it is handled or after; Post and PostLine say the same count.
func TestLenCountsWhatWaits(t *testing.T) {
	system := actortest.NewSystem(t)
	r := newTape(true)
	pid := spawnTape(t, system, r, mailbox.Options{})
	post(t, r.mb, "held", 0)
	<-r.entered
	assert.Equal(t, 0, r.mb.Len(), "the message in hand")
	want := 0
	var last uint64
	check := func(seq uint64, waiting int, _, ok bool) {
		t.Helper()
		require.True(t, ok)
		want++
		last = seq
		assert.Equal(t, want, waiting)
		assert.Equal(t, want, r.mb.Len())
		assert.Equal(t, want, r.mb.UserMessageCount())
	}
	check(r.mb.PostLine([]byte("a1"), at(1), core.LevelInfo, 1))
	check(r.mb.PostLine([]byte("a2"), at(2), core.LevelInfo, 2))
	check(r.mb.PostLine([]byte("a3"), at(3), core.LevelInfo, 3))
	check(r.mb.Post("x", 0))
	check(r.mb.Post(ev(1), 1))
	check(r.mb.Post(ev(2), 2))
	check(r.mb.PostLine([]byte("b1"), at(4), core.LevelInfo, 3))
	check(r.mb.PostLine([]byte("b2"), at(5), core.LevelInfo, 0))

	left := want
	for _, size := range []int{3, 1, 2, 2} {
		r.gate <- struct{}{} // the delivery in hand returns
		<-r.entered          // the next, of size entries, is in Receive
		left -= size
		assert.Equal(t, left+size-1, r.mb.Len(), "a delivery of %d in hand counts but one", size)
	}
	assert.Zero(t, left)
	r.gate <- struct{}{}
	settled(t, r.mb, last)
	assert.Equal(t, []string{"held", "page", "a1", "a2", "a3", "x", "batch", "1", "2", "page", "b1", "b2"}, r.written())

	// Nothing was counted twice, nor left out: with a message in hand, the
	// next entry counts one.
	post(t, r.mb, "held", 0)
	<-r.entered
	assert.Equal(t, 0, r.mb.Len())
	want = 0
	check(r.mb.Post("next", 1))
	r.gate <- struct{}{} // "held" returns
	<-r.entered          // "next" is in Receive
	assert.Equal(t, 0, r.mb.Len())
	r.gate <- struct{}{}
	settled(t, r.mb, last)
	stop(t, system, pid)
}

// While many posters flood the actor, Len stays between zero and what
// was posted; it ends at zero, and after the flood, with a message in
// hand, the next entry counts one: nothing was counted twice.
func TestLenStaysWithinWhatWasPosted(t *testing.T) {
	const posters, each = 4, 2000
	system := actortest.NewSystem(t)
	r := newTape(true)
	r.holdAt = "held"
	pid := spawnTape(t, system, r, mailbox.Options{})
	var wg, sampler sync.WaitGroup
	done := make(chan struct{})
	sampler.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			if n := r.mb.Len(); n < 0 || n > posters*each {
				assert.Fail(t, "Len out of range", "%d", n)
				return
			}
			runtime.Gosched()
		}
	})
	for g := range posters {
		wg.Go(func() {
			for i := range each {
				var waiting int
				var ok bool
				if i%3 == 0 {
					_, waiting, _, ok = r.mb.Post(ev(i), uint32(g))
				} else {
					_, waiting, _, ok = r.mb.PostLine([]byte("line"), at(i), core.LevelInfo, uint32(g))
				}
				assert.True(t, ok)
				assert.True(t, waiting >= 0 && waiting <= posters*each, "waiting %d", waiting)
			}
		})
	}
	waitAll(t, &wg)
	settled(t, r.mb, posters*each)
	close(done)
	waitAll(t, &sampler)

	post(t, r.mb, "held", 0)
	<-r.entered
	assert.Equal(t, 0, r.mb.Len(), "the message in hand")
	seq, waiting, _, ok := r.mb.Post("next", 1)
	require.True(t, ok)
	assert.Equal(t, 1, waiting)
	assert.Equal(t, 1, r.mb.Len())
	close(r.gate)
	settled(t, r.mb, seq)
	stop(t, system, pid)
}

// Wake returns nil for an entry handled; for one not yet handled, a
// channel closed the next time entries are handled, so that every poster
// waiting, however many, wakes and asks again until its entry is handled.
func TestWakeTellsEachWaiterWhenItsEntryIsHandled(t *testing.T) {
	system := actortest.NewSystem(t)
	r := newTape(true)
	pid := spawnTape(t, system, r, mailbox.Options{})
	s1 := post(t, r.mb, "a", 0)
	<-r.entered
	s2 := postLine(t, r.mb, "l1", 1)
	s3 := post(t, r.mb, "b", 2)
	s4 := postLine(t, r.mb, "l2", 3)
	w1, w3 := r.mb.Wake(s1), r.mb.Wake(s3)
	require.NotNil(t, w1, "the entry in Receive is not handled yet")
	require.NotNil(t, w3)
	assert.False(t, closed(w1))

	const waiters = 32
	var holding, woken sync.WaitGroup
	for i := range waiters {
		seq := []uint64{s2, s3, s4}[i%3]
		holding.Add(1)
		woken.Go(func() {
			first := true
			for ch := r.mb.Wake(seq); ch != nil; ch = r.mb.Wake(seq) {
				if first {
					holding.Done()
					first = false
				}
				<-ch
			}
			if first {
				assert.Fail(t, "Wake was nil before the entry was handled", "seq %d", seq)
				holding.Done()
			}
		})
	}
	waitAll(t, &holding) // every waiter holds a channel

	r.gate <- struct{}{} // "a" is handled
	<-r.entered          // the page of l1 is in Receive
	assert.True(t, closed(w1))
	assert.True(t, closed(w3), "closed when entries are handled, though not this one")
	assert.Nil(t, r.mb.Wake(s1))
	assert.NotNil(t, r.mb.Wake(s3))
	close(r.gate)
	waitAll(t, &woken)
	for _, seq := range []uint64{s1, s2, s3, s4} {
		assert.Nil(t, r.mb.Wake(seq))
		assert.False(t, r.mb.Dropped(seq))
	}
	settled(t, r.mb, s4)
	stop(t, system, pid)
}

// Kill (or Drop), while the actor is in the middle of a Page, drops what
// it was not handed, taken or not: it returns the lines' count and the
// messages in order, wakes their waiters and marks them dropped. The Page
// in hand is still handled, and its posters wait for it, but Len leaves
// it out, before the Kill and after; what is posted after is refused.
func TestKillDropsWhatWasNotHanded(t *testing.T) {
	for _, exit := range []bool{false, true} {
		t.Run(fmt.Sprint("drop=", exit), func(t *testing.T) {
			system := actortest.NewSystem(t)
			refused := make(chan any, 4)
			r := newTape(true)
			pid := spawnTape(t, system, r, mailbox.Options{Refused: func(m any) { refused <- m }})
			sa := post(t, r.mb, "a", 0)
			<-r.entered
			inHand := []uint64{postLine(t, r.mb, "L1", 1), postLine(t, r.mb, "L2", 2)}
			dropped := []uint64{post(t, r.mb, ev(1), 3), post(t, r.mb, "x", 0)}
			r.gate <- struct{}{} // "a" is handled; one take has the rest
			<-r.entered          // the page of L1 and L2 is in Receive
			dropped = append(dropped, postLine(t, r.mb, "L3", 1), post(t, r.mb, ev(2), 2), postLine(t, r.mb, "L4", 3))
			assert.Equal(t, 5+1, r.mb.Len(), "the page in hand counts but one")
			waiter := r.mb.Wake(dropped[0])
			require.NotNil(t, waiter)

			kill := r.mb.Kill
			if exit {
				kill = r.mb.Drop
			}
			lines, msgs := kill()
			assert.Equal(t, 2, lines)
			assert.Equal(t, []any{ev(1), "x", ev(2)}, msgs)
			assert.Equal(t, exit, r.mb.Exited())
			assert.True(t, closed(waiter))
			assert.Equal(t, 1, r.mb.Len(), "nothing waits; the page in hand counts but one")
			for _, seq := range dropped {
				assert.True(t, r.mb.Dropped(seq), "seq %d", seq)
				assert.Nil(t, r.mb.Wake(seq), "seq %d", seq)
			}
			for _, seq := range append([]uint64{sa}, inHand...) {
				assert.False(t, r.mb.Dropped(seq), "seq %d", seq)
			}
			inHandWaiter := r.mb.Wake(inHand[1])
			assert.NotNil(t, inHandWaiter)

			_, _, _, ok := r.mb.Post("late", 0)
			assert.False(t, ok)
			_, _, _, ok = r.mb.PostLine([]byte("late"), at(0), core.LevelInfo, 2)
			assert.False(t, ok)
			r.mb.PostUserMessage("sent late")
			assert.Equal(t, "sent late", <-refused)
			lines, msgs = kill()
			assert.Zero(t, lines)
			assert.Empty(t, msgs)

			close(r.gate) // the page returns
			settled(t, r.mb, inHand[1])
			assert.True(t, closed(inHandWaiter))
			for _, seq := range inHand {
				assert.Nil(t, r.mb.Wake(seq))
				assert.False(t, r.mb.Dropped(seq))
			}
			stop(t, system, pid)
			assert.Equal(t, []string{"a", "page", "L1", "L2", "stopping"}, r.written())
			assert.Equal(t, 0, r.mb.Len())
		})
	}
}

// Kill while posters flood the actor: every entry posted is either
// handled or dropped, never both; Kill's count and messages are exactly
// those not handled, and Dropped says which.
func TestKillAccountsForEveryEntry(t *testing.T) {
	const posters = 4
	system := actortest.NewSystem(t)
	r := newTape(false)
	pid := spawnTape(t, system, r, mailbox.Options{})
	type posted struct {
		key  string
		line bool
		seq  uint64
	}
	all := make([][]posted, posters)
	var wg sync.WaitGroup
	for g := range posters {
		wg.Go(func() {
			for i := 0; ; i++ {
				p := posted{key: fmt.Sprintf("l%d.%d", g, i), line: true}
				var yield, ok bool
				switch i % 5 {
				case 2:
					p = posted{key: fmt.Sprint(ev(g<<24 | i))}
					p.seq, _, yield, ok = r.mb.Post(ev(g<<24|i), uint32(g))
				case 4:
					p = posted{key: fmt.Sprintf("m%d.%d", g, i)}
					p.seq, _, yield, ok = r.mb.Post(p.key, uint32(g))
				default:
					p.seq, _, yield, ok = r.mb.PostLine([]byte(p.key), at(i), core.LevelInfo, uint32(g))
				}
				if !ok {
					return
				}
				all[g] = append(all[g], p)
				if yield {
					runtime.Gosched()
				}
			}
		})
	}
	require.Eventually(t, func() bool { return r.count() > 1000 }, actortest.Deadline, time.Millisecond)
	lines, msgs := r.mb.Kill()
	waitAll(t, &wg)
	assert.Equal(t, 0, r.mb.Len(), "nothing waits after a Kill")
	var last uint64
	for _, ps := range all {
		for _, p := range ps {
			last = max(last, p.seq)
		}
	}
	settled(t, r.mb, last)
	stop(t, system, pid)

	handled := map[string]bool{}
	for _, s := range r.written() {
		handled[s] = true
	}
	var rest []posted
	for _, ps := range all {
		for _, p := range ps {
			if !handled[p.key] {
				rest = append(rest, p)
			}
			assert.Equal(t, !handled[p.key], r.mb.Dropped(p.seq), "%s", p.key)
			assert.Nil(t, r.mb.Wake(p.seq))
		}
	}
	slices.SortFunc(rest, func(a, b posted) int { return cmp.Compare(a.seq, b.seq) })
	wantLines, wantMsgs := 0, []string{}
	for _, p := range rest {
		if p.line {
			wantLines++
		} else {
			wantMsgs = append(wantMsgs, p.key)
		}
	}
	gotMsgs := []string{}
	for _, m := range msgs {
		gotMsgs = append(gotMsgs, fmt.Sprint(m))
	}
	assert.Equal(t, wantLines, lines)
	assert.Equal(t, wantMsgs, gotMsgs)
	assert.NotEmpty(t, rest, "the posters never stop on their own")
}

// A panic in the middle of a Page or a Batch loses the entry the actor
// was on (Done); the actor is restarted, and the entries after it come
// first, then the rest. Until they come again they wait, and Len counts
// them. Done from a delivery before, of the other kind, counts for
// nothing.
func TestAPanicInAPageOrBatchLosesOnlyItsEntry(t *testing.T) {
	type line string
	for _, c := range []struct {
		name  string
		posts []any
		want  []string
	}{
		{"page", []any{line("L0"), line("L1"), line("poison"), line("L3"), line("L4"), "after"},
			[]string{"page", "L0", "L1", "poison", "restart 3", "page", "L3", "L4", "after"}},
		{"first line", []any{line("poison"), line("L1"), "after"},
			[]string{"page", "poison", "restart 2", "page", "L1", "after"}},
		{"last line", []any{line("L0"), line("poison"), "after", line("L3")},
			[]string{"page", "L0", "poison", "restart 2", "after", "page", "L3"}},
		{"batch", []any{ev(0), ev(1), ev(13), ev(3), ev(4), "after"},
			[]string{"batch", "0", "1", "13", "restart 3", "batch", "3", "4", "after"}},
		{"batch after a page", []any{line("L0"), line("L1"), line("L2"), line("L3"), line("L4"), ev(0), ev(13), ev(2), ev(3)},
			[]string{"page", "L0", "L1", "L2", "L3", "L4", "batch", "0", "13", "restart 2", "batch", "2", "3"}},
		{"page after a batch", []any{ev(0), ev(1), ev(2), ev(3), ev(4), line("L0"), line("poison"), line("L2"), line("L3")},
			[]string{"batch", "0", "1", "2", "3", "4", "page", "L0", "poison", "restart 2", "page", "L2", "L3"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			system := actortest.NewSystem(t)
			r := newTape(true, "poison", "13")
			r.holdAt = "a"
			pid := spawnTape(t, system, r, mailbox.Options{})
			post(t, r.mb, "a", 0)
			<-r.entered // held while the rest is posted: one take has it all
			var last uint64
			for i, p := range c.posts {
				if l, ok := p.(line); ok {
					last = postLine(t, r.mb, string(l), uint32(i))
				} else {
					last = post(t, r.mb, p, uint32(i))
				}
			}
			close(r.gate)
			settled(t, r.mb, last)
			stop(t, system, pid)
			want := append(append([]string{"a"}, c.want...), "stopping")
			assert.Equal(t, want, r.written())
			assert.Equal(t, 0, r.mb.Len())
		})
	}
}

// Drain, as the actor stops, hands it what is left, taken or not, in
// order: Pages, Batches, messages; a panic in the middle loses only the
// entry it was on, and Drain goes on. Len counts what waits, never the
// delivery in hand. Then the mailbox refuses posts.
func TestDrainHandsOverWhatIsLeft(t *testing.T) {
	system := actortest.NewSystem(t)
	r := newTape(true, "Lpoison", "13", "mpoison")
	pid := spawnTape(t, system, r, mailbox.Options{})
	post(t, r.mb, "held", 0)
	<-r.entered
	postLine(t, r.mb, "A0", 1)
	postLine(t, r.mb, "A1", 2)
	post(t, r.mb, ev(1), 3)
	post(t, r.mb, "x", 0)
	r.gate <- struct{}{}
	<-r.entered // the page of A0 and A1 is in Receive; ev(1) and "x" are taken
	postLine(t, r.mb, "L0", 1)
	postLine(t, r.mb, "Lpoison", 2)
	postLine(t, r.mb, "L2", 3)
	post(t, r.mb, ev(2), 0)
	post(t, r.mb, ev(13), 1)
	post(t, r.mb, ev(4), 2)
	post(t, r.mb, "mpoison", 3)
	post(t, r.mb, "y", 0)
	postLine(t, r.mb, "L5", 1)
	assert.Equal(t, 11+1, r.mb.Len(), "the page of 2 in hand counts but one")
	stopped := system.Root.StopFuture(pid)
	close(r.gate) // the page returns; the stop goes before the rest
	require.NoError(t, stopped.Wait())
	assert.Equal(t, []string{"held", "page", "A0", "A1", "stopping",
		"len 10", "batch", "1", "len 9", "x",
		"len 8", "page", "L0", "Lpoison", "len 6", "page", "L2",
		"len 5", "batch", "2", "13", "len 3", "batch", "4",
		"len 2", "mpoison", "len 1", "y", "len 0", "page", "L5"}, r.written())
	assert.Equal(t, 0, r.mb.Len())
	_, _, _, ok := r.mb.PostLine([]byte("late"), at(0), core.LevelInfo, 1)
	assert.False(t, ok)
	_, _, _, ok = r.mb.Post("late", 2)
	assert.False(t, ok)
}

// Options.Handled is called on the actor's goroutine after each delivery
// returns, the delivery counted as handled.
func TestHandledIsCalledAfterEachDelivery(t *testing.T) {
	system := actortest.NewSystem(t)
	r := newTape(true)
	r.holdAt = "a"
	pid := spawnTape(t, system, r, mailbox.Options{Handled: func() {
		assert.False(t, r.inside.Load(), "Handled while in Receive")
		r.add(fmt.Sprint("handled ", r.mb.Len()))
	}})
	post(t, r.mb, "a", 0)
	<-r.entered
	postLine(t, r.mb, "L1", 1)
	postLine(t, r.mb, "L2", 2)
	post(t, r.mb, ev(1), 3)
	post(t, r.mb, ev(2), 0)
	post(t, r.mb, "x", 1)
	last := postLine(t, r.mb, "L3", 2)
	close(r.gate)
	settled(t, r.mb, last)
	stop(t, system, pid)
	assert.Equal(t, []string{"a", "handled 6", "page", "L1", "L2", "handled 4", "batch", "1", "2", "handled 2",
		"x", "handled 1", "page", "L3", "handled 0", "stopping"}, r.written())
}

// Post tells its poster to yield each YieldEntries entries a shard holds
// since it was last taken; PostLine each time a shard's text, since it was
// last taken, crosses a multiple of YieldBytes. Other shards count apart.
func TestPostersAreToldToYield(t *testing.T) {
	system := actortest.NewSystem(t)
	r := newTape(true)
	r.holdAt = "held"
	pid := spawnTape(t, system, r, mailbox.Options{})
	var last uint64
	posts := func(n int, home uint32) (yields []int) {
		t.Helper()
		for i := 1; i <= n; i++ {
			seq, _, yield, ok := r.mb.Post(ev(i), home)
			require.True(t, ok)
			last = seq
			if yield {
				yields = append(yields, i)
			}
		}
		return yields
	}
	sizes := []int{1000, 3000, 0, 7, 12345, 20000, mailbox.YieldBytes, 5, 2*mailbox.YieldBytes + 1}
	lines := func(n int, home uint32) {
		t.Helper()
		text := 0
		for i := range n {
			size := sizes[i%len(sizes)]
			seq, _, yield, ok := r.mb.PostLine(make([]byte, size), at(i), core.LevelInfo, home)
			require.True(t, ok)
			last = seq
			assert.Equal(t, text/mailbox.YieldBytes != (text+size)/mailbox.YieldBytes, yield, "line %d, from %d bytes to %d", i, text, text+size)
			text += size
		}
	}

	post(t, r.mb, "held", 0)
	<-r.entered // it is taken alone; the actor is held while the rest is posted
	assert.Empty(t, posts(3, 2))
	assert.Equal(t, []int{mailbox.YieldEntries}, posts(mailbox.YieldEntries+200, 1))
	assert.Empty(t, posts(3, 2))
	lines(7, 3)
	r.gate <- struct{}{}
	settled(t, r.mb, last)

	post(t, r.mb, "held", 0)
	<-r.entered // every shard was taken: they count from zero
	assert.Equal(t, []int{mailbox.YieldEntries, 2 * mailbox.YieldEntries}, posts(2*mailbox.YieldEntries+1, 1))
	lines(2*len(sizes), 3)
	r.gate <- struct{}{}
	settled(t, r.mb, last)
	stop(t, system, pid)
}

// Kill or Drop with nothing waiting still closes the mailbox; after Drop,
// Exited reports true.
func TestKillWithNothingWaitingCloses(t *testing.T) {
	for _, exit := range []bool{false, true} {
		t.Run(fmt.Sprint("drop=", exit), func(t *testing.T) {
			system := actortest.NewSystem(t)
			r := newTape(false)
			pid := spawnTape(t, system, r, mailbox.Options{})
			seq := post(t, r.mb, "a", 0)
			settled(t, r.mb, seq)
			kill := r.mb.Kill
			if exit {
				kill = r.mb.Drop
			}
			lines, msgs := kill()
			assert.Zero(t, lines)
			assert.Empty(t, msgs)
			assert.Equal(t, exit, r.mb.Exited())
			assert.False(t, r.mb.Dropped(seq))
			_, _, _, ok := r.mb.Post("late", 0)
			assert.False(t, ok)
			assert.Equal(t, 0, r.mb.Len())
			stop(t, system, pid)
			assert.Equal(t, []string{"a", "stopping"}, r.written())
		})
	}
}

// Once a flood is handled, the next take lets go of the flood's memory
// (keepCap).
func TestAFloodIsNotHeldOnTo(t *testing.T) {
	const lines, size = 16 << 10, 2 << 10 // 32 MiB of text
	system := actortest.NewSystem(t)
	gate, entered := make(chan struct{}), make(chan struct{})
	var got atomic.Int64
	mb := mailbox.New(mailbox.Options{})
	pid := system.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case string:
			entered <- struct{}{}
			<-gate
		case *mailbox.Page:
			got.Add(int64(len(m.Lines)))
		}
	}, actor.WithMailbox(mb.Producer())))
	heap := func() uint64 {
		runtime.GC()
		var s runtime.MemStats
		runtime.ReadMemStats(&s)
		return s.HeapAlloc
	}
	before := heap()
	post(t, mb, "held", 0)
	<-entered // held while the flood is posted: one take has it all
	line := make([]byte, size)
	var last uint64
	for i := range lines {
		seq, _, _, ok := mb.PostLine(line, at(i), core.LevelInfo, uint32(i))
		require.True(t, ok)
		last = seq
	}
	gate <- struct{}{}
	settled(t, mb, last)
	assert.Equal(t, int64(lines), got.Load())
	last = post(t, mb, "next", 0)
	<-entered // taken, and held while the heap is measured
	after := heap()
	gate <- struct{}{}
	settled(t, mb, last)
	stop(t, system, pid)
	assert.Less(t, int64(after)-int64(before), int64(lines*size/4), "heap before %d, after %d", before, after)
}

// A backlog taken at once after a stall reaches the actor in deliveries
// of at most MaxDelivery entries, and what waits behind the one in hand
// still counts in Len.
func TestABacklogComesInBoundedDeliveries(t *testing.T) {
	system := actortest.NewSystem(t)
	r := newTape(true)
	r.holdAt = "held"
	pid := spawnTape(t, system, r, mailbox.Options{})
	post(t, r.mb, "held", 0)
	<-r.entered
	const lines, events = 2*mailbox.MaxDelivery + 7, mailbox.MaxDelivery + 3
	var last uint64
	for i := range lines {
		last = postLine(t, r.mb, fmt.Sprint("l", i), uint32(i))
	}
	for i := range events {
		last = post(t, r.mb, ev(i), uint32(i))
	}
	require.Equal(t, lines+events, r.mb.Len())
	r.gate <- struct{}{}
	settled(t, r.mb, last)
	var sizes []int
	for _, p := range r.pagesGot() {
		sizes = append(sizes, len(p.Lines))
	}
	assert.Equal(t, []int{mailbox.MaxDelivery, mailbox.MaxDelivery, 7}, sizes)
	batches := 0
	for _, w := range r.written() {
		if w == "batch" {
			batches++
		}
	}
	assert.Equal(t, 2, batches, "events: one full batch and the rest")
	stop(t, system, pid)
}
