package handlers_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fileRig runs a File handler by hand, as its actor would, with a clock
// the test moves.
type fileRig struct {
	t       *testing.T
	h       *handlers.File
	cfg     *handlers.Config
	now     time.Time
	reports []*core.Event
}

var lineOnly = &formatter.Lager{Tokens: formatter.Tokens(formatter.Message, formatter.Text("\n"))}

func newFileRig(t *testing.T, h *handlers.File) *fileRig {
	t.Helper()
	r := &fileRig{t: t, h: h, now: time.Date(2026, 1, 15, 12, 34, 0, 0, time.UTC)}
	if h.Path == "" {
		h.Path = filepath.Join(t.TempDir(), "test.log")
	}
	if h.Location == nil {
		h.Location = time.UTC
	}
	h.Clock = func() time.Time { return r.now }
	id, err := h.Resolve("")
	require.NoError(t, err)
	r.cfg = &handlers.Config{ID: id, Level: "debug", Formatter: lineOnly}
	require.NoError(t, r.cfg.Check())
	r.cfg.SetReport(func(e *core.Event) { r.reports = append(r.reports, e) })
	require.NoError(t, h.Add(r.cfg))
	t.Cleanup(func() { _ = h.Remove() })
	return r
}

func (r *fileRig) log(level core.Level, msg string) error {
	return r.h.Log(&core.Event{Time: r.now, Level: level, Message: msg}, r.cfg)
}

func (r *fileRig) advance(d time.Duration) { r.now = r.now.Add(d) }

// wake runs the handler's alarm if it is due, as its actor does.
func (r *fileRig) wake() {
	if next := r.h.NextWake(); !next.IsZero() && !r.now.Before(next) {
		r.h.Wake(r.now, r.cfg)
	}
}

func (r *fileRig) reported() []string {
	var out []string
	for _, e := range r.reports {
		out = append(out, e.Level.String()+": "+e.Message)
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "<missing>"
	}
	require.NoError(t, err)
	return string(b)
}

func TestFileWritesLagerDefaultFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "error.log")
	h := &handlers.File{Path: path}
	cfg := &handlers.Config{ID: path, Level: "info"}
	require.NoError(t, cfg.Check())
	require.NoError(t, h.Add(cfg))
	e := &core.Event{Time: time.Date(2026, 11, 22, 1, 36, 15, 647e6, time.Local), Level: core.LevelError, Message: "Test message"}
	require.NoError(t, h.Log(e, cfg))
	// sync_on error: written (and fsynced) at once, the directory created.
	assert.Equal(t, "2026-11-22 01:36:15.647 [error] Test message\n", readFile(t, path))
	require.NoError(t, h.Remove())
}

func TestFileBuffersUntilSizeIntervalOrFlush(t *testing.T) {
	r := newFileRig(t, &handlers.File{})
	require.NoError(t, r.log(core.LevelInfo, "one"))
	require.NoError(t, r.log(core.LevelInfo, "two"))
	assert.Equal(t, "", readFile(t, r.h.Path), "info is buffered: no write per event")
	assert.Equal(t, r.now.Add(handlers.DefaultFileSyncInterval), r.h.NextWake(), "due one sync_interval after the first buffered event")

	r.advance(999 * time.Millisecond)
	r.wake()
	assert.Equal(t, "", readFile(t, r.h.Path))
	r.advance(time.Millisecond)
	r.wake()
	assert.Equal(t, "one\ntwo\n", readFile(t, r.h.Path))

	require.NoError(t, r.log(core.LevelInfo, "three"))
	require.NoError(t, r.h.Flush())
	assert.Equal(t, "one\ntwo\nthree\n", readFile(t, r.h.Path))
}

// lager's "sync_on option should work": with sync_on =info an error stays
// buffered and an info writes everything.
func TestFileSyncOn(t *testing.T) {
	r := newFileRig(t, &handlers.File{SyncOn: "=info"})
	require.NoError(t, r.log(core.LevelError, "error"))
	assert.Equal(t, "", readFile(t, r.h.Path))
	require.NoError(t, r.log(core.LevelInfo, "info"))
	assert.Equal(t, "error\ninfo\n", readFile(t, r.h.Path))
}

