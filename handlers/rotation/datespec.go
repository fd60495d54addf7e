package rotation

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrBadDateSpec is wrapped by every error of ParseDateSpec.
var ErrBadDateSpec = errors.New("rotation: bad date spec")

// Period is how often a DateSpec comes round.
type Period int

// The periods.
const (
	Hourly Period = iota
	Daily
	Weekly
	Monthly
)

// LastDay is DateSpec.Day for "the last day of the month" ($ML).
const LastDay = -1

// DateSpec is a parsed lager rotation date spec: when a file rotates by
// the calendar.
type DateSpec struct {
	Period Period
	// Minute (0–59) and Hour (0–23) of the rotation; Hour is 0 unless
	// given, and unused for Hourly.
	Minute, Hour int
	// Weekday (Weekly) is 0–6, 0 meaning Sunday.
	Weekday time.Weekday
	// Day (Monthly) is 1–31, or LastDay.
	Day int
}

// ParseDateSpec parses lager's date spec grammar (newsyslog's, plus $H):
//
//	$D hh[H mm]            daily at hh:mm            ($D0, $D23, $D5H30)
//	$W w[D hh][H mm]       weekly on day w, 0=Sunday  ($W5, $W0D23, $W0D0H0)
//	$M dd|L[D hh[H mm]]    monthly on day dd or the last day ($M1D0, $ML, $MLD5H30)
//	$H mm                  hourly at minute mm        ($H00, $H5)
//
// Numbers have one or two digits. Unlike lager, single-digit hours before
// H parse ($D5H30, $D0H05, $W0D0H0 crash lager), and a non-number is an
// error ($MxD0, which lager takes as day 72). As in lager, a monthly spec
// takes a minute only after an hour ($M5H30 is an error). The error names
// the spec and what is wrong.
func ParseDateSpec(spec string) (DateSpec, error) {
	fail := func(why string) (DateSpec, error) {
		return DateSpec{}, fmt.Errorf("%w %q: %s", ErrBadDateSpec, spec, why)
	}
	p := &specParser{s: spec}
	if !p.eat('$') {
		return fail("must start with $")
	}
	var d DateSpec
	var ok bool
	switch p.next() {
	case 'H':
		d.Period = Hourly
		if d.Minute, ok = p.number(0, 59); !ok {
			return fail("$H needs a minute, 0 to 59")
		}
	case 'D':
		d.Period = Daily
		if d.Hour, ok = p.number(0, 23); !ok {
			return fail("$D needs an hour, 0 to 23")
		}
		if why := p.optional('H', 0, 59, &d.Minute, "a minute"); why != "" {
			return fail(why)
		}
	case 'W':
		d.Period = Weekly
		w, ok := p.number(0, 6)
		if !ok {
			return fail("$W needs a weekday, 0 (Sunday) to 6")
		}
		d.Weekday = time.Weekday(w)
		if why := p.optional('D', 0, 23, &d.Hour, "an hour"); why != "" {
			return fail(why)
		}
		if why := p.optional('H', 0, 59, &d.Minute, "a minute"); why != "" {
			return fail(why)
		}
	case 'M':
		d.Period = Monthly
		if p.eat('L') || p.eat('l') {
			d.Day = LastDay
		} else if d.Day, ok = p.number(1, 31); !ok {
			return fail("$M needs a day, 1 to 31, or L")
		}
		if p.peek('D') {
			if why := p.optional('D', 0, 23, &d.Hour, "an hour"); why != "" {
				return fail(why)
			}
			// A monthly spec takes a minute only after an hour, as lager.
			if why := p.optional('H', 0, 59, &d.Minute, "a minute"); why != "" {
				return fail(why)
			}
		}
	default:
		return fail("expected D, W, M or H after $")
	}
	if !p.done() {
		return fail(fmt.Sprintf("unexpected %q", p.s[p.i:]))
	}
	return d, nil
}

type specParser struct {
	s string
	i int
}

func (p *specParser) done() bool { return p.i >= len(p.s) }

func (p *specParser) next() byte {
	if p.done() {
		return 0
	}
	c := p.s[p.i]
	p.i++
	return c
}

func (p *specParser) peek(c byte) bool { return !p.done() && p.s[p.i] == c }

