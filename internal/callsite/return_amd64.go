package callsite

// Return returns the return address of the function that calls it:
// where in its caller's code that function will return to. It costs a
// load, where runtime.Callers walks and decodes frames.
func Return() uintptr
