package actors_test

import (
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
)

// tagging is a library's receiver middleware; visible is one left shown.
func tagging(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) { next(c, env) }
}

func visible(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) { next(c, env) }
}

type wrapper struct{}

// relay runs an actor's Receive; its methods are hidden as a type.
type relay struct{ next actor.ReceiverFunc }

func (r *relay) receive(c actor.ReceiverContext, env *actor.MessageEnvelope) { r.forward(c, env) }

func (r *relay) forward(c actor.ReceiverContext, env *actor.MessageEnvelope) { r.next(c, env) }

func relaying(next actor.ReceiverFunc) actor.ReceiverFunc { return (&relay{next: next}).receive }

func (wrapper) wrap(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) { next(c, env) }
}

// Middleware given to HideFrames, a function or a method, is left out of
// crash reports' stacks, the closures it makes included, and so are the
// methods of a type given to it; other middleware stays.
func TestHideFrames(t *testing.T) {
	actors.HideFrames(tagging, wrapper.wrap, (*relay)(nil), nil, 42)
	system := actortest.NewSystem(t)
	reports := actortest.Collect[*actors.CrashReport](t, system, 8)
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &boom{when: "receive"} },
		actor.WithReceiverMiddleware(tagging, wrapper{}.wrap, visible, relaying, actors.CrashReporter())))
	system.Root.Send(pid, &job{ID: 1})
	r := reportFor(t, reports, pid)
	assert.Contains(t, r.Stack, "actors_test.(*boom).Receive")
	assert.Contains(t, r.Stack, "actors_test.visible")
	assert.NotContains(t, r.Stack, "tagging")
	assert.NotContains(t, r.Stack, "wrap.func")
	assert.NotContains(t, r.Stack, "relay")
}
