package core

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
)

// Query is a condition on an event's metadata: lager's trace filters. Build
// one with Eq, Ne, Lt, Le, Gt, Ge, Present, Absent, All, Any and Null, or
// parse one with ParseQuery. Keys are read with Event.Value, so the
// virtual keys (pid, module, function, line, node, sink) work too.
//
// Comparisons on a missing key are false (also for Ne). Numbers compare by
// value across int, uint and float kinds (1 = 1.0); strings compare with
// strings, bools with bools (equality only), times with times, durations
// with durations; any other pair is unequal and unordered.
type Query struct {
	op    queryOp
	key   string
	value slog.Value
	subs  []Query
}

type queryOp int

const (
	opInvalid queryOp = iota
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opPresent
	opAbsent
	opAll
	opAny
	opTrue
	opFalse
)

var opText = map[queryOp]string{opEq: "=", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">="}

func compare(op queryOp, key string, v any) Query {
	return Query{op: op, key: key, value: slog.AnyValue(v).Resolve()}
}

// Eq matches events whose key equals v.
func Eq(key string, v any) Query { return compare(opEq, key, v) }

// Ne matches events that have key with a value other than v.
func Ne(key string, v any) Query { return compare(opNe, key, v) }

// Lt matches events whose key is less than v.
func Lt(key string, v any) Query { return compare(opLt, key, v) }

// Le matches events whose key is less than or equal to v.
func Le(key string, v any) Query { return compare(opLe, key, v) }

// Gt matches events whose key is greater than v.
func Gt(key string, v any) Query { return compare(opGt, key, v) }

// Ge matches events whose key is greater than or equal to v.
func Ge(key string, v any) Query { return compare(opGe, key, v) }

// Present matches events that have key (lager's '*').
func Present(key string) Query { return Query{op: opPresent, key: key} }

// Absent matches events that lack key (lager's '!').
func Absent(key string) Query { return Query{op: opAbsent, key: key} }

// All matches events every query matches.
func All(qs ...Query) Query { return Query{op: opAll, subs: qs} }

// Any matches events some query matches.
func Any(qs ...Query) Query { return Query{op: opAny, subs: qs} }

// Null matches every event (true) or none (false): lager's {null, B}.
func Null(match bool) Query {
	if match {
		return Query{op: opTrue}
	}
	return Query{op: opFalse}
}

// ErrBadQuery is wrapped by every error about a query.
var ErrBadQuery = errors.New("core: bad query")

// Check reports a query that cannot be evaluated: the zero Query, an
// empty key, an All or Any without members (lager crashes the caller on
// an empty filter).
func (q Query) Check() error {
	switch q.op {
	case opInvalid:
		return fmt.Errorf("%w: empty query", ErrBadQuery)
	case opAll, opAny:
		if len(q.subs) == 0 {
			return fmt.Errorf("%w: %s of nothing", ErrBadQuery, map[queryOp]string{opAll: "all", opAny: "any"}[q.op])
		}
		for _, s := range q.subs {
			if err := s.Check(); err != nil {
				return err
			}
		}
	case opTrue, opFalse:
	default:
		if q.key == "" {
			return fmt.Errorf("%w: empty key", ErrBadQuery)
		}
	}
	return nil
}

// Match reports whether e matches the query.
func (q Query) Match(e *Event) bool {
	switch q.op {
	case opAll:
		for _, s := range q.subs {
			if !s.Match(e) {
				return false
			}
		}
		return true
	case opAny:
		for _, s := range q.subs {
			if s.Match(e) {
				return true
			}
		}
		return false
	case opTrue:
		return true
	case opFalse, opInvalid:
		return false
	}
	v, ok := e.Value(q.key)
	switch q.op {
	case opPresent:
		return ok
	case opAbsent:
		return !ok
	}
	if !ok {
		return false
	}
	c, comparable := compareValues(v.Resolve(), q.value)
	switch q.op {
	case opEq:
		return comparable && c == 0
	case opNe:
		return !comparable || c != 0
	}
	if !comparable || c == unordered {
		return false
	}
	switch q.op {
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	case opGt:
		return c > 0
	}
	return c >= 0 // opGe
}

// unordered is compareValues' answer for values that are equal or not but
// have no order (bools).
const unordered = 2

