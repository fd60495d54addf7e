package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// The tour runs to completion by itself, without error, and leaves nothing
// running; its last step shows the root's children stopping in reverse
// start order, the pool's shards the last started first.
func TestTourRuns(t *testing.T) {
	defer goleak.VerifyNone(t)
	var buf bytes.Buffer
	out = &buf
	t.Cleanup(func() { out = os.Stdout })
	if err := run(); err != nil {
		t.Fatal(err)
	}
	_, last, ok := strings.Cut(buf.String(), "== stop the root")
	if !ok {
		t.Fatalf("no last step in:\n%s", buf.String())
	}
	var stops []string
	for _, line := range strings.Split(last, "\n") {
		if name, ok := strings.CutPrefix(line, "stopping "); ok {
			stops = append(stops, strings.Fields(name)[0])
		}
	}
	if want := []string{"audit", "us", "eu"}; strings.Join(stops, ",") != strings.Join(want, ",") {
		t.Errorf("children stopped in order %v, want %v:\n%s", stops, want, last)
	}
}
