package formatter

import (
	"log/slog"
	"slices"
	"unicode/utf8"

	"github.com/actorlog/actorlog/core"
)

// Lager is lager's default formatter: a line built from a list of tokens.
// The zero value uses lager's default format; Tokens chooses another.
type Lager struct {
	// Tokens is the format. Nil means lager's default:
	// date time [severity] pid@module:function:line message, with the
	// pid and location parts only when known. The format is compiled at
	// its first use; the tokens must not change after it.
	Tokens []Token
	// Colors feeds the Color token; nil writes no color.
	Colors *Colors
	// UTC prints dates and times in UTC, with " UTC" after the time.
	UTC bool
}

// Token is one element of a Lager format. Build tokens with the functions
// and variables of this package: Text("…"), Message, Date, Key("user"),
// IfKey("pid", …), ….
type Token struct {
	kind            tokenKind
	text            string  // literal text, fill, or metadata key
	present, absent []Token // IfKey's branches; KeyOr's default
	width           int     // IfKeyWidth
	align           Align
	kvSep, fieldSep string // MetadataWith
}

type tokenKind int

const (
	tText tokenKind = iota
	tFill
	tMessage
	tDate
	tTime
	tSeverity
	tSeverityUpper
	tSev
	tNode
	tBlank
	tColor
	tMetadata
	tKey
	tKeyOr
	tIfKey
	tAttrs
)

// Align is how IfKeyWidth fits each element into its width.
type Align int

// Alignments: Left pads on the right and keeps the leftmost characters,
// Right pads on the left and keeps the rightmost, Centre does both by
// halves.
const (
	Left Align = iota
	Right
	Centre
)

// The tokens without arguments.
var (
	// Message is the event's message.
	Message = Token{kind: tMessage}
	// Date is "YYYY-MM-DD".
	Date = Token{kind: tDate}
	// Time is "HH:MM:SS.mmm" (with " UTC" in UTC mode).
	Time = Token{kind: tTime}
	// Severity is the level's name ("info"), SeverityUpper in upper case,
	// Sev its letter ("I").
	Severity      = Token{kind: tSeverity}
	SeverityUpper = Token{kind: tSeverityUpper}
	Sev           = Token{kind: tSev}
	// Node is the address of the actor system the event was logged in.
	Node = Token{kind: tNode}
	// Blank is a space.
	Blank = Token{kind: tBlank}
	// Color is the escape sequence of the event's level (nothing without
	// Colors).
	Color = Token{kind: tColor}
	// Metadata is every attribute, sorted by key, as key=value joined by
	// spaces; values are quoted as logfmt quotes them.
	Metadata = Token{kind: tMetadata, kvSep: "=", fieldSep: " "}
	// Attrs is every attribute in the event's order, each as " key=value"
	// (logfmt quoting, groups flattened with dotted keys): nothing for an
	// event without attributes. Not a lager token; slog users expect it.
	Attrs = Token{kind: tAttrs}
)

// Text is literal text.
func Text(s string) Token { return Token{kind: tText, text: s} }

// Fill is lager's {blank, Fill}: literal text meant as filler. It is Text,
// except that IfKeyWidth writes it as it is.
func Fill(s string) Token { return Token{kind: tFill, text: s} }

// MetadataWith is Metadata with other separators.
func MetadataWith(kvSep, fieldSep string) Token {
	return Token{kind: tMetadata, kvSep: kvSep, fieldSep: fieldSep}
}

// Key is the value of metadata key k (an attribute, or one of the virtual
// keys pid, node, sink, module, function, file, line), or "Undefined".
func Key(k string) Token { return Token{kind: tKey, text: k} }

// KeyOr is the value of k, or the default tokens when k is absent (lager's
// {k, Default}).
func KeyOr(k string, def ...Token) Token { return Token{kind: tKeyOr, text: k, absent: def} }

// IfKey writes present when the event has metadata key k and absent
// otherwise (lager's {k, Present, Absent}).
func IfKey(k string, present, absent []Token) Token {
	return Token{kind: tIfKey, text: k, present: present, absent: absent}
}

// IfKeyWidth is IfKey with elements padded or cut to width characters
// (lager's {k, Present, Absent, Width}). As in lager, the elements padded
// are the values: Text, Severity, SeverityUpper, Node, Key and KeyOr (its
// value or its default, as a whole). The others (Message, Date, Time, Sev,
// Blank, Fill, Color, Metadata, Attrs, and a nested IfKey, whose elements
// follow its own width) are written as they are. A width below 1 means no
// padding; an Align other than Left, Right and Centre is Left.
func IfKeyWidth(k string, present, absent []Token, width int, align Align) Token {
	return Token{kind: tIfKey, text: k, present: present, absent: absent, width: width, align: align}
}

// Tokens is a convenience to write a token list.
func Tokens(t ...Token) []Token { return t }

// DefaultTokens returns lager's default format, ending with eol.
func DefaultTokens(eol string) []Token {
	return Tokens(Date, Text(" "), Time, Text(" "), Color, Text("["), Severity, Text("] "),
		KeyOr("pid", Text("")),
		IfKey("module", Tokens(IfKey("pid", Tokens(Text("@")), nil), Key("module"),
			IfKey("function", Tokens(Text(":"), Key("function")), nil),
			IfKey("line", Tokens(Text(":"), Key("line")), nil)), nil),
		Text(" "), Message, Text(eol))
}

