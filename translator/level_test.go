package translator_test

import (
	"errors"
	"log/slog"
	"testing"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/translator"
	"github.com/stretchr/testify/assert"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Proto.Actor logs a panic at info and a connection that a normal stop
// closed at error: RecordLevel says what they are.
func TestRecordLevel(t *testing.T) {
	lost := func(err error) []slog.Attr {
		return []slog.Attr{slog.String("address", "127.0.0.1:8090"), slog.Any("error", err)}
	}
	graceful := status.Error(codes.Unavailable, `closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: NO_ERROR, debug data: "graceful_stop"`)
	for _, tc := range []struct {
		name    string
		message string
		level   core.Level
		attrs   []slog.Attr
		want    core.Level
	}{
		{"a panic", translator.RecoveringMessage, core.LevelInfo, nil, core.LevelError},
		{"our side closing", translator.LostConnectionMessage, core.LevelError, lost(status.Error(codes.Canceled, "grpc: the client connection is closing")), core.LevelInfo},
		{"the other side stopping", translator.LostConnectionMessage, core.LevelError, lost(graceful), core.LevelInfo},
		{"a connection refused", translator.LostConnectionMessage, core.LevelError, lost(status.Error(codes.Unavailable, "connection refused")), core.LevelError},
		{"a reset", translator.LostConnectionMessage, core.LevelError, lost(errors.New("connection reset by peer")), core.LevelError},
		{"no error attribute", translator.LostConnectionMessage, core.LevelError, nil, core.LevelError},
		{"anything else", "Started Activator", core.LevelInfo, nil, core.LevelInfo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, translator.RecordLevel(tc.message, tc.level, tc.attrs))
		})
	}
}