// lager's "sync_size option should work": 640 bytes, 64-byte lines: the
// tenth line writes the buffer. It is written behind, on a goroutine of
// the File's, which synctest.Wait waits for.
func TestFileSyncSize(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newFileRig(t, &handlers.File{SyncSize: 640, SyncOn: "none"})
		line := strings.Repeat("x", 63)
		for i := 1; i <= 9; i++ {
			require.NoError(t, r.log(core.LevelError, line))
		}
		synctest.Wait()
		assert.Equal(t, "", readFile(t, r.h.Path))
		require.NoError(t, r.log(core.LevelError, line))
		synctest.Wait()
		assert.Len(t, readFile(t, r.h.Path), 640)
	})
}

// A full buffer is written behind while the handler fills the next one:
// the lines reach the file whole and in order, across buffers, a Flush
// and size rotations (the buffer being written goes to the file it was
// meant for, before the file is moved aside).
func TestFileWritesBehindInOrder(t *testing.T) {
	tests := []struct {
		name string
		size int64 // rotation size; Off for none
	}{
		{"one file", handlers.Off},
		{"rotated by size", 4000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newFileRig(t, &handlers.File{SyncSize: 100, SyncOn: "none", Size: tt.size, Count: 1000, Date: handlers.DateNone})
			var want strings.Builder
			for i := range 1000 {
				line := fmt.Sprintf("line %04d", i)
				want.WriteString(line + "\n")
				require.NoError(t, r.log(core.LevelInfo, line))
				if i == 500 {
					require.NoError(t, r.h.Flush())
				}
			}
			require.NoError(t, r.h.Flush())
			var got strings.Builder
			archives, _ := filepath.Glob(r.h.Path + ".*")
			for i := len(archives) - 1; i >= 0; i-- { // the oldest first
				got.WriteString(readFile(t, fmt.Sprintf("%s.%d", r.h.Path, i)))
			}
			got.WriteString(readFile(t, r.h.Path))
			assert.Equal(t, want.String(), got.String())
			if tt.size > 0 {
				assert.Greater(t, len(archives), 1, "rotated")
			}
		})
	}
}

// A write behind that fails is reported once, and keeps its bytes: they
// go back to the buffer, before the lines logged since, so that nothing
// is lost without a count.
func TestFileWriteBehindFailureKeepsTheBytes(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	h := &handlers.File{Path: "/dev/full", SyncSize: 100, SyncOn: "none", Date: handlers.DateNone, Size: handlers.Off}
	r := newFileRig(t, h)
	total := 0
	for i := range 30 {
		line := fmt.Sprintf("line %04d", i)
		total += len(line) + 1
		require.NoError(t, r.log(core.LevelInfo, line))
	}
	assert.Equal(t, []string{"error: Failed to write log message to log file /dev/full: no space left on device"}, r.reported())
	err := h.Flush()
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("%d bytes not written", total))
}

// A handler that goes quiet after a buffer was handed off still learns
// of its failure: the write behind is due when a buffer in its place
// would be, and the alarm settles it.
func TestFileWriteBehindIsSettledByTheAlarm(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	h := &handlers.File{Path: "/dev/full", SyncSize: 20, SyncOn: "none", Date: handlers.DateNone, Size: handlers.Off}
	r := newFileRig(t, h)
	require.NoError(t, r.log(core.LevelInfo, "10 bytes."))
	require.NoError(t, r.log(core.LevelInfo, "10 bytes.")) // 20: handed off
	assert.Empty(t, r.reported(), "nothing settled yet")
	assert.Equal(t, r.now.Add(handlers.DefaultFileSyncInterval), h.NextWake())
	r.advance(handlers.DefaultFileSyncInterval)
	r.wake()
	assert.Equal(t, []string{"error: Failed to write log message to log file /dev/full: no space left on device"}, r.reported())
	err := h.Flush()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "20 bytes not written")
}

func TestFileSyncOffWritesEveryEvent(t *testing.T) {
	r := newFileRig(t, &handlers.File{SyncInterval: handlers.Off, SyncOn: "none"})
	require.NoError(t, r.log(core.LevelDebug, "at once"))
	assert.Equal(t, "at once\n", readFile(t, r.h.Path))
	assert.True(t, r.h.NextWake().After(r.now), "only the date rotation is due")
}

