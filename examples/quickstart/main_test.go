package main

import (
	"os"
	"path/filepath"
	"strings"
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

// The shipped config file starts, logs to its files and stops.
func TestRunsWithTheConfigFile(t *testing.T) {
	defer goleak.VerifyNone(t, actortest.IgnoreDeadLetterThrottle())
	root := t.TempDir()
	if err := runConfig("actorlog.jsonc", root); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "log", "requests.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "traced to requests.log") {
		t.Errorf("the configured trace did not write:\n%s", b)
	}
}
