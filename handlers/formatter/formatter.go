package formatter

import (
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/core"
)

// Formatter turns an event into the bytes a handler writes: Format appends
// them to dst and returns the result. One formatter value may serve
// several handlers, and a sink runs the formatter of a handler that writes
// lines (handlers.LineWriter) on the logging callers' goroutines, so Format
// runs on many goroutines at once: it must not change the formatter, nor
// depend on when it runs (the event carries its time). Nor may it keep e,
// or anything of it, once it returned: a sink may reuse the event's memory
// (core.Event.Hold) — though only behind this package's own formatters.
type Formatter interface {
	Format(dst []byte, e *core.Event) []byte
}

// Own reports whether f is one of this package's formatters (Lager, JSON,
// Logfmt), which keep nothing of the events they format: a sink whose
// handlers format with them may reuse its events' memory.
func Own(f Formatter) bool {
	switch f.(type) {
	case *Lager, *JSON, *Logfmt:
		return true
	}
	return false
}

// Safe calls f.Format. If it panics, the bytes it appended are dropped and
// a "formatter crash" line carrying the event's time, level and message is
// appended instead, so the event is never lost.
func Safe(f Formatter, dst []byte, e *core.Event) (out []byte) {
	n := len(dst)
	defer func() {
		if r := recover(); r != nil {
			out = append(dst[:n], "formatter crash ("...)
			out = core.AppendText(out, core.Render(r))
			out = append(out, "): "...)
			out = appendDate(out, e.Time, false)
			out = append(out, ' ')
			out = appendTime(out, e.Time, false)
			out = append(out, " ["...)
			out = append(out, e.Level.String()...)
			out = append(out, "] "...)
			out = core.AppendText(out, e.Message)
			out = append(out, '\n')
		}
	}()
	return f.Format(dst, e)
}

// Colors are the ANSI escape sequences a formatter's color token writes
// before an event, per level, and Reset, written at the end of the line.
type Colors struct {
	Levels map[core.Level]string
	Reset  string
}

// DefaultColors are lager's default colors.
var DefaultColors = &Colors{
	Levels: map[core.Level]string{
		core.LevelDebug:     "\x1b[0;38m",
		core.LevelInfo:      "\x1b[1;37m",
		core.LevelNotice:    "\x1b[1;36m",
		core.LevelWarning:   "\x1b[1;33m",
		core.LevelError:     "\x1b[1;31m",
		core.LevelCritical:  "\x1b[1;35m",
		core.LevelAlert:     "\x1b[1;44m",
		core.LevelEmergency: "\x1b[1;41m",
	},
	Reset: "\x1b[0m",
}

// For returns the sequence for l's named level; "" for a nil Colors.
func (c *Colors) For(l core.Level) string {
	if c == nil {
		return ""
	}
	return c.Levels[l.Named()]
}

// appendDate appends "YYYY-MM-DD" (in UTC if utc).
func appendDate(dst []byte, t time.Time, utc bool) []byte {
	if c := clockOf(t, utc); c != nil {
		return append(dst, c.date[:]...)
	}
	if utc {
		t = t.UTC()
	}
	return t.AppendFormat(dst, "2006-01-02")
}

// appendTime appends "HH:MM:SS.mmm", with " UTC" in UTC mode.
func appendTime(dst []byte, t time.Time, utc bool) []byte {
	if c := clockOf(t, utc); c != nil {
		dst = append(dst, c.hms[:]...)
	} else {
		if utc {
			t = t.UTC()
		}
		dst = t.AppendFormat(dst, "15:04:05")
	}
	dst = append(dst, '.')
	dst = appendDigits(dst, t.Nanosecond()/1e6, 3)
	if utc {
		dst = append(dst, " UTC"...)
	}
	return dst
}

// clock is one second's date and wall clock in one location, formatted.
type clock struct {
	sec  int64
	loc  *time.Location
	date [10]byte // YYYY-MM-DD
	hms  [8]byte  // HH:MM:SS
}

// clocks holds the last second formatted, local and UTC: events come in
// seconds, and formatting a date and a time by the calendar costs more
// than the rest of a line's fixed parts (time.AppendFormat costs several
// times more again). Formatters on many goroutines share it.
var clocks [2]atomic.Pointer[clock]

