package actorlog_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// When the supervision tree needs more restarts than it allows, the
// process does not die (lager's node does): logging goes to standard error,
// and says so.
func TestTheSystemFallsBackToStderrWhenItsTreeGivesUp(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stderr := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = stderr }()
	lines := make(chan string, 1<<16) // the reader never blocks the writers
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	defer func() { _ = w.Close(); <-done }()

	_, h := memory("mem", "")
	s := start(t, h)
	sink := actorlog.SinkOf(s)
	var last *actor.PID
	for range 11 { // the root allows 10 restarts in 60 s
		require.Eventually(t, func() bool { p := sink.PID(); return p != nil && p != last }, deadline, time.Millisecond,
			"the sink's next incarnation runs")
		last = sink.PID()
		require.NoError(t, actors.StopNow(bg(t), s.ActorSystem(), last))
	}
	want := "actorlog: the supervision tree gave up (shutdown: reached max restart intensity); logging to standard error from now on"
	waitLine(t, lines, want)
	s.Logger().Error("still heard")
	waitLine(t, lines, "still heard")
	assert.Positive(t, sink.Dropped())
}

func waitLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	timeout := time.After(deadline)
	var seen []string
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stderr closed before %q; saw %q", want, seen)
			}
			if strings.Contains(l, want) {
				return
			}
			seen = append(seen, l)
		case <-timeout:
			t.Fatalf("no %q on stderr; saw %q", want, seen)
		}
	}
}
