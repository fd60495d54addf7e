package actorlog_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/sinks"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A handler removed while a flush waits for it has left: it is done, not
// an error. Handlers come and go while the flushes run.
func TestFlushUnderHandlerChurn(t *testing.T) {
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "stays"}, Handler: mem})
	ctx := bg(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			id := fmt.Sprintf("churn-%d", i)
			if err := s.AddHandler(ctx, actorlog.Handler{Config: handlers.Config{ID: id}, Handler: &handlers.Memory{}}); err != nil {
				t.Errorf("add %s: %v", id, err)
				return
			}
			if err := s.RemoveHandler(ctx, id); err != nil {
				t.Errorf("remove %s: %v", id, err)
				return
			}
		}
	})
	const flushes = 300
	failed := 0
	for i := range flushes {
		s.Logger().Info("before the flush", "i", i)
		if err := s.Flush(ctx); err != nil {
			failed++
			if failed == 1 {
				t.Errorf("flush %d: %v", i, err)
			}
		}
	}
	close(stop)
	wg.Wait()
	assert.Zero(t, failed, "flushes that failed of %d", flushes)
	require.NoError(t, s.Flush(ctx))
	assert.Len(t, mem.Events(), flushes, "the handler that stays has every event")
}

// flaky panics on every event whose "i" is a multiple of every, and
// counts the others it handled.
type flaky struct {
	every           int64
	handled, panics atomic.Int64
}

func (f *flaky) Log(e *core.Event, _ *handlers.Config) error {
	for _, a := range e.Attrs {
		if a.Key == "i" && a.Value.Int64()%f.every == f.every-1 {
			f.panics.Add(1)
			panic("poisoned event")
		}
	}
	f.handled.Add(1)
	return nil
}

// A handler removed for its restart intensity (and installed again by its
// watcher) leaves nothing uncounted: what its mailbox held, the rest of a
// page or batch among it, is counted as it exits, and the callers waiting
// for it in sync mode get an error at once. The sync timeout is an hour:
// a caller left waiting for the exited handler would hang the test.
func TestAHandlerThatExitsCountsWhatItHeld(t *testing.T) {
	const producers, each = 4, 25_000
	h, reports := &flaky{every: 1000}, &handlers.Memory{}
	s := startCfg(t, actorlog.Config{
		Overload: sinks.Thresholds{SyncTimeout: time.Hour},
		Handlers: []actorlog.Handler{
			// Only the test's events: the reports of its exits go to
			// the other handler, and are neither handled nor dropped
			// here.
			{Config: handlers.Config{ID: "flaky", Level: "=info"}, Handler: h},
			{Config: handlers.Config{ID: "reports", Level: "warning"}, Handler: reports},
		},
	})
	log := s.Logger()
	var exited atomic.Int64
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := p * each; i < (p+1)*each; i++ {
				err := log.Emit(context.Background(), actorlog.LevelInfo, "event", slog.Int("i", i))
				switch {
				case err == nil, errors.Is(err, sinks.ErrDropped):
				case errors.Is(err, sinks.ErrHandlerExited):
					exited.Add(1)
				default:
					t.Errorf("event %d: %v", i, err)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(deadline):
		t.Fatal("callers still wait for a handler that exited")
	}
	ctx := bg(t)
	sink := actorlog.SinkOf(s)
	require.Eventually(t, func() bool {
		st, err := sink.Status(ctx)
		return err == nil && len(st.Awaited) == 0 && len(st.Handlers) == 2
	}, deadline, time.Millisecond, "the handler is back")
	require.NoError(t, s.Flush(ctx))
	st, err := sink.Status(ctx)
	require.NoError(t, err)
	assert.Positive(t, st.Drops.Exited, "some events were queued when the handler exited")
	var reported int64
	for _, e := range reports.Events() {
		if strings.Contains(e.Message, "handler flaky in sink default exited: ") {
			for _, a := range e.Attrs {
				if a.Key == "dropped" {
					reported += a.Value.Int64()
				}
			}
		}
	}
	assert.Equal(t, st.Drops.Exited, reported, "the reports of its exits count what it held")
	assert.Equal(t, int64(producers*each), h.handled.Load()+h.panics.Load()+st.Drops.Total(),
		"every event handled, panicked on, or counted: handled %d, panics %d, drops %+v, callers told %d",
		h.handled.Load(), h.panics.Load(), st.Drops, exited.Load())
}
