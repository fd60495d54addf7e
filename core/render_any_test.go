package core

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/asynkron/protoactor-go/actor"
)

type stamped struct {
	ID int
	at time.Time
}

type withPID struct{ pid *actor.PID }

type hidden struct {
	err  error
	str  fmt.Stringer
	pan  fmt.Stringer
	pt   point
	rv   reflect.Value
	up   unsafe.Pointer
	ch   chan int
	fn   func()
	anyV any
	m    map[any]any
	arr  [2]stamped
	sl   []stamped
	p    *stamped
}

type label string

func (l label) String() string { return "label:" + string(l) }

// Values with unexported fields of every kind render without a panic, and
// as their exported twins would: times, PIDs, errors and Stringers by
// their own text.
func TestRenderUnexported(t *testing.T) {
	at := time.Date(2026, 11, 22, 3, 4, 5, 6, time.UTC)
	const ts = "2026-11-22T03:04:05.000000006Z"
	x := 7
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"time field", stamped{1, at}, "{ID:1 at:" + ts + "}"},
		{"pointer to time field", &stamped{1, at}, "&{ID:1 at:" + ts + "}"},
		{"pid field", withPID{actor.NewPID("nonhost", "$1")}, "{pid:nonhost/$1}"},
		{"nil pid field", withPID{}, "{pid:<nil>}"},
		{"error field", struct{ err error }{errors.New("boom")}, "{err:boom}"},
		{"stringer field", struct{ l label }{"x"}, "{l:label:x}"},
		{"panicking stringer field", struct{ p panicky }{}, "{p:!PANIC(no String for you)}"},
		{"nested interfaces", struct{ v any }{any(struct{ w any }{stamped{2, at}})}, "{v:{w:{ID:2 at:" + ts + "}}}"},
		{"map with interface keys", struct{ m map[any]any }{map[any]any{point{1, 2}: at, "k": stamped{3, at}}},
			"{m:map[k:{ID:3 at:" + ts + "} {X:1 Y:2}:" + ts + "]}"},
		{"array of structs", [2]stamped{{1, at}, {2, at}}, "[{ID:1 at:" + ts + "} {ID:2 at:" + ts + "}]"},
		{"array of structs in a field", struct{ a [1]stamped }{[1]stamped{{1, at}}}, "{a:[{ID:1 at:" + ts + "}]}"},
		{"slice of structs in a field", struct{ s []stamped }{[]stamped{{1, at}}}, "{s:[{ID:1 at:" + ts + "}]}"},
		{"unsafe.Pointer", unsafe.Pointer(&x), "<unsafe.Pointer>"},
		{"unsafe.Pointer field", struct{ p unsafe.Pointer }{unsafe.Pointer(&x)}, "{p:<unsafe.Pointer>}"},
		{"reflect.Value", reflect.ValueOf(at), "<time.Time Value>"},
		{"reflect.Value field", struct{ v reflect.Value }{reflect.ValueOf(1)}, "{v:<int Value>}"},
		{"zero reflect.Value", reflect.Value{}, "<invalid Value>"},
		{"chan field", struct{ c chan int }{make(chan int)}, "{c:<chan int>}"},
		{"func field", struct{ f func() }{func() {}}, "{f:<func()>}"},
		{"nil func field", struct{ f func() }{}, "{f:<func()>}"},
		{"byte slice field", struct{ b []byte }{[]byte("hi")}, "{b:hi}"},
		{"map in a map value", map[string]any{"k": struct{ m map[string]time.Time }{map[string]time.Time{"t": at}}},
			"map[k:{m:map[t:" + ts + "]}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Render(tc.v); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Everything at once, through Freeze and Sprintf as well as Render.
func TestFreezeUnexportedNeverPanics(t *testing.T) {
	at := time.Now()
	h := &hidden{err: errors.New("e"), str: label("s"), pan: panicky{}, pt: point{1, 2}, rv: reflect.ValueOf(&at),
		ch: make(chan int), fn: func() {}, anyV: withPID{actor.NewPID("a", "b")},
		m:   map[any]any{1: stamped{1, at}, point{}: withPID{}, "x": nil},
		arr: [2]stamped{{1, at}, {2, at}}, sl: []stamped{{3, at}}, p: &stamped{4, at}}
	h.up = unsafe.Pointer(h)
	for _, v := range []any{h, *h, []hidden{*h}, map[string]hidden{"h": *h}, [1]hidden{*h}, reflect.ValueOf(h)} {
		a := Freeze(slog.Any("v", v))
		if a.Value.Kind() != slog.KindString || !utf8.ValidString(a.Value.String()) {
			t.Errorf("%T: %v", v, a)
		}
		if s := Sprintf("%v %+v", v, v); s == "" {
			t.Errorf("%T: empty Sprintf", v)
		}
	}
	if got := Render(h); !strings.Contains(got, "pan:!PANIC(no String for you)") {
		t.Errorf("got %q", got)
	}
}

// A small value can stand for a huge one: maps that share their entries
// nest 64³ leaves in three maps. Rendering stops at its size bound, after
// a bounded amount of work, wherever the entries are.
func TestRenderSharedMapsAreBounded(t *testing.T) {
	var m any = map[int]int{}
	for i := range 64 {
		m.(map[int]int)[i] = i
	}
	for range 2 {
		up := map[int]any{}
		for i := range 64 {
			up[i] = m
		}
		m = up
	}
	visits := 0
	r := renderer{seen: map[uintptr]bool{}, visits: &visits}
	r.value(reflect.ValueOf(m), 0)
	if visits > 4*renderMaxBytes {
		t.Errorf("%d values visited for %d bytes", visits, len(r.buf))
	}
	if got := Render(m); len(got) > renderMaxBytes || !strings.HasSuffix(got, TruncationMarker) {
		t.Errorf("%d bytes, ends %q", len(got), got[max(0, len(got)-20):])
	}
}

type guarded struct {
	mu   sync.Mutex
	last *int
}

type holder struct {
	Name string
	G    *guarded
}

// fmt prints a pointer below the top level as an address, without reading
// what it points to; Sprintf's check for cycles must not read it either,
// or it races with whoever owns it (time.Local's lazy set-up, a value
// behind its mutex).
func TestSprintfDoesNotReadBehindNestedPointers(t *testing.T) {
	g := &guarded{}
	done := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			n := 1
			g.mu.Lock()
			g.last = &n
			g.mu.Unlock()
		}
	}()
	h := holder{Name: "h", G: g}
	for range 200 {
		_ = Sprintf("%v", []any{h})
	}
	close(stop)
	<-done
}
