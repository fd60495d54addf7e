package actors

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// QuietConfig returns actor-system options for tests and examples: the
// system's own logger discards everything, and the dead-letter throttle's
// goroutine lives for 10 ms instead of a second, so that goroutine-leak
// checks pass right after a test that produced a dead letter.
func QuietConfig() []actor.ConfigOption {
	return []actor.ConfigOption{
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
			return slog.New(slog.DiscardHandler)
		}),
		actor.WithDeadLetterThrottleInterval(10 * time.Millisecond),
	}
}
