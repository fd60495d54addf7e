package actorlog

import (
	"fmt"
	"io"
	"log"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/internal/handleractor"
)

// DefaultStdLogHWM is the default limit of RedirectStdLog: lines a second
// (lager's error_logger_hwm).
const DefaultStdLogHWM = 50

// StdLogOptions configure RedirectStdLog.
type StdLogOptions struct {
	// Level is the level of the standard log's lines; the zero value is
	// LevelInfo (the standard log has no levels; pass LevelError for a
	// program whose log lines are errors).
	Level Level
	// HWM is the most lines a second that get through (lager's
	// error_logger_hwm): 50 if zero; negative for no limit. The others are
	// dropped, counted, and reported when the second is over.
	HWM int
}

// RedirectStdLog makes the standard log package (log.Print…, and
// everything that writes through log's default logger) write into the
// default sink: lager's error_logger_redirect. It is opt-in and
// reversible: undo puts back the output, flags and prefix the standard log
// had, and Stop undoes it too. Redirecting again undoes the previous
// redirect first.
//
// Each line becomes an event at opts.Level, with the source location of
// the log call. Past opts.HWM lines in a second, lines are dropped; when
// the second is over (even if no other line comes), one warning says how
// many: "std log redirect dropped N messages in the last second that
// exceeded the limit of M messages/sec".
func (s *System) RedirectStdLog(opts StdLogOptions) (undo func()) {
	if opts.HWM == 0 {
		opts.HWM = DefaultStdLogHWM
	}
	w := &stdLogWriter{sys: s, level: opts.Level, prevOut: log.Writer(), prevFlags: log.Flags(), prevPrefix: log.Prefix()}
	w.shaper.HWM = max(opts.HWM, 0)
	s.stdLogMu.Lock()
	prev := s.stdLogUndo
	s.stdLogMu.Unlock()
	if prev != nil {
		prev()
	}
	log.SetOutput(w)
	log.SetFlags(0)
	s.stdLogMu.Lock()
	s.stdLogUndo = w.undo
	s.stdLogMu.Unlock()
	return w.undo
}

// stdLogWriter is the standard log's output while redirected: the log
// package makes one Write per line.
type stdLogWriter struct {
	sys        *System
	level      Level
	prevOut    io.Writer
	prevFlags  int
	prevPrefix string

	mu     sync.Mutex
	shaper handleractor.Shaper
	timer  *time.Timer
	undone bool
	once   sync.Once
}

// Write implements io.Writer: it logs one line and never fails.
func (w *stdLogWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSuffix(string(p), "\n")
	w.mu.Lock()
	if w.undone {
		w.mu.Unlock()
		return w.prevOut.Write(p)
	}
	pass, closed := w.shaper.Allow(time.Now())
	if !pass && w.timer == nil {
		w.timer = time.AfterFunc(time.Until(w.shaper.WindowEnd()), w.tick)
	}
	w.mu.Unlock()
	w.report(closed)
	if !pass || !w.sys.logger.Enabled(w.level) {
		return len(p), nil
	}
	e := w.sys.logger.eventAt(time.Now(), callerOutsideLog(), w.level, core.Truncate(msg, w.sys.logger.trunc), 0)
	_ = w.sys.sink.Log(e) // counted by the sink if not delivered
	return len(p), nil
}

// tick reports the drops of a window that ended without a line to close it.
func (w *stdLogWriter) tick() {
	w.mu.Lock()
	n := w.shaper.Close(time.Now().Add(handleractor.ShaperWindow)) // the window is over
	w.timer = nil
	w.mu.Unlock()
	w.report(n)
}

func (w *stdLogWriter) report(dropped int) {
	if dropped == 0 {
		return
	}
	w.sys.report(LevelWarning, fmt.Sprintf("std log redirect dropped %d messages in the last second that exceeded the limit of %d messages/sec",
		dropped, w.shaper.HWM), slog.Int("dropped", dropped), slog.Int("high_water_mark", w.shaper.HWM))
}

// undo restores the standard log as it was, and reports drops not yet
// reported.
func (w *stdLogWriter) undo() {
	w.once.Do(func() {
		w.mu.Lock()
		w.undone = true
		if w.timer != nil {
			w.timer.Stop()
			w.timer = nil
		}
		n := w.shaper.Close(time.Now().Add(handleractor.ShaperWindow))
		w.mu.Unlock()
		w.report(n)
		if log.Writer() == io.Writer(w) {
			log.SetOutput(w.prevOut)
			log.SetFlags(w.prevFlags)
			log.SetPrefix(w.prevPrefix)
		}
		w.sys.stdLogMu.Lock()
		w.sys.stdLogUndo = nil
		w.sys.stdLogMu.Unlock()
	})
}

// callerOutsideLog returns the PC of the first caller outside the log
// package and this file: where the program called log.Print….
func callerOutsideLog() uintptr {
	var pcs [16]uintptr
	n := runtime.Callers(3, pcs[:])
	for _, pc := range pcs[:n] {
		f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
		if !strings.HasPrefix(f.Function, "log.") && !strings.Contains(f.Function, "actorlog.(*stdLogWriter)") {
			return pc
		}
	}
	return 0
}