// FileTokens returns the file handler's default format: lager's default
// format, without its doubled space when the event has neither pid nor
// module, and followed by the event's attributes (Attrs), so that nothing
// the call logged is missing from the file:
//
//	2026-11-22 01:36:15.647 [info] user 7 logged in request_id=7
func FileTokens(eol string) []Token {
	return Tokens(Date, Text(" "), Time, Text(" "), Color, Text("["), Severity, Text("] "),
		KeyOr("pid", Text("")),
		IfKey("module", Tokens(IfKey("pid", Tokens(Text("@")), nil), Key("module"),
			IfKey("function", Tokens(Text(":"), Key("function")), nil),
			IfKey("line", Tokens(Text(":"), Key("line")), nil)), nil),
		IfKey("pid", Tokens(Text(" ")), Tokens(IfKey("module", Tokens(Text(" ")), nil))),
		Message, Attrs, Text(eol))
}

// ConsoleTokens returns lager's default console format, "TIME [severity]
// message", followed by the event's attributes (Attrs), ending with eol.
func ConsoleTokens(eol string) []Token {
	return Tokens(Time, Text(" "), Color, Text("["), Severity, Text("] "), Message, Attrs, Text(eol))
}

var defaultTokens = DefaultTokens("\n")

// Format implements Formatter.
func (f *Lager) Format(dst []byte, e *core.Event) []byte {
	tokens := f.Tokens
	if tokens == nil {
		tokens = defaultTokens
	}
	if p := programFor(tokens); p != nil {
		return p.run(f, dst, e)
	}
	var c lookups
	for i := range tokens {
		dst = f.token(dst, e, &tokens[i], &c)
	}
	return dst
}

// lookups remembers the metadata keys one Format call looked up: lager's
// default format asks for pid, module, function and line several times
// each, and a virtual key costs more than a comparison.
type lookups struct {
	n    int
	keys [6]string
	vals [6]slog.Value
	oks  [6]bool
}

func (c *lookups) get(e *core.Event, k string) (slog.Value, bool) {
	for i := 0; i < c.n; i++ {
		if c.keys[i] == k {
			return c.vals[i], c.oks[i]
		}
	}
	v, ok := lookup(e, k)
	if c.n < len(c.keys) {
		c.keys[c.n], c.vals[c.n], c.oks[c.n] = k, v, ok
		c.n++
	}
	return v, ok
}

func (f *Lager) token(dst []byte, e *core.Event, t *Token, c *lookups) []byte {
	switch t.kind {
	case tText, tFill:
		return append(dst, t.text...)
	case tMessage:
		return core.AppendText(dst, e.Message)
	case tDate:
		return appendDate(dst, e.Time, f.UTC)
	case tTime:
		return appendTime(dst, e.Time, f.UTC)
	case tSeverity:
		return append(dst, e.Level.String()...)
	case tSeverityUpper:
		return append(dst, e.Level.Upper()...)
	case tSev:
		return append(dst, e.Level.Letter())
	case tNode:
		return append(dst, e.Node...)
	case tBlank:
		return append(dst, ' ')
	case tColor:
		return append(dst, f.Colors.For(e.Level)...)
	case tMetadata:
		return appendSortedMetadata(dst, e.Attrs, t.kvSep, t.fieldSep)
	case tAttrs:
		return appendLogfmtAttrs(dst, e.Attrs)
	case tKey:
		if v, ok := c.get(e, t.text); ok {
			return appendValue(dst, v)
		}
		return append(dst, "Undefined"...)
	case tKeyOr:
		if v, ok := c.get(e, t.text); ok {
			return appendValue(dst, v)
		}
		for i := range t.absent {
			dst = f.token(dst, e, &t.absent[i], c)
		}
		return dst
	case tIfKey:
		branch := t.absent
		if _, ok := c.get(e, t.text); ok {
			branch = t.present
		}
		for i := range branch {
			if t.width < 1 || !branch[i].padded() {
				dst = f.token(dst, e, &branch[i], c)
				continue
			}
			n := len(dst)
			dst = f.token(dst, e, &branch[i], c)
			dst = fit(dst, n, t.width, t.align)
		}
		return dst
	}
	return dst
}

// padded says whether IfKeyWidth fits t to its width: lager pads its
// severity, metadata values and literal strings, and no other element.
func (t *Token) padded() bool {
	switch t.kind {
	case tText, tSeverity, tSeverityUpper, tNode, tKey, tKeyOr:
		return true
	}
	return false
}

// fit pads or cuts dst[from:] to width runes.
func fit(dst []byte, from, width int, align Align) []byte {
	s := []rune(string(dst[from:]))
	dst = dst[:from]
	if len(s) > width {
		switch align {
		case Right:
			s = s[len(s)-width:]
		case Centre:
			cut := len(s) - width
			s = s[cut/2 : cut/2+width]
		default:
			s = s[:width]
		}
	}
	pad := width - len(s)
	left := 0
	switch align {
	case Right:
		left = pad
	case Centre:
		left = pad / 2
	}
	for range left {
		dst = append(dst, ' ')
	}
	for _, r := range s {
		dst = utf8.AppendRune(dst, r)
	}
	for range pad - left {
		dst = append(dst, ' ')
	}
	return dst
}

// appendSortedMetadata appends every attribute sorted by key (stable: the
// first of equal keys first).
func appendSortedMetadata(dst []byte, attrs []slog.Attr, kvSep, fieldSep string) []byte {
	sorted := slices.Clone(attrs)
	slices.SortStableFunc(sorted, func(a, b slog.Attr) int {
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
	for i, a := range sorted {
		if i > 0 {
			dst = append(dst, fieldSep...)
		}
		dst = appendKey(dst, a.Key)
		dst = append(dst, kvSep...)
		dst = appendLogfmtValue(dst, a.Value)
	}
	return dst
}