// lager's "external logfile rotation/deletion should be handled", checked
// every check_interval rather than on every write.
func TestFileExternalRotationAndDeletion(t *testing.T) {
	r := newFileRig(t, &handlers.File{SyncInterval: handlers.Off, CheckInterval: 3 * time.Second})
	path := r.h.Path
	require.NoError(t, r.log(core.LevelInfo, "before"))
	require.NoError(t, os.Rename(path, path+".moved"))

	require.NoError(t, r.log(core.LevelInfo, "within the interval"))
	assert.Equal(t, "before\nwithin the interval\n", readFile(t, path+".moved"), "not checked yet: still the open file")

	r.advance(3 * time.Second)
	require.NoError(t, r.log(core.LevelInfo, "after the check"))
	assert.Equal(t, "after the check\n", readFile(t, path), "reopened at the path")

	require.NoError(t, os.Remove(path))
	r.advance(3 * time.Second)
	require.NoError(t, r.log(core.LevelInfo, "recreated"))
	assert.Equal(t, "recreated\n", readFile(t, path))
	assert.Empty(t, r.reports)
}

func TestFileReopen(t *testing.T) {
	r := newFileRig(t, &handlers.File{})
	path := r.h.Path
	require.NoError(t, r.log(core.LevelInfo, "buffered before the move"))
	require.NoError(t, os.Rename(path, path+".1"))
	require.NoError(t, r.h.Reopen(r.now, r.cfg))
	require.NoError(t, r.log(core.LevelInfo, "after"))
	require.NoError(t, r.h.Flush())
	assert.Equal(t, "buffered before the move\n", readFile(t, path+".1"))
	assert.Equal(t, "after\n", readFile(t, path))
}

// lager's "internal size rotation should work".
func TestFileSizeRotation(t *testing.T) {
	r := newFileRig(t, &handlers.File{Size: 10, SyncInterval: handlers.Off})
	path := r.h.Path
	require.NoError(t, r.log(core.LevelInfo, "first line"))
	require.NoError(t, r.log(core.LevelInfo, "second line"))
	assert.Equal(t, "first line\n", readFile(t, path+".0"))
	assert.Equal(t, "second line\n", readFile(t, path))
	require.NoError(t, r.log(core.LevelInfo, "third line"))
	assert.Equal(t, "second line\n", readFile(t, path+".0"))
	assert.Equal(t, "first line\n", readFile(t, path+".1"))
}

// lager's "Internal rotation and delayed write": buffered events are written
// to the file before it is archived. Unlike lager, which looks at the size
// only every check_interval, the size is counted as events come, so a file
// never outgrows Size by more than one event.
func TestFileSizeRotationWithBufferedEvents(t *testing.T) {
	r := newFileRig(t, &handlers.File{Size: 10, SyncOn: "none"})
	path := r.h.Path
	require.NoError(t, r.log(core.LevelInfo, "buffered one"))
	require.NoError(t, r.log(core.LevelInfo, "buffered two"))
	assert.Equal(t, "buffered one\n", readFile(t, path+".0"), "the size is counted with the buffer")
	assert.Equal(t, "", readFile(t, path), "the event after the rotation is buffered for the new file")
	require.NoError(t, r.log(core.LevelInfo, "new file"))
	require.NoError(t, r.h.Flush())
	assert.Equal(t, "buffered two\n", readFile(t, path+".0"))
	assert.Equal(t, "buffered one\n", readFile(t, path+".1"))
	assert.Equal(t, "new file\n", readFile(t, path))
}

func TestFileCountOffTruncates(t *testing.T) {
	r := newFileRig(t, &handlers.File{Size: 5, Count: handlers.Off, SyncInterval: handlers.Off})
	require.NoError(t, r.log(core.LevelInfo, "old content"))
	require.NoError(t, r.log(core.LevelInfo, "new"))
	assert.Equal(t, "new\n", readFile(t, r.h.Path))
	assert.Equal(t, "<missing>", readFile(t, r.h.Path+".0"))
}