// compareValues compares a with b: -1, 0 or 1, unordered for two bools
// that differ, and false when they are of kinds that do not compare.
func compareValues(a, b slog.Value) (int, bool) {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return compareNumbers(x, y), true
		}
		return 0, false
	}
	switch a.Kind() {
	case slog.KindString:
		if b.Kind() == slog.KindString {
			return strings.Compare(a.String(), b.String()), true
		}
	case slog.KindBool:
		if b.Kind() == slog.KindBool {
			if a.Bool() == b.Bool() {
				return 0, true
			}
			return unordered, true
		}
	case slog.KindTime:
		if b.Kind() == slog.KindTime {
			return a.Time().Compare(b.Time()), true
		}
	case slog.KindDuration:
		if b.Kind() == slog.KindDuration {
			return cmp.Compare(a.Duration(), b.Duration()), true
		}
	}
	return 0, false
}

// num is a number of any kind, compared exactly where possible.
type num struct {
	kind slog.Kind
	i    int64
	u    uint64
	f    float64
}

func number(v slog.Value) (num, bool) {
	switch v.Kind() {
	case slog.KindInt64:
		return num{kind: slog.KindInt64, i: v.Int64()}, true
	case slog.KindUint64:
		return num{kind: slog.KindUint64, u: v.Uint64()}, true
	case slog.KindFloat64:
		return num{kind: slog.KindFloat64, f: v.Float64()}, true
	}
	return num{}, false
}

func compareNumbers(x, y num) int {
	switch {
	case x.kind == slog.KindInt64 && y.kind == slog.KindInt64:
		return cmp.Compare(x.i, y.i)
	case x.kind == slog.KindUint64 && y.kind == slog.KindUint64:
		return cmp.Compare(x.u, y.u)
	case x.kind == slog.KindInt64 && y.kind == slog.KindUint64:
		if x.i < 0 {
			return -1
		}
		return cmp.Compare(uint64(x.i), y.u)
	case x.kind == slog.KindUint64 && y.kind == slog.KindInt64:
		return -compareNumbers(y, x)
	}
	return cmp.Compare(x.float(), y.float())
}

func (n num) float() float64 {
	switch n.kind {
	case slog.KindInt64:
		return float64(n.i)
	case slog.KindUint64:
		return float64(n.u)
	}
	if math.IsNaN(n.f) {
		return math.Inf(-1) // NaN sorts first, as cmp.Compare has it
	}
	return n.f
}

// String renders the query in ParseQuery's syntax; parsing it gives the
// same query back.
func (q Query) String() string {
	var b strings.Builder
	q.write(&b, false)
	return b.String()
}

func (q Query) write(b *strings.Builder, nested bool) {
	switch q.op {
	case opAll, opAny:
		sep := " and "
		if q.op == opAny {
			sep = " or "
		}
		if nested {
			b.WriteByte('(')
		}
		for i, s := range q.subs {
			if i > 0 {
				b.WriteString(sep)
			}
			s.write(b, true)
		}
		if nested {
			b.WriteByte(')')
		}
	case opTrue:
		b.WriteString("true")
	case opFalse:
		b.WriteString("false")
	case opPresent:
		b.WriteString(q.key + " *")
	case opAbsent:
		b.WriteString(q.key + " !")
	case opInvalid:
		b.WriteString("<empty>")
	default:
		b.WriteString(q.key + " " + opText[q.op] + " " + literal(q.value))
	}
}

// literal writes a value as the parser reads it back.
func literal(v slog.Value) string {
	switch v.Kind() {
	case slog.KindString:
		return strconv.Quote(v.String())
	case slog.KindInt64:
		return strconv.FormatInt(v.Int64(), 10)
	case slog.KindUint64:
		return strconv.FormatUint(v.Uint64(), 10)
	case slog.KindFloat64:
		f := v.Float64()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "float(" + strconv.Quote(strconv.FormatFloat(f, 'g', -1, 64)) + ")"
		}
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") { // keep it a float: 2 → 2.0
			s += ".0"
		}
		return s
	case slog.KindBool:
		return strconv.FormatBool(v.Bool())
	case slog.KindDuration:
		return "duration(" + strconv.Quote(v.Duration().String()) + ")"
	case slog.KindTime:
		return "time(" + strconv.Quote(v.Time().Format(time.RFC3339Nano)) + ")"
	}
	return strconv.Quote(v.String())
}
