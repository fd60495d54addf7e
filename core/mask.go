package core

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadLevel is wrapped by every error about a level name or a level
// expression.
var ErrBadLevel = errors.New("bad level")

// Mask is a set of levels, lager's bitmask: debug 128, info 64, notice 32,
// warning 16, error 8, critical 4, alert 2, emergency 1.
type Mask uint8

// The empty mask, the mask of every level, and the bit of each level.
const (
	MaskNone      Mask = 0
	MaskAll       Mask = 255
	MaskDebug     Mask = 128
	MaskInfo      Mask = 64
	MaskNotice    Mask = 32
	MaskWarning   Mask = 16
	MaskError     Mask = 8
	MaskCritical  Mask = 4
	MaskAlert     Mask = 2
	MaskEmergency Mask = 1
)

// AtLeast returns the mask of l and every more severe level, which is what
// a plain level means in a handler's config ("info": info … emergency).
func AtLeast(l Level) Mask {
	b := l.Bit()
	if b == 0 {
		return MaskNone
	}
	return b<<1 - 1
}

// Enabled reports whether the mask holds the level l.
func (m Mask) Enabled(l Level) bool { return m&l.Bit() != 0 }

// First returns the most verbose level in the mask, lager's "level of a
// handler" (the first level of '!=info' is debug), or LevelNone for an
// empty mask.
func (m Mask) First() Level {
	for _, l := range Levels {
		if m&l.Bit() != 0 {
			return l
		}
	}
	return LevelNone
}

// Levels returns the levels in the mask, most verbose first.
func (m Mask) Levels() []Level {
	var out []Level
	for _, l := range Levels {
		if m&l.Bit() != 0 {
			out = append(out, l)
		}
	}
	return out
}

// String returns a level expression that ParseMask turns back into m:
// "none", "info" (info and above), "=info", "!=info", "<=info" (info and
// below), and for any other set the union of its levels, "=debug|=error".
func (m Mask) String() string {
	if m == MaskNone {
		return "none"
	}
	for _, l := range Levels {
		if m == AtLeast(l) {
			return l.String()
		}
	}
	for _, l := range Levels {
		switch m {
		case l.Bit():
			return "=" + l.String()
		case ^l.Bit():
			return "!=" + l.String()
		case ^AtLeast(l) | l.Bit():
			return "<=" + l.String()
		}
	}
	var parts []string
	for _, l := range m.Levels() {
		parts = append(parts, "="+l.String())
	}
	return strings.Join(parts, "|")
}

// MarshalText returns String.
func (m Mask) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText parses a level expression, as ParseMask does.
func (m *Mask) UnmarshalText(text []byte) error {
	v, err := ParseMask(string(text))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMask parses one of lager's level expressions into the set of levels
// it selects:
//
//	info      info and every more severe level
//	=info     info only
//	!=info    every level but info
//	<info     the levels less severe (more verbose) than info
//	<=info    info and the less severe ones (also written =<info)
//	>info     the levels more severe than info
//	>=info    the same as info (also written =>info)
//	!expr     every level expr does not select ("!info" is debug)
//	none      no level (a level above every level)
//	all       every level (OTP's: a level below every level, so that
//	          ">all" and "!=all" are every level, "=all" and "<=all" none)
//
// Level names are lager's (see ParseLevel), in any case; spaces around the
// expression are ignored. As an extension, expressions joined by "|" select
// the union of their sets, which lets Mask.String print every mask.
func ParseMask(s string) (Mask, error) {
	var m Mask
	for _, part := range strings.Split(s, "|") {
		pm, err := parseMaskTerm(strings.TrimSpace(part))
		if err != nil {
			return 0, fmt.Errorf("%w: level expression %q: %v", ErrBadLevel, s, err)
		}
		m |= pm
	}
	return m, nil
}

func parseMaskTerm(s string) (Mask, error) {
	if strings.HasPrefix(s, "!") && !strings.HasPrefix(s, "!=") {
		inner, err := parseMaskTerm(s[1:])
		return ^inner, err
	}
	op, name := "", s
	for _, o := range []string{"!=", "<=", "=<", ">=", "=>", "=", "<", ">"} {
		if strings.HasPrefix(s, o) {
			op, name = o, s[len(o):]
			break
		}
	}
	if name == "" {
		return 0, errors.New("no level")
	}
	l, err := parseNamedLevel(name)
	if err != nil {
		return 0, err
	}
	at := l.Bit() // the level itself (0 for none and all)
	if l == LevelAll {
		at = 0
	}
	above := AtLeast(l) &^ at // strictly more severe
	switch op {
	case "":
		return AtLeast(l), nil
	case "=":
		return at, nil
	case "!=":
		return ^at, nil
	case "<":
		if l == LevelNone {
			return MaskAll, nil
		}
		return ^AtLeast(l), nil
	case "<=", "=<":
		if l == LevelNone {
			return MaskAll, nil
		}
		return ^above, nil
	case ">":
		return above, nil
	}
	return AtLeast(l), nil // ">=", "=>"
}

// parseNamedLevel accepts only the eight names, none and all: an
// expression selects whole levels, so offsets and slog's "warn" are
// rejected.
func parseNamedLevel(name string) (Level, error) {
	n := strings.ToLower(name)
	switch n {
	case "none":
		return LevelNone, nil
	case "all":
		return LevelAll, nil
	}
	for i, ln := range levelNames {
		if ln == n {
			return Levels[i], nil
		}
	}
	return 0, fmt.Errorf("unknown level %q", name)
}
