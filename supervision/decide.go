package supervision

import "time"

// This file is the pure decision layer: what a supervisor does when a child
// terminates. The supervisor actor only carries the decisions out.

// Window counts restarts within a sliding period: OTP's restart intensity,
// usable on its own (the sinks use it for their handlers). The zero value
// allows no restart.
type Window struct {
	// Intensity is the most restarts allowed within Period.
	Intensity int
	// Period is how long a restart counts.
	Period time.Duration
	times  []time.Time
}

// Allow records a restart at now and reports whether it is allowed: false
// when, counting it, more than Intensity restarts are no older than Period.
// Restarts older than Period are forgotten.
func (w *Window) Allow(now time.Time) bool {
	threshold := now.Add(-w.Period)
	kept := w.times[:0]
	for _, t := range w.times {
		if !t.Before(threshold) {
			kept = append(kept, t)
		}
	}
	w.times = append(kept, now)
	return len(w.times) <= w.Intensity
}

// verdict is what happens to a child that terminated.
type verdict int

const (
	// keep: the child is not restarted and its spec is kept, not running
	// (a transient child that exited normally).
	keep verdict = iota
	// remove: the child is not restarted and its spec is deleted (a
	// temporary child, or any child of a simple_one_for_one supervisor that
	// is not restarted).
	remove
	// restart: the children [from, to) are terminated and restarted.
	restart
	// giveUp: the restart intensity is exceeded; the supervisor terminates
	// all its children and itself.
	giveUp
)

func (v verdict) String() string {
	return [...]string{"keep", "remove", "restart", "give up"}[v]
}

// decision is the answer of decide.
type decision struct {
	verdict  verdict
	from, to int // the children to restart, in start order (restart only)
}

// decide says what a supervisor with strategy s does when its child idx of
// n, of restart type rt, terminated with reason at now. It counts the
// restart in w when it restarts.
func decide(s Strategy, rt RestartType, reason error, idx, n int, w *Window, now time.Time) decision {
	if !shouldRestart(rt, reason) {
		if rt == Temporary || s == SimpleOneForOne {
			return decision{verdict: remove}
		}
		return decision{verdict: keep}
	}
	if !w.Allow(now) {
		return decision{verdict: giveUp}
	}
	from, to := affected(s, idx, n)
	return decision{verdict: restart, from: from, to: to}
}

// shouldRestart applies the restart type to an exit reason.
func shouldRestart(rt RestartType, reason error) bool {
	switch rt {
	case Permanent:
		return true
	case Transient:
		return !IsNormal(reason)
	}
	return false
}

// affected returns the children [from, to) that a restart of child idx of n
// involves under strategy s.
func affected(s Strategy, idx, n int) (from, to int) {
	switch s {
	case OneForAll:
		return 0, n
	case RestForOne:
		return idx, n
	}
	return idx, idx + 1
}
