package actorlog_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/handlers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Callers logging while the system stops lose nothing uncounted: every
// event is in the file, once, or counted as dropped (Closed, once the
// sink is closed). The lines are posted to the file handler's mailbox, and
// the file writes behind.
func TestStopUnderLoadLosesNothingUncounted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "file", Level: "info"},
		Handler: &handlers.File{Path: path, SyncOn: "none", Date: handlers.DateNone, Size: handlers.Off}})
	log := s.Logger()
	var logged atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				log.Info(fmt.Sprintf("event %d-%d", p, i))
				logged.Add(1)
			}
		})
	}
	for logged.Load() < 20_000 {
		runtime.Gosched()
	}
	require.NoError(t, s.Stop(bg(t)))
	for logged.Load() < 30_000 { // and on, after the stop
		runtime.Gosched()
	}
	close(stop)
	wg.Wait()

	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	seen := map[string]bool{}
	dups := 0
	re := regexp.MustCompile(`event (\d+-\d+)$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			if seen[m[1]] {
				dups++
			}
			seen[m[1]] = true
		}
	}
	require.NoError(t, sc.Err())
	drops := actorlog.SinkOf(s).Dropped()
	n := logged.Load()
	assert.Zero(t, dups)
	assert.GreaterOrEqual(t, int64(len(seen))+drops, n, "written %d + dropped %d, of %d logged", len(seen), drops, n)
	assert.LessOrEqual(t, int64(len(seen)), n)
}
