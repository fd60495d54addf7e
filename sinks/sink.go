package sinks

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/asynkron/protoactor-go/actor"
)

// Errors of the sink API.
var (
	// ErrAlreadyPresent: a handler with that ID is installed in the sink.
	ErrAlreadyPresent = errors.New("sinks: already present")
	// ErrNotFound: no handler with that ID is installed in the sink.
	ErrNotFound = errors.New("sinks: no such handler")
	// ErrNotRunning: the sink's actor is not running (it is restarting,
	// or the system has stopped).
	ErrNotRunning = errors.New("sinks: sink not running")
	// ErrNoAnswer: a custom handler actor did not answer a request within
	// Options.CustomAnswerTimeout.
	ErrNoAnswer = errors.New("sinks: no answer")
)

// Spec describes a handler to install: a Handler run by a handler actor
// with Config, or the Props of a custom handler actor (which receives
// *core.Event and handlers.Flush; only Config.ID and Config.Level apply).
type Spec struct {
	Config  handlers.Config
	Handler handlers.Handler
	Props   *actor.Props
}

func (s *Spec) check() error {
	if (s.Handler == nil) == (s.Props == nil) {
		return fmt.Errorf("%w: handler %q: give exactly one of Handler and Props", handlers.ErrBadConfig, s.Config.ID)
	}
	return s.Config.Check()
}

// Sink is one sink (lager's gen_event manager, "lager_event"): the state
// that outlives its actor's restarts. Logging calls read its level mask,
// its mode and its actor's lifetime with one atomic load each; everything
// else goes through the actor.
type Sink struct {
	name   string
	system *actor.ActorSystem

	mask atomic.Uint32
	// pending holds the levels of the handlers awaited (awaited.go): they
	// stay in mask meanwhile, so that callers do not skip, uncounted, the
	// events those handlers will want; what no other handler takes before
	// they are back is counted (NoHandler).
	pending atomic.Uint32
	// awaitedNow is the awaited handlers' levels by ID (nil when none is
	// awaited), for the sink's actor to tell whether one of them would
	// take an event, traces included (awaitedTakes).
	awaitedNow atomic.Pointer[map[string]core.Mask]
	mode       atomic.Int32
	// ahead are the formatters of the handlers that write lines, which
	// callers run before they send an event (see handlers.LineWriter).
	ahead atomic.Pointer[[]aheadFormat]
	// lanes, when set, are the lanes of every handler of the sink: in
	// async mode an event is a line in each of them (see handleractor.Lane),
	// and never enters the inbox.
	lanes  atomic.Pointer[[]laneEntry]
	th     atomic.Pointer[Thresholds]
	life   atomic.Pointer[lifetime]
	closed atomic.Bool

	// Queue reads the sink actor's mailbox length; the events callers
	// logged wait in its inbox.
	Queue actors.Gauge
	in    inbox
	// inboxKilled is how many of the inbox's events the killer counted.
	inboxKilled atomic.Int64
	// handlerQueues are the mailboxes of the sink's handlers, published by
	// its actor; the slowest one counts in the queue length.
	handlerQueues atomic.Pointer[[]*handleractor.Stats]

	// worker runs the sink's actor, every incarnation (see actors.Worker);
	// Close ends it.
	worker *actors.Worker

	// traces are the sink's traces, kept outside its actor so that they
	// survive its restarts; traceMu orders their changes.
	traces   atomic.Pointer[[]*traceEntry]
	traceMu  sync.Mutex
	traceSeq uint64

	drops Drops
	// reported is drops.Discarded as far as the warnings have reported it:
	// each report says how many were dropped since the last one, so that
	// every drop is reported once, even one counted just after discard
	// mode ended.
	reported atomic.Int64
	lastWarn atomic.Int64 // unix ns of the last discard warning

	kills       atomic.Int64
	killing     atomic.Bool
	killerArmed atomic.Int64           // unix ns before which the killer waits
	reinstallAt atomic.Int64           // unix ns before which watchers wait after a kill
	lastKill    atomic.Pointer[killed] // the last kill, until every handler awaited after it is back

	starts atomic.Int64
	// mu guards watchers (watcher → the ID of its handler), awaited
	// (handler ID → levels; see awaited.go) and leaving (handler ID → its
	// last actor, told to stop and maybe not ended; see leaving.go).
	mu       sync.Mutex
	watchers map[*actor.PID]string
	awaited  map[string]core.Mask
	leaving  map[string]*actor.PID

	fallback   atomic.Bool
	fallbackMu sync.Mutex

	// startMu guards started, closed and replaced each time an
	// incarnation of the sink's actor starts (announceStart).
	startMu sync.Mutex
	started chan struct{}

	// customWait is Options.CustomAnswerTimeout, in ns (0 until Props).
	customWait atomic.Int64
}

