package main

import (
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"go.uber.org/goleak"
)

// The quickstart runs to completion by itself and leaves nothing running (its
// actor system logs dead letters, so Proto.Actor's throttle may linger).
func TestRuns(t *testing.T) {
	defer goleak.VerifyNone(t, actortest.IgnoreDeadLetterThrottle())
	if err := run(t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
