package handlers

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/handlers/rotation"
)

// Off turns off an option of File whose zero value means its default:
// Size: Off is no size rotation, Count: Off keeps no archive (a rotation
// only truncates the file), SyncSize or SyncInterval: Off writes every event
// at once, CheckInterval: Off checks the file before every write, and
// MaxPending: Off keeps nothing while the file cannot be written.
const Off = -1

// DateNone is the Date of a File that never rotates at a time.
const DateNone = "none"

// The defaults of File's options, lager's.
const (
	DefaultFileSize          = 10 << 20
	DefaultFileDate          = "$D0"
	DefaultFileCount         = 5
	DefaultFileSyncInterval  = time.Second
	DefaultFileSyncSize      = 64 << 10
	DefaultFileSyncOn        = "error"
	DefaultFileCheckInterval = time.Second
	DefaultFileMaxPending    = 4 << 20
)

// File is lager's file backend: it appends events to a file, buffered,
// and rotates it by size, at dates and on demand.
//
// Events are formatted into a buffer that is written when it holds
// SyncSize bytes, SyncInterval after its first event, at Flush, and after
// every event whose level is in SyncOn, which is also fsynced. Nothing else
// makes a system call per event.
//
// A buffer written because it is full is written behind: a goroutine of
// the File's writes it while the handler fills the next buffer, so that
// neither the handler nor the callers waiting for it in sync mode spend
// the disk's time. One buffer at most is written behind. Anything else
// that writes, fsyncs, checks, rotates or closes the file (Flush, a
// SyncOn level, SyncInterval, Remove) first waits for it, and finds the
// file as a synchronous write would have left it; a failure is reported
// then, and the bytes not written go back to the buffer, before the
// events logged since. With SyncSize or SyncInterval Off every event is
// written at once, by the handler.
//
// Every CheckInterval, on the next event, the file is looked at (one stat):
// if it was moved or deleted (logrotate, rm), what is buffered goes to the
// old file and a new one is opened at Path. Reopen does the same at once.
//
// The file is rotated before an event when it holds more than Size bytes,
// at every time matching Date (see rotation.ParseDateSpec), and by Rotate;
// a rotation moves the file aside with Rotator (lager's numbered archives
// by default: Path.0 newest … Path.(Count-1)) and starts an empty one. A
// manual rotation does not add a timer: the next time rotation is still
// the next time matching Date.
//
// Failures never lose an event silently. A file that cannot be opened
// (at the start or after a rotation) or written (a full disk) is reported
// once, as an error event in the sink; events are kept, up to MaxPending
// bytes, and written once the file can be written again, which is tried
// every CheckInterval (every second when CheckInterval is Off); events
// beyond MaxPending are dropped, counted in the handler's errors, and their
// number is reported when the file works again.
//
// Zero values mean lager's defaults; Off turns an option off. The handler's
// ID is usually Path made absolute (see Resolve); two File handlers may not
// write one file.
type File struct {
	// Path is the file; required. A relative path is taken from the
	// directory given to Resolve (actorlog's LogRoot), or from the working
	// directory. Missing directories are created.
	Path string
	// Size is the size in bytes beyond which the file is rotated: 10 MiB
	// if zero; Off for none.
	Size int64
	// Date is a date spec such as "$D0" (daily at midnight, the default)
	// or "$W0D23" (see rotation.ParseDateSpec); DateNone for none.
	Date string
	// Location is the time zone Date is read in; nil means local time.
	Location *time.Location
	// Count is how many archives a rotation keeps: 5 if zero; Off keeps
	// none. It and Compress configure the default Rotator.
	Count int
	// Compress gzips archives (Path.0.gz …).
	Compress bool
	// Rotator moves the file aside; nil means rotation.Numbered{Count,
	// Compress}.
	Rotator rotation.Rotator
	// SyncInterval bounds how long an event stays in the buffer: 1 s if
	// zero. SyncSize is how many bytes the buffer takes before it is
	// written: 64 KiB if zero. Off for either writes every event at once.
	SyncInterval time.Duration
	SyncSize     int
	// SyncOn is a level expression: after an event it accepts, the buffer
	// is written and the file fsynced. "error" if empty; "none" for never.
	SyncOn string
	// CheckInterval is how often the file is checked for having been
	// moved or deleted: 1 s if zero; Off checks before every write.
	CheckInterval time.Duration
	// MaxPending is how many bytes of events are kept while the file cannot
	// be written: 4 MiB if zero; Off keeps none.
	MaxPending int
	// Clock tells the time; nil means time.Now. Tests inject one.
	Clock func() time.Time

	abs        string
	opt        fileOptions
	f          *os.File
	info       fs.FileInfo
	size       int64 // bytes in the file, and buffered for it
	buf        []byte
	since      time.Time // when the buffer got its first byte
	nextCheck  time.Time
	nextRotate time.Time
	broken     *episode  // open, write or fsync failure: events wait in buf
	rotateErr  *episode  // rotation failure: writing goes on
	cfg        *Config   // the handler's config, for reports outside Log
	latest     time.Time // the latest event time seen
	crashLog   bool      // names the file "crash log file" in reports
	// inflight is the buffer being written behind, on a goroutine of its
	// own (writeBehind), nil when none is; spare is the buffer it wrote
	// last, for the next one.
	inflight *behind
	spare    []byte
}

