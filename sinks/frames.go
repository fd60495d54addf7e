package sinks

import "github.com/actorlog/actorlog/actors"

// A custom handler actor's crash report shows its own frames, not those of
// the middleware that counts its queue.
func init() { actors.HideFrames(counting) }