// A rotation at each hour ($H00); the alarm is the next boundary, and a
// manual rotation never adds a second one (lager does).
func TestFileDateRotation(t *testing.T) {
	r := newFileRig(t, &handlers.File{Date: "$H00", SyncInterval: handlers.Off})
	path := r.h.Path
	boundary := time.Date(2026, 1, 15, 13, 0, 0, 0, time.UTC)
	assert.Equal(t, boundary, r.h.NextWake())

	require.NoError(t, r.log(core.LevelInfo, "a"))
	require.NoError(t, r.h.Rotate(r.now, r.cfg))
	require.NoError(t, r.log(core.LevelInfo, "b"))
	r.advance(time.Minute)
	require.NoError(t, r.h.Rotate(r.now, r.cfg))
	require.NoError(t, r.log(core.LevelInfo, "c"))
	assert.Equal(t, boundary, r.h.NextWake(), "manual rotations keep the one alarm")

	r.now = boundary
	r.wake()
	r.wake()
	require.NoError(t, r.log(core.LevelInfo, "d"))
	assert.Equal(t, "d\n", readFile(t, path))
	assert.Equal(t, "c\n", readFile(t, path+".0"))
	assert.Equal(t, "b\n", readFile(t, path+".1"))
	assert.Equal(t, "a\n", readFile(t, path+".2"))
	assert.Equal(t, "<missing>", readFile(t, path+".3"), "two manual rotations and one boundary: three archives")
	assert.Equal(t, boundary.Add(time.Hour), r.h.NextWake())
}

func TestFileDateRotationWhileIdleAndCompressed(t *testing.T) {
	r := newFileRig(t, &handlers.File{Date: "$D0", Compress: true})
	require.NoError(t, r.log(core.LevelInfo, "yesterday"))
	r.now = time.Date(2026, 1, 16, 0, 0, 0, 0, time.UTC)
	r.wake()
	assert.Equal(t, "", readFile(t, r.h.Path))
	assert.NotEqual(t, "<missing>", readFile(t, r.h.Path+".0.gz"))
}

// lager's "file can't be opened on startup triggers an error message" and
// "unavailable files that are fixed at runtime should start having log
// messages written" — and nothing is lost meanwhile (lager drops).
func TestFileUnavailableAtStartIsRetriedAndKeepsEvents(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "blocker")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	path := filepath.Join(blocker, "app.log") // a file where a directory should be
	r := newFileRig(t, &handlers.File{Path: path, SyncInterval: handlers.Off})
	require.Len(t, r.reports, 1)
	assert.Equal(t, "error: Failed to open log file "+path+" with error not a directory", r.reported()[0])

	require.NoError(t, r.log(core.LevelInfo, "kept 1"))
	r.advance(2 * time.Second)
	require.NoError(t, r.log(core.LevelInfo, "kept 2"))
	assert.Len(t, r.reports, 1, "reported once per episode")
	assert.Equal(t, r.now.Add(time.Second), r.h.NextWake(), "retried every check_interval")

	require.NoError(t, os.Remove(blocker))
	r.advance(time.Second)
	r.wake()
	assert.Equal(t, "kept 1\nkept 2\n", readFile(t, path))
	require.NoError(t, r.log(core.LevelInfo, "after"))
	assert.Equal(t, "kept 1\nkept 2\nafter\n", readFile(t, path))
	assert.Equal(t, []string{
		"error: Failed to open log file " + path + " with error not a directory",
		"notice: log file " + path + " is written again",
	}, r.reported())
}

func TestFileBeyondMaxPendingDropsAreCountedAndReported(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "blocker")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	path := filepath.Join(blocker, "app.log")
	r := newFileRig(t, &handlers.File{Path: path, MaxPending: 10, SyncInterval: handlers.Off})
	require.NoError(t, r.log(core.LevelInfo, "kept kept")) // 10 bytes
	for range 3 {
		assert.ErrorIs(t, r.log(core.LevelInfo, "dropped"), handlers.ErrFileUnavailable)
	}
	require.NoError(t, os.Remove(blocker))
	r.advance(time.Second)
	require.NoError(t, r.log(core.LevelInfo, "back"))
	assert.Equal(t, "kept kept\nback\n", readFile(t, path))
	assert.Contains(t, r.reported(), "notice: log file "+path+" is written again; 3 events were dropped while it could not be")
}

func TestFileWriteErrorsAreReportedOncePerEpisode(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	h := &handlers.File{Path: "/dev/full", SyncInterval: handlers.Off, Date: handlers.DateNone, Size: handlers.Off}
	r := newFileRig(t, h)
	for range 5 {
		require.NoError(t, r.log(core.LevelInfo, "no space"))
		r.advance(2 * time.Second)
	}
	assert.Equal(t, []string{"error: Failed to write log message to log file /dev/full: no space left on device"}, r.reported())
	assert.Error(t, h.Flush(), "Flush says what was not written")
}

type failingRotator struct{ fail bool }

func (f *failingRotator) Rotate(name string) error {
	if f.fail {
		return &os.PathError{Op: "rename", Path: name, Err: errors.New("read-only file system")}
	}
	return os.Rename(name, name+".0")
}

