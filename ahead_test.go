package actorlog_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// taggedFormat writes "tag: message\n" and counts its calls; with gate
// set, each call says it started and waits for gate to be closed.
type taggedFormat struct {
	tag     string
	calls   atomic.Int64
	entered chan struct{}
	gate    chan struct{}
}

func (f *taggedFormat) Format(dst []byte, e *core.Event) []byte {
	f.calls.Add(1)
	if f.gate != nil {
		f.entered <- struct{}{}
		<-f.gate
	}
	return append(append(append(dst, f.tag...), ": "...), e.Message+"\n"...)
}

// notLines writes what Config.Format makes, but does not say so
// (handlers.LineWriter): the sink leaves the formatting to it.
type notLines struct{ out *actortest.Buffer }

func (h notLines) Log(e *core.Event, cfg *handlers.Config) error {
	_, err := h.out.Write(cfg.Format(nil, e))
	return err
}

func TestLinesAreFormattedByTheCaller(t *testing.T) {
	f := &taggedFormat{tag: "a", entered: make(chan struct{}), gate: make(chan struct{})}
	out := &actortest.Buffer{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "console", Formatter: f}, Handler: &handlers.Console{Writer: out}})

	returned := make(chan struct{})
	go func() {
		s.Logger().Info("hello")
		close(returned)
	}()
	<-f.entered // the formatter runs…
	select {
	case <-returned:
		t.Fatal("the call returned while its line was being formatted: it was not formatted by the caller")
	default: // …inside the logging call
	}
	close(f.gate)
	<-returned
	go func() {
		for range f.entered { // later calls pass the open gate
		}
	}()
	require.NoError(t, s.Flush(bg(t)))
	close(f.entered)
	assert.Equal(t, "a: hello\n", out.String())
	assert.EqualValues(t, 1, f.calls.Load(), "formatted once: the handler copied the caller's line")
}

func TestAHandlerThatDoesNotWriteLinesFormatsItself(t *testing.T) {
	f := &taggedFormat{tag: "b", entered: make(chan struct{}, 1), gate: make(chan struct{})}
	out := &actortest.Buffer{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "plain", Formatter: f}, Handler: notLines{out: out}})
	s.Logger().Info("hello") // returns while the handler's formatter waits
	<-f.entered
	close(f.gate)
	require.NoError(t, s.Flush(bg(t)))
	assert.Equal(t, "b: hello\n", out.String())
	assert.EqualValues(t, 1, f.calls.Load())
}

func TestLinesForSeveralHandlersAndFormatters(t *testing.T) {
	fa, fb, fc := &taggedFormat{tag: "a"}, &taggedFormat{tag: "b"}, &taggedFormat{tag: "c"}
	outs := []*actortest.Buffer{{}, {}, {}, {}}
	s := start(t,
		actorlog.Handler{Config: handlers.Config{ID: "a1", Formatter: fa}, Handler: &handlers.Console{Writer: outs[0]}},
		actorlog.Handler{Config: handlers.Config{ID: "a2", Formatter: fa, Level: "error"}, Handler: &handlers.Console{Writer: outs[1]}},
		actorlog.Handler{Config: handlers.Config{ID: "b", Formatter: fb, Level: "warning"}, Handler: &handlers.Console{Writer: outs[2]}},
		// An event holds core.EventLines lines: a third formatter is run
		// by its handler.
		actorlog.Handler{Config: handlers.Config{ID: "c", Formatter: fc}, Handler: &handlers.Console{Writer: outs[3]}},
	)
	l := s.Logger()
	l.Info("one")
	l.Error("two")
	require.NoError(t, s.Flush(bg(t)))
	assert.Equal(t, "a: one\na: two\n", outs[0].String())
	assert.Equal(t, "a: two\n", outs[1].String())
	assert.Equal(t, "b: two\n", outs[2].String())
	assert.Equal(t, "c: one\nc: two\n", outs[3].String())
	// Each formatter ran once per event its handlers took: a's "two" was
	// formatted once for two handlers.
	assert.EqualValues(t, 2, fa.calls.Load())
	assert.EqualValues(t, 1, fb.calls.Load())
	assert.EqualValues(t, 2, fc.calls.Load())

	// A new formatter applies at once; the old one is no longer run.
	fd := &taggedFormat{tag: "d"}
	require.NoError(t, s.UpdateHandlerConfig(bg(t), "a1", func(c *handlers.Config) { c.Formatter = fd }))
	l.Info("three")
	require.NoError(t, s.Flush(bg(t)))
	assert.Equal(t, "a: one\na: two\nd: three\n", outs[0].String())
	assert.EqualValues(t, 2, fa.calls.Load())
	assert.EqualValues(t, 1, fd.calls.Load())
}

func TestAFormatterPanickingOnTheCallerLosesNothing(t *testing.T) {
	out := &actortest.Buffer{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "console", Formatter: &boom{}}, Handler: &handlers.Console{Writer: out}})
	assert.NotPanics(t, func() { s.Logger().Info("kept") })
	require.NoError(t, s.Flush(bg(t)))
	assert.Contains(t, out.String(), "formatter crash (boom): ")
	assert.Contains(t, out.String(), "[info] kept\n")
}

// boom is a formatter (a pointer, so the sink runs it ahead) that panics.
type boom struct{}

func (*boom) Format([]byte, *core.Event) []byte { panic("boom") }

var _ formatter.Formatter = &boom{}

// Flush returns once every event logged before it, by the flushing
// goroutine, was handled: the events are in the handler's mailbox before
// the Flush that follows them.
func TestFlushFollowsEveryEventLoggedBeforeIt(t *testing.T) {
	m, h := memory("mem", "info")
	s := start(t, h)
	l := s.Logger()
	const producers, events = 4, 500
	errs := make(chan error, producers)
	for p := range producers {
		go func() {
			for i := range events {
				l.Info("event", "p", p, "i", i)
			}
			if err := s.Flush(bg(t)); err != nil {
				errs <- err
				return
			}
			seen := 0
			for _, e := range m.Events() {
				if v, ok := e.Lookup("p"); ok && v.Int64() == int64(p) {
					seen++
				}
			}
			if seen != events {
				errs <- fmt.Errorf("producer %d: %d of its %d events handled when its Flush returned", p, seen, events)
				return
			}
			errs <- nil
		}()
	}
	for range producers {
		assert.NoError(t, <-errs)
	}
}
