package core

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// QueryError is a syntax error in a query, at a byte position of its text.
type QueryError struct {
	Text string
	Pos  int
	Msg  string
}

// Error says what is wrong and points at it:
//
//	core: bad query: at 9: expected a value, got "and"
//	  module = and x
//	           ^
func (e *QueryError) Error() string {
	pos := min(max(e.Pos, 0), len(e.Text))
	return fmt.Sprintf("%v: at %d: %s\n  %s\n  %s^", ErrBadQuery, e.Pos, e.Msg, e.Text,
		strings.Repeat(" ", utf8.RuneCountInString(e.Text[:pos])))
}

// Unwrap returns ErrBadQuery.
func (e *QueryError) Unwrap() error { return ErrBadQuery }

// ParseQuery parses a query written for a config file or a command line:
//
//	module = "cache" and request > 120
//	(user = alice or user = bob) and request_id *
//	level_hint ! or retries >= 3.5
//
// Conditions are `key op value` with op one of = (or ==), !=, <, <=, >,
// >=; `key *` (present) and `key !` (absent); `true` and `false`. They
// combine with `and` (binding tighter) and `or`, and parentheses. Values are
// numbers (42, -7, 2.5, 1e3), quoted strings with Go escapes, true and
// false, bare words (cache, nonhost/$1: a string), duration("1.5s"),
// time("2026-11-22T10:00:00Z") and float("NaN"). Keys are words of
// letters, digits, '_', '.', '-' and '/'. An error is a *QueryError that
// points at the position.
func ParseQuery(text string) (Query, error) {
	p := &queryParser{text: text}
	p.skip()
	if p.done() {
		return Query{}, p.fail("empty query")
	}
	q, err := p.or()
	if err != nil {
		return Query{}, err
	}
	if !p.done() {
		return Query{}, p.fail("unexpected " + p.what())
	}
	return q, nil
}

type queryParser struct {
	text string
	pos  int
}

func (p *queryParser) done() bool { return p.pos >= len(p.text) }

func (p *queryParser) fail(msg string) error {
	return &QueryError{Text: p.text, Pos: p.pos, Msg: msg}
}