func (p *specParser) eat(c byte) bool {
	if !p.done() && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// optional reads an optional field: tag followed by a number within
// [lo, hi] into dst. It returns why the field is bad, or "".
func (p *specParser) optional(tag byte, lo, hi int, dst *int, what string) string {
	if !p.eat(tag) {
		return ""
	}
	n, ok := p.number(lo, hi)
	if !ok {
		return fmt.Sprintf("%c needs %s, %d to %d", tag, what, lo, hi)
	}
	*dst = n
	return ""
}

// number reads one or two digits within [lo, hi].
func (p *specParser) number(lo, hi int) (int, bool) {
	start := p.i
	for p.i < len(p.s) && p.i-start < 2 && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	if p.i == start || (p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9') {
		return 0, false
	}
	n, _ := strconv.Atoi(p.s[start:p.i])
	return n, lo <= n && n <= hi
}

// String prints the spec in the canonical form ParseDateSpec reads back.
func (d DateSpec) String() string {
	switch d.Period {
	case Hourly:
		return fmt.Sprintf("$H%02d", d.Minute)
	case Daily:
		return fmt.Sprintf("$D%dH%02d", d.Hour, d.Minute)
	case Weekly:
		return fmt.Sprintf("$W%dD%dH%02d", int(d.Weekday), d.Hour, d.Minute)
	}
	day := strconv.Itoa(d.Day)
	if d.Day == LastDay {
		day = "L"
	}
	return fmt.Sprintf("$M%sD%dH%02d", day, d.Hour, d.Minute)
}

// Next returns the first instant strictly after now that matches the spec,
// in now's location (so pass time.Now().UTC() for UTC rotation): there is
// no matching instant between now and it.
//
// A monthly day past the end of a short month means that month's last day
// ($M31 rotates on 30 April and on 28 or 29 February). Daylight-saving
// changes follow the wall clock:
//   - a wall-clock time that occurs twice (the clocks go back) rotates at
//     its first occurrence only: $D2H30 rotates once on a day whose 02:30
//     comes twice, and $H30 once in the repeated hour;
//   - a wall-clock time that does not exist (the clocks go forward) rotates
//     as far past the gap as it is past the gap's start: with the clocks
//     going from 02:00 to 03:00, $D2H30 rotates at 03:30, and with a
//     30-minute change from 02:00 to 02:30, $D2H15 rotates at 02:45.
func (d DateSpec) Next(now time.Time) time.Time {
	loc := now.Location()
	y, mo, day := now.Date()
	switch d.Period {
	case Hourly:
		// From the day's first hour: a time moved past a gap can come
		// after the wall clock's next hour.
		for h := 0; ; h++ {
			if t := wallTime(y, mo, day, h, d.Minute, loc); t.After(now) {
				return t
			}
		}
	case Daily:
		for i := 0; ; i++ {
			if t := wallTime(y, mo, day+i, d.Hour, d.Minute, loc); t.After(now) {
				return t
			}
		}
	case Weekly:
		ahead := (int(d.Weekday) - int(now.Weekday()) + 7) % 7
		for i := ahead; ; i += 7 {
			if t := wallTime(y, mo, day+i, d.Hour, d.Minute, loc); t.After(now) {
				return t
			}
		}
	}
	for i := 0; ; i++ {
		first := time.Date(y, mo+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		if t := wallTime(first.Year(), first.Month(), d.dayIn(first.Year(), first.Month()), d.Hour, d.Minute, loc); t.After(now) {
			return t
		}
	}
}

// wallTime returns the instant at which loc's wall clock first reads the
// given date and time (out-of-range fields normalised as by time.Date).
// When the clocks skip that time, it returns the instant as far past the
// gap as the time is past the gap's start.
//
// time.Date leaves open which instant it returns for either case, so this
// works it out from the offsets on either side of the zone boundaries next
// to time.Date's answer.
func wallTime(y int, mo time.Month, day, h, m int, loc *time.Location) time.Time {
	// wall is the wall-clock reading as if it were UTC; the instant at
	// which loc reads it under offset off is wall - off.
	wall := time.Date(y, mo, day, h, m, 0, 0, time.UTC)
	t := time.Date(y, mo, day, h, m, 0, 0, loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	at := func(off int) time.Time { return wall.Add(-time.Duration(off) * time.Second).In(loc) }
	if at(off).Equal(t) {
		// The clock reads the time in t's zone; it reads it earlier too
		// when the zone before t's runs to it (the clocks went back).
		if !start.IsZero() {
			before := start.Add(-time.Nanosecond)
			_, prev := before.Zone()
			if c := at(prev); !c.After(before) {
				if _, o := c.Zone(); o == prev {
					return c
				}
			}
		}
		return t
	}
	// The clocks skip the time. The gap is at the start of t's zone when
	// t's wall clock reads past the time, else at its end; the time is
	// read under the offset in force before the gap.
	if t.After(at(off)) {
		if start.IsZero() {
			return t
		}
		_, prev := start.Add(-time.Nanosecond).Zone()
		return at(prev)
	}
	if end.IsZero() {
		return t
	}
	return at(off)
}

// dayIn returns the spec's day in a month: Day, or the month's last day
// when Day is LastDay or past the month's end.
func (d DateSpec) dayIn(y int, m time.Month) int {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d.Day == LastDay || d.Day > last {
		return last
	}
	return d.Day
}

// Matches reports whether t is an instant at which the spec rotates (to
// the second): one Next can return, by the rules Next gives for short
// months and daylight-saving changes.
func (d DateSpec) Matches(t time.Time) bool {
	h, m, sec := t.Clock()
	if sec != 0 || t.Nanosecond() != 0 {
		return false
	}
	loc := t.Location()
	if m == d.Minute {
		y, mo, day := t.Date()
		// The wall-clock time t reads, as if it were UTC.
		read := time.Date(y, mo, day, h, m, 0, 0, time.UTC)
		if d.names(read) && wallTime(y, mo, day, h, m, loc).Equal(t) {
			return true
		}
	}
	// A time the clocks skipped just before t comes at t. No gap is
	// longer than a day and a half.
	start, _ := t.ZoneBounds()
	if start.IsZero() || t.Sub(start) >= 36*time.Hour {
		return false
	}
	_, off := t.Zone()
	_, prev := start.Add(-time.Nanosecond).Zone()
	gap := time.Duration(off-prev) * time.Second
	if gap <= 0 || t.Sub(start) >= gap {
		return false
	}
	y, mo, day := t.Date()
	skipped := time.Date(y, mo, day, h, m, 0, 0, time.UTC).Add(-gap)
	return d.names(skipped) && wallTime(skipped.Year(), skipped.Month(), skipped.Day(), skipped.Hour(), skipped.Minute(), loc).Equal(t)
}

// names reports whether the spec names the wall-clock time w (given as if
// it were UTC).
func (d DateSpec) names(w time.Time) bool {
	if w.Minute() != d.Minute {
		return false
	}
	switch d.Period {
	case Hourly:
		return true
	case Daily:
		return w.Hour() == d.Hour
	case Weekly:
		return w.Hour() == d.Hour && w.Weekday() == d.Weekday
	}
	return w.Hour() == d.Hour && w.Day() == d.dayIn(w.Year(), w.Month())
}