// behind is a full buffer a File writes on a goroutine of its own, while
// its handler goes on filling the next one.
type behind struct {
	buf  []byte
	at   time.Time // when the buffer got its first byte
	done chan struct{}
	n    int // set, with err, before done is closed
	err  error
}

// fileOptions are File's options with the defaults applied.
type fileOptions struct {
	size          int64
	date          rotation.DateSpec
	hasDate       bool
	loc           *time.Location
	rotator       rotation.Rotator
	syncInterval  time.Duration // 0: write every event
	syncSize      int
	syncOn        core.Mask
	checkInterval time.Duration // 0: check before every write
	maxPending    int
}

// episode is one failure, reported when it starts and when it ends.
type episode struct {
	retryAt time.Time
	dropped int
}

// ErrFileUnavailable is returned by Log for an event that was dropped
// because the file could not be written and MaxPending bytes were already
// waiting.
var ErrFileUnavailable = errors.New("handlers: log file unavailable; event dropped")

// Resolve fixes the file's absolute path, taking a relative Path from root
// (from the working directory if root is empty), and returns it. It joins
// root once: calling it again starts from Path again. Add calls it if
// nothing did before.
func (h *File) Resolve(root string) (string, error) {
	if h.Path == "" {
		return "", fmt.Errorf("%w: %w", ErrBadConfig, fieldErr("file", "path is required"))
	}
	p := h.Path
	if !filepath.IsAbs(p) && root != "" {
		p = filepath.Join(root, p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("%w: file %q: %w", ErrBadConfig, h.Path, err)
	}
	h.abs = abs
	return abs, nil
}

// Options checks the options and applies their defaults; the error names
// the bad option.
func (h *File) options(id string) (fileOptions, error) {
	c := &optionCheck{id: id}
	o := fileOptions{loc: h.Location, rotator: h.Rotator}
	o.size = offOr(c, "size", h.Size, DefaultFileSize)
	count := offOr(c, "count", h.Count, DefaultFileCount)
	o.syncInterval = offOr(c, "sync_interval", h.SyncInterval, DefaultFileSyncInterval)
	o.syncSize = offOr(c, "sync_size", h.SyncSize, DefaultFileSyncSize)
	o.checkInterval = offOr(c, "check_interval", h.CheckInterval, DefaultFileCheckInterval)
	o.maxPending = offOr(c, "max_pending", h.MaxPending, DefaultFileMaxPending)
	if c.err != nil {
		return o, c.err
	}
	if o.syncInterval == 0 {
		o.syncSize = 0
	}
	date := h.Date
	if date == "" {
		date = DefaultFileDate
	}
	if date != DateNone {
		spec, err := rotation.ParseDateSpec(date)
		if err != nil {
			return o, Fatal(fmt.Errorf("%w: file handler %q: %w", ErrBadConfig, id, &FieldError{Field: "date", Err: err}))
		}
		o.date, o.hasDate = spec, true
	}
	if o.loc == nil {
		o.loc = time.Local
	}
	if o.rotator == nil {
		o.rotator = rotation.Numbered{Count: count, Compress: h.Compress}
	}
	syncOn := h.SyncOn
	if syncOn == "" {
		syncOn = DefaultFileSyncOn
	}
	m, err := core.ParseMask(syncOn)
	if err != nil {
		return o, Fatal(fmt.Errorf("%w: file handler %q: %w", ErrBadConfig, id, &FieldError{Field: "sync_on", Err: err}))
	}
	o.syncOn = m
	return o, nil
}

// optionCheck keeps the first bad option of a File.
type optionCheck struct {
	id  string
	err error
}

// offOr reads a numeric option by File's convention: zero is def, Off is
// off (0), another negative value is an error (the first one is kept).
func offOr[T ~int | ~int64](c *optionCheck, field string, v, def T) T {
	switch {
	case v == 0:
		return def
	case v == Off:
		return 0
	case v < 0:
		if c.err == nil {
			c.err = Fatal(fmt.Errorf("%w: file handler %q: %w", ErrBadConfig, c.id, fieldErr(field, "must be >= 0 or Off, got %v", v)))
		}
		return 0
	}
	return v
}

// Check validates the options without opening anything; the error names
// the bad option.
func (h *File) Check(id string) error {
	if h.abs == "" {
		if _, err := h.Resolve(""); err != nil {
			return Fatal(err)
		}
	}
	_, err := h.options(id)
	return err
}

// Add implements Adder: it checks the options, claims the file and opens
// it. A file that cannot be opened does not fail the install: it is
// reported and tried again (see File).
func (h *File) Add(cfg *Config) error {
	if h.abs == "" {
		if _, err := h.Resolve(""); err != nil {
			return Fatal(err)
		}
	}
	opt, err := h.options(cfg.ID)
	if err != nil {
		return err
	}
	if err := claim(h.abs, cfg.ID, h); err != nil {
		return Fatal(err)
	}
	h.settle(h.now(), cfg) // a write behind left by an earlier Add
	h.opt, h.cfg = opt, cfg
	cfg.SetDefaultFormatter(defaultFileFormatter)
	now := h.now()
	h.buf, h.since, h.size, h.broken, h.rotateErr = h.buf[:0], time.Time{}, 0, nil, nil
	if opt.hasDate {
		h.nextRotate = opt.date.Next(now.In(opt.loc))
	}
	if err := h.open(now); err != nil {
		h.fail(now, cfg, &h.broken, "open", err)
	}
	return nil
}

var defaultFileFormatter = &formatter.Lager{Tokens: formatter.FileTokens("\n")}

// Log implements Handler.
func (h *File) Log(e *core.Event, cfg *Config) error {
	now, mark, err := h.appending(e.Time, cfg)
	if err != nil {
		return err
	}
	h.buf = cfg.Format(h.buf, e)
	h.appended(now, mark, e.Level, cfg)
	return nil
}

// LogLine writes a line formatted ahead, of an event of time t and level
// level, as Log writes the line Config.Format makes of such an event: what
// the handler's actor does with the lines its sink's callers formatted
// (see the package doc).
func (h *File) LogLine(line []byte, t time.Time, level core.Level, cfg *Config) error {
	now, mark, err := h.appending(t, cfg)
	if err != nil {
		return err
	}
	h.buf = append(h.buf, line...)
	h.appended(now, mark, level, cfg)
	return nil
}

// LogPage writes a page of lines formatted ahead, text, one after
// another, as LogLine would write them one by one; first and last are the
// times of the page's first and last lines, and levels has the bit of
// each line's level. When nothing is due for any of
// the lines that LogLine would do between two lines — a check, a rotation
// at a date or past the size, an fsync for its level, a retry of a broken
// file — it appends text at once and returns true; otherwise it does
// nothing and returns false, and the lines are to be written with LogLine.
// With a Clock it leaves the lines to LogLine, which reads the Clock for
// each.
func (h *File) LogPage(text []byte, first, last time.Time, levels core.Mask, cfg *Config) bool {
	if h.f == nil || h.broken != nil || h.Clock != nil || h.opt.syncOn&levels != 0 ||
		(h.opt.size > 0 && h.size+int64(len(text)) > h.opt.size) {
		return false
	}
	// The times of the checks never go back (timeOf): if nothing is due
	// at the last line's, nothing is at the lines before it.
	latest := h.latest
	if last.IsZero() {
		latest = time.Now()
	} else if last.After(latest) {
		latest = last
	}
	if (h.opt.hasDate && !latest.Before(h.nextRotate)) || h.opt.checkInterval == 0 || !latest.Before(h.nextCheck) {
		return false
	}
	now := h.timeOf(first)
	mark := len(h.buf)
	h.buf = append(h.buf, text...)
	h.timeOf(last)
	h.appended(now, mark, core.LevelNone, cfg)
	return true
}

// appending readies the file for the line of an event of time t: the
// time of its checks, rotation, and where the line starts in the buffer;
// ErrFileUnavailable when the file is broken and the buffer full.
func (h *File) appending(t time.Time, cfg *Config) (now time.Time, mark int, err error) {
	now = h.timeOf(t)
	h.maintain(now, cfg)
	mark = len(h.buf)
	if h.broken != nil && mark >= h.opt.maxPending {
		h.broken.dropped++
		return now, mark, ErrFileUnavailable
	}
	return now, mark, nil
}

// appended follows the line of an event of level level that Log or
// LogLine appended to the buffer at mark: it is written at once when the
// level asks for an fsync or the buffer is full.
func (h *File) appended(now time.Time, mark int, level core.Level, cfg *Config) {
	h.size += int64(len(h.buf) - mark)
	if h.since.IsZero() {
		h.since = now
	}
	switch {
	case h.opt.syncOn.Enabled(level):
		h.write(now, cfg, true, false)
	case h.opt.syncSize == 0: // no buffering: every event at once
		h.write(now, cfg, false, false)
	case len(h.buf) >= h.opt.syncSize:
		h.writeBehind(now, cfg)
	}
}

// writeBehind hands the full buffer to a goroutine that writes it, and
// gives the handler an empty one, so that the handler goes on taking
// events during the write: the disk's time is not its callers' (they
// would wait for it in sync mode). One buffer at most is written behind;
// the next full one waits for it (settle). Everything else that writes,
// fsyncs, checks or closes the file settles first, so it finds the file as
// a synchronous write would have left it. A broken file is written
// synchronously, by write's own retry rules.
func (h *File) writeBehind(now time.Time, cfg *Config) {
	h.settle(now, cfg)
	if h.f == nil || h.broken != nil {
		h.write(now, cfg, false, false)
		return
	}
	b := &behind{buf: h.buf, at: h.since, done: make(chan struct{})}
	h.buf, h.spare, h.since = h.spare[:0], nil, time.Time{}
	h.inflight = b
	go func(f *os.File) {
		defer close(b.done)
		b.n, b.err = f.Write(b.buf)
	}(h.f)
}

// settle waits for the buffer being written behind, if any. What a failed
// write left goes back before what was buffered since, and the failure
// starts an episode, as with a synchronous write.
func (h *File) settle(now time.Time, cfg *Config) {
	b := h.inflight
	if b == nil {
		return
	}
	<-b.done
	h.inflight = nil
	if b.err == nil {
		if !h.oversized(b.buf) {
			h.spare = b.buf[:0]
		}
		return
	}
	rest := b.buf[b.n:]
	h.buf = append(rest[:len(rest):len(rest)], h.buf...)
	h.since = b.at
	h.fail(now, cfg, &h.broken, "write", b.err)
}

// WritesLines implements LineWriter: Log writes what Config.Format makes.
func (h *File) WritesLines() bool { return true }

// NextWake implements Waker: when the buffer is due to be written (or
// tried again), or the next time rotation, whichever comes first.
func (h *File) NextWake() time.Time {
	next := h.nextRotate
	if b := h.inflight; b != nil {
		// The buffer written behind is settled, its failure reported and
		// its bytes kept, when a buffer in its place would be due.
		if due := b.at.Add(h.opt.syncInterval); next.IsZero() || due.Before(next) {
			next = due
		}
	}
	if len(h.buf) > 0 {
		due := h.since.Add(h.opt.syncInterval)
		if h.broken != nil {
			due = h.broken.retryAt
		}
		if next.IsZero() || due.Before(next) {
			next = due
		}
	}
	return next
}

// Wake implements Waker.
func (h *File) Wake(now time.Time, cfg *Config) {
	h.settle(now, cfg)
	h.maintain(now, cfg)
	if len(h.buf) > 0 && !now.Before(h.since.Add(h.opt.syncInterval)) {
		h.write(now, cfg, false, false)
	}
}

// Flush implements Flusher: it writes the buffer and fsyncs the file.
func (h *File) Flush() error {
	now := h.now()
	if h.f == nil {
		if err := h.open(now); err != nil {
			h.fail(now, h.cfg, &h.broken, "reopen", err)
			return fmt.Errorf("file %s: %d bytes not written: %w", h.abs, len(h.buf), err)
		}
	}
	if err := h.write(now, h.cfg, true, true); err != nil {
		return fmt.Errorf("file %s: %d bytes not written: %w", h.abs, len(h.buf), err)
	}
	return nil
}

// Rotate implements Rotatable: the file is rotated now.
func (h *File) Rotate(now time.Time, cfg *Config) error {
	return h.rotate(now, cfg)
}

// Reopen implements Reopener: what is buffered is written to the file as
// it is, and the file is opened again at Path.
func (h *File) Reopen(now time.Time, cfg *Config) error {
	_ = h.write(now, cfg, false, true)
	h.close()
	if err := h.open(now); err != nil {
		h.fail(now, cfg, &h.broken, "reopen", err)
		return err
	}
	return nil
}

// Remove implements Remover: it writes what is buffered, fsyncs and
// closes the file, and releases it.
func (h *File) Remove() error {
	err := h.Flush()
	h.close()
	release(h.abs, h)
	if h.broken != nil && h.broken.dropped > 0 {
		err = errors.Join(err, fmt.Errorf("file %s: %d events dropped while it could not be written", h.abs, h.broken.dropped))
	}
	return err
}

func (h *File) noun() string {
	if h.crashLog {
		return "crash log file"
	}
	return "log file"
}

// timeOf is the time for the checks of an event of time t: its own (the
// latest seen, so it never goes back), which spares a clock read per event
// and keeps an event logged before a date boundary in the file it belongs
// to; the clock when the event has no time. The alarm (Wake) uses the
// clock.
func (h *File) timeOf(t time.Time) time.Time {
	if h.Clock != nil || t.IsZero() {
		return h.now()
	}
	if t.After(h.latest) {
		h.latest = t
	}
	return h.latest
}

func (h *File) now() time.Time {
	if h.Clock != nil {
		return h.Clock()
	}
	return time.Now()
}

// maintain does what is due before an event: retry a broken file, check
// the file, rotate at a date or past the size.
func (h *File) maintain(now time.Time, cfg *Config) {
	switch {
	case h.f == nil:
		if h.broken == nil || !now.Before(h.broken.retryAt) {
			if err := h.open(now); err != nil {
				h.fail(now, cfg, &h.broken, "reopen", err)
			} else {
				_ = h.write(now, cfg, false, true) // what waited, first
			}
		}
	case h.opt.checkInterval == 0 || !now.Before(h.nextCheck):
		h.check(now, cfg)
	}
	if h.opt.hasDate && !now.Before(h.nextRotate) {
		_ = h.rotate(now, cfg)
	} else if h.f != nil && h.opt.size > 0 && h.size > h.opt.size && (h.rotateErr == nil || !now.Before(h.rotateErr.retryAt)) {
		_ = h.rotate(now, cfg)
	}
}

// check looks whether the file at the path is still the one open; if it
// was moved or deleted, the buffer goes to the old file and a new one is
// opened.
func (h *File) check(now time.Time, cfg *Config) {
	h.settle(now, cfg) // its bytes in the file's size
	h.nextCheck = now.Add(h.opt.checkInterval)
	st, err := os.Stat(h.abs)
	if err == nil && os.SameFile(st, h.info) {
		h.size = st.Size() + int64(len(h.buf))
		return
	}
	_ = h.write(now, cfg, false, true)
	h.close()
	if err := h.open(now); err != nil {
		h.fail(now, cfg, &h.broken, "reopen", err)
	}
}

// rotate writes the buffer, moves the file aside, opens a new one, and
// sets the next time rotation.
func (h *File) rotate(now time.Time, cfg *Config) error {
	if h.opt.hasDate {
		h.nextRotate = h.opt.date.Next(now.In(h.opt.loc))
	}
	_ = h.write(now, cfg, true, true)
	h.close()
	rotErr := h.opt.rotator.Rotate(h.abs)
	if rotErr != nil {
		h.fail(now, cfg, &h.rotateErr, "rotate", rotErr)
	} else {
		h.recover(cfg, &h.rotateErr, "%s %s rotates again")
	}
	if err := h.open(now); err != nil {
		h.fail(now, cfg, &h.broken, "reopen", err)
		return errors.Join(rotErr, err)
	}
	return rotErr
}

// open opens the file at the path for appending, creating it and its
// directory if needed. What is buffered stays buffered.
func (h *File) open(now time.Time) error {
	if err := os.MkdirAll(filepath.Dir(h.abs), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(h.abs, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	h.f, h.info, h.size = f, st, st.Size()+int64(len(h.buf))
	h.nextCheck = now.Add(h.opt.checkInterval)
	return nil
}

func (h *File) close() {
	h.settle(h.now(), h.cfg)
	if h.f != nil {
		_ = h.f.Close()
		h.f = nil
	}
}

// write writes the buffer to the file, and fsyncs it if asked. While the
// file is broken it only tries when the retry is due, or when forced.
func (h *File) write(now time.Time, cfg *Config, fsync, force bool) error {
	h.settle(now, cfg)
	if h.f == nil {
		return errNotOpen
	}
	if h.broken != nil && !force && now.Before(h.broken.retryAt) {
		return nil
	}
	if len(h.buf) > 0 {
		n, err := h.f.Write(h.buf)
		h.buf = h.buf[:copy(h.buf, h.buf[n:])]
		if err != nil {
			h.fail(now, cfg, &h.broken, "write", err)
			return err
		}
		h.since = time.Time{}
		if h.oversized(h.buf) {
			h.buf = nil
		}
	}
	if fsync {
		if err := h.f.Sync(); err != nil {
			h.fail(now, cfg, &h.broken, "write", err)
			return err
		}
	}
	h.recover(cfg, &h.broken, "%s %s is written again")
	return nil
}

// oversized says whether buf grew, by huge events or an outage, beyond
// what a File keeps for its next buffer.
func (h *File) oversized(buf []byte) bool { return cap(buf) > 4*h.opt.syncSize+1<<20 }

var errNotOpen = errors.New("not open")

// fail starts a failure episode of op (reported once, in lager's words) or
// goes on with one, and sets when to try again.
func (h *File) fail(now time.Time, cfg *Config, ep **episode, op string, err error) {
	retry := h.opt.checkInterval
	if retry <= 0 {
		retry = time.Second
	}
	if *ep == nil {
		*ep = &episode{}
		msg := fmt.Sprintf("Failed to %s %s %s with error %s", op, h.noun(), h.abs, osReason(err))
		if op == "write" {
			msg = fmt.Sprintf("Failed to write log message to %s %s: %s", h.noun(), h.abs, osReason(err))
		}
		cfg.Report(core.LevelError, msg, slog.String("file", h.abs), slog.String("error", osReason(err)))
	}
	(*ep).retryAt = now.Add(retry)
}

// recover ends a failure episode, reporting it and what it dropped.
func (h *File) recover(cfg *Config, ep **episode, format string) {
	if *ep == nil {
		return
	}
	dropped := (*ep).dropped
	*ep = nil
	msg := fmt.Sprintf(format, h.noun(), h.abs)
	if dropped > 0 {
		msg += fmt.Sprintf("; %d events were dropped while it could not be", dropped)
	}
	cfg.Report(core.LevelNotice, msg, slog.String("file", h.abs), slog.Int("dropped", dropped))
}

// osReason is the operating system's reason in err ("permission denied"),
// without the operation and path that the message already names.
func osReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	return err.Error()
}

// The files written by File handlers in this process, so that two
// handlers never write one file.
var files = struct {
	sync.Mutex
	owner map[string]fileOwner
}{owner: map[string]fileOwner{}}

type fileOwner struct {
	id string
	h  *File
}

func claim(path, id string, h *File) error {
	files.Lock()
	defer files.Unlock()
	if o, ok := files.owner[path]; ok && o.h != h {
		return fmt.Errorf("%w: handlers %q and %q both write file %s", ErrBadConfig, o.id, id, path)
	}
	files.owner[path] = fileOwner{id: id, h: h}
	return nil
}

func release(path string, h *File) {
	files.Lock()
	defer files.Unlock()
	if o, ok := files.owner[path]; ok && o.h == h {
		delete(files.owner, path)
	}
}