func (p *queryParser) skip() {
	for !p.done() {
		r, n := utf8.DecodeRuneInString(p.text[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += n
	}
}

// what names the token at the position, for errors.
func (p *queryParser) what() string {
	if p.done() {
		return "end"
	}
	end := p.pos + 1
	for end < len(p.text) && !unicode.IsSpace(rune(p.text[end])) && end-p.pos < 12 {
		end++
	}
	return strconv.Quote(p.text[p.pos:end])
}

// keyword reports whether the word kw is at the position (followed by a
// non-word character), and takes it.
func (p *queryParser) keyword(kw string) bool {
	if !strings.HasPrefix(p.text[p.pos:], kw) {
		return false
	}
	end := p.pos + len(kw)
	if end < len(p.text) && isWordByte(p.text[end]) {
		return false
	}
	p.pos = end
	p.skip()
	return true
}

func (p *queryParser) or() (Query, error) {
	first, err := p.and()
	if err != nil {
		return Query{}, err
	}
	subs := []Query{first}
	for p.keyword("or") {
		q, err := p.and()
		if err != nil {
			return Query{}, err
		}
		subs = append(subs, q)
	}
	if len(subs) == 1 {
		return first, nil
	}
	return Any(subs...), nil
}

func (p *queryParser) and() (Query, error) {
	first, err := p.primary()
	if err != nil {
		return Query{}, err
	}
	subs := []Query{first}
	for p.keyword("and") {
		q, err := p.primary()
		if err != nil {
			return Query{}, err
		}
		subs = append(subs, q)
	}
	if len(subs) == 1 {
		return first, nil
	}
	return All(subs...), nil
}

func (p *queryParser) primary() (Query, error) {
	if p.done() {
		return Query{}, p.fail("expected a condition")
	}
	if p.text[p.pos] == '(' {
		p.pos++
		p.skip()
		q, err := p.or()
		if err != nil {
			return Query{}, err
		}
		if p.done() || p.text[p.pos] != ')' {
			return Query{}, p.fail(`expected ")"`)
		}
		p.pos++
		p.skip()
		return q, nil
	}
	start := p.pos
	key := p.word()
	if key == "" {
		return Query{}, p.fail("expected a key, got " + p.what())
	}
	if p.done() || p.text[p.pos] == ')' || strings.HasPrefix(p.text[p.pos:], "and") || strings.HasPrefix(p.text[p.pos:], "or") {
		switch key {
		case "true":
			return Null(true), nil
		case "false":
			return Null(false), nil
		}
		p.pos = start + len(key)
		return Query{}, p.fail("expected an operator after " + strconv.Quote(key))
	}
	opPos := p.pos
	op := p.operator()
	switch op {
	case opInvalid:
		return Query{}, p.fail("expected an operator after " + strconv.Quote(key) + ", got " + p.what())
	case opPresent, opAbsent:
		return Query{op: op, key: key}, nil
	}
	if p.done() {
		return Query{}, p.fail("expected a value after " + strconv.Quote(strings.TrimSpace(p.text[opPos:p.pos])))
	}
	v, err := p.value()
	if err != nil {
		return Query{}, err
	}
	return Query{op: op, key: key, value: v}, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c == '/' || c == '$' || c == '@' || c == ':' ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= utf8.RuneSelf
}

// word takes a key or a bare word.
func (p *queryParser) word() string {
	start := p.pos
	for !p.done() && isWordByte(p.text[p.pos]) {
		p.pos++
	}
	w := p.text[start:p.pos]
	p.skip()
	return w
}

// number takes a number's text: a word, with a sign at its start and
// after an exponent's e (1e+43).
func (p *queryParser) number() string {
	start := p.pos
	p.pos++ // the sign or first digit
	for !p.done() {
		c := p.text[p.pos]
		exp := (c == '+' || c == '-') && (p.text[p.pos-1] == 'e' || p.text[p.pos-1] == 'E')
		if !isWordByte(c) && !exp {
			break
		}
		p.pos++
	}
	w := p.text[start:p.pos]
	p.skip()
	return w
}

func (p *queryParser) operator() queryOp {
	for _, o := range []struct {
		text string
		op   queryOp
	}{{"==", opEq}, {"!=", opNe}, {"<=", opLe}, {">=", opGe}, {"=", opEq}, {"<", opLt}, {">", opGt}, {"*", opPresent}, {"!", opAbsent}} {
		if strings.HasPrefix(p.text[p.pos:], o.text) {
			p.pos += len(o.text)
			p.skip()
			return o.op
		}
	}
	return opInvalid
}

func (p *queryParser) value() (slog.Value, error) {
	start := p.pos
	c := p.text[p.pos]
	switch {
	case c == '"' || c == '`':
		s, err := p.quoted()
		if err != nil {
			return slog.Value{}, err
		}
		return slog.StringValue(s), nil
	case c == '-' || c == '+' || '0' <= c && c <= '9':
		w := p.number()
		if i, err := strconv.ParseInt(w, 10, 64); err == nil {
			return slog.Int64Value(i), nil
		}
		if u, err := strconv.ParseUint(w, 10, 64); err == nil {
			return slog.Uint64Value(u), nil
		}
		if f, err := strconv.ParseFloat(w, 64); err == nil {
			return slog.Float64Value(f), nil
		}
		p.pos = start
		return slog.Value{}, p.fail("bad number " + strconv.Quote(w))
	}
	if p.keyword("and") || p.keyword("or") || p.text[p.pos] == ')' {
		p.pos = start
		return slog.Value{}, p.fail("expected a value, got " + p.what())
	}
	w := p.word()
	if w == "" {
		return slog.Value{}, p.fail("expected a value, got " + p.what())
	}
	switch w {
	case "true":
		return slog.BoolValue(true), nil
	case "false":
		return slog.BoolValue(false), nil
	case "duration", "time", "float":
		if !p.done() && p.text[p.pos] == '(' {
			return p.call(w)
		}
	}
	return slog.StringValue(w), nil
}

// call reads duration("…"), time("…") or float("…").
func (p *queryParser) call(fn string) (slog.Value, error) {
	p.pos++ // (
	p.skip()
	if p.done() || (p.text[p.pos] != '"' && p.text[p.pos] != '`') {
		return slog.Value{}, p.fail(fn + "( takes a quoted string")
	}
	argPos := p.pos
	s, err := p.quoted()
	if err != nil {
		return slog.Value{}, err
	}
	if p.done() || p.text[p.pos] != ')' {
		return slog.Value{}, p.fail(`expected ")"`)
	}
	p.pos++
	p.skip()
	bad := func(err error) (slog.Value, error) {
		p.pos = argPos
		return slog.Value{}, p.fail(fmt.Sprintf("bad %s %q: %v", fn, s, err))
	}
	switch fn {
	case "duration":
		d, err := time.ParseDuration(s)
		if err != nil {
			return bad(err)
		}
		return slog.DurationValue(d), nil
	case "time":
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return bad(err)
		}
		return slog.TimeValue(t), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return bad(err)
	}
	return slog.Float64Value(f), nil
}

// quoted reads a Go-quoted string.
func (p *queryParser) quoted() (string, error) {
	start := p.pos
	q := p.text[p.pos]
	i := p.pos + 1
	for i < len(p.text) {
		switch p.text[i] {
		case '\\':
			if q == '"' {
				i++
			}
		case q:
			lit := p.text[start : i+1]
			s, err := strconv.Unquote(lit)
			if err != nil {
				return "", p.fail("bad string " + lit)
			}
			p.pos = i + 1
			p.skip()
			return s, nil
		}
		i++
	}
	return "", p.fail("unterminated string")
}
