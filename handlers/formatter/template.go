package formatter

import (
	"errors"
	"fmt"
	"strings"

	"github.com/actorlog/actorlog/core"
)

// ErrBadTemplate is wrapped by the errors of ParseTemplate.
var ErrBadTemplate = errors.New("formatter: bad template")

// DefaultTemplate is Elixir's default console format, without its leading
// newline.
const DefaultTemplate = "$time $metadata[$level] $message\n"

// Template is Elixir's Logger.Formatter: a format string with $time,
// $date, $message, $level, $node and $metadata. Build it with
// ParseTemplate.
type Template struct {
	parts []part
	// Metadata selects the attributes $metadata prints, in this order;
	// nil prints none and AllMetadata every one.
	Metadata []string
	// AllMetadata makes $metadata print every attribute in event order.
	AllMetadata bool
	// Colors wraps each line in its level's color; nil writes none.
	Colors *Colors
	// UTC prints $date and $time in UTC.
	UTC bool
}

type part struct {
	text string // literal text when verb is ""
	verb string
}

var templateVerbs = []string{"time", "date", "message", "levelpad", "level", "node", "metadata"}

// ParseTemplate parses an Elixir-style format. An unknown $name is an
// error naming it; "$$" is not special, as in Elixir.
func ParseTemplate(format string) (*Template, error) {
	t := &Template{}
	rest := format
	for rest != "" {
		i := strings.IndexByte(rest, '$')
		if i < 0 {
			t.parts = append(t.parts, part{text: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, part{text: rest[:i]})
		}
		rest = rest[i+1:]
		verb := ""
		for _, v := range templateVerbs {
			if strings.HasPrefix(rest, v) {
				verb = v
				break
			}
		}
		if verb == "" {
			name := rest
			if j := strings.IndexFunc(rest, func(r rune) bool { return !('a' <= r && r <= 'z' || r == '_') }); j >= 0 {
				name = rest[:j]
			}
			return nil, fmt.Errorf("%w: $%s is an invalid format pattern", ErrBadTemplate, name)
		}
		t.parts = append(t.parts, part{verb: verb})
		rest = rest[len(verb):]
	}
	return t, nil
}

// Format implements Formatter.
func (t *Template) Format(dst []byte, e *core.Event) []byte {
	color := t.Colors.For(e.Level)
	dst = append(dst, color...)
	for _, p := range t.parts {
		switch p.verb {
		case "":
			dst = append(dst, p.text...)
		case "time":
			dst = appendTime(dst, e.Time, t.UTC)
		case "date":
			dst = appendDate(dst, e.Time, t.UTC)
		case "message":
			dst = core.AppendText(dst, e.Message)
		case "level":
			dst = append(dst, e.Level.String()...)
		case "levelpad":
			dst = append(dst, strings.Repeat(" ", max(0, len("emergency")-len(e.Level.String())))...)
		case "node":
			dst = append(dst, e.Node...)
		case "metadata":
			dst = t.appendMetadata(dst, e)
		}
	}
	if color != "" {
		// Keep the line's end after the reset.
		trail := 0
		for trail < len(dst) && dst[len(dst)-1-trail] == '\n' {
			trail++
		}
		end := append([]byte(nil), dst[len(dst)-trail:]...)
		dst = append(append(dst[:len(dst)-trail], t.Colors.Reset...), end...)
	}
	return dst
}

// appendMetadata writes "key=value " for each selected attribute present.
func (t *Template) appendMetadata(dst []byte, e *core.Event) []byte {
	if t.AllMetadata {
		for _, a := range e.Attrs {
			dst = appendKey(dst, a.Key)
			dst = append(dst, '=')
			dst = appendLogfmtValue(dst, a.Value)
			dst = append(dst, ' ')
		}
		return dst
	}
	for _, k := range t.Metadata {
		if v, ok := lookup(e, k); ok {
			dst = appendKey(dst, k)
			dst = append(dst, '=')
			dst = appendLogfmtValue(dst, v)
			dst = append(dst, ' ')
		}
	}
	return dst
}
