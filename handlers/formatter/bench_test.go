package formatter_test

import (
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers/formatter"
)

// benchEvent is bench/'s w1 event: a message, two attributes, a call site.
func benchEvent() *core.Event {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	return &core.Event{Time: time.Now(), Level: core.LevelInfo, Message: "user 7 logged in from 10.0.0.1", PC: pcs[0],
		Attrs: []slog.Attr{slog.Int("request_id", 7), slog.String("path", "/api/v1/items")}}
}

func BenchmarkFileFormat(b *testing.B) {
	f := &formatter.Lager{Tokens: formatter.FileTokens("\n")}
	e := benchEvent()
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = f.Format(buf[:0], e)
	}
	b.SetBytes(int64(len(buf)))
}
