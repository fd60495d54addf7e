package actorlog_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/handlers"
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
