package core

import (
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/asynkron/protoactor-go/actor"
)

// Limits of Render: values nested deeper, collections longer and text
// longer than these are cut, with a visible marker.
const (
	renderMaxDepth = 8
	renderMaxItems = 64
	renderMaxBytes = 8192
)

// Render returns a one-line text rendering of any Go value, in the spirit
// of fmt's %+v, and never panics or loops: a panicking String or Error
// method, a nil pointer, a typed nil, a cycle, a deep or huge value all
// render as something visible. Strings and []byte are rendered as their
// text (invalid UTF-8 bytes as \xNN); floats NaN and ±Inf by name;
// time.Time in RFC 3339 with nanoseconds; *actor.PID as address/id; funcs
// and chans by their type. Unexported fields are rendered like exported
// ones, with the same text forms (a time, a PID, an error's or a
// Stringer's text).
func Render(v any) string {
	r := renderer{seen: map[uintptr]bool{}}
	r.value(reflect.ValueOf(v), 0)
	return Truncate(string(r.buf), renderMaxBytes)
}

// renderer renders into buf. A map's keys and values are rendered apart,
// to be sorted, by renderers sharing the seen set of the one rendering the
// map; base is the length of the text they will be part of.
type renderer struct {
	buf    []byte
	base   int
	seen   map[uintptr]bool // pointers on the current path, to catch cycles
	visits *int             // counts the values rendered, when set (tests)
}

// full stops the rendering of a value past the size bound; Render then
// truncates the text, with the marker.
func (r *renderer) full() bool { return r.base+len(r.buf) > renderMaxBytes }

var (
	pidType   = reflect.TypeFor[*actor.PID]()
	timeType  = reflect.TypeFor[time.Time]()
	errorType = reflect.TypeFor[error]()
	strType   = reflect.TypeFor[fmt.Stringer]()
)

