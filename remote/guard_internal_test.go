package remote

import (
	"testing"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/protobuf/proto"
)

// A message batch that checkBatch passes can be read as Proto.Actor's
// endpoint reader reads it (targets, senders and type names by index)
// without a panic; one it refuses has an index out of its list.
func FuzzCheckBatch(f *testing.F) {
	pid := actor.NewPID("127.0.0.1:1", "a")
	for _, b := range []*remote.MessageBatch{
		{TypeNames: []string{"t"}, Targets: []*actor.PID{pid}, Envelopes: []*remote.MessageEnvelope{{}}},
		{TypeNames: []string{"t"}, Targets: []*actor.PID{pid}, Senders: []*actor.PID{pid}, Envelopes: []*remote.MessageEnvelope{{Sender: 1}, {Target: 7}}},
		{Envelopes: []*remote.MessageEnvelope{{TypeId: -1}}},
	} {
		data, err := proto.Marshal(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b remote.MessageBatch
		if proto.Unmarshal(data, &b) != nil {
			return
		}
		why := checkBatch(&b)
		inRange := true
		for _, e := range b.Envelopes {
			inRange = inRange && e.Target >= 0 && int(e.Target) < len(b.Targets) &&
				e.Sender >= 0 && int(e.Sender) <= len(b.Senders) &&
				e.TypeId >= 0 && int(e.TypeId) < len(b.TypeNames)
		}
		if (why == "") != inRange {
			t.Fatalf("checkBatch said %q of a batch whose indexes are in range: %v", why, inRange)
		}
		if why != "" {
			return
		}
		for _, e := range b.Envelopes { // as Proto.Actor reads them
			_ = b.Targets[e.Target].Id
			if e.Sender > 0 {
				_ = b.Senders[e.Sender-1].Id
			}
			_ = b.TypeNames[e.TypeId]
		}
	})
}
