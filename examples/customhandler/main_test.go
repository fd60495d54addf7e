package main

import (
	"testing"

	"go.uber.org/goleak"
)

// deadLetterThrottle is Proto.Actor's dead-letter log throttle: a goroutine
// that outlives the actor system by up to its interval (1 s by default)
// after a dead letter, such as a Stop that a stopping supervisor sends to
// children already gone.
const deadLetterThrottle = "github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1"

// The example runs to completion by itself and leaves nothing running.
func TestRuns(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreTopFunction(deadLetterThrottle))
	if err := run(); err != nil {
		t.Fatal(err)
	}
}