func (r *renderer) value(v reflect.Value, depth int) {
	if r.visits != nil {
		*r.visits++
	}
	if r.full() {
		return
	}
	if !v.IsValid() {
		r.buf = append(r.buf, "<nil>"...)
		return
	}
	v = readable(v)
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			r.buf = append(r.buf, "<nil>"...)
			return
		}
		r.value(v.Elem(), depth)
		return
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.IsNil() {
		r.buf = append(r.buf, "<nil>"...)
		return
	}
	if r.special(v) {
		return
	}
	if depth > renderMaxDepth {
		r.buf = append(r.buf, "…"...)
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		r.buf = strconv.AppendBool(r.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		r.buf = strconv.AppendInt(r.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		r.buf = strconv.AppendUint(r.buf, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		r.buf = AppendFloat(r.buf, v.Float(), v.Type().Bits())
	case reflect.Complex64, reflect.Complex128:
		r.buf = append(r.buf, strconv.FormatComplex(v.Complex(), 'g', -1, v.Type().Bits())...)
	case reflect.String:
		r.buf = AppendText(r.buf, v.String())
	case reflect.Pointer:
		p := v.Pointer()
		if r.seen[p] {
			r.buf = append(r.buf, "<cycle>"...)
			return
		}
		r.seen[p] = true
		r.buf = append(r.buf, '&')
		r.value(v.Elem(), depth+1)
		delete(r.seen, p)
	case reflect.Struct:
		t := v.Type()
		r.buf = append(r.buf, '{')
		for i := range v.NumField() {
			if i > 0 {
				r.buf = append(r.buf, ' ')
			}
			if i >= renderMaxItems {
				r.buf = fmt.Appendf(r.buf, "…(%d more)", v.NumField()-i)
				break
			}
			r.buf = append(r.buf, t.Field(i).Name...)
			r.buf = append(r.buf, ':')
			f := v.Field(i)
			if !f.CanInterface() && !f.CanAddr() {
				v = addressable(v)
				f = v.Field(i)
			}
			r.value(f, depth+1)
		}
		r.buf = append(r.buf, '}')
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice {
			if v.Type().Elem().Kind() == reflect.Uint8 {
				r.buf = AppendText(r.buf, string(v.Bytes()))
				return
			}
			p := v.Pointer()
			if r.seen[p] && v.Len() > 0 {
				r.buf = append(r.buf, "<cycle>"...)
				return
			}
			r.seen[p] = true
			defer delete(r.seen, p)
		}
		r.buf = append(r.buf, '[')
		for i := range v.Len() {
			if i > 0 {
				r.buf = append(r.buf, ' ')
			}
			if i >= renderMaxItems {
				r.buf = fmt.Appendf(r.buf, "…(%d more)", v.Len()-i)
				break
			}
			e := v.Index(i)
			if !e.CanInterface() && !e.CanAddr() {
				v = addressable(v)
				e = v.Index(i)
			}
			r.value(e, depth+1)
		}
		r.buf = append(r.buf, ']')
	case reflect.Map:
		p := v.Pointer()
		if r.seen[p] {
			r.buf = append(r.buf, "<cycle>"...)
			return
		}
		r.seen[p] = true
		defer delete(r.seen, p)
		r.mapValue(v, depth)
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		r.buf = append(r.buf, '<')
		r.buf = append(r.buf, v.Type().String()...)
		r.buf = append(r.buf, '>')
	default:
		r.buf = append(r.buf, v.Type().String()...)
	}
}

// readable returns v in a form whose Interface method works. reflect marks
// a value reached through an unexported field read-only, and its
// Interface panics; an addressable one is read again through its address,
// which drops the mark. Every value Render descends into is addressable
// or reached from a readable one (a struct or array that is neither is
// copied first, see addressable), so every value it renders is readable.
func readable(v reflect.Value) reflect.Value {
	if v.CanInterface() || !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// addressable returns a copy of v, a struct or an array, whose fields or
// elements are addressable, so that readable can read its unexported ones;
// v itself when it cannot be copied (it is not readable either).
func addressable(v reflect.Value) reflect.Value {
	if v.CanAddr() || !v.CanInterface() {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}

// mapValue renders a map with its entries sorted by their rendered keys,
// so the output is stable whatever the key type.
func (r *renderer) mapValue(v reflect.Value, depth int) {
	type entry struct{ k, v string }
	entries := make([]entry, 0, min(v.Len(), renderMaxItems))
	size := r.base + len(r.buf) // of the text with the entries so far
	it := v.MapRange()
	for it.Next() {
		if len(entries) == renderMaxItems || size > renderMaxBytes {
			break
		}
		kr := renderer{base: size, seen: r.seen, visits: r.visits}
		kr.value(it.Key(), depth+1)
		vr := renderer{base: size + len(kr.buf), seen: r.seen, visits: r.visits}
		vr.value(it.Value(), depth+1)
		entries = append(entries, entry{string(kr.buf), string(vr.buf)})
		size += len(kr.buf) + len(vr.buf) + 2
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].k < entries[j].k })
	r.buf = append(r.buf, "map["...)
	for i, e := range entries {
		if i > 0 {
			r.buf = append(r.buf, ' ')
		}
		r.buf = append(r.buf, e.k...)
		r.buf = append(r.buf, ':')
		r.buf = append(r.buf, e.v...)
	}
	if v.Len() > len(entries) {
		r.buf = fmt.Appendf(r.buf, " …(%d more)", v.Len()-len(entries))
	}
	r.buf = append(r.buf, ']')
}

// special renders the types with a text form of their own; it reports
// whether it did.
func (r *renderer) special(v reflect.Value) bool {
	t := v.Type()
	switch {
	case !v.CanInterface(): // not reached (see readable); rendered field by field
		return false
	case t == pidType:
		pid := v.Interface().(*actor.PID)
		r.buf = AppendText(r.buf, pid.Address)
		r.buf = append(r.buf, '/')
		r.buf = AppendText(r.buf, pid.Id)
		return true
	case t == timeType:
		r.buf = v.Interface().(time.Time).AppendFormat(r.buf, time.RFC3339Nano)
		return true
	case t.Implements(errorType):
		r.buf = AppendText(r.buf, callString(func() string { return v.Interface().(error).Error() }))
		return true
	case t.Implements(strType):
		r.buf = AppendText(r.buf, callString(func() string { return v.Interface().(fmt.Stringer).String() }))
		return true
	}
	return false
}

// callString calls a String or Error method, turning a panic into a
// visible marker.
func callString(f func() string) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = "!PANIC(" + Render(p) + ")"
		}
	}()
	return f()
}

// AppendFloat appends f as strconv's shortest 'g' form, with NaN, +Inf and
// -Inf by name.
func AppendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "+Inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-Inf"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// AppendText appends s, replacing each byte of invalid UTF-8 with \xNN so
// that the result is valid UTF-8 and shows what was there.
func AppendText(dst []byte, s string) []byte {
	if utf8.ValidString(s) { // the common case, checked fast
		return append(dst, s...)
	}
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, `\x`...)
			dst = hex.AppendEncode(dst, []byte{s[i]})
			i++
			continue
		}
		dst = append(dst, s[i:i+size]...)
		i += size
	}
	return dst
}
