package sinks

import "github.com/actorlog/actorlog/actors"

// A custom handler actor's crash report shows its own frames, not those of
// the middleware that applies its filters.
func init() { actors.HideFrames(filtering) }
