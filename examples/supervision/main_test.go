package main

import (
	"testing"

	"go.uber.org/goleak"
)

// The tour runs to completion by itself, without error, and leaves nothing
// running.
func TestTourRuns(t *testing.T) {
	defer goleak.VerifyNone(t)
	if err := run(); err != nil {
		t.Fatal(err)
	}
}