// lifetime is one incarnation of the sink's actor: its PID, and a channel
// closed when it stops, which releases the callers waiting in sync mode.
type lifetime struct {
	pid  *actor.PID
	died chan struct{}
	// drains counts the drain messages sent to this incarnation and not
	// yet received: the mailbox's length counts them, the queue length
	// does not. Those sent to an incarnation that is gone count on its
	// lifetime, not on the next one's.
	drains atomic.Int64
}

// Drops counts the events a sink did not deliver, by reason. Every field
// only grows.
type Drops struct {
	// Discarded: dropped by callers in discard mode.
	Discarded atomic.Int64
	// NotRunning: logged while the sink's actor was not running (also
	// written to standard error).
	NotRunning atomic.Int64
	// Closed: logged after Close.
	Closed atomic.Int64
	// NoHandler: reached the sink while no handler was ready to take them
	// (handlers being installed again after a restart or a kill).
	NoHandler atomic.Int64
	// Killed: queued in the sink or its handlers when the killer struck.
	Killed atomic.Int64
	// Exited: held by a handler that exited after failures (a panic past
	// its restart intensity, an Add that failed after a restart): its
	// mailbox, its lane, the rest of a batch.
	Exited atomic.Int64
}

// New returns a sink named name on system with overload thresholds th
// (see Thresholds). Its actor is started by a supervisor from Props.
func New(system *actor.ActorSystem, name string, th Thresholds) (*Sink, error) {
	s := &Sink{name: name, system: system, watchers: map[*actor.PID]string{}, awaited: map[string]core.Mask{},
		leaving: map[string]*actor.PID{}}
	if err := s.SetThresholds(th); err != nil {
		return nil, err
	}
	return s, nil
}

// SetThresholds changes the sink's overload thresholds, at run time too
// (LoggerBackends.configure); the mode is recomputed at once.
func (s *Sink) SetThresholds(th Thresholds) error {
	th, err := th.WithDefaults()
	if err != nil {
		return fmt.Errorf("sinks: sink %q: %w", s.name, err)
	}
	// The field names the error starts with are what SetOverload reports.
	s.th.Store(&th)
	s.recompute()
	return nil
}

// Thresholds returns the sink's overload thresholds, defaults applied.
func (s *Sink) Thresholds() Thresholds { return *s.th.Load() }

// Name returns the sink's name.
func (s *Sink) Name() string { return s.name }

// System returns the actor system the sink runs on.
func (s *Sink) System() *actor.ActorSystem { return s.system }

// Mask returns the sink's level mask: the union of its handlers' levels.
func (s *Sink) Mask() core.Mask { return core.Mask(s.mask.Load()) }

// Enabled reports whether some handler of the sink takes level l: one
// atomic load.
func (s *Sink) Enabled(l core.Level) bool { return core.Mask(s.mask.Load()).Enabled(l) }

// Mode returns the sink's current mode.
func (s *Sink) Mode() Mode { return Mode(s.mode.Load()) }

// PID returns the sink actor's PID, nil while it is not running.
func (s *Sink) PID() *actor.PID {
	if l := s.life.Load(); l != nil {
		return l.pid
	}
	return nil
}

// Drops returns the sink's drop counters.
func (s *Sink) Drops() *Drops { return &s.drops }

// Dropped returns how many events the sink did not deliver, all reasons.
func (s *Sink) Dropped() int64 {
	d := &s.drops
	return d.Discarded.Load() + d.NotRunning.Load() + d.Closed.Load() + d.NoHandler.Load() + d.Killed.Load() + d.Exited.Load()
}

