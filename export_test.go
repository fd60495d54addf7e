package actorlog

import (
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/supervision"
)

// SinkOf gives tests the default sink.
func SinkOf(s *System) *sinks.Sink { return s.sink }

// WatchersOf gives tests the supervisor of the handlers' watchers.
func WatchersOf(s *System) *supervision.Supervisor { return s.watchers }
