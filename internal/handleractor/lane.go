package handleractor

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
)

// lineLogger is a handler that writes a line formatted ahead without its
// event, as Log writes the line Config.Format makes of an event of time t
// and level level (Console and File): what a handler's actor does with the
// lines of its lane.
type lineLogger interface {
	handlers.LineWriter
	LogLine(line []byte, t time.Time, level core.Level, cfg *handlers.Config) error
}

// Lane is a handler's queue of lines, formatted ahead by the logging
// callers, that its actor writes with LogLine: the lines of a
// whole page at once, in the order they were put. A sink puts an event's
// line in the lanes of its handlers instead of sending them the event
// while every handler of the sink is a Console or a File that runs nothing but
// actorlog's code (Installed.Lane) and no trace is set; in sync mode the
// caller then waits until its lines are written (Wake). The handler's
// actor takes its lane before every message it handles, so a Flush (or
// anything else sent after an event) follows the event's line. A handler
// that stops closes its lane: what a caller puts then is refused, and goes
// the usual way.
//
// A lane is cut in shards, each with its own lock and page, so that
// callers on different processors do not write the same memory: a caller
// puts its line in the shard its event's home (core.Event.Home) names.
// Every line is numbered as it is put, under its shard's lock, from one
// count for the whole lane; the handler takes every shard at once, with
// all their locks held, and merges their lines by number. What it takes is
// then every line up to some number, in the order they were put.
type Lane struct {
	// put counts the lines ever put, numbering them; finished those ever
	// written or dropped. Lines finish in the order they were numbered,
	// so line k is finished once finished >= k, and put - finished lines
	// wait.
	put atomic.Uint64
	_   [56]byte
	// posted: the actor was told, and has not taken the lane since.
	posted atomic.Bool
	_      [63]byte

	shards atomic.Pointer[[]laneShard] // made on the first use

	finished atomic.Uint64
	// taken counts the lines ever taken from the lane: by the handler,
	// or by Kill, which drops them.
	taken   atomic.Uint64
	waiting atomic.Int32 // callers about to take, or holding, a wake channel
	wmu     sync.Mutex
	onWake  int32         // callers given wake
	wake    chan struct{} // closed when lines are finished, for callers waiting (Wake)
	counted atomic.Int64  // lines a killer counted as dropped (see Kill)
	// Kill dropped lines killedFrom to killedTo, set before they finish.
	killedFrom, killedTo atomic.Uint64
	exited               atomic.Bool // Drop, not a killer, dropped them

	// The taker's, under tmu: the merged page given back (done), and the
	// shards' pages taken last, to become their next ones.
	tmu   sync.Mutex
	spare Page
	next  []Page
}

// laneShard is one shard of a lane, padded to two cache lines of its own.
type laneShard struct {
	shardState
	_ [128 - unsafe.Sizeof(shardState{})%128]byte
}

// shardState is what a lane's shard holds.
type shardState struct {
	mu     sync.Mutex
	closed bool
	page   Page
}

// laneShards is how many shards a lane has: twice the processors, so
// that two callers running at once rarely share one, and at most 16.
func laneShards() int { return min(2*max(runtime.GOMAXPROCS(0), 1), 16) }

// Page is lines taken from a Lane: Text holds them one after another, and
// Marks says where each ends, and the time and level of its event; Levels
// has the bit of each line's level.
type Page struct {
	Text   []byte
	Marks  []LineMark
	Levels core.Mask
}

// pageLogger is a lineLogger that writes a whole page at once, sparing
// the work LogLine does for each line (File): LogPage writes the lines of
// text as LogLine would, one after another, and returns true; or it
// returns false, having done nothing, when one of them needs LogLine's own
// handling, and the lines are then written with LogLine.
type pageLogger interface {
	lineLogger
	LogPage(text []byte, first, last time.Time, levels core.Mask, cfg *handlers.Config) bool
}

// LineMark is a line of a Page.
type LineMark struct {
	End   int // where the line ends in Text
	Time  time.Time
	Level core.Level
	seq   uint64 // the line's number in its lane
}

// Line returns line i of p.
func (p *Page) Line(i int) []byte {
	start := 0
	if i > 0 {
		start = p.Marks[i-1].End
	}
	return p.Text[start:p.Marks[i].End]
}

// shardList returns the lane's shards, made on the first call.
func (l *Lane) shardList() []laneShard {
	if sh := l.shards.Load(); sh != nil {
		return *sh
	}
	l.tmu.Lock()
	defer l.tmu.Unlock()
	if sh := l.shards.Load(); sh != nil {
		return *sh
	}
	sh := make([]laneShard, laneShards())
	l.next = make([]Page, len(sh))
	l.shards.Store(&sh)
	return sh
}