// Kills returns how many times the killer struck.
func (s *Sink) Kills() int64 { return s.kills.Load() }

// Restarts returns how many times the sink's actor started after its first
// start.
func (s *Sink) Restarts() int64 { return max(s.starts.Load()-1, 0) }

// QueueLen returns the sink's queue length, as the overload protection
// sees it: the events waiting in the sink's mailbox plus those waiting in
// its slowest handler's — the events accepted and not yet handled by every
// handler (lager's gen_event mailbox).
//
// Like lager's message_queue_len, it counts every message waiting, so a
// request (Status, Flush, a handler install) waiting in the sink's mailbox
// counts too; poll System.Mode, not Status, to watch the mode.
//
// The handlers' mailboxes are read before the sink's: an event that the
// sink moves to a handler between the two reads is then missed once, never
// counted twice. A reading a little low is corrected by the next event; one
// too high could hold callers in a mode they should have left.
func (s *Sink) QueueLen() int {
	slowest := 0
	if hs := s.handlerQueues.Load(); hs != nil {
		for _, h := range *hs {
			slowest = max(slowest, h.Queued())
		}
	}
	return slowest + s.mailboxEvents() + s.in.len()
}

// Log hands e to the sink as its mode says: in async mode it sends it and
// returns; in sync mode it waits until every handler has handled it, the
// sink stops (ErrSinkStopped) or SyncTimeout passes (ErrSyncTimeout); in
// discard mode it drops it (ErrDropped). It never panics and never blocks
// beyond SyncTimeout. Every event not delivered is counted (Drops); one
// logged while the sink is not running also goes to standard error.
func (s *Sink) Log(e *core.Event) error { return s.log(e, true) }

// LogNoWait hands e to the sink without ever waiting: like Log, except that
// in sync mode it sends and returns. It is for reports made on goroutines
// that must not wait for handlers, such as a supervisor's or an actor's
// own; discard mode still drops (counted), and a sink that is not running
// writes e to standard error.
func (s *Sink) LogNoWait(e *core.Event) error { return s.log(e, false) }

// log is Log, and LogNoWait when wait is false.
func (s *Sink) log(e *core.Event, wait bool) error {
	if s.closed.Load() {
		s.drops.Closed.Add(1)
		return ErrDropped
	}
	life := s.life.Load()
	if life == nil || s.fallback.Load() {
		s.drops.NotRunning.Add(1)
		s.toStderr(e)
		return ErrDropped
	}
	switch Mode(s.mode.Load()) {
	case Discard:
		s.drops.Discarded.Add(1)
		return ErrDropped
	case Sync:
		if !wait {
			break
		}
		if lanes := s.lanes.Load(); lanes != nil {
			var room [2]lineTicket
			if tickets, waiting, _ := s.putLines(e, *lanes, room[:0]); waiting >= 0 {
				return s.waitLines(tickets, life)
			}
		}
		return s.logSync(e, life)
	}
	if lanes := s.lanes.Load(); lanes != nil {
		if _, waiting, yield := s.putLines(e, *lanes, nil); waiting >= 0 {
			// Lines waiting for one handler are the whole queue but
			// what its mailbox holds besides, which its actor counts
			// as it takes them: a caller that sees fewer than three
			// quarters of the async threshold leaves the mode alone
			// (the handlers, after each page, and the periodic check
			// do not). Reading every queue costs, and below that mark
			// this lane, most of the queue, is still short of the
			// threshold.
			if th := s.th.Load(); waiting+s.in.len() > th.busy() {
				s.afterPut()
			} else if yield {
				runtime.Gosched() // a page for the handler (Lane.Put)
			}
			return nil
		}
	}
	if !s.put(e, nil) {
		return ErrDropped
	}
	s.afterPut()
	return nil
}

// afterPut lets a caller that put an event take part in the mode decision.
func (s *Sink) afterPut() {
	// Callers take part in the mode decision: on a busy machine the sink's
	// and its handlers' goroutines may not run for a whole scheduler slice,
	// while callers keep sending. A few atomic loads.
	if q := s.recompute(); q > s.th.Load().busy() {
		runtime.Gosched()
	}
}

