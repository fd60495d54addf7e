package sinks

import (
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
)

// A report made while no incarnation of its sink runs goes to standard
// error, counted as NotRunning; once the sink is closed, it is counted as
// Closed. Nothing is lost without a count.
func TestDeliverWithoutAnIncarnationIsCounted(t *testing.T) {
	s, err := New(actortest.NewSystem(t), "audit", Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	s.deliver(&core.Event{Level: core.LevelWarning, Message: "made while no incarnation runs"})
	if got := s.Drops().NotRunning.Load(); got != 1 {
		t.Errorf("NotRunning drops %d, want 1: the report is counted", got)
	}
	s.Close()
	s.deliver(&core.Event{Level: core.LevelWarning, Message: "after the last incarnation"})
	if got := s.Drops().Closed.Load(); got != 1 {
		t.Errorf("Closed drops %d, want 1: the report is counted", got)
	}
}
