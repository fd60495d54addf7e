package sinks

import (
	"errors"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// A sink's handler actors are not its actor's children: Proto.Actor ends
// an actor only once its children have ended, and a handler stuck in Log
// would hold a killed sink back (lager's killer ends the whole event
// manager at once). They are spawned from the root, named under the sink's
// actor, watched by it, and supervised by handlerGuardian, which passes
// each failure on to the running incarnation of the handler's sink.
//
// A handler actor told to stop that has not ended when its incarnation
// does is leaving (Sink.leaving): the next incarnation watches it and
// installs that handler again only once it has ended, so that two
// incarnations of a handler never write at once.

// handlerGuardian supervises the handler actors of every sink: one
// strategy value, so that Proto.Actor makes one guardian for it per actor
// system (it keeps its guardians as long as the system lives).
var handlerGuardian = &guardian{}

// guardian knows the sink of each handler actor it supervises.
type guardian struct {
	sinks sync.Map // guarded → *Sink
}

// guarded names an actor of one actor system.
type guarded struct {
	system *actor.ActorSystem
	id     string
}

// guard records that the handler actor of s with ID id is supervised for
// s; false if an actor of that ID already was.
func (g *guardian) guard(s *Sink, id string) bool {
	_, loaded := g.sinks.LoadOrStore(guarded{s.system, id}, s)
	return !loaded
}

// release forgets the handler actor of s with ID id, which has ended (or
// never started).
func (g *guardian) release(s *Sink, id string) {
	g.sinks.Delete(guarded{s.system, id})
}

// HandleFailure implements actor.SupervisorStrategy. It runs on the failed
// actor's goroutine, whose mailbox is suspended meanwhile: it hands the
// failure to the running incarnation of the actor's sink, which restarts,
// resumes or stops the actor (manager.failed); with none running, the
// actor is stopped.
func (g *guardian) HandleFailure(system *actor.ActorSystem, sup actor.Supervisor, who *actor.PID, _ *actor.RestartStatistics, reason, message any) {
	if s, ok := g.sinks.Load(guarded{system, who.Id}); ok {
		if life := s.(*Sink).life.Load(); life != nil {
			system.Root.Send(life.pid, handlerFailure{sup: sup, who: who, reason: reason, message: message})
			return
		}
	}
	sup.StopChildren(who)
}

// handlerFailure is a handler actor's failure, handed to the sink's actor
// by its guardian.
type handlerFailure struct {
	sup             actor.Supervisor
	who             *actor.PID
	reason, message any
}

// errStillLeaving answers the install of a handler whose last actor has
// not ended yet; the sink tells the watcher (sinkStarted) once it has.
var errStillLeaving = errors.New("sinks: the handler's last actor has not stopped yet")

// leave records that handler id's actor pid was told to stop and may not
// have ended.
func (s *Sink) leave(id string, pid *actor.PID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.leaving[id] = pid
}

// leavingPIDs returns the actors of the handlers leaving.
func (s *Sink) leavingPIDs() []*actor.PID {
	s.mu.Lock()
	defer s.mu.Unlock()
	pids := make([]*actor.PID, 0, len(s.leaving))
	for _, pid := range s.leaving {
		pids = append(pids, pid)
	}
	return pids
}

// stillLeaving says whether handler id's last actor has not ended.
func (s *Sink) stillLeaving(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.leaving[id]
	return ok
}

// abandon forgets every leaving actor and returns them, by handler ID.
func (s *Sink) abandon() map[string]*actor.PID {
	s.mu.Lock()
	defer s.mu.Unlock()
	left := s.leaving
	s.leaving = map[string]*actor.PID{}
	return left
}

// left forgets the leaving actor pid once it has ended, and returns the
// ID of its handler ("" if pid was not leaving).
func (s *Sink) left(pid *actor.PID) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, p := range s.leaving {
		if p.Equal(pid) {
			delete(s.leaving, id)
			return id
		}
	}
	return ""
}
