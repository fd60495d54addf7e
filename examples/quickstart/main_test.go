package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
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

// A second run in the same directory reports its own lines, not the
// files' totals: the files append across runs.
func TestASecondRunCountsItsOwnLines(t *testing.T) {
	defer goleak.VerifyNone(t, actortest.IgnoreDeadLetterThrottle())
	root := t.TempDir()
	first := filesSection(t, captureRun(t, root))
	second := filesSection(t, captureRun(t, root))
	if first == "" || first != second {
		t.Errorf("the runs report different files:\nfirst:\n%s\nsecond:\n%s", first, second)
	}
}

// captureRun runs the quickstart in root and returns what it printed.
func captureRun(t *testing.T, root string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		out <- string(b)
	}()
	stdout := os.Stdout
	os.Stdout = w
	runErr := run(root)
	os.Stdout = stdout
	w.Close()
	printed := <-out
	r.Close()
	if runErr != nil {
		t.Fatal(runErr)
	}
	return printed
}

// filesSection returns the lines of the report on the files, less the
// crash report's time stamps.
func filesSection(t *testing.T, printed string) string {
	t.Helper()
	_, section, ok := strings.Cut(printed, "files written by this run:\n")
	if !ok {
		t.Fatalf("no report on the files in:\n%s", printed)
	}
	var kept []string
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "    | ") {
			line = timeStamp.ReplaceAllString(line, "T")
		}
		kept = append(kept, line)
	}
	return strings.Join(kept, "\n")
}

var timeStamp = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?`)

// A clean run shows the one crash it provokes, with the program's frames
// only, and nothing else that looks wrong: no other error, no dead letter.
func TestACleanRunShowsOnlyItsCrash(t *testing.T) {
	defer goleak.VerifyNone(t, actortest.IgnoreDeadLetterThrottle())
	printed := captureRun(t, t.TempDir())
	if n := strings.Count(printed, "[error]"); n != 1 {
		t.Errorf("%d errors, want the one crash:\n%s", n, printed)
	}
	for _, noise := range []string{"Dead letter", "supervision/", "sinks/"} {
		if strings.Contains(printed, noise) {
			t.Errorf("%q in:\n%s", noise, printed)
		}
	}
}
