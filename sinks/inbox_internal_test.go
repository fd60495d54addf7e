package sinks

import (
	"runtime"
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/internal/handleractor"
)

func TestInbox(t *testing.T) {
	var in inbox
	e1, e2, e3 := &core.Event{Message: "1"}, &core.Event{Message: "2"}, &core.Event{Message: "3"}
	ack := handleractor.NewAck()

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

// The actor takes the inbox before any other message: an event put by a
// caller whose drain message is still on its way (another caller's, sent
// later than the event was put) is handled before a Flush sent after it.
func TestTheInboxIsTakenBeforeAnyMessage(t *testing.T) {
	system := actortest.NewSystem(t)
	s, err := New(system, "t", Thresholds{})
	if err != nil {
		t.Fatal(err)
	}
	pid := system.Root.Spawn(s.Props(Options{}))
	t.Cleanup(func() {
		s.Close()
		_ = system.Root.StopFuture(pid).Wait()
	})
	ctx := actortest.Context(t)
	for s.PID() == nil { // Started is handled on the actor's goroutine
		if ctx.Err() != nil {
			t.Fatal("the sink did not start")
		}
		runtime.Gosched()
	}
	mem := &handlers.Memory{}
	cfg := handlers.Config{ID: "mem"}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.call(ctx, install{spec: Spec{Config: cfg, Handler: mem}}); err != nil {
		t.Fatal(err)
	}
	if ok, post := s.in.put(&core.Event{Level: core.LevelInfo, Message: "put, no drain sent yet"}, nil); !ok || !post {
		t.Fatalf("put: ok %v post %v", ok, post)
	}
	// The caller that should send the drain has not yet; the Flush of
	// another goroutine that logged before it overtakes it.
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mem.Lines(); len(got) != 1 {
		t.Fatalf("after Flush the handler has %q, want the event put before it", got)
	}
	if s.in.len() != 0 {
		t.Errorf("the inbox still counts %d events", s.in.len())
	}
}
