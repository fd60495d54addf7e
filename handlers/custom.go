package handlers

// The messages a custom handler actor must know, beside *core.Event and
// Proto.Actor's poison pill (see the package doc): a sink takes the Props
// of such an actor instead of a Handler.
type (
	// Flush asks a handler's actor to write out what it buffered; it
	// answers Flushed, with ctx.Respond, once the events it received
	// before the Flush are written out.
	Flush struct{}
	// Flushed answers Flush; Err is what went wrong, if anything.
	Flushed struct{ Err error }
)
