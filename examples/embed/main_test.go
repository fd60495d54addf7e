package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"go.uber.org/goleak"
)

// The example runs by itself, leaves nothing running, and shows the
// service's slog and standard log lines and the translated crash.
func TestRuns(t *testing.T) {
	defer goleak.VerifyNone(t, actortest.IgnoreDeadLetterThrottle())
	out, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := run(out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"[info] service started\n",
		"[info] legacy code still uses the standard log\n",
		"[error] Actor nonhost/$",
		" (*main.inventory) terminating\n** (panic) runtime error: index out of range [7] with length 3\n",
		"embed/main.go:",
		"Last message: *main.order{ID:B-99 Quantity:7}\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "no stack") {
		t.Errorf("the panic was logged twice:\n%s", got)
	}
}
