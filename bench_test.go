package actorlog_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/handlers"
)

// BenchmarkDisabled is a debug call while every handler is at info: the
// caller's whole cost is one atomic load.
func BenchmarkDisabled(b *testing.B) {
	s := start(b, actorlog.Handler{Config: handlers.Config{ID: "console", Level: "info"}, Handler: &handlers.Console{Writer: io.Discard}})
	log := s.Logger()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			log.Debug("user logged in", "user", 42)
		}
	})
}

// BenchmarkEnabled measures the caller's cost of an enabled call: format,
// freeze, hand to the sink's actor. The handler works behind, on its own
// goroutine; the benchmark flushes before it ends, untimed.
func BenchmarkEnabled(b *testing.B) {
	for _, bc := range []struct {
		name    string
		handler handlers.Handler
	}{
		{"console-to-discard", &handlers.Console{Writer: io.Discard}},
		{"memory", &handlers.Memory{Max: 1024}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := start(b, actorlog.Handler{Config: handlers.Config{ID: "h", Level: "info"}, Handler: bc.handler})
			log := s.Logger()
			b.Run("kv", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					log.Info("user logged in", "user", 42, "path", "/api/v1/items")
				}
				flush(b, s)
			})
			b.Run("attrs", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					log.LogAttrs(context.Background(), actorlog.LevelInfo, "user logged in", slog.Int("user", i), slog.String("path", "/api/v1/items"))
				}
				flush(b, s)
			})
			b.Run("printf", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					log.Infof("user %d logged in from %s", i, "10.0.0.1")
				}
				flush(b, s)
			})
		})
	}
}

func flush(b *testing.B, s *actorlog.System) {
	b.StopTimer()
	if err := s.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
}
