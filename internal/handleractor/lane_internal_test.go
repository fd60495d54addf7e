package handleractor

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// closed reports whether ch is closed, without waiting.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// panicWriter panics on every write.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("a writer bug") }

// panicConsole returns a Console, added, whose every write panics.
func panicConsole(t *testing.T) *handlers.Console {
	h := &handlers.Console{Writer: panicWriter{}}
	require.NoError(t, h.Add(&handlers.Config{ID: "console"}))
	return h
}

// A caller waiting for its line (Wake) is woken when the line is written,
// or dropped by a panic, a stopping handler or a killer; never before.
func TestLaneWakesTheCallersOfFinishedLines(t *testing.T) {
	cases := []struct {
		name string
		// finish ends lines of the lane of st, whose page the handler
		// took as p, and returns how many.
		finish func(st *Stats, p Page) int
	}{
		{"line written", func(st *Stats, p Page) int { st.Lane.done(p, 1, false); return 1 }},
		{"page written", func(st *Stats, p Page) int { st.Lane.done(p, len(p.Marks), true); return 2 }},
		{"killed", func(st *Stats, _ Page) int { st.Lane.Kill(); return 2 }},
		{"lost to a panic", func(st *Stats, p Page) int {
			r := &runner{stats: st, h: panicConsole(t), added: true}
			func() {
				defer func() { _ = recover() }()
				r.writeLines(nil, p, 0)
			}()
			return 1 // the second line is kept for after the restart
		}},
		{"kept after a panic, then dropped", func(st *Stats, p Page) int {
			r := &runner{stats: st, h: panicConsole(t), added: true}
			func() {
				defer func() { _ = recover() }()
				r.writeLines(nil, p, 0)
			}()
			r.dropCarriedLines() // the handler stopped
			return 2
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := &Stats{}
			l := &st.Lane
			now := time.Now()
			first, waiting, post, _ := l.Put([]byte("a\n"), now, core.LevelInfo, 0)
			require.Equal(t, 1, waiting)
			assert.True(t, post, "the first line tells the actor")
			second, _, post, _ := l.Put([]byte("b\n"), now, core.LevelInfo, 1)
			assert.False(t, post, "the actor was told already")
			require.Greater(t, second, first)

			w1, w2 := l.Wake(first), l.Wake(second)
			require.NotNil(t, w1)
			require.NotNil(t, w2)
			assert.False(t, closed(w1), "nothing was written yet")

			var p Page
			if c.name != "killed" {
				p = l.take()
				require.Len(t, p.Marks, 2)
				assert.Equal(t, 2, l.Len(), "taken lines count until written")
			}
			n := c.finish(st, p)
			assert.Equal(t, c.name == "killed", l.Killed(first), "only the killer's lines are told apart")
			assert.Equal(t, c.name == "killed", l.Killed(second))
			assert.True(t, closed(w1), "the waiters are woken")
			assert.Nil(t, l.Wake(first), "the first line is finished")
			assert.Equal(t, 2-n, l.Len())
			if n == 2 {
				assert.Nil(t, l.Wake(second))
				return
			}
			again := l.Wake(second)
			require.NotNil(t, again, "the second line is not finished")
			assert.False(t, closed(again))
		})
	}
}

// A closed lane refuses lines, with no number to wait for.
func TestLaneClosedRefuses(t *testing.T) {
	var l Lane
	l.Put([]byte("a\n"), time.Now(), core.LevelInfo, 0)
	p := l.close()
	require.Len(t, p.Marks, 1)
	seq, waiting, post, _ := l.Put([]byte("b\n"), time.Now(), core.LevelInfo, 1)
	assert.Equal(t, uint64(0), seq)
	assert.Equal(t, -1, waiting)
	assert.False(t, post)
}

// Many callers waiting while the handler writes page after page all go on,
// each once its own line is written (run with -race).
func TestLaneWakesEveryWaiter(t *testing.T) {
	var l Lane
	const callers, each = 8, 200
	stop := writeLane(&l, nil)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for i := range each {
				seq, _, _, _ := l.Put(fmt.Appendf(nil, "%d %d\n", c, i), time.Now(), core.LevelInfo, uint32(c))
				for wake := l.Wake(seq); wake != nil; wake = l.Wake(seq) {
					<-wake
				}
				if got := l.finished.Load(); got < seq {
					t.Errorf("woken at %d finished, for line %d", got, seq)
					return
				}
			}
		})
	}
	wg.Wait()
	stop()
	assert.Equal(t, uint64(callers*each), l.finished.Load())
	assert.Equal(t, int32(0), l.waiting.Load(), "no waiter is left counted")
	assert.Equal(t, 0, l.Len())
}

// Put never reports fewer than zero lines waiting, though the handler may
// write a caller's line before Put returns (a negative count reads as a
// closed lane, and the caller would log the event twice). Run with -race.
func TestLanePutWhileWritten(t *testing.T) {
	var l Lane
	const callers, each = 8, 5000
	stop := writeLane(&l, nil) // writing as fast as it can
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for range each {
				if _, waiting, _, _ := l.Put([]byte("line\n"), time.Now(), core.LevelInfo, uint32(c)); waiting < 0 {
					t.Errorf("Put reported %d waiting on an open lane", waiting)
					return
				}
			}
		})
	}
	wg.Wait()
	stop()
	assert.Equal(t, uint64(callers*each), l.put.Load())
}