// lager drops the event that meets a rotation failure; here it is written,
// the failure reported once, and the rotation tried again every
// check_interval, not on every event.
func TestFileRotationFailureKeepsWriting(t *testing.T) {
	rot := &failingRotator{fail: true}
	r := newFileRig(t, &handlers.File{Size: 5, Rotator: rot, SyncInterval: handlers.Off})
	path := r.h.Path
	require.NoError(t, r.log(core.LevelInfo, "one two"))
	require.NoError(t, r.log(core.LevelInfo, "kept"))
	require.NoError(t, r.log(core.LevelInfo, "also kept"))
	assert.Equal(t, "one two\nkept\nalso kept\n", readFile(t, path))
	assert.Equal(t, []string{"error: Failed to rotate log file " + path + " with error read-only file system"}, r.reported())

	rot.fail = false
	r.advance(time.Second)
	require.NoError(t, r.log(core.LevelInfo, "rotated"))
	assert.Equal(t, "rotated\n", readFile(t, path))
	assert.Equal(t, "one two\nkept\nalso kept\n", readFile(t, path+".0"))
	assert.Equal(t, "notice: log file "+path+" rotates again", r.reported()[1])
}

// lager's "don't choke on unicode" and "don't choke on latin-1".
func TestFileUnicodeAndInvalidUTF8(t *testing.T) {
	r := newFileRig(t, &handlers.File{SyncInterval: handlers.Off})
	require.NoError(t, r.log(core.LevelInfo, "こんにちは ☃"))
	require.NoError(t, r.log(core.LevelInfo, "latin-1 \xe9t\xe9"))
	got := readFile(t, r.h.Path)
	assert.Contains(t, got, "こんにちは ☃\n")
	assert.Contains(t, got, "latin-1 ")
}

// lager's config_validation_test, with the field named in the error.
func TestFileConfigValidation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	for _, tc := range []struct {
		name string
		h    handlers.File
		want string
	}{
		{"missing file", handlers.File{}, "file: path is required"},
		{"bad size", handlers.File{Path: path, Size: -5}, "size: must be >= 0 or Off, got -5"},
		{"bad count", handlers.File{Path: path, Count: -2}, "count: must be >= 0 or Off"},
		{"bad date", handlers.File{Path: path, Date: "$M5H30"}, "date:"},
		{"lager crash date is fine", handlers.File{Path: path, Date: "$D5H30"}, ""},
		{"no date", handlers.File{Path: path, Date: handlers.DateNone}, ""},
		{"bad sync_interval", handlers.File{Path: path, SyncInterval: -time.Second}, "sync_interval: must be >= 0 or Off"},
		{"bad sync_size", handlers.File{Path: path, SyncSize: -3}, "sync_size: must be >= 0 or Off"},
		{"bad check_interval", handlers.File{Path: path, CheckInterval: -2}, "check_interval: must be >= 0 or Off"},
		{"bad sync_on", handlers.File{Path: path, SyncOn: "sometimes"}, "sync_on:"},
		{"sync_on none", handlers.File{Path: path, SyncOn: "none"}, ""},
		{"bad max_pending", handlers.File{Path: path, MaxPending: -7}, "max_pending: must be >= 0 or Off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.h.Check("file")
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, handlers.ErrBadConfig)
			assert.True(t, handlers.IsFatal(err), "a bad option is not retried")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestFileTwoHandlersOnOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.log")
	a, b := &handlers.File{Path: path}, &handlers.File{Path: path}
	cfgA, cfgB := &handlers.Config{ID: "a"}, &handlers.Config{ID: "b"}
	require.NoError(t, cfgA.Check())
	require.NoError(t, cfgB.Check())
	require.NoError(t, a.Add(cfgA))
	err := b.Add(cfgB)
	require.Error(t, err)
	assert.True(t, handlers.IsFatal(err))
	assert.Contains(t, err.Error(), `handlers "a" and "b" both write file `+path)
	require.NoError(t, a.Remove())
	require.NoError(t, b.Add(cfgB), "free again once the first is removed")
	require.NoError(t, b.Remove())
}

func TestFileResolveJoinsRootOnce(t *testing.T) {
	root := t.TempDir()
	h := &handlers.File{Path: "log/app.log"}
	first, err := h.Resolve(root)
	require.NoError(t, err)
	again, err := h.Resolve(root)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "log", "app.log"), first)
	assert.Equal(t, first, again)
	abs := &handlers.File{Path: "/var/log/x.log"}
	got, err := abs.Resolve(root)
	require.NoError(t, err)
	assert.Equal(t, "/var/log/x.log", got, "an absolute path ignores the root")
}

