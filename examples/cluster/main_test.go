package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The test binary plays the children's roles too.
func TestMain(m *testing.M) {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runRole(role))
	}
	os.Exit(m.Run())
}

// The three processes run to completion, and the collector's file has
// both nodes' events, with their origin, the crashes translated.
func TestRuns(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, t.TempDir()); err != nil {
		t.Fatal(err, "\n", out.String())
	}
	got := out.String()
	for _, want := range []string{"service started", "service stopping", "handling job", "origin=127.0.0.1:", "terminating\n** (panic) runtime error: index out of range [2]"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "service started"); n != 2 {
		t.Errorf("%d nodes started, want 2:\n%s", n, got)
	}
}
