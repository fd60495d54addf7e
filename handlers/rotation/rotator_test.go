package rotation

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// lager's rotate_file_test: with count 10, each rotation shifts .0 … .9.
func TestNumberedShiftsArchives(t *testing.T) {
	name := filepath.Join(t.TempDir(), "test.log")
	r := Numbered{Count: 10}
	for i := range 15 {
		write(t, name, "content "+strconv.Itoa(i))
		if err := r.Rotate(name); err != nil {
			t.Fatal(err)
		}
		if got := read(t, name); got != "" {
			t.Fatalf("rotation %d: the file is not empty: %q", i, got)
		}
		for j := 0; j <= min(i, 9); j++ {
			if got, want := read(t, name+"."+strconv.Itoa(j)), "content "+strconv.Itoa(i-j); got != want {
				t.Fatalf("rotation %d: %s.%d holds %q, want %q", i, name, j, got, want)
			}
		}
	}
	if exists(name + ".10") {
		t.Error("more than Count archives")
	}
}

// lager's rotate_file_zero_count_test: count 0 truncates, no archive.
func TestNumberedZeroCountTruncates(t *testing.T) {
	name := filepath.Join(t.TempDir(), "test.log")
	write(t, name, "old")
	if err := (Numbered{}).Rotate(name); err != nil {
		t.Fatal(err)
	}
	if got := read(t, name); got != "" || exists(name+".0") {
		t.Errorf("got %q, .0 exists: %v", got, exists(name+".0"))
	}
}

// lager's rotate_file_fail_test: when the file cannot be moved, the
// rotation fails and nothing is lost; once the way is clear, .0 holds the
// old content. (A non-empty directory in the way fails even for root,
// which a read-only directory does not.)
func TestNumberedFailureLosesNothing(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "test.log")
	write(t, name, "precious")
	blocker := name + ".0"
	if err := os.MkdirAll(filepath.Join(blocker, "occupied"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := (Numbered{Count: 1}).Rotate(name); err == nil {
		t.Fatal("the rotation succeeded with a directory in the way")
	}
	if got := read(t, name); got != "precious" {
		t.Fatalf("the file changed: %q", got)
	}
	if err := os.RemoveAll(blocker); err != nil {
		t.Fatal(err)
	}
	if err := (Numbered{Count: 1}).Rotate(name); err != nil {
		t.Fatal(err)
	}
	if got := read(t, name+".0"); got != "precious" {
		t.Errorf(".0 holds %q", got)
	}
}

func TestNumberedCompress(t *testing.T) {
	name := filepath.Join(t.TempDir(), "test.log")
	r := Numbered{Count: 2, Compress: true}
	for _, content := range []string{"first", "second", "third"} {
		write(t, name, content)
		if err := r.Rotate(name); err != nil {
			t.Fatal(err)
		}
	}
	for i, want := range []string{"third", "second"} {
		f, err := os.Open(name + "." + strconv.Itoa(i) + ".gz")
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		_ = f.Close()
		if err != nil || string(got) != want {
			t.Errorf(".%d.gz holds %q, %v; want %q", i, got, err, want)
		}
	}
	if exists(name+".2.gz") || exists(name+".0") {
		t.Error("unexpected archive")
	}
}

func TestNumberedMissingFileIsNotAnError(t *testing.T) {
	name := filepath.Join(t.TempDir(), "never-written.log")
	if err := (Numbered{Count: 3}).Rotate(name); err != nil {
		t.Fatal(err)
	}
	if !exists(name) {
		t.Error("the file is created")
	}
	if err := (Numbered{Count: -1}).Rotate(name); err == nil {
		t.Error("a negative count is an error")
	}
}
