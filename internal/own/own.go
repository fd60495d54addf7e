// Package own knows which filter functions are actorlog's own: code that
// reads an event and decides, and keeps nothing of it. An event whose
// handlers run only actorlog's code may be formatted into lines by its
// caller and its memory reused at once (see package sinks, "One road"); a filter of
// the user's may keep any event, with nothing to declare.
package own

import (
	"reflect"
	"sync"
)

// filters holds the code pointers of the filter methods marked. A method
// value's code is its method's wrapper, one for every value of the type,
// wherever the value is made (a function literal's code is not: inlining
// copies it).
var filters sync.Map // uintptr → struct{}

// MarkFilter records fn, a method value of one of actorlog's filter types
// (its Fn), as actorlog's own, with the same method of every value of
// that type. It returns fn.
func MarkFilter[F any](fn F) F {
	if p := codeOf(fn); p != 0 {
		filters.Store(p, struct{}{})
	}
	return fn
}

// Filter reports whether fn is a filter function marked as actorlog's
// own.
func Filter(fn any) bool {
	p := codeOf(fn)
	if p == 0 {
		return false
	}
	_, ok := filters.Load(p)
	return ok
}

func codeOf(fn any) uintptr {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return 0
	}
	return v.Pointer()
}
