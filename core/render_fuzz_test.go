package core

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/asynkron/protoactor-go/actor"
)

// Hand-written types with unexported fields of every kind, for FuzzRenderAny
// (reflect.StructOf cannot make unexported fields).
type (
	fzLeaf struct {
		n   int
		s   string
		b   []byte
		t   time.Time
		pid *actor.PID
		err error
		f   float64
	}
	fzNode struct {
		kids  []any
		m     map[any]any
		arr   [2]any
		leafs [2]fzLeaf
		p     *fzNode
		iface any
		st    fmt.Stringer
		up    unsafe.Pointer
		rv    reflect.Value
		ch    chan int
		fn    func()
	}
	fzKey struct {
		id  int
		at  time.Time
		pid *actor.PID
	}
	fzWrap struct{ v any }
)

// fzBuilder makes a value out of fuzz bytes.
type fzBuilder struct {
	data  []byte
	depth int
}

func (b *fzBuilder) byte() byte {
	if len(b.data) == 0 {
		return 0
	}
	c := b.data[0]
	b.data = b.data[1:]
	return c
}

func (b *fzBuilder) str() string {
	n := int(b.byte() % 8)
	n = min(n, len(b.data))
	s := string(b.data[:n])
	b.data = b.data[n:]
	return s
}

func (b *fzBuilder) key() any {
	switch b.byte() % 5 {
	case 0:
		return int(b.byte())
	case 1:
		return b.str()
	case 2:
		return fzKey{id: int(b.byte()), at: time.Unix(int64(b.byte()), 0).UTC(), pid: actor.NewPID("k", b.str())}
	case 3:
		return point{int(b.byte()), 0}
	}
	return nil
}

func (b *fzBuilder) leaf() fzLeaf {
	return fzLeaf{n: int(b.byte()), s: b.str(), b: []byte(b.str()), t: time.Unix(int64(b.byte())<<20, 0).UTC(),
		pid: actor.NewPID(b.str(), b.str()), err: errors.New(b.str()), f: float64(b.byte()) / 3}
}

func (b *fzBuilder) value() any {
	if len(b.data) == 0 || b.depth > 12 {
		return nil
	}
	b.depth++
	defer func() { b.depth-- }()
	switch b.byte() % 16 {
	case 0:
		return b.leaf()
	case 1:
		l := b.leaf()
		return &l
	case 2:
		n := &fzNode{}
		for range b.byte() % 4 {
			n.kids = append(n.kids, b.value())
		}
		if b.byte()%2 == 0 {
			n.m = map[any]any{}
			for range b.byte() % 4 {
				n.m[b.key()] = b.value()
			}
		}
		n.arr = [2]any{b.value(), b.value()}
		n.leafs = [2]fzLeaf{b.leaf(), b.leaf()}
		if b.byte()%3 == 0 {
			n.p = n // a cycle
		}
		n.iface = b.value()
		n.st = label(b.str())
		if b.byte()%2 == 0 {
			n.st = panicky{}
		}
		n.up = unsafe.Pointer(n)
		n.rv = reflect.ValueOf(b.value())
		n.ch = make(chan int)
		n.fn = func() {}
		if b.byte()%2 == 0 {
			return *n
		}
		return n
	case 3:
		return fzWrap{v: fzWrap{v: b.value()}}
	case 4:
		return [3]fzKey{{id: 1}, {id: int(b.byte()), at: time.Unix(int64(b.byte()), 0)}, {}}
	case 5:
		return [2]fzWrap{{b.value()}, {b.value()}}
	case 6:
		m := map[any]any{}
		for range b.byte() % 4 {
			m[b.key()] = b.value()
		}
		return m
	case 7:
		return reflect.ValueOf(b.value())
	case 8:
		return withPID{actor.NewPID(b.str(), b.str())}
	case 9:
		return stamped{int(b.byte()), time.Unix(int64(b.byte()), 0)}
	case 10:
		return []any{b.value(), b.value()}
	case 11:
		return struct {
			err error
			e2  error
		}{errors.New(b.str()), (*errT)(nil)}
	case 12:
		return b.str()
	case 13:
		return int64(b.byte()) - 128
	case 14:
		return nilReceiverField{s: (*nilReceiver)(nil)}
	}
	return nil
}

type nilReceiverField struct{ s fmt.Stringer }

// No value, however nested and hidden, makes Render, Freeze or Sprintf
// panic; their text is valid UTF-8 and bounded.
func FuzzRenderAny(f *testing.F) {
	f.Add([]byte{2, 3, 0, 1, 'a', 9, 5, 7, 2})
	f.Add([]byte{2, 1, 2, 0, 6, 2, 2, 1, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{5, 3, 7, 14, 11, 'x', 6, 3, 2, 4, 'p', 'q', 8, 1, 'z'})
	f.Add([]byte{10, 7, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 2, 1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		v := (&fzBuilder{data: data}).value()
		out := Render(v)
		if !utf8.ValidString(out) || len(out) > renderMaxBytes {
			t.Fatalf("%d bytes, valid UTF-8 %v: %q", len(out), utf8.ValidString(out), out)
		}
		if k := Freeze(slog.Any("v", v)).Value.Kind(); k == slog.KindAny && v != nil || k == slog.KindLogValuer {
			t.Fatalf("not frozen: %v", k)
		}
		_ = Sprintf("%v %+v %#v %d %s", v, v, v, v, v)
	})
}
