package translator

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/actorlog/actorlog/core"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// LostConnectionMessage is the message of Proto.Actor's record about a
// remote connection that ended, which it logs at error whatever the cause.
const LostConnectionMessage = "EndpointWriter lost connection"

// RecordLevel returns the level of a record of Proto.Actor's own logger,
// given its message, the level Proto.Actor gave it and its attributes,
// before they are frozen. Most keep their level; two say otherwise:
//
//   - a panic ([RecoveringMessage], logged at info) is an error;
//   - a lost connection ([LostConnectionMessage], logged at error) that a
//     normal stop closed is info: gRPC's Canceled (this side closed it) or
//     Unavailable after the other side's graceful goaway (it stopped).
func RecordLevel(message string, level core.Level, attrs []slog.Attr) core.Level {
	switch message {
	case RecoveringMessage:
		return max(level, core.LevelError)
	case LostConnectionMessage:
		for _, a := range attrs {
			if a.Key != "error" || a.Value.Kind() != slog.KindAny {
				continue
			}
			if err, ok := a.Value.Any().(error); ok && closedNormally(err) {
				return min(level, core.LevelInfo)
			}
		}
	}
	return level
}

// closedNormally reports whether err is how gRPC ends a stream that a
// normal stop closed.
func closedNormally(err error) bool {
	var st interface{ GRPCStatus() *status.Status }
	if !errors.As(err, &st) {
		return false
	}
	s := st.GRPCStatus()
	switch s.Code() {
	case codes.Canceled:
		return true
	case codes.Unavailable:
		return strings.Contains(s.Message(), "goaway: code: NO_ERROR")
	}
	return false
}