// ToStderr writes e to standard error, in the sink's fallback format. It
// is for events that must not enter the sink: reports about the logging
// system's own actors, which could feed a failing sink.
func (s *Sink) ToStderr(e *core.Event) { s.toStderr(e) }

// Discarding counts a drop and returns ErrDropped when the sink is in
// discard mode, so that a caller can skip building an event that would be
// dropped; it returns nil otherwise. Log checks the mode again.
func (s *Sink) Discarding() error {
	if Mode(s.mode.Load()) == Discard {
		s.drops.Discarded.Add(1)
		return ErrDropped
	}
	return nil
}

// put formats e ahead for the handlers that write lines, puts it in the
// inbox and, when the actor has not been told yet, tells the sink's
// current incarnation (the one that will take it, even if the caller saw
// an older one). It returns false, counting a drop, once the sink's last
// incarnation has stopped.
func (s *Sink) put(e *core.Event, ack *handleractor.Ack) bool {
	if ahead := s.ahead.Load(); ahead != nil {
		formatAhead(e, *ahead)
	}
	ok, post := s.in.put(e, ack)
	if !ok {
		s.drops.Closed.Add(1)
		return false
	}
	if post {
		if life := s.life.Load(); life != nil {
			life.drains.Add(1)
			s.system.Root.Send(life.pid, drain{life: life})
		}
		// Otherwise the next incarnation takes it when it starts.
	}
	return true
}

// laneEntry is a handler's lane, with what the callers need to fill it.
type laneEntry struct {
	lane    *handleractor.Lane
	stats   *handleractor.Stats
	pid     *actor.PID
	f       formatter.Formatter
	accepts func(*core.Event) bool
}

// putLines formats e for every handler that takes it and puts the lines
// in their lanes; e is then reused at once, since no one holds it. It
// returns the most lines waiting in one of those lanes, or -1, having put
// nothing, when every lane that would take e is closed (its handler
// stopping): e then goes the usual way. An event that no lane takes and
// only handlers awaited would (awaited.go) is counted as NoHandler. When
// tickets is not nil, it returns them with a ticket for each line put, to
// wait for (waitLines).
func (s *Sink) putLines(e *core.Event, lanes []laneEntry, tickets []lineTicket) (_ []lineTicket, most int, yielding bool) {
	var buf, line []byte
	var last formatter.Formatter
	put, refused := 0, 0
	for i := range lanes {
		l := &lanes[i]
		if !l.accepts(e) {
			continue
		}
		if l.f != last || line == nil {
			if buf == nil {
				buf = lineBuffer(e)
			}
			start := len(buf)
			buf = formatter.Safe(l.f, buf, e)
			line, last = buf[start:], l.f
		}
		seq, waiting, post, yield := l.lane.Put(line, e.Time, e.Level, e.Home())
		if waiting < 0 {
			refused++
			continue
		}
		put++
		most = max(most, waiting)
		yielding = yielding || yield
		if tickets != nil {
			tickets = append(tickets, lineTicket{lane: l.lane, seq: seq})
		}
		if post {
			l.stats.Filled.Add(1)
			s.system.Root.Send(l.pid, handleractor.LaneFilled{})
		}
	}
	if put == 0 && refused > 0 {
		return tickets, -1, false
	}
	if put == 0 && core.Mask(s.pending.Load()).Enabled(e.Level) {
		// Only handlers on their way back want it (see awaited.go).
		s.drops.NoHandler.Add(1)
	}
	e.Recycle() // the lines are the lanes' own copies: no one else saw e
	return tickets, most, yielding
}

// lineTicket is a line put in a lane, that a caller in sync mode waits
// for.
type lineTicket struct {
	lane *handleractor.Lane
	seq  uint64
}

// waitLines waits, as Log does in sync mode, until the lines of tickets
// are written, the sink stops or its killer drops them (ErrSinkStopped),
// or SyncTimeout passes.
func (s *Sink) waitLines(tickets []lineTicket, life *lifetime) error {
	var timer *time.Timer // made when a line is not written yet: one for all
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for _, t := range tickets {
		for wake := t.lane.Wake(t.seq); wake != nil; wake = t.lane.Wake(t.seq) {
			if timer == nil {
				timer = time.NewTimer(s.th.Load().SyncTimeout)
			}
			select {
			case <-wake:
			case <-life.died:
				return ErrSinkStopped
			case <-timer.C:
				return ErrSyncTimeout
			}
		}
		if t.lane.Killed(t.seq) { // the killer dropped it, with the sink's queue
			if t.lane.Exited() { // or its handler, exiting after failures
				return ErrHandlerExited
			}
			return ErrSinkStopped
		}
	}
	return nil
}

