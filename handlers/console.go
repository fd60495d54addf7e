package handlers

import (
	"time"

	"fmt"
	"io"
	"os"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers/formatter"
)

// ColorMode says when a console writes colors.
type ColorMode int

// The color modes.
const (
	// ColorAuto writes colors when the output is a terminal and the
	// NO_COLOR environment variable is not set.
	ColorAuto ColorMode = iota
	// ColorAlways writes colors.
	ColorAlways
	// ColorNever writes none.
	ColorNever
)

// Console writes events to standard output, standard error or any writer,
// one write per event, in lager's console format "TIME [severity]
// message" unless the config names a formatter. Several consoles may run
// at once under different IDs (for example info on stdout, errors on
// stderr).
type Console struct {
	// Writer is where to write. Nil means os.Stdout, or os.Stderr with
	// UseStderr.
	Writer io.Writer
	// UseStderr writes to os.Stderr when Writer is nil.
	UseStderr bool
	// Color says when to write colors, Colors which ones (lager's if nil).
	Color  ColorMode
	Colors *formatter.Colors

	out io.Writer
	buf []byte
}

// Add implements Adder: it picks the writer and the default format.
func (h *Console) Add(cfg *Config) error {
	if h.Color < ColorAuto || h.Color > ColorNever {
		return Fatal(fmt.Errorf("%w: console %q: unknown color mode %d", ErrBadConfig, cfg.ID, int(h.Color)))
	}
	h.out = h.Writer
	if h.out == nil {
		h.out = os.Stdout
		if h.UseStderr {
			h.out = os.Stderr
		}
	}
	colors := h.Colors
	if colors == nil {
		colors = formatter.DefaultColors
	}
	if h.colored() {
		cfg.SetDefaultFormatter(&formatter.Lager{Tokens: formatter.ConsoleTokens(colors.Reset + "\n"), Colors: colors})
	} else {
		cfg.SetDefaultFormatter(&formatter.Lager{Tokens: formatter.ConsoleTokens("\n")})
	}
	return nil
}

func (h *Console) colored() bool {
	switch h.Color {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	if _, off := os.LookupEnv("NO_COLOR"); off {
		return false
	}
	f, ok := h.out.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Log implements Handler.
func (h *Console) Log(e *core.Event, cfg *Config) error {
	h.buf = cfg.Format(h.buf[:0], e)
	_, err := h.out.Write(h.buf)
	if cap(h.buf) > 64<<10 {
		h.buf = nil // do not keep one huge event's buffer
	}
	return err
}

// WritesLines implements LineWriter: Log writes what Config.Format makes.
func (h *Console) WritesLines() bool { return true }

// LogLine writes a line formatted ahead, as Log writes the line
// Config.Format makes of an event: what the handler's actor does with the
// lines its sink's callers formatted (see the package doc).
func (h *Console) LogLine(line []byte, _ time.Time, _ core.Level, _ *Config) error {
	_, err := h.out.Write(line)
	return err
}

// Flush implements Flusher: it flushes a Writer that buffers (one with a
// Flush method). A console does not fsync a terminal (that fails on most
// consoles).
func (h *Console) Flush() error {
	if f, ok := h.out.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}