// Put adds a line of an event of time t and level level, from an event
// whose home (core.Event.Home) is home, and returns the lines now waiting
// (Len), or -1 when the lane is closed. post is true when the caller must
// tell the handler's actor (LaneFilled), which it was not since it last
// took the lane. seq numbers the line, for Wake. yield is true when the
// line brought the lines of its shard that the handler has not taken past
// a multiple of YieldBytes: the caller should let the handler's goroutine
// run (runtime.Gosched), or callers that never wait would fill the lane
// for a whole slice of the scheduler's time, megabytes, before it does.
func (l *Lane) Put(line []byte, t time.Time, level core.Level, home uint32) (seq uint64, waiting int, post, yield bool) {
	shards := l.shardList()
	sh := &shards[home%uint32(len(shards))]
	sh.mu.Lock()
	if sh.closed {
		sh.mu.Unlock()
		return 0, -1, false, false
	}
	before := len(sh.page.Text)
	sh.page.Text = append(sh.page.Text, line...)
	yield = before/YieldBytes != len(sh.page.Text)/YieldBytes
	seq = l.put.Add(1)
	sh.page.Marks = append(sh.page.Marks, LineMark{End: len(sh.page.Text), Time: t, Level: level, seq: seq})
	sh.page.Levels |= level.Bit()
	post = !l.posted.Load() && l.posted.CompareAndSwap(false, true)
	sh.mu.Unlock()
	// finished is read after the lock: it sits on a cache line that the
	// handler writes. The handler may have written line seq by then.
	return seq, max(int(int64(seq)-int64(l.finished.Load())), 0), post, yield
}

// YieldBytes is how much text a lane's shard holds, not taken by the
// handler, each time Put tells its caller to yield: a page that stays in
// the processors' caches.
const YieldBytes = 32 << 10

// Wake returns nil once line seq (numbered by Put) is written, or dropped
// and counted; until then, a channel closed the next time lines of the
// lane are. A caller in sync mode waits for its line with it, and asks
// again when the channel is closed.
func (l *Lane) Wake(seq uint64) <-chan struct{} {
	if l.finished.Load() >= seq {
		return nil
	}
	l.waiting.Add(1)
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if l.finished.Load() >= seq { // finished before the waiter was seen
		l.waiting.Add(-1)
		return nil
	}
	if l.wake == nil {
		l.wake = make(chan struct{})
	}
	l.onWake++
	return l.wake
}

// finish records that k more lines were written or dropped, and wakes the
// callers waiting for lines.
func (l *Lane) finish(k int) {
	if k <= 0 {
		return
	}
	l.finished.Add(uint64(k))
	// A waiter counts itself before it reads finished; one not seen here
	// saw the lines finished.
	if l.waiting.Load() == 0 {
		return
	}
	l.wmu.Lock()
	if l.wake != nil {
		close(l.wake)
		l.wake = nil
		l.waiting.Add(-l.onWake)
		l.onWake = 0
	}
	l.wmu.Unlock()
}

// Len returns how many lines are waiting to be written. It is the
// handler's: finished, which only the handler moves (Kill aside), is read
// first, so that a line put meanwhile is counted.
func (l *Lane) Len() int {
	done := l.finished.Load()
	return int(l.put.Load() - done)
}

// queued is Len for any other goroutine, as the sink's mode decision
// reads it: put is read before finished, so that a caller delayed between
// the two reads, while other callers put lines and the handler writes
// them, counts fewer lines than were waiting, never more. Read the other
// way, a delay of a few milliseconds counted thousands of lines that had
// long been written, and threw the sink into discard mode.
func (l *Lane) queued() int {
	put := l.put.Load()
	if testBetweenReads != nil {
		testBetweenReads()
	}
	return max(int(int64(put)-int64(l.finished.Load())), 0)
}

// testBetweenReads, when set by a test, runs between queued's two reads.
var testBetweenReads func()

// take returns the lines put since the last take (an empty page if none);
// they stay counted by Len until written (done).
func (l *Lane) take() Page { return l.takeWith(nil) }

