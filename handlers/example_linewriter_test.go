package handlers_test

import (
	"fmt"
	"strings"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
)

// prefixWriter is a handler that writes each event's line after a prefix:
// it writes what Config.Format makes, so it says so (LineWriter), and its
// sink formats its events on the callers' goroutines.
type prefixWriter struct {
	prefix string
	out    *strings.Builder
}

func (w *prefixWriter) Log(e *core.Event, cfg *handlers.Config) error {
	w.out.WriteString(w.prefix)
	w.out.Write(cfg.Format(nil, e))
	return nil
}

func (w *prefixWriter) WritesLines() bool { return true }

// A sink asks a handler's config which formatter it may run ahead
// (LineFormatter), records the caller's line on the event (SetLine), and
// the handler's Format copies it.
func ExampleLineWriter() {
	out := &strings.Builder{}
	h := &prefixWriter{prefix: "> ", out: out}
	cfg := &handlers.Config{ID: "prefix", Formatter: &formatter.Lager{Tokens: formatter.Tokens(formatter.Severity, formatter.Text(": "), formatter.Message, formatter.Text("\n"))}}
	_ = cfg.Check()

	e := &core.Event{Level: core.LevelInfo, Message: "formatted by the caller"}
	if f := cfg.LineFormatter(h); f != nil { // what the sink does, on the caller's goroutine
		e.SetLine(f, formatter.Safe(f, nil, e))
	}
	_ = h.Log(e, cfg) // what the handler's actor does: the line is copied
	fmt.Print(out.String())
	fmt.Println(cfg.LineFormatter(&handlers.Memory{}) == nil) // a Memory handler keeps events: nothing to run ahead
	// Output:
	// > info: formatted by the caller
	// true
}
