package handlers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
)

// A File handler run by hand, as its actor runs it: events are buffered,
// an error is written (and fsynced) at once, and a rotation archives the
// file as app.log.0.
func ExampleFile() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.log")

	h := &handlers.File{Path: path, Count: 3}
	cfg := &handlers.Config{ID: path, Level: "info", Formatter: lineOnly}
	_ = cfg.Check()
	_ = h.Add(cfg)
	show := func(name string) {
		b, _ := os.ReadFile(name)
		fmt.Printf("%s: %q\n", filepath.Base(name), b)
	}

	_ = h.Log(&core.Event{Level: core.LevelInfo, Message: "buffered"}, cfg)
	show(path)
	_ = h.Log(&core.Event{Level: core.LevelError, Message: "written at once"}, cfg)
	show(path)
	_ = h.Rotate(time.Now(), cfg)
	_ = h.Log(&core.Event{Level: core.LevelInfo, Message: "in the new file"}, cfg)
	_ = h.Remove() // flushes and closes
	show(path + ".0")
	show(path)
	// Output:
	// app.log: ""
	// app.log: "buffered\nwritten at once\n"
	// app.log.0: "buffered\nwritten at once\n"
	// app.log: "in the new file\n"
}
