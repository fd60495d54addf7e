package core

import (
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
)

// Level is a log level: lager's eight severities on slog's scale, so that
// every slog.Level is a Level and the standard ones mean the same. Values
// between the named levels are allowed (as in slog); they count as the
// named level at or below them.
type Level int

// lager's levels, with slog's spacing: Debug, Info, Warning and Error equal
// slog.LevelDebug, LevelInfo, LevelWarn and LevelError.
const (
	LevelDebug     Level = -4
	LevelInfo      Level = 0
	LevelNotice    Level = 2
	LevelWarning   Level = 4
	LevelError     Level = 8
	LevelCritical  Level = 12
	LevelAlert     Level = 16
	LevelEmergency Level = 20
	// LevelNone is lager's none: above every level. An event at LevelNone
	// is never logged; as a handler's level it logs nothing.
	LevelNone Level = math.MaxInt32
	// LevelAll is OTP's all: below every level. As a handler's level it
	// logs everything; an event at LevelAll counts as debug, as every
	// level below debug does.
	LevelAll Level = math.MinInt32
)

// Levels lists the eight levels from the most verbose to the most severe.
var Levels = [8]Level{LevelDebug, LevelInfo, LevelNotice, LevelWarning, LevelError, LevelCritical, LevelAlert, LevelEmergency}

var levelNames = [8]string{"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}

// index returns the position in Levels of the named level at or below l:
// 0 for anything below Info, 7 for Emergency and above, -1 for LevelNone.
func (l Level) index() int {
	if l == LevelNone {
		return -1
	}
	for i := len(Levels) - 1; i > 0; i-- {
		if l >= Levels[i] {
			return i
		}
	}
	return 0
}

// Named returns the named level at or below l (Debug for anything below
// Info); LevelNone for LevelNone.
func (l Level) Named() Level {
	if i := l.index(); i >= 0 {
		return Levels[i]
	}
	return LevelNone
}

// String returns the lager name ("info"), with an offset for a level
// between two names ("info+1", "debug-2"), or "none" or "all".
func (l Level) String() string {
	i := l.index()
	switch {
	case i < 0:
		return "none"
	case l == LevelAll:
		return "all"
	}
	s := levelNames[i]
	if d := l - Levels[i]; d != 0 {
		s += fmt.Sprintf("%+d", int(d))
	}
	return s
}

// Upper returns String in upper case ("INFO"), lager's severity_upper.
func (l Level) Upper() string { return strings.ToUpper(l.String()) }

// Letter returns lager's one-letter severity: D I N W E C A, M for
// emergency, and a space for none.
func (l Level) Letter() byte {
	if i := l.index(); i >= 0 {
		return "DINWECAM"[i]
	}
	return ' '
}

// bits holds Bit for the levels from LevelDebug to LevelEmergency, so that
// the check on every logging call is a table lookup.
var bits = func() (t [LevelEmergency - LevelDebug + 1]Mask) {
	for i := range t {
		t[i] = 128 >> Level(i+int(LevelDebug)).index()
	}
	return t
}()

// Bit returns the level's bit in a Mask: debug 128 … emergency 1, and 0
// for LevelNone.
func (l Level) Bit() Mask {
	if d := uint(l - LevelDebug); d < uint(len(bits)) {
		return bits[d]
	}
	switch {
	case l < LevelDebug:
		return 128
	case l == LevelNone:
		return 0
	}
	return 1
}

// Slog returns l as a slog.Level; LevelNone becomes math.MaxInt32, which
// no slog handler enables.
func (l Level) Slog() slog.Level { return slog.Level(l) }

// Level makes a Level a slog.Leveler.
func (l Level) Level() slog.Level { return slog.Level(l) }

// MarshalText returns String.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText parses a level name, as ParseLevel does.
func (l *Level) UnmarshalText(text []byte) error {
	v, err := ParseLevel(string(text))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// maxOffset bounds the offset ParseLevel accepts, far beyond any real use,
// so that no offset can overflow into another level or LevelNone.
const maxOffset = 1 << 16

// ParseLevel parses a level name, in any case: one of lager's names,
// none, OTP's all, slog's "warn", or a name with an offset ("info+1",
// "ERROR-2", as String prints them).
func ParseLevel(s string) (Level, error) {
	name, offset := strings.ToLower(strings.TrimSpace(s)), 0
	if i := strings.IndexAny(name, "+-"); i > 0 {
		n, err := strconv.Atoi(name[i:])
		if err != nil || n < -maxOffset || n > maxOffset {
			return 0, fmt.Errorf("%w: %q: bad offset", ErrBadLevel, s)
		}
		name, offset = name[:i], n
	}
	switch {
	case name == "none" && offset == 0:
		return LevelNone, nil
	case name == "all" && offset == 0:
		return LevelAll, nil
	}
	if name == "warn" {
		name = "warning"
	}
	for i, n := range levelNames {
		if n == name {
			return Levels[i] + Level(offset), nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrBadLevel, s)
}