// mailboxEvents returns the messages in the actor's mailbox, less the drain
// messages sent to the current incarnation (their events are counted in
// the inbox).
func (s *Sink) mailboxEvents() int {
	n := s.Queue.Len()
	if life := s.life.Load(); life != nil {
		n -= int(life.drains.Load())
	}
	return max(n, 0)
}

// aheadFormat is a formatter the callers run for handlers that write
// lines, for the levels those handlers take.
type aheadFormat struct {
	f    formatter.Formatter
	mask core.Mask
}

// lineBuffer returns memory for e's lines: its line room, or a new buffer.
func lineBuffer(e *core.Event) []byte {
	if buf := e.LineRoom(); buf != nil {
		return buf
	}
	return make([]byte, 0, aheadLine)
}

// aheadLine is room for most lines, allocated once for all of an event's.
const aheadLine = 256

// formatAhead formats e with each formatter whose handlers take its level,
// on the caller's goroutine; the handlers then copy the lines.
func formatAhead(e *core.Event, ahead []aheadFormat) {
	var buf []byte
	for _, a := range ahead {
		if !a.mask.Enabled(e.Level) {
			continue
		}
		if buf == nil {
			buf = lineBuffer(e)
		}
		start := len(buf)
		buf = formatter.Safe(a.f, buf, e)
		e.SetLine(a.f, buf[start:len(buf):len(buf)])
	}
}

func (s *Sink) logSync(e *core.Event, life *lifetime) error {
	ack := handleractor.NewAck()
	if !s.put(e, ack) {
		return ErrDropped
	}
	t := time.NewTimer(s.th.Load().SyncTimeout)
	defer t.Stop()
	select {
	case <-ack.Wait():
		if ack.Failed() {
			return ErrHandlerExited
		}
		return nil
	case <-life.died:
		return ErrSinkStopped
	case <-t.C:
		return ErrSyncTimeout
	}
}

// deliver puts a report of the sink's own, or of one of its handlers, in
// the sink's inbox whatever the mode, so that a warning about discarding
// is not discarded. It goes the way of the events logged before it, is
// counted with the queue (and by a killer, exactly), and one made while
// no incarnation runs waits for the next one; once the sink is closed it
// is counted as dropped.
func (s *Sink) deliver(e *core.Event) {
	if s.closed.Load() {
		s.drops.Closed.Add(1)
		return
	}
	s.put(e, nil)
}

// recompute sets the mode from the queue length, reports entering and
// leaving discard mode, and runs the killer. Callers, the sink's actor,
// its handlers and a timer all call it; the mode changes by
// compare-and-swap, so each transition is reported once.
func (s *Sink) recompute() int {
	th := s.th.Load()
	q := s.QueueLen()
	cur := Mode(s.mode.Load())
	if next := nextMode(cur, q, th); next != cur && s.mode.CompareAndSwap(int32(cur), int32(next)) {
		s.transition(cur, next, q, th)
	}
	if th.KillerHWM > 0 && q > th.KillerHWM {
		s.kill(q, th)
	}
	return q
}

func (s *Sink) transition(from, to Mode, q int, th *Thresholds) {
	switch {
	case to == Discard:
		s.lastWarn.Store(time.Now().UnixNano())
		s.warn(core.LevelWarning, fmt.Sprintf("sink %s: attempted to log %d messages, which is above discard_threshold (%d): new events are dropped",
			s.name, q, th.DiscardThreshold), q, th, -1)
	case from == Discard:
		msg := fmt.Sprintf("sink %s: attempted to log %d messages, which is below discard_threshold (%d) again", s.name, q, th.DiscardThreshold)
		if n := s.unreported(); n > 0 {
			s.warn(core.LevelWarning, msg+fmt.Sprintf("; %d events were dropped", n), q, th, n)
		} else {
			// Every drop was reported already, or none was made: a
			// notice that it is over, with no count of zero.
			s.warn(core.LevelNotice, msg, q, th, -1)
		}
	}
}

