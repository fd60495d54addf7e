package sinks

import (
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
)

// A report made while no incarnation of its sink runs waits in the inbox
// for the next one, counted with the queue; once the sink is closed, it
// is counted as dropped. Nothing is lost without a count.
func TestDeliverWaitsForTheNextIncarnation(t *testing.T) {
	s, err := New(actortest.NewSystem(t), "audit", Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	s.deliver(&core.Event{Level: core.LevelWarning, Message: "made while no incarnation runs"})
	if n := s.in.len(); n != 1 {
		t.Fatalf("the inbox holds %d events, want the report", n)
	}
	if q := s.QueueLen(); q != 1 {
		t.Errorf("queue %d, want 1: the report counts", q)
	}
	items := s.in.take()
	if len(items) != 1 || items[0].e.Message != "made while no incarnation runs" {
		t.Fatalf("took %v", items)
	}
	s.in.taken(len(items))

	s.Close()
	s.deliver(&core.Event{Level: core.LevelWarning, Message: "after the last incarnation"})
	if got := s.Drops().Closed.Load(); got != 1 {
		t.Errorf("Closed drops %d, want 1: the report is counted", got)
	}
}
