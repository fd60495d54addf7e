package formatter

import (
	"log/slog"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/core"
)

// Logfmt writes one line of key=value pairs: time (left out when the
// event's time is zero, as slog's handlers do), level, msg, the location
// when known (source=file:line), the actor (pid) when known, then every
// attribute; groups are flattened with dotted keys. Values are quoted when
// they need it, as strconv.Quote quotes.
type Logfmt struct {
	// UTC writes times in UTC.
	UTC bool
}

// appendLogfmtAttrs appends each of attrs as appendLogfmtAttr does, with
// no prefix; an integer or a string under a key that need no quoting nor
// replacing (the usual attribute) is written straight.
func appendLogfmtAttrs(dst []byte, attrs []slog.Attr) []byte {
	for i := range attrs {
		a := &attrs[i]
		switch a.Value.Kind() {
		case slog.KindInt64:
			if plainLogfmt(a.Key) {
				dst = append(append(append(dst, ' '), a.Key...), '=')
				dst = strconv.AppendInt(dst, a.Value.Int64(), 10)
				continue
			}
		case slog.KindString:
			if s := a.Value.String(); plainLogfmt(a.Key) && plainLogfmt(s) {
				dst = append(append(append(dst, ' '), a.Key...), '=')
				dst = append(dst, s...)
				continue
			}
		}
		dst = appendLogfmtAttr(dst, "", *a)
	}
	return dst
}

// Format implements Formatter.
func (f *Logfmt) Format(dst []byte, e *core.Event) []byte {
	if !e.Time.IsZero() {
		dst = append(dst, "time="...)
		dst = stamp(e.Time, f.UTC).AppendFormat(dst, time.RFC3339Nano)
		dst = append(dst, ' ')
	}
	dst = append(dst, "level="...)
	dst = append(dst, e.Level.String()...)
	dst = append(dst, " msg="...)
	dst = appendLogfmtValue(dst, slog.StringValue(e.Message))
	if src := e.Caller(); src != nil {
		dst = append(dst, " source="...)
		dst = appendLogfmtValue(dst, slog.StringValue(shortFile(src.File)+":"+strconv.Itoa(src.Line)))
	}
	if e.Actor != nil {
		dst = append(dst, " pid="...)
		dst = appendLogfmtValue(dst, slog.StringValue(e.Actor.Address+"/"+e.Actor.Id))
	}
	dst = appendLogfmtAttrs(dst, e.Meta)
	dst = appendLogfmtAttrs(dst, e.Attrs)
	return append(dst, '\n')
}

func appendLogfmtAttr(dst []byte, prefix string, a slog.Attr) []byte {
	if a.Value.Kind() == slog.KindGroup {
		p := prefix + a.Key
		if a.Key != "" {
			p += "."
		}
		for _, m := range a.Value.Group() {
			dst = appendLogfmtAttr(dst, p, m)
		}
		return dst
	}
	dst = append(dst, ' ')
	switch { // appendKey(dst, prefix+a.Key), without building the string
	case prefix == "":
		dst = appendKey(dst, a.Key)
	case a.Key == "":
		dst = appendKey(dst, prefix)
	default:
		dst = appendKey(appendKey(dst, prefix), a.Key)
	}
	dst = append(dst, '=')
	return appendLogfmtValue(dst, a.Value)
}

// JSON writes one JSON object per line: "time" (left out when the event's
// time is zero, as slog's handlers do), "level", "msg", "source"
// ({"function","file","line"}) when known, "pid" and "node" when known,
// then every attribute, groups as nested objects. The output is valid JSON
// whatever the input: strings are escaped, invalid UTF-8 becomes U+FFFD,
// NaN and ±Inf become strings.
type JSON struct {
	// UTC writes times in UTC.
	UTC bool
}

// Format implements Formatter.
func (f *JSON) Format(dst []byte, e *core.Event) []byte {
	dst = append(dst, '{')
	if !e.Time.IsZero() {
		dst = append(dst, `"time":"`...)
		dst = stamp(e.Time, f.UTC).AppendFormat(dst, time.RFC3339Nano)
		dst = append(dst, `",`...)
	}
	dst = append(dst, `"level":`...)
	dst = appendJSONString(dst, e.Level.String())
	dst = append(dst, `,"msg":`...)
	dst = appendJSONString(dst, e.Message)
	if src := e.Caller(); src != nil {
		dst = append(dst, `,"source":{"function":`...)
		dst = appendJSONString(dst, src.Function)
		dst = append(dst, `,"file":`...)
		dst = appendJSONString(dst, src.File)
		dst = append(dst, `,"line":`...)
		dst = strconv.AppendInt(dst, int64(src.Line), 10)
		dst = append(dst, '}')
	}
	if e.Actor != nil {
		dst = append(dst, `,"pid":`...)
		dst = appendJSONString(dst, e.Actor.Address+"/"+e.Actor.Id)
	}
	if e.Node != "" {
		dst = append(dst, `,"node":`...)
		dst = appendJSONString(dst, e.Node)
	}
	for _, a := range e.Meta {
		dst = append(dst, ',')
		dst = appendJSONAttr(dst, a)
	}
	for _, a := range e.Attrs {
		dst = append(dst, ',')
		dst = appendJSONAttr(dst, a)
	}
	return append(dst, "}\n"...)
}

func appendJSONAttr(dst []byte, a slog.Attr) []byte {
	dst = appendJSONString(dst, a.Key)
	dst = append(dst, ':')
	return appendJSONValue(dst, a.Value)
}

func appendJSONValue(dst []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendJSONString(dst, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(dst, v.Uint64(), 10)
	case slog.KindFloat64:
		x := v.Float64()
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return appendJSONString(dst, string(core.AppendFloat(nil, x, 64)))
		}
		return strconv.AppendFloat(dst, x, 'g', -1, 64)
	case slog.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	case slog.KindDuration:
		return appendJSONString(dst, v.Duration().String())
	case slog.KindTime:
		return appendJSONString(dst, v.Time().Format(time.RFC3339Nano))
	case slog.KindGroup:
		dst = append(dst, '{')
		for i, m := range v.Group() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONAttr(dst, m)
		}
		return append(dst, '}')
	}
	return appendJSONString(dst, core.Render(v.Resolve().Any()))
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == 0x7f:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, `\u202`...)
			dst = append(dst, hexDigits[r&0xf])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

func stamp(t time.Time, utc bool) time.Time {
	if utc {
		return t.UTC()
	}
	return t
}

// shortFile keeps the last two path elements: "pkg/file.go".
func shortFile(file string) string {
	n := 0
	for i := len(file) - 1; i >= 0; i-- {
		if file[i] == '/' {
			n++
			if n == 2 {
				return file[i+1:]
			}
		}
	}
	return file
}