// LogPage writes a page at once only when no line of it needs LogLine's
// own handling; either way, a File given the page ends as one given its
// lines one by one.
func TestFileLogPageIsLogLineAtOnce(t *testing.T) {
	base := time.Now()
	cases := []struct {
		name string
		file handlers.File
		// lines of the page: level and time after base
		levels []core.Level
		after  []time.Duration
		atOnce bool
	}{
		{"plain", handlers.File{}, []core.Level{core.LevelInfo, core.LevelDebug, core.LevelWarning}, []time.Duration{0, 0, time.Millisecond}, true},
		{"a level to fsync", handlers.File{}, []core.Level{core.LevelInfo, core.LevelError, core.LevelInfo}, []time.Duration{0, 0, 0}, false},
		{"past the size", handlers.File{Size: 40}, []core.Level{core.LevelInfo, core.LevelInfo, core.LevelInfo}, []time.Duration{0, 0, 0}, false},
		{"up to the size", handlers.File{Size: 60}, []core.Level{core.LevelInfo, core.LevelInfo, core.LevelInfo}, []time.Duration{0, 0, 0}, true},
		{"a check due", handlers.File{}, []core.Level{core.LevelInfo, core.LevelInfo}, []time.Duration{0, 2 * time.Second}, false},
		{"checks off", handlers.File{CheckInterval: handlers.Off}, []core.Level{core.LevelInfo}, []time.Duration{0}, false},
		{"a date rotation due", handlers.File{Date: "$M1", CheckInterval: time.Hour}, []core.Level{core.LevelInfo, core.LevelInfo}, []time.Duration{0, 40 * 24 * time.Hour}, false},
		{"no time", handlers.File{}, []core.Level{core.LevelInfo, core.LevelInfo}, nil, true},
		{"a clock", handlers.File{Clock: time.Now}, []core.Level{core.LevelInfo}, []time.Duration{0}, false},
	}
	open := func(t *testing.T, h *handlers.File) *handlers.Config {
		h.Path = filepath.Join(t.TempDir(), "test.log")
		id, err := h.Resolve("")
		require.NoError(t, err)
		cfg := &handlers.Config{ID: id, Level: "debug", Formatter: lineOnly}
		require.NoError(t, cfg.Check())
		cfg.SetReport(func(*core.Event) {})
		require.NoError(t, h.Add(cfg))
		t.Cleanup(func() { _ = h.Remove() })
		return cfg
	}
	// files returns what the directory of h holds, by name (the archives
	// of a rotation are named by the time: by their order here).
	files := func(t *testing.T, h *handlers.File) []string {
		entries, err := os.ReadDir(filepath.Dir(h.Path))
		require.NoError(t, err)
		var out []string
		for _, e := range entries {
			out = append(out, readFile(t, filepath.Join(filepath.Dir(h.Path), e.Name())))
		}
		return out
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var (
				text   []byte
				lines  [][]byte
				times  []time.Time
				levels core.Mask
			)
			for i, l := range c.levels {
				line := fmt.Appendf(nil, "line %d at %s\n", i, l)
				text = append(text, line...)
				lines = append(lines, line)
				var at time.Time
				if c.after != nil {
					at = base.Add(c.after[i])
				}
				times = append(times, at)
				levels |= l.Bit()
			}
			page, byLine := c.file, c.file
			pageCfg, byLineCfg := open(t, &page), open(t, &byLine)
			atOnce := page.LogPage(text, times[0], times[len(times)-1], levels, pageCfg)
			assert.Equal(t, c.atOnce, atOnce)
			if !atOnce {
				assert.Equal(t, []string{""}, files(t, &page), "nothing done")
				for i, line := range lines {
					require.NoError(t, page.LogLine(line, times[i], c.levels[i], pageCfg))
				}
			}
			for i, line := range lines {
				require.NoError(t, byLine.LogLine(line, times[i], c.levels[i], byLineCfg))
			}
			require.NoError(t, page.Flush())
			require.NoError(t, byLine.Flush())
			assert.Equal(t, files(t, &byLine), files(t, &page))
			if atOnce {
				assert.Equal(t, []string{string(text)}, files(t, &page))
			}
		})
	}
}
