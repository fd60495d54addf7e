package sinks

import (
	"testing"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
)

func TestInbox(t *testing.T) {
	var in inbox
	e1, e2, e3 := &core.Event{Message: "1"}, &core.Event{Message: "2"}, &core.Event{Message: "3"}
	ack := handlers.NewAck()

	steps := []struct {
		name       string
		do         func() (ok, post bool)
		ok, post   bool
		wantLen    int
		wantTaken  []*core.Event
		takeBefore bool
	}{
		{name: "the first event tells the actor", do: func() (bool, bool) { return in.put(e1, nil) }, ok: true, post: true, wantLen: 1},
		{name: "the next ones do not", do: func() (bool, bool) { return in.put(e2, ack) }, ok: true, post: false, wantLen: 2},
		{name: "after a take, the actor is told again", takeBefore: true, wantTaken: []*core.Event{e1, e2},
			do: func() (bool, bool) { return in.put(e3, nil) }, ok: true, post: true, wantLen: 1},
	}
	for _, s := range steps {
		if s.takeBefore {
			items := in.take()
			if len(items) != len(s.wantTaken) {
				t.Fatalf("%s: took %d, want %d", s.name, len(items), len(s.wantTaken))
			}
			for i, q := range items {
				if q.e != s.wantTaken[i] {
					t.Errorf("%s: item %d is %q, want %q", s.name, i, q.e.Message, s.wantTaken[i].Message)
				}
			}
			if items[1].ack != ack || items[0].ack != nil {
				t.Errorf("%s: the acks did not stay with their events", s.name)
			}
			if in.len() != len(items) {
				t.Errorf("%s: taken events stopped counting before taken()", s.name)
			}
			in.taken(len(items))
			in.giveBack(items)
			if items[0].e != nil {
				t.Errorf("%s: a slice given back still holds its events", s.name)
			}
		}
		ok, post := s.do()
		if ok != s.ok || post != s.post || in.len() != s.wantLen {
			t.Errorf("%s: ok %v post %v len %d, want %v %v %d", s.name, ok, post, in.len(), s.ok, s.post, s.wantLen)
		}
	}

	// Closing returns what is left; nothing goes in after.
	left := in.close()
	if len(left) != 1 || left[0].e != e3 {
		t.Fatalf("close returned %v", left)
	}
	in.taken(len(left))
	if ok, post := in.put(e1, nil); ok || post || in.len() != 0 {
		t.Errorf("a shut inbox took an event: ok %v post %v len %d", ok, post, in.len())
	}
	if in.take() != nil {
		t.Error("a shut, empty inbox gave events")
	}
}

func TestInboxDoesNotKeepAFloodsMemory(t *testing.T) {
	var in inbox
	for range keepCap + 1 {
		in.put(&core.Event{}, nil)
	}
	in.giveBack(in.take())
	if in.spare != nil {
		t.Errorf("kept a slice of capacity %d", cap(in.spare))
	}
}
