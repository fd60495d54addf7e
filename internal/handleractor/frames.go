package handleractor

import "github.com/actorlog/actorlog/actors"

// A handler's crash report shows its own frames, not those of the actor
// that runs it.
func init() { actors.HideFrames((*runner)(nil)) }
