package sinks

import (
	"context"
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
	"github.com/actorlog/actorlog/internal/mailbox"
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
// that outlives its actor's restarts. Logging calls read its level mask
// with one atomic load, and its road — the snapshot its actor publishes —
// with another; everything else goes through the actor.
type Sink struct {
	name   string
	system *actor.ActorSystem

	// mask and road are the actor's to write (publish): the levels some
	// handler, trace or awaited handler takes, and what callers need to
	// hand an event to the handlers. road is nil while no incarnation runs.
	mask atomic.Uint32
	road atomic.Pointer[road]
	// mode is the overload mode, the actor's to write.
	mode atomic.Int32
	// checking: a check was sent to the actor and not handled yet.
	checking atomic.Bool

	th     atomic.Pointer[Thresholds]
	life   atomic.Pointer[lifetime]
	closed atomic.Bool

	// worker runs the sink's actor, every incarnation (see actors.Worker);
	// Close ends it.
	worker *actors.Worker

	// traces are the sink's traces, kept outside its actor so that they
	// survive its restarts; traceMu orders their changes.
	traces   atomic.Pointer[[]*traceEntry]
	traceMu  sync.Mutex
	traceSeq uint64

	drops Drops
	// reported is drops.Discarded as far as the warnings have reported it,
	// and lastWarn the unix ns of the last discard warning: the actor's.
	reported atomic.Int64
	lastWarn atomic.Int64

	kills       atomic.Int64
	killing     atomic.Bool            // the actor's: it killed itself and is stopping
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

// road is what callers need to hand an event to the handlers, published
// by the sink's actor whenever it changes (a handler installed, changed or
// gone, a trace, a mode): one immutable value, read with one atomic load.
type road struct {
	life   *lifetime
	mode   Mode
	routes []route
	traces []*traceEntry
	// ahead are the formatters of the handlers that take events and
	// write lines, run by callers before they post an event (see
	// handlers.LineWriter).
	ahead []aheadFormat
	// awaited are the levels of the handlers awaited (awaited.go), by ID.
	awaited map[string]core.Mask
	// linesOnly: every handler takes lines, and no trace is set.
	linesOnly bool
	// th are the thresholds the marks below were computed from.
	th *Thresholds
	// up is the queue length from which a caller asks the actor to check
	// the mode (check), busy the one from which it yields its processor
	// (Thresholds.busy), and down the one below which a handler asks it.
	// waitAt is the length from which a caller (Log) waits for its event:
	// a caller follows the queue it finds as it posts, not only the mode
	// the actor decided last, so that callers neither outrun a decision to
	// go sync nor wait for one to go back to async. In async mode, one
	// past the mark that makes the mode sync; in sync mode, down.
	up, busy, down, waitAt int
}

// route is one ready handler as callers see it.
type route struct {
	id    string
	mask  core.Mask
	box   *mailbox.Mailbox
	stats *handleractor.Stats
	// line is the handler's formatter, when it writes lines; lines, when
	// not nil, takes its lines instead of events, for the events it
	// accepts (handleractor.Installed.Lines).
	line   formatter.Formatter
	lines  func(*core.Event) bool
	custom bool
}

// lifetime is one incarnation of the sink's actor: its PID, and a channel
// closed when it stops, which releases the callers waiting in sync mode.
type lifetime struct {
	pid  *actor.PID
	died chan struct{}
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
	// (handlers being installed again after a restart or a kill, or
	// stopping).
	NoHandler atomic.Int64
	// Killed: dropped from the sink's handlers' mailboxes when the killer
	// struck, or when a handler that would not drain in time was stopped;
	// counted per handler: an event two handlers held counts twice.
	Killed atomic.Int64
	// Exited: held by a handler that exited after failures (a panic past
	// its restart intensity, an Add that failed after a restart): what
	// its mailbox held.
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
// (LoggerBackends.configure); the sink's actor decides the mode with them
// before it returns (within 5 s).
func (s *Sink) SetThresholds(th Thresholds) error {
	th, err := th.WithDefaults()
	if err != nil {
		return fmt.Errorf("sinks: sink %q: %w", s.name, err)
	}
	// The field names the error starts with are what SetOverload reports.
	s.th.Store(&th)
	s.decideNow()
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
// sees it: the entries waiting in its slowest handler's mailbox — events,
// lines and requests posted and not yet handled, but for the one the
// handler is handling, as lager's gen_event mailbox length counts the
// messages waiting and not the one in hand — two atomic loads per
// handler.
func (s *Sink) QueueLen() int {
	r := s.road.Load()
	if r == nil {
		return 0
	}
	return r.queueLen()
}

func (r *road) queueLen() int {
	slowest := 0
	for i := range r.routes {
		slowest = max(slowest, r.routes[i].box.Len())
	}
	return slowest
}

// Log hands e to the sink as its mode says: in async mode it posts it to
// its handlers' mailboxes and returns; in sync mode it waits until every
// handler has handled it, the sink stops (ErrSinkStopped) or SyncTimeout
// passes (ErrSyncTimeout); in discard mode it drops it (ErrDropped). It
// never panics and never blocks beyond SyncTimeout. Every event not
// delivered is counted (Drops); one logged while the sink is not running
// also goes to standard error.
func (s *Sink) Log(e *core.Event) error { return s.log(e, true) }

// LogNoWait hands e to the sink without ever waiting: like Log, except that
// in sync mode it posts and returns. It is for reports made on goroutines
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
	r := s.road.Load()
	if r == nil || s.fallback.Load() {
		s.drops.NotRunning.Add(1)
		s.toStderr(e)
		return ErrDropped
	}
	if r.mode == Discard {
		s.drops.Discarded.Add(1)
		return ErrDropped
	}
	var room [4]ticket
	tickets, most, ok := s.post(r, e, room[:0])
	switch {
	case !ok:
		return ErrDropped
	case !wait:
		return nil
	case most >= r.waitAt:
		// In sync mode, or past the async threshold while the sink's
		// actor is still to decide it: the caller waits for its event.
		return s.wait(tickets, r.life)
	}
	return nil
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

// ticket is an entry posted to a handler's mailbox that a caller in sync
// mode waits for.
type ticket struct {
	box *mailbox.Mailbox
	seq uint64
}

// How a route takes an event (post).
const (
	takesNot = iota
	takesLine
	takesEvent
	takesTraced
)

// post hands e to every handler of r that takes it — by its level and
// filters, or fed by a trace — straight into their mailboxes: a line
// formatted here for a handler that takes lines, e itself for any other.
// Once posted, e is immutable and anyone may keep it; when only lines were
// posted its memory is reused at once. An event that no handler takes and
// that only handlers awaited would is counted as NoHandler, as is one
// whose handlers all closed their mailboxes meanwhile (stopping, killed).
// When tickets is not nil, it returns them with a ticket for each entry
// posted to a handler that is not a custom actor, to wait for (wait); most
// is the longest of the mailboxes it posted to, as it found them, and ok
// is false when e was counted as NoHandler.
//
// A caller that finds a mailbox at the road's up mark asks the sink's
// actor to check the mode (check); one that finds it past busy, or that a
// mailbox tells to yield, lets the handlers' goroutines run.
func (s *Sink) post(r *road, e *core.Event, tickets []ticket) (_ []ticket, most int, ok bool) {
	if r.linesOnly {
		return s.postLines(r, e, tickets)
	}
	var fed, silenced []string
	if len(r.traces) > 0 {
		fed, silenced = traced(r.traces, e)
	}
	var room [8]uint8
	takes := room[:0]
	events := false
	for i := range r.routes {
		rt := &r.routes[i]
		how := takesNot
		switch byTrace, ok := routes(rt.id, rt.mask, e.Level, fed, silenced); {
		case !ok:
		case byTrace:
			how = takesTraced
		case rt.lines != nil:
			if rt.lines(e) {
				how = takesLine
			}
		default:
			how = takesEvent
		}
		takes = append(takes, uint8(how))
		events = events || how >= takesEvent
	}
	if events && len(r.ahead) > 0 {
		formatAhead(e, r.ahead) // before anyone else sees e
	}
	var buf []byte
	var last formatter.Formatter
	var line []byte
	posted, refused, yield := 0, 0, false
	for i, how := range takes {
		if how == takesNot {
			continue
		}
		rt := &r.routes[i]
		var seq uint64
		var waiting int
		var y, ok bool
		switch {
		case how == takesLine:
			if rt.line != last || line == nil {
				ahead := false
				if events { // formatted ahead, maybe
					line, ahead = e.Line(rt.line)
				}
				if !ahead {
					buf, line = appendLine(buf, rt.line, e)
				}
				last = rt.line
			}
			seq, waiting, y, ok = rt.box.PostLine(line, e.Time, e.Level, e.Home())
		case rt.custom:
			seq, waiting, y, ok = rt.box.Post(customEvent(e, how == takesTraced), e.Home())
		case how == takesTraced:
			seq, waiting, y, ok = rt.box.Post(handleractor.Traced{Event: e}, e.Home())
		default:
			seq, waiting, y, ok = rt.box.Post(e, e.Home())
		}
		if !ok {
			refused++
			continue
		}
		posted++
		most, yield = max(most, waiting), yield || y
		if tickets != nil && !rt.custom {
			tickets = append(tickets, ticket{box: rt.box, seq: seq})
		}
	}
	ok = s.posted(r, e.Level, posted, refused, most, yield, fed, silenced)
	if !events {
		e.Recycle() // the lines are the mailboxes' own copies: no one else saw e
	}
	return tickets, most, ok
}

// postLines is post for a road whose handlers all take lines, with no
// trace (road.linesOnly): one pass, and e is never handed on.
func (s *Sink) postLines(r *road, e *core.Event, tickets []ticket) (_ []ticket, most int, ok bool) {
	var buf, line []byte
	var last formatter.Formatter
	posted, refused, yield := 0, 0, false
	for i := range r.routes {
		rt := &r.routes[i]
		if !rt.mask.Enabled(e.Level) || !rt.lines(e) {
			continue
		}
		if rt.line != last || line == nil {
			buf, line = appendLine(buf, rt.line, e)
			last = rt.line
		}
		seq, waiting, y, in := rt.box.PostLine(line, e.Time, e.Level, e.Home())
		if !in {
			refused++
			continue
		}
		posted++
		most, yield = max(most, waiting), yield || y
		if tickets != nil {
			tickets = append(tickets, ticket{box: rt.box, seq: seq})
		}
	}
	ok = s.posted(r, e.Level, posted, refused, most, yield, nil, nil)
	e.Recycle() // the lines are the mailboxes' own copies: no one else saw e
	return tickets, most, ok
}

// posted ends a post of an event at level l: one no handler took, and
// that only handlers awaited would take (by their levels or fed by a
// trace), or whose handlers' mailboxes all refused it, is counted
// (NoHandler), and posted returns false; the actor is asked to check the
// mode when most crossed a mark, and the caller yields when its
// mailboxes ask it to.
func (s *Sink) posted(r *road, l core.Level, posted, refused, most int, yield bool, fed, silenced []string) bool {
	ok := true
	if posted == 0 && (refused > 0 || len(r.routes) == 0 || r.awaitedTakes(l, fed, silenced)) {
		// No handler to take it (they are being installed again after a
		// restart or a kill, or stopping), or only handlers still on their
		// way back want it: count it, never lose it silently.
		s.drops.NoHandler.Add(1)
		ok = false
	}
	if most >= r.up || most < r.down {
		s.check()
	}
	if most > r.busy || yield {
		runtime.Gosched()
	}
	return ok
}

// customEvent is what a custom handler actor's mailbox gets for e: e, in
// an envelope whose header tells the sink's filtering middleware that the
// sink sent it, and whether a trace did, which skips the actor's filters.
// The actor still receives a *core.Event. Each envelope has a header of
// its own, since a middleware of the user's may set others.
func customEvent(e *core.Event, byTrace bool) *actor.MessageEnvelope {
	v := "1"
	if byTrace {
		v = "trace"
	}
	return &actor.MessageEnvelope{Header: map[string]string{fromSink: v}, Message: e}
}

// wait waits, as Log does in sync mode, until the entries of tickets are
// handled, the sink stops or its killer drops them (ErrSinkStopped), a
// handler exits after failures (ErrHandlerExited), or SyncTimeout passes.
func (s *Sink) wait(tickets []ticket, life *lifetime) error {
	var timer *time.Timer // made when an entry is not handled yet: one for all
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for _, t := range tickets {
		for wake := t.box.Wake(t.seq); wake != nil; wake = t.box.Wake(t.seq) {
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
		if t.box.Dropped(t.seq) {
			if t.box.Exited() {
				return ErrHandlerExited
			}
			return ErrSinkStopped
		}
	}
	return nil
}

// aheadFormat is a formatter the callers run for handlers that take
// events and write lines, for the levels those handlers take.
type aheadFormat struct {
	f    formatter.Formatter
	mask core.Mask
}

// appendLine appends e formatted by f to buf, which is e's line room, or
// a new buffer, when nil; it returns buf grown and the line, capped so
// that a later append to buf never writes over it.
func appendLine(buf []byte, f formatter.Formatter, e *core.Event) (grown, line []byte) {
	if buf == nil {
		buf = lineBuffer(e)
	}
	start := len(buf)
	buf = formatter.Safe(f, buf, e)
	return buf, buf[start:len(buf):len(buf)]
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
		var line []byte
		buf, line = appendLine(buf, a.f, e)
		e.SetLine(a.f, line)
	}
}

// deliver hands the sink a report of its own, or of one of its handlers,
// whatever the mode, so that a warning about discarding is not discarded:
// it goes the way of the events logged before it, counted with the
// queues. One made while no incarnation runs goes to standard error,
// counted as NotRunning; once the sink is closed it is counted as Closed.
func (s *Sink) deliver(e *core.Event) {
	if s.closed.Load() {
		s.drops.Closed.Add(1)
		return
	}
	r := s.road.Load()
	if r == nil {
		s.drops.NotRunning.Add(1)
		s.toStderr(e)
		return
	}
	s.post(r, e, nil)
}

// check asks the sink's actor to decide the mode anew, unless a check is
// on its way already.
func (s *Sink) check() {
	if s.checking.Load() || !s.checking.CompareAndSwap(false, true) {
		return
	}
	if life := s.life.Load(); life != nil {
		s.system.Root.Send(life.pid, check{})
		return
	}
	s.checking.Store(false)
}

// decideNow has the sink's actor decide the mode, and publish its road,
// with the thresholds in force, and waits until it has (at most
// decideWait); a sink whose actor does not run decides as it starts.
func (s *Sink) decideNow() {
	if life := s.life.Load(); life != nil {
		ctx, cancel := context.WithTimeout(context.Background(), decideWait)
		defer cancel()
		_, _ = actors.Call(ctx, s.system, life.pid, check{})
	}
}

// decideWait bounds how long SetThresholds waits for the sink's actor.
const decideWait = 5 * time.Second

// handled is a handler's mailbox's Options.Handled: once the handler has
// taken entries, a sink out of async mode may go back.
func (s *Sink) handled(box *mailbox.Mailbox) {
	if r := s.road.Load(); r != nil && r.mode != Async && box.Len() < r.down && r.queueLen() < r.down {
		s.check()
	}
}

// check asks the sink's actor to decide the mode anew.
type check struct{}

// unreported returns the drops not reported yet, and marks them reported.
func (s *Sink) unreported() int64 {
	now := s.drops.Discarded.Load()
	return now - s.reported.Swap(now)
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

// killed is a kill, reported to the handlers when they are back.
type killed struct {
	at, back   time.Time
	queue, hwm int
	// discarded is what the killer dropped.
	discarded int64
}

// report is the event that tells the handlers back after the kill what
// happened.
func (k *killed) report(sink string) *core.Event {
	n := k.discarded
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
	return actor.PropsFromProducer(func() actor.Actor { return newManager(s, opts) }, actor.WithDispatcher(w))
}
