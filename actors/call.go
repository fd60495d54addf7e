package actors

import (
	"context"
	"errors"
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
)

// ErrNoActor is returned when the target of a call or a stop does not exist
// (it never did, or it has stopped).
var ErrNoActor = errors.New("actors: no such actor")

// inbox is a one-shot process that receives a reply, a dead-letter response
// or a Terminated notification. It is registered in the process registry for
// the time of one call.
type inbox struct {
	system *actor.ActorSystem
	pid    *actor.PID
	ch     chan any
}

func newInbox(system *actor.ActorSystem) *inbox {
	in := &inbox{system: system, ch: make(chan any, 1)}
	in.pid, _ = system.ProcessRegistry.Add(in, "inbox$"+system.ProcessRegistry.NextId())
	return in
}

func (in *inbox) close() { in.system.ProcessRegistry.Remove(in.pid) }

func (in *inbox) deliver(m any) {
	select {
	case in.ch <- m:
	default: // only the first answer counts
	}
}

// SendUserMessage implements actor.Process.
func (in *inbox) SendUserMessage(_ *actor.PID, message any) {
	_, msg, _ := actor.UnwrapEnvelope(message)
	in.deliver(msg)
}

// SendSystemMessage implements actor.Process.
func (in *inbox) SendSystemMessage(_ *actor.PID, message any) {
	if t, ok := message.(*actor.Terminated); ok {
		in.deliver(t)
	}
}

// Stop implements actor.Process.
func (in *inbox) Stop(*actor.PID) {}

// Call sends msg to pid with a sender to answer to and waits for the answer
// (the target replies with ctx.Respond). It returns ErrNoActor at once if pid
// does not exist, and as soon as it stops without answering (actor.Stop
// drops queued requests silently; Call does not wait them out); ctx's error,
// wrapped, if ctx ends first. It costs one registry entry and a watch for
// the time of the call, and no timer: the deadline is ctx's.
func Call(ctx context.Context, system *actor.ActorSystem, pid *actor.PID, msg any) (any, error) {
	in := newInbox(system)
	defer in.close()
	proc, _ := system.ProcessRegistry.Get(pid)
	proc.SendSystemMessage(pid, &actor.Watch{Watcher: in.pid})
	system.Root.RequestWithCustomSender(pid, msg, in.pid)
	select {
	case reply := <-in.ch:
		switch reply.(type) {
		case *actor.DeadLetterResponse, *actor.Terminated:
			return nil, fmt.Errorf("call %s: %w", PIDString(pid), ErrNoActor)
		}
		proc.SendSystemMessage(pid, &actor.Unwatch{Watcher: in.pid})
		return reply, nil
	case <-ctx.Done():
		proc.SendSystemMessage(pid, &actor.Unwatch{Watcher: in.pid})
		return nil, fmt.Errorf("call %s: %w", PIDString(pid), ctx.Err())
	}
}

// StopGracefully stops pid after the messages already in its mailbox have
// been handled (a poison pill, unlike actor.Stop, which drops them), and
// waits until it has stopped or ctx is done. It returns nil once the actor
// is gone (also when it was gone already), and an error wrapping ctx's error
// if ctx ended first; the actor then goes on draining, and the caller may
// stop it harder with the root context's Stop.
func StopGracefully(ctx context.Context, system *actor.ActorSystem, pid *actor.PID) error {
	return stopAndWait(ctx, system, pid, func() { system.Root.Poison(pid) })
}

// StopNow stops pid at once, dropping the messages still in its mailbox
// (actor.Stop), and waits until it has stopped or ctx is done.
func StopNow(ctx context.Context, system *actor.ActorSystem, pid *actor.PID) error {
	return stopAndWait(ctx, system, pid, func() { system.Root.Stop(pid) })
}

func stopAndWait(ctx context.Context, system *actor.ActorSystem, pid *actor.PID, stop func()) error {
	in := newInbox(system)
	defer in.close()
	// A Watch on a missing actor is answered with Terminated{NotFound} by the
	// dead-letter process, so this never waits for an actor that is gone.
	proc, _ := system.ProcessRegistry.Get(pid)
	proc.SendSystemMessage(pid, &actor.Watch{Watcher: in.pid})
	stop()
	select {
	case <-in.ch:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop %s: %w", PIDString(pid), ctx.Err())
	}
}
