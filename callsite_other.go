//go:build !amd64

package actorlog

// callerReturn returns 0 where reading a frame is not implemented: every
// call site is then found by runtime.Callers.
func callerReturn() uintptr { return 0 }