// The killer counts the lines the handler has not taken; Kill says how
// many more it dropped than that, or fewer when the handler took some in
// between (those are written, not dropped).
func TestLaneKillCountsWhatItDrops(t *testing.T) {
	cases := []struct {
		name string
		// Lines put and taken (a whole page, kept by the handler) before
		// CountKilled; then whether the handler takes its page, and the
		// lines put, before Kill.
		inHand, waiting int
		takeAfter       bool
		putAfter        int
		counted, extra  int
	}{
		{"nothing taken", 0, 3, false, 0, 3, 0},
		{"a page in hand", 2, 1, false, 0, 1, 0},
		{"taken in between", 0, 3, true, 0, 3, -3},
		{"put in between", 0, 3, false, 2, 3, 2},
		{"taken, then put, in between", 1, 2, true, 2, 2, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var l Lane
			put := func(n int) {
				for i := range n { // over the shards
					l.Put([]byte("x\n"), time.Now(), core.LevelInfo, uint32(i))
				}
			}
			put(c.inHand)
			if c.inHand > 0 {
				require.Len(t, l.take().Marks, c.inHand)
			}
			put(c.waiting)
			assert.Equal(t, c.counted, l.CountKilled())
			if c.takeAfter {
				require.Len(t, l.take().Marks, c.waiting)
			}
			put(c.putAfter)
			assert.Equal(t, c.extra, l.Kill())
		})
	}
}

// Callers on different shards, one of them changing shard at every line
// as a goroutine moving between processors does, while the handler takes
// page after page: the handler gets every line once, by number (one
// after another, with no gap), and each caller's lines in the order it
// put them. Run with -race.
func TestLaneKeepsTheOrderAcrossShards(t *testing.T) {
	var l Lane
	const callers, each = 6, 2000
	var lines []string
	var want uint64 = 1
	stop := writeLane(&l, func(p Page) {
		for i := range p.Marks {
			if p.Marks[i].seq != want {
				t.Errorf("line %d taken where %d was due", p.Marks[i].seq, want)
			}
			want = p.Marks[i].seq + 1
			lines = append(lines, string(p.Line(i)))
		}
	})
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			for i := range each {
				home := uint32(c)
				if c == 0 {
					home = uint32(i) // a new shard every line
				}
				l.Put(fmt.Appendf(nil, "%d %d", c, i), time.Now(), core.LevelInfo, home)
			}
		})
	}
	wg.Wait()
	stop()
	require.Equal(t, callers*each, len(lines), "lines taken")
	next := make([]int, callers)
	for _, line := range lines {
		var c, i int
		_, err := fmt.Sscanf(line, "%d %d", &c, &i)
		require.NoError(t, err)
		require.Equal(t, next[c], i, "caller %d's lines in order", c)
		next[c]++
	}
}

// Put asks its caller to yield each time the text of its shard that the
// handler has not taken passes a multiple of YieldBytes, and again only
// after the handler took it.
func TestLanePutYieldsByThePage(t *testing.T) {
	var l Lane
	line := make([]byte, 1000)
	yields := func(n int) (at []int) {
		for i := range n {
			if _, _, _, yield := l.Put(line, time.Now(), core.LevelInfo, 0); yield {
				at = append(at, i)
			}
		}
		return at
	}
	per := YieldBytes / len(line) // lines before the text passes YieldBytes
	assert.Equal(t, []int{per, 2*per + 1}, yields(2*per+2), "at each multiple")
	assert.Len(t, l.take().Marks, 2*per+2)
	assert.Equal(t, []int{per}, yields(per+1), "the handler took the page: from zero")
	_, _, _, yield := l.Put(line, time.Now(), core.LevelInfo, 1)
	assert.False(t, yield, "another shard counts its own")
}

// writeLane runs a stand-in for the handler's actor until the returned
// stop is called: it takes page after page of l, gives each page that has
// lines to got (if not nil), and marks its lines written. stop waits for
// it, after a last take that finds the lane empty.
func writeLane(l *Lane, got func(Page)) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for stopped := false; ; {
			select {
			case <-quit:
				stopped = true
			default:
			}
			p := l.take()
			if len(p.Marks) > 0 {
				if got != nil {
					got(p)
				}
				l.done(p, len(p.Marks), true)
			} else if stopped {
				return
			}
		}
	}()
	return func() { close(quit); <-done }
}

// The queue the sink's mode is set from never counts lines that were put
// and written while its reader was delayed between its two reads: such
// a count once threw a sink into discard mode with a dozen lines waiting.
func TestLaneQueuedNeverCountsLinesAlreadyWritten(t *testing.T) {
	tests := []struct {
		name             string
		waiting, between int // lines waiting before the read; put and written during it
		want             int
	}{
		{"nothing moves", 3, 0, 3},
		{"a flood written meanwhile", 3, 5000, 3},
		{"an empty lane", 0, 100, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Lane
			put := func(n int) {
				for range n {
					l.Put([]byte("line\n"), time.Time{}, core.LevelInfo, 0)
				}
			}
			put(tt.waiting)
			testBetweenReads = func() {
				p := l.take() // the lines waiting, and those put now, written
				put(tt.between)
				p2 := l.take()
				l.done(p, len(p.Marks), true)
				l.done(p2, len(p2.Marks), true)
				put(tt.waiting) // as many waiting again
			}
			defer func() { testBetweenReads = nil }()
			if got := l.queued(); got > tt.want {
				t.Errorf("queued = %d, want at most %d: it counted lines already written", got, tt.want)
			}
		})
	}
}
