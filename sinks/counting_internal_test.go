package sinks

import (
	"slices"
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/internal/handleractor"
)

// A custom actor's queue is what the sink sent it and the actor has not
// taken (counting). When a killer counted it, what the actor took or was
// sent before it stopped settles the kill's count, once.
func TestCountingSettlesACustomActorsKill(t *testing.T) {
	tests := []struct {
		name                 string
		queued, taken, after int
		want                 []int // what Settle was told
	}{
		{"nothing moved", 5, 0, 0, nil},
		{"taken after the count", 5, 2, 0, []int{-2}},
		{"sent after the count", 5, 0, 3, []int{3}},
		{"both", 5, 1, 3, []int{2}},
		{"all taken", 4, 4, 0, []int{-4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats := &handleractor.Stats{}
			var settled []int
			stats.Settle = func(n int) { settled = append(settled, n) }
			var got []any
			receive := counting(stats)(func(_ actor.ReceiverContext, env *actor.MessageEnvelope) {
				got = append(got, env.Message)
			})
			fromTheSink := func() *actor.MessageEnvelope {
				return &actor.MessageEnvelope{Header: map[string]string{fromSink: "1"}, Message: &core.Event{}}
			}
			stats.Pending.Add(int64(tt.queued)) // as sendCustom counts them
			if n := stats.CountKilled(); n != tt.queued {
				t.Fatalf("CountKilled = %d, want %d", n, tt.queued)
			}
			for range tt.taken {
				receive(nil, fromTheSink())
			}
			// An event the user's code sent the actor is not in the queue.
			receive(nil, &actor.MessageEnvelope{Message: &core.Event{}})
			stats.Pending.Add(int64(tt.after))
			receive(nil, &actor.MessageEnvelope{Message: &actor.Stopping{}})
			if !slices.Equal(settled, tt.want) {
				t.Errorf("settled %v, want %v", settled, tt.want)
			}
			if left := int(stats.Pending.Load()); left != tt.queued-tt.taken+tt.after {
				t.Errorf("Pending = %d, want %d", left, tt.queued-tt.taken+tt.after)
			}
			// A restart's Stopping, with no kill since, settles nothing.
			receive(nil, &actor.MessageEnvelope{Message: &actor.Stopping{}})
			if !slices.Equal(settled, tt.want) {
				t.Errorf("a second Stopping settled again: %v", settled)
			}
			if len(got) != tt.taken+3 {
				t.Errorf("the actor got %d messages, want %d: the middleware passes every one on", len(got), tt.taken+3)
			}
		})
	}
}