// unreported returns the drops not reported yet, and marks them reported.
func (s *Sink) unreported() int64 {
	now := s.drops.Discarded.Load()
	return now - s.reported.Swap(now)
}

// tick is the periodic check (every DiscardCheckInterval): recompute,
// repeat the discard warning while discard mode lasts and events are
// dropped, and report drops counted after the last report (by callers
// that saw discard mode just as it ended). No warning counts zero drops.
func (s *Sink) tick(now time.Time) {
	s.recompute()
	th := s.th.Load()
	q := s.QueueLen()
	if s.Mode() != Discard {
		if n := s.unreported(); n > 0 {
			s.warn(core.LevelWarning, fmt.Sprintf("sink %s: %d more events were dropped as discard mode ended", s.name, n), q, th, n)
		}
		return
	}
	if now.UnixNano()-s.lastWarn.Load() < int64(th.DiscardCheckInterval) || s.drops.Discarded.Load() == s.reported.Load() {
		return // not due, or nothing dropped since the last report
	}
	s.lastWarn.Store(now.UnixNano())
	n := s.unreported()
	s.warn(core.LevelWarning, fmt.Sprintf("sink %s: attempted to log %d messages, which is above discard_threshold (%d): %d events dropped since the last report",
		s.name, q, th.DiscardThreshold, n), q, th, n)
}

// warn delivers one of the sink's overload warnings; one that reports
// drops (dropped >= 0) carries their count (see ReportedDrops).
func (s *Sink) warn(level core.Level, msg string, q int, th *Thresholds, dropped int64) {
	attrs := []slog.Attr{slog.String("sink", s.name), slog.Int("queue", q), slog.Int("discard_threshold", th.DiscardThreshold)}
	if dropped >= 0 {
		attrs = append(attrs, slog.Int64(droppedKey, dropped))
	}
	s.deliver(&core.Event{Time: time.Now(), Level: level, Message: msg, Sink: s.name, Attrs: attrs})
}

// droppedKey is the key of the drop count in a sink's drop reports.
const droppedKey = "dropped"

// ReportedDrops returns the number of events that e, one of a sink's
// overload warnings, reports dropped: those discarded since the report
// before it, so that the sum over a sink's reports is its Drops().Discarded
// once discard mode has ended and been reported. ok is false for any
// other event, and for the warning on entering discard mode, which
// reports no count yet.
func ReportedDrops(e *core.Event) (n int64, ok bool) {
	if len(e.Attrs) != 4 || e.Attrs[0].Key != "sink" || e.Attrs[2].Key != "discard_threshold" {
		return 0, false
	}
	if a := e.Attrs[3]; a.Key == droppedKey && a.Value.Kind() == slog.KindInt64 {
		return a.Value.Int64(), true
	}
	return 0, false
}

// kill is lager's killer: the sink's actor is stopped at once (its queued
// events, and its handlers', are discarded and counted), its supervisor
// starts it again empty, and the handlers come back after
// KillerReinstallAfter, when each of them gets the report of the kill.
func (s *Sink) kill(q int, th *Thresholds) {
	now := time.Now()
	if now.UnixNano() < s.killerArmed.Load() || !s.killing.CompareAndSwap(false, true) {
		return
	}
	life := s.life.Load()
	if life == nil {
		s.killing.Store(false)
		return
	}
	// The events queued are the inbox's and the handlers'. The actor's
	// mailbox holds requests and the sink's own messages, which are not
	// events: the queue's length counts them, as lager's mailbox length
	// does, but the killer does not count them as dropped events.
	inboxed := s.in.len()
	s.inboxKilled.Store(int64(inboxed))
	discarded := inboxed
	if hs := s.handlerQueues.Load(); hs != nil {
		for _, h := range *hs {
			discarded += h.CountKilled() // dropped as the sink stops
		}
	}
	back := now.Add(th.KillerReinstallAfter)
	s.kills.Add(1)
	s.drops.Killed.Add(int64(discarded))
	s.killerArmed.Store(back.UnixNano())
	s.reinstallAt.Store(back.UnixNano())
	k := &killed{at: now, queue: q, hwm: th.KillerHWM, back: back}
	k.discarded.Store(int64(discarded))
	s.lastKill.Store(k)
	s.system.Root.Stop(life.pid)
}

