// Package callsite finds a logging call's site cheaply: the return address
// of a logging method, read from its frame (Return), names one call site,
// and PC remembers the program counter runtime.Callers gave for it, so the
// stack is walked once per call site, not once per call.
package callsite
