package sinks_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/sinks"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestWatcherTemplateChecksItsArguments(t *testing.T) {
	start := sinks.WatcherTemplate().Start
	for _, args := range [][]any{nil, {1}, {&sinks.Watch{}}, {1, 2}} {
		if _, err := start(args); err == nil || !strings.Contains(err.Error(), "sinks: a watcher takes") {
			t.Errorf("args %v: got %v", args, err)
		}
	}
}

func TestASinkNotRunningCountsWhatItCannotTake(t *testing.T) {
	s, err := sinks.New(actortest.NewSystem(t), "audit", sinks.Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	if s.PID() != nil || s.Mask() != core.MaskNone || s.Enabled(core.LevelEmergency) {
		t.Fatal("a new sink has no actor and no level")
	}
	s.Close() // closed: counted, and not written to stderr
	for range 2 {
		if err := s.Log(&core.Event{Message: "lost"}); !errors.Is(err, sinks.ErrDropped) {
			t.Errorf("got %v, want ErrDropped", err)
		}
	}
	if got := s.Drops().Closed.Load(); got != 2 || s.Dropped() != 2 {
		t.Errorf("dropped %d, want 2", got)
	}
	if s.Name() != "audit" || s.Restarts() != 0 {
		t.Errorf("name %q restarts %d", s.Name(), s.Restarts())
	}
}

func TestBadThresholdsNameTheField(t *testing.T) {
	_, err := sinks.New(actortest.NewSystem(t), "audit", sinks.Thresholds{AsyncThreshold: 10, AsyncThresholdWindow: 20})
	if err == nil || !strings.Contains(err.Error(), `sinks: sink "audit": async_threshold_window: must not exceed async_threshold (10), got 20`) {
		t.Errorf("got %v", err)
	}
}
