package callsite

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// A logging call's site is found by runtime.Callers, which walks and
// decodes the stack frame by frame: about a third of a microsecond, a
// fifth of an enabled call. PC remembers, for each return address of a
// logging method (read from its frame in one load, Return), the program
// counter runtime.Callers found for it. A return address names one place
// in the caller's machine code, so one call site: the level methods
// (Info, Debug, …) are inlined into their callers, each copy with its own
// address. Where a return address lies in actorlog's own code (a level
// method that was not inlined: -gcflags=-l), it stands for every call of
// that method, and runtime.Callers is used every time.

// sites holds every return address seen (a program has finitely many),
// and siteSlots is a direct-mapped cache in front of it: one atomic load
// in the common case.
var (
	sites     sync.Map // uintptr → *site
	siteSlots [1024]atomic.Pointer[site]
)

type site struct {
	ret, pc uintptr
	own     bool // ret is in this package's code: pc says nothing
}

// PC returns the program counter that runtime.Callers(skip), called
// where PC is called, gives, for a logging method returning to ret
// (0: not known).
func PC(ret uintptr, skip int) uintptr {
	slot := &siteSlots[(ret>>2)%uintptr(len(siteSlots))]
	s := slot.Load()
	if ret != 0 && (s == nil || s.ret != ret) {
		if known, ok := sites.Load(ret); ok {
			s = known.(*site)
			slot.Store(s)
		}
	}
	if ret != 0 && s != nil && s.ret == ret && !s.own {
		return s.pc
	}
	var pcs [1]uintptr
	runtime.Callers(skip+1, pcs[:])
	if ret != 0 && (s == nil || s.ret != ret) {
		s = &site{ret: ret, pc: pcs[0], own: inThisPackage(ret)}
		sites.Store(ret, s)
		slot.Store(s)
	}
	return pcs[0]
}

// inThisPackage says whether the function whose code holds return
// address ret is one of the logging package's, actorlog's (the outermost
// of the functions inlined there).
func inThisPackage(ret uintptr) bool {
	frames := runtime.CallersFrames([]uintptr{ret})
	var last runtime.Frame
	for {
		f, more := frames.Next()
		last = f
		if !more {
			break
		}
	}
	const pkg = "github.com/actorlog/actorlog."
	return strings.HasPrefix(last.Function, pkg)
}
