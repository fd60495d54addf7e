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

func TestDateAndTimeAcrossSeconds(t *testing.T) {
	local := &formatter.Lager{Tokens: formatter.Tokens(formatter.Date, formatter.Text(" "), formatter.Time)}
	utc := &formatter.Lager{Tokens: local.Tokens, UTC: true}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	base := time.Date(2026, 11, 22, 23, 59, 59, 999_000_000, time.UTC)
	tests := []struct {
		f    *formatter.Lager
		t    time.Time
		want string
	}{
		{utc, base, "2026-11-22 23:59:59.999 UTC"},
		{utc, base.Add(time.Millisecond), "2026-11-23 00:00:00.000 UTC"},
		{utc, base, "2026-11-22 23:59:59.999 UTC"}, // back again: not the cached second
		{local, base.In(paris), "2026-11-23 00:59:59.999"},
		{local, base, "2026-11-22 23:59:59.999"}, // same second, another location
		{utc, base.In(paris), "2026-11-22 23:59:59.999 UTC"},
		{utc, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "10000-01-01 00:00:00.000 UTC"},
		{utc, time.Date(-1, 12, 31, 12, 0, 0, 5_000_000, time.UTC), "-0001-12-31 12:00:00.005 UTC"},
	}
	for _, tc := range tests {
		got := string(tc.f.Format(nil, &core.Event{Time: tc.t, Message: "m"}))
		if got != tc.want {
			t.Errorf("%v (utc %v): got %q, want %q", tc.t, tc.f.UTC, got, tc.want)
		}
	}
}
