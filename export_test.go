package actorlog

import "github.com/actorlog/actorlog/sinks"

// SinkOf gives tests the default sink.
func SinkOf(s *System) *sinks.Sink { return s.sink }
