package handleractor

import (
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
)

// lineLogger is a handler that writes a line formatted ahead without its
// event, as Log writes the line Config.Format makes of an event of time t
// and level level (Console and File): what a handler's actor does with the
// lines of its mailbox (mailbox.Page).
type lineLogger interface {
	handlers.LineWriter
	LogLine(line []byte, t time.Time, level core.Level, cfg *handlers.Config) error
}

// pageLogger is a lineLogger that writes a whole page at once, sparing
// the work LogLine does for each line (File): LogPage writes the lines of
// text as LogLine would, one after another, and returns true; or it
// returns false, having done nothing, when one of them needs LogLine's own
// handling, and the lines are then written with LogLine.
type pageLogger interface {
	lineLogger
	LogPage(text []byte, first, last time.Time, levels core.Mask, cfg *handlers.Config) bool
}
