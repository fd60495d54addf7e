package core

import (
	"fmt"
	"reflect"
	"unicode/utf8"
)

// DefaultTruncation is the default limit, in bytes, of a formatted message:
// lager's 4096.
const DefaultTruncation = 4096

// TruncationMarker ends a message that Truncate cut.
const TruncationMarker = "…(truncated)"

// Truncate returns s if it is at most max bytes long; otherwise it cuts s
// so that, with TruncationMarker appended, the result is at most max bytes,
// without splitting a UTF-8 sequence. A max of 0 or less means no limit; a
// max too small for the marker is raised to fit it and one byte.
func Truncate(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	keep := max - len(TruncationMarker)
	if keep < 1 {
		keep = 1
	}
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + TruncationMarker
}

// Sprintf is fmt.Sprintf made safe for logging: it never panics and never
// recurses without end. A panicking String, Error or Format method, a bad
// verb and a wrong argument count give fmt's visible markers
// ("%!d(string=x)", "%!v(PANIC=String method: …)", "%!(EXTRA …)"); an
// argument that is a cyclic or very deep composite value (which would make
// fmt recurse until the stack overflows, a crash no recover can catch) is
// printed with Render instead, as that text for every verb (%T included:
// print the type apart, with reflect.TypeOf).
func Sprintf(format string, args ...any) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = format + " !PANIC(" + Render(p) + ")"
		}
	}()
	copied := false
	for i, a := range args {
		if fmtSafe(a) {
			continue
		}
		if !copied { // never write into the caller's slice
			args, copied = append([]any(nil), args...), true
		}
		args[i] = rendered(Render(a))
	}
	return fmt.Sprintf(format, args...)
}

// rendered is an argument replaced by its Render text; it prints that text
// for every verb.
type rendered string

// Format implements fmt.Formatter.
func (r rendered) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r)) }

// fmtSafe reports whether fmt can print a without endless recursion: a
// value that is not composite, or a composite one without cycles and not
// nested deeper than fmt's own printing would need to stay small.
func fmtSafe(a any) bool {
	switch a.(type) {
	case nil, string, []byte, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, complex64, complex128, error, fmt.Stringer, fmt.Formatter:
		return true
	}
	w := walker{seen: map[uintptr]bool{}}
	return w.safe(reflect.ValueOf(a), 0)
}

const fmtMaxDepth = 64

type walker struct {
	seen  map[uintptr]bool
	steps int
}

func (w *walker) safe(v reflect.Value, depth int) bool {
	w.steps++
	if depth > fmtMaxDepth || w.steps > 100_000 {
		return false
	}
	if !v.IsValid() {
		return true
	}
	switch v.Kind() {
	case reflect.Interface:
		return v.IsNil() || w.safe(v.Elem(), depth+1)
	case reflect.Pointer:
		if depth > 0 {
			// fmt prints a pointer below the top level as its address:
			// nothing behind it is read, by fmt or here (it may be
			// another goroutine's, behind a lock).
			return true
		}
		fallthrough
	case reflect.Map, reflect.Slice:
		if v.IsNil() {
			return true
		}
		p := v.Pointer()
		if w.seen[p] && (v.Kind() != reflect.Slice || v.Len() > 0) {
			return false
		}
		w.seen[p] = true
		defer delete(w.seen, p)
	}
	switch v.Kind() {
	case reflect.Pointer: // the top level, which fmt follows
		return w.safe(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if !w.safe(v.Field(i), depth+1) {
				return false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if !w.safe(v.Index(i), depth+1) {
				return false
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if !w.safe(it.Key(), depth+1) || !w.safe(it.Value(), depth+1) {
				return false
			}
		}
	}
	return true
}
