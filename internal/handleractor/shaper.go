package handleractor

import "time"

// Shaper is lager's overload shaper for one handler: at most HWM events a
// second get through; the others are dropped and counted. Windows are one
// second long, starting at the first event after the previous window ended,
// so that no window admits one event too many (lager's hwm+1). It is not
// safe for concurrent use; a handler's actor owns it.
type Shaper struct {
	// HWM is the most events a window lets through; zero lets all through.
	HWM int

	start   time.Time
	passed  int
	dropped int
}

// ShaperWindow is the length of a shaper's window.
const ShaperWindow = time.Second

// Allow reports whether an event at now gets through. When now starts a
// new window, closed is the number of events the window before dropped
// (zero if none, or if it was already reported by Close).
func (s *Shaper) Allow(now time.Time) (ok bool, closed int) {
	if s.HWM <= 0 {
		return true, 0
	}
	if s.start.IsZero() || now.Sub(s.start) >= ShaperWindow {
		closed = s.dropped
		s.start, s.passed, s.dropped = now, 0, 0
	}
	if s.passed < s.HWM {
		s.passed++
		return true, closed
	}
	s.dropped++
	return false, closed
}

// Close ends the current window if it is over at now, and returns what it
// dropped, for a report at the window's end when no event comes to start
// the next one. It returns 0 when nothing was dropped or the window is not
// over yet.
func (s *Shaper) Close(now time.Time) int {
	if s.start.IsZero() || now.Sub(s.start) < ShaperWindow {
		return 0
	}
	d := s.dropped
	s.start, s.passed, s.dropped = time.Time{}, 0, 0
	return d
}

// WindowEnd returns when the current window ends (zero if none is open).
func (s *Shaper) WindowEnd() time.Time {
	if s.start.IsZero() {
		return time.Time{}
	}
	return s.start.Add(ShaperWindow)
}