// killed is a kill, reported to the handlers when they are back.
type killed struct {
	at, back   time.Time
	queue, hwm int
	// discarded is what the killer counted, corrected by the stopping
	// incarnation once it has dropped the queues (settleKilled).
	discarded atomic.Int64
}

// settleKilled corrects the count of the last kill by n (below zero when
// fewer events were dropped than the killer counted): the sink's Killed
// drops and the kill's report say the same.
func (s *Sink) settleKilled(n int64) {
	if n == 0 {
		return
	}
	s.drops.Killed.Add(n)
	if k := s.lastKill.Load(); k != nil {
		k.discarded.Add(n)
	}
}

// report is the event that tells the handlers back after the kill what
// happened.
func (k *killed) report(sink string) *core.Event {
	n := k.discarded.Load()
	return &core.Event{Time: k.at, Level: core.LevelError, Sink: sink,
		Message: fmt.Sprintf("sink %s killed: %d events queued, above killer_hwm (%d); %d events discarded; handlers back at %s",
			sink, k.queue, k.hwm, n, k.back.Format("15:04:05.000")),
		Attrs: []slog.Attr{slog.String("sink", sink), slog.Int("queue", k.queue), slog.Int("killer_hwm", k.hwm),
			slog.Int64("discarded", n), slog.Time("reinstall_at", k.back)}}
}

var stderrFormat = &formatter.Lager{}

func (s *Sink) toStderr(e *core.Event) {
	line := formatter.Safe(stderrFormat, []byte("actorlog["+s.name+"] "), e)
	s.fallbackMu.Lock()
	defer s.fallbackMu.Unlock()
	_, _ = os.Stderr.Write(line)
}

// Fallback makes every later event go to standard error (counted as
// NotRunning): what a System does when its supervision tree has given up.
func (s *Sink) Fallback() { s.fallback.Store(true) }

// Close makes the sink refuse new events (counted as Closed), before a
// shutdown drains it, and lets its actor's worker goroutine end.
func (s *Sink) Close() {
	s.closed.Store(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.worker != nil {
		// The actor's goroutine ends once its queue is empty; the actor
		// runs on goroutines of its own from then on, until it stops.
		s.worker.Close()
	}
}

// Options tune a sink's actor.
type Options struct {
	// HandlerIntensity and HandlerPeriod bound the in-place restarts of a
	// handler that panics: more than HandlerIntensity within HandlerPeriod
	// and the handler is removed, and its watcher reports it and installs
	// it again. Zero means 5 in 10 s.
	HandlerIntensity int
	HandlerPeriod    time.Duration
	// DrainTimeout bounds how long a stopping sink waits for each handler
	// to handle its queued events before stopping it at once. Zero means
	// 5 s.
	DrainTimeout time.Duration
	// CustomAnswerTimeout bounds how long Flush waits for a custom handler
	// actor's Flushed: past it, the actor is reported (a warning in the
	// sink naming it) and Flush's error names it (ErrNoAnswer). Zero
	// means 5 s.
	CustomAnswerTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.HandlerIntensity <= 0 {
		o.HandlerIntensity = 5
	}
	if o.HandlerPeriod <= 0 {
		o.HandlerPeriod = 10 * time.Second
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = 5 * time.Second
	}
	if o.CustomAnswerTimeout <= 0 {
		o.CustomAnswerTimeout = 5 * time.Second
	}
	return o
}

// Props returns the Props of the sink's actor, for a supervisor's child
// spec.
func (s *Sink) Props(opts Options) *actor.Props {
	opts = opts.withDefaults()
	s.mu.Lock()
	if s.worker == nil {
		s.worker = actors.NewWorker(300)
	}
	w := s.worker
	s.mu.Unlock()
	s.customWait.Store(int64(opts.CustomAnswerTimeout))
	return actor.PropsFromProducer(func() actor.Actor { return newManager(s, opts) },
		actor.WithMailbox(s.Queue.Mailbox(nil)), actor.WithDispatcher(w))
}