// clockOf returns t's second formatted, in UTC if utc; nil for a year
// outside 0–9999.
func clockOf(t time.Time, utc bool) *clock {
	slot := 0
	if utc {
		t, slot = t.UTC(), 1
	}
	sec, loc := t.Unix(), t.Location()
	if c := clocks[slot].Load(); c != nil && c.sec == sec && c.loc == loc {
		return c
	}
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return nil
	}
	c := &clock{sec: sec, loc: loc}
	b := appendDigits(c.date[:0], y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(mo), 2)
	b = append(b, '-')
	appendDigits(b, d, 2)
	h, mi, s := t.Clock()
	b = appendDigits(c.hms[:0], h, 2)
	b = append(b, ':')
	b = appendDigits(b, mi, 2)
	b = append(b, ':')
	appendDigits(b, s, 2)
	clocks[slot].Store(c)
	return c
}

// appendDigits appends n (>= 0) in width digits, zero-padded.
func appendDigits(dst []byte, n, width int) []byte {
	var b [8]byte
	i := len(b)
	for ; width > 0 || n > 0; width-- {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, b[i:]...)
}

// lookup returns the value of metadata key k: the event's first attribute
// named k, else one of the virtual keys every event has — "pid" (the actor
// the event was logged from), "node", "sink", "module" (the last element of
// the calling Go package's path), "function", "file" (base name) and
// "line".
func lookup(e *core.Event, k string) (slog.Value, bool) { return e.Value(k) }

// appendValue appends a metadata value as plain text.
func appendValue(dst []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return core.AppendText(dst, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(dst, v.Uint64(), 10)
	case slog.KindFloat64:
		return core.AppendFloat(dst, v.Float64(), 64)
	case slog.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	case slog.KindDuration:
		return append(dst, v.Duration().String()...)
	case slog.KindTime:
		return v.Time().AppendFormat(dst, time.RFC3339Nano)
	case slog.KindGroup:
		dst = append(dst, '{')
		for i, a := range v.Group() {
			if i > 0 {
				dst = append(dst, ' ')
			}
			dst = append(dst, a.Key...)
			dst = append(dst, '=')
			dst = appendValue(dst, a.Value)
		}
		return append(dst, '}')
	}
	return core.AppendText(dst, core.Render(v.Resolve().Any()))
}

// appendLogfmtValue appends a value, quoted when logfmt needs it: when it
// is empty or holds a space, '=', '"', a control character or invalid
// UTF-8.
func appendLogfmtValue(dst []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindInt64:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(dst, v.Uint64(), 10)
	case slog.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	case slog.KindString:
		if s := v.String(); plainLogfmt(s) {
			return append(dst, s...)
		}
	}
	n := len(dst)
	dst = appendValue(dst, v)
	if needsQuote(dst[n:]) {
		s := string(dst[n:])
		dst = strconv.AppendQuote(dst[:n], s)
	}
	return dst
}

// breaksLogfmt marks the ASCII bytes that a logfmt key or bare value
// cannot hold: controls, space, '=', '"', '\\' and DEL.
var breaksLogfmt = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c <= ' ' || c == '=' || c == '"' || c == 0x7f || c == '\\'
	}
	return t
}()

// plainByte marks the bytes a logfmt key or bare value holds as they are:
// ASCII that breaksLogfmt does not mark.
var plainByte = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = !breaksLogfmt[c]
	}
	return t
}()

// plainLogfmt says whether s is a non-empty run of plainByte bytes, which
// needs neither quoting nor replacing as a logfmt key or value (the usual
// case, checked with one table lookup a byte).
func plainLogfmt(s string) bool {
	for i := 0; i < len(s); i++ {
		if !plainByte[s[i]] {
			return false
		}
	}
	return s != ""
}

// needsQuote says whether a logfmt value must be quoted: it is empty, or
// holds a byte breaksLogfmt marks, a non-ASCII space or invalid UTF-8.
func needsQuote[T []byte | string](b T) bool {
	if len(b) == 0 {
		return true
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < utf8.RuneSelf {
			if breaksLogfmt[c] {
				return true
			}
			continue
		}
		// Not ASCII: decode from here on (rare).
		for j := i; j < len(b); {
			r, size := utf8.DecodeRuneInString(string(b[j:]))
			if r == utf8.RuneError && size == 1 || r < utf8.RuneSelf && breaksLogfmt[r] {
				return true
			}
			j += size
		}
		return false
	}
	return false
}

// appendKey appends an attribute key fit for logfmt: characters that would
// break the key=value syntax become '_', and an empty key becomes "_".
func appendKey(dst []byte, k string) []byte {
	if plainLogfmt(k) {
		return append(dst, k...)
	}
	if k == "" {
		return append(dst, '_')
	}
	for _, r := range k {
		if r <= ' ' || r == '=' || r == '"' || r == 0x7f || r == utf8.RuneError {
			r = '_'
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}