// takeWith takes the lines of every shard, with all their locks held, and
// calls locked (if not nil) before it lets go of them; it returns the
// lines merged in the order they were numbered.
func (l *Lane) takeWith(locked func(shards []laneShard)) Page {
	shards := l.shardList()
	l.tmu.Lock()
	defer l.tmu.Unlock()
	for i := range shards { // in order: a caller holds one lock at most
		shards[i].mu.Lock()
	}
	if locked != nil {
		locked(shards)
	}
	l.posted.Store(false)
	n, size, levels, from := 0, 0, core.Mask(0), -1
	for i := range shards {
		sh := &shards[i]
		if len(sh.page.Marks) > 0 {
			n += len(sh.page.Marks)
			size += len(sh.page.Text)
			levels |= sh.page.Levels
			from = i
		}
		sh.page, l.next[i] = Page{Text: l.next[i].Text[:0], Marks: l.next[i].Marks[:0]}, sh.page
	}
	base := l.taken.Add(uint64(n)) - uint64(n) + 1 // the first line's number
	for i := range shards {
		shards[i].mu.Unlock()
	}
	out := Page{Text: l.spare.Text[:0], Marks: l.spare.Marks[:0], Levels: levels}
	l.spare = Page{}
	if n > 0 && len(l.next[from].Marks) == n { // one shard's lines: its page
		out, l.next[from] = l.next[from], out
	} else if n > 0 {
		l.merge(&out, base, n, size)
	}
	for i := range l.next {
		if cap(l.next[i].Text) > keepPage {
			l.next[i] = Page{} // not kept after a flood
		}
	}
	return out
}

// merge puts in out the n lines (size bytes) of the shards' pages taken,
// numbered base to base+n-1, each where its number says: all their marks
// first, with their lengths, then where each ends, then their text.
func (l *Lane) merge(out *Page, base uint64, n, size int) {
	out.Marks = slices.Grow(out.Marks[:0], n)[:n]
	out.Text = slices.Grow(out.Text[:0], size)[:size]
	for i := range l.next {
		start := 0
		for _, m := range l.next[i].Marks {
			end := m.End
			m.End -= start
			out.Marks[m.seq-base] = m
			start = end
		}
	}
	end := 0
	for i := range out.Marks {
		end += out.Marks[i].End
		out.Marks[i].End = end
	}
	for i := range l.next {
		p := &l.next[i]
		for k := range p.Marks {
			j := p.Marks[k].seq - base
			start := 0
			if j > 0 {
				start = out.Marks[j-1].End
			}
			copy(out.Text[start:out.Marks[j].End], p.Line(k))
		}
	}
}

// keepPage is the largest shard's page kept for reuse, in bytes (and the
// merged page's, per shard): after a flood a lane does not hold on to the
// flood's memory.
const keepPage = 1 << 20

// done stops counting k lines of p written, and gives p back for reuse
// once all of them were.
func (l *Lane) done(p Page, k int, all bool) {
	l.finish(k)
	if !all || cap(p.Text) > keepPage*len(l.shardList()) {
		return
	}
	l.tmu.Lock()
	if l.spare.Text == nil {
		l.spare = p
	}
	l.tmu.Unlock()
}

// close closes the lane and returns what it still held.
func (l *Lane) close() Page {
	return l.takeWith(func(shards []laneShard) {
		for i := range shards {
			shards[i].closed = true
		}
	})
}

// CountKilled records, and returns, the lines a killer counts as dropped:
// those the handler has not taken. The lines it took are written though
// the sink is killed.
func (l *Lane) CountKilled() int {
	taken := l.taken.Load() // first: put can only be more by the time it is read
	n := int(l.put.Load() - taken)
	l.counted.Store(int64(n))
	return n
}

// Kill closes the lane and drops its lines, as the killer of its sink
// does with the handler's queue; it returns how many more lines it
// dropped than CountKilled counted, or fewer (below zero) when the
// handler took some of those in between, which it writes.
func (l *Lane) Kill() int {
	return l.drop() - int(l.counted.Swap(0))
}

// Drop closes the lane and drops its lines, counted by the caller, as a
// handler that exits after failures does (see Stats.Exit); it returns how
// many it dropped. Callers waiting for those lines learn from Killed that
// they were dropped, and from Exited why.
func (l *Lane) Drop() int {
	l.exited.Store(true)
	return l.drop()
}

// Exited reports whether the lane's handler exited after failures (Drop).
func (l *Lane) Exited() bool { return l.exited.Load() }

// drop closes the lane and drops its lines; it returns how many.
func (l *Lane) drop() int {
	p := l.takeWith(func(shards []laneShard) {
		held := 0
		for i := range shards {
			shards[i].closed = true
			held += len(shards[i].page.Marks)
		}
		put := l.put.Load()
		l.killedFrom.Store(put - uint64(held) + 1)
		l.killedTo.Store(put)
	})
	l.finish(len(p.Marks))
	return len(p.Marks)
}

// Killed reports whether line seq (numbered by Put), once finished (Wake
// returned nil), was dropped by Kill rather than written.
func (l *Lane) Killed(seq uint64) bool {
	return seq >= l.killedFrom.Load() && seq <= l.killedTo.Load()
}

// LaneFilled tells a handler's actor that its lane holds lines.
type LaneFilled struct{}
