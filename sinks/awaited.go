package sinks

import (
	"maps"
	"slices"

	"github.com/actorlog/actorlog/core"
	"github.com/asynkron/protoactor-go/actor"
)

// The handlers awaited are those that stopped with the sink's last
// incarnation (a kill, a restart) and that their watchers install again.
// While one is away its levels stay in the sink's mask (pending), so that
// an event it would take, and no other handler does, is counted
// (NoHandler) rather than skipped unseen. A handler leaves the set when it
// is back, or when its watcher ends (an install that failed for good, a
// handler the user removed): a handler that will never come back is not
// waited for, nor counted for.
//
// Only the sink's actor changes the set (as an incarnation stops, as a
// handler is installed, when a watcher ends), and publishes it with its
// road, which callers read.

// addWatcher records the watcher pid of the handler id.
func (s *Sink) addWatcher(pid *actor.PID, id string) {
	s.mu.Lock()
	s.watchers[pid] = id
	s.mu.Unlock()
}

// removeWatcher forgets the watcher pid, which is ending. Its handler, if
// awaited, is no longer: the sink's actor forgets it (watcherGone), or the
// next incarnation does as it starts.
func (s *Sink) removeWatcher(pid *actor.PID) {
	s.mu.Lock()
	id, ok := s.watchers[pid]
	delete(s.watchers, pid)
	_, awaited := s.awaited[id]
	s.mu.Unlock()
	if ok && awaited {
		if life := s.life.Load(); life != nil {
			s.system.Root.Send(life.pid, watcherGone{})
		}
	}
}

// watcherGone tells the sink's actor that a watcher of an awaited handler
// ended.
type watcherGone struct{}

// watcherPIDs returns the sink's watchers.
func (s *Sink) watcherPIDs() []*actor.PID {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*actor.PID, 0, len(s.watchers))
	for pid := range s.watchers {
		out = append(out, pid)
	}
	return out
}

// await adds to the awaited handlers those of levels (handler ID →
// levels): the handlers of an incarnation that stops. Those awaited
// already, and not back in it, stay awaited: an incarnation may stop
// before every handler came back to it.
func (s *Sink) await(levels map[string]core.Mask) {
	s.mu.Lock()
	maps.Copy(s.awaited, levels)
	s.mu.Unlock()
}

// arrived takes handler id out of the awaited ones: it is back. was says
// whether it was awaited, and none whether no handler is awaited now.
func (s *Sink) arrived(id string) (was, none bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, was = s.awaited[id]; was {
		delete(s.awaited, id)
	}
	return was, len(s.awaited) == 0
}

// pruneAwaited forgets the awaited handlers that no watcher installs any
// more, and reports whether none is awaited now.
func (s *Sink) pruneAwaited() (none bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	watched := make(map[string]bool, len(s.watchers))
	for _, id := range s.watchers {
		watched[id] = true
	}
	maps.DeleteFunc(s.awaited, func(id string, _ core.Mask) bool { return !watched[id] })
	return len(s.awaited) == 0
}

// awaitedLevels returns the levels of the awaited handlers, by ID, nil
// when none is awaited.
func (s *Sink) awaitedLevels() map[string]core.Mask {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.awaited) == 0 {
		return nil
	}
	return maps.Clone(s.awaited)
}

// awaitedTakes reports whether an awaited handler would take an event at
// level l that traces feed to the handlers fed and keep from those
// silenced, as the sink routes it (routes): by its level, or fed by a
// trace, unless silenced.
func (r *road) awaitedTakes(l core.Level, fed, silenced []string) bool {
	for id, mask := range r.awaited {
		if _, ok := routes(id, mask, l, fed, silenced); ok {
			return true
		}
	}
	return false
}

// awaitedIDs returns the IDs of the awaited handlers, sorted.
func (s *Sink) awaitedIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.awaited))
	for id := range s.awaited {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
