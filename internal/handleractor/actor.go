package handleractor

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/internal/own"
	"github.com/asynkron/protoactor-go/actor"
)

// Messages between a sink and its handler actors, beside *core.Event and
// the contract's handlers.Flush and handlers.Flushed (all a custom handler
// actor knows).
type (
	// Configure asks a handler actor to take a new config; it answers
	// Configured. With Mode handlers.Set, Config replaces the config (ID
	// excepted); with Mode handlers.Update, Update changes a copy of the
	// config in force. A Configure with neither changes nothing and reads
	// the config back.
	Configure struct {
		Mode   handlers.ChangeMode
		Config handlers.Config
		Update func(*handlers.Config)
	}
	// Configured answers Configure with the config in force (as
	// handlers.ConfigFilterer shows it), its level mask, and the error
	// that refused the change, if any.
	Configured struct {
		Config handlers.Config
		Mask   core.Mask
		Err    error
		// Line and Lane are as in Installed, for the config in force.
		Line formatter.Formatter
		Lane func(*core.Event) bool
	}
	// Batch is events for a handler in one message, in order: what a sink
	// sends while events arrive faster than one at a time. Each is
	// handled as if it came alone. Acks are those of callers waiting in
	// sync mode for some of the events; each gets its Done once the whole
	// batch was handled.
	Batch struct {
		Events []*core.Event
		Acks   []*Ack
	}
	// Rotate asks a handler to rotate its output now (see
	// handlers.Rotatable); it answers Rotated.
	Rotate struct{}
	// Rotated answers Rotate; Err is errors.ErrUnsupported for a handler
	// that is not handlers.Rotatable.
	Rotated struct{ Err error }
	// Reopen asks a handler to reopen its output (see handlers.Reopener);
	// it answers Reopened.
	Reopen struct{}
	// Reopened answers Reopen; Err is errors.ErrUnsupported for a handler
	// that is not a handlers.Reopener.
	Reopened struct{ Err error }
	// Installed is what a handler actor tells its owner (the sink) after
	// running Add at its start or restart: Err is nil, handlers.ErrIgnore,
	// a handlers.Fatal error or another error. After an error the owner stops the actor.
	Installed struct {
		ID      string
		Err     error
		Restart bool
		// Line is the formatter the sink may run ahead, on the callers'
		// goroutines, for this handler (see handlers.LineWriter); nil if
		// none.
		Line formatter.Formatter
		// Lane, when not nil, says that the handler takes lines in its
		// lane (Stats.Lane) for the events Lane accepts — its level and
		// filters, which the callers then apply.
		Lane func(*core.Event) bool
	}
)

// Stats are a handler's counters, read by Status while the handler runs.
type Stats struct {
	// Handled counts events given to Log, Errors those for which Log
	// returned an error, FilterPanics the filters that panicked, Restarts
	// the handler's restarts, and Dropped the events its HighWaterMark
	// dropped.
	Handled, Errors, FilterPanics, Restarts, Dropped atomic.Int64
	// LastError is the last error returned by Log or handlers.Flush.
	LastError atomic.Pointer[error]
	// Queue reads the handler's mailbox length.
	Queue actors.Gauge
	// Pending counts events the sink batched for the handler that it has
	// not handled yet (for a custom actor: the events the sink sent it
	// that it has not taken), Batches the Batch messages in its mailbox,
	// and Filled the LaneFilled messages.
	Pending, Batches, Filled atomic.Int64
	// Lane holds the lines callers formatted for the handler.
	Lane Lane
	// Settle, when not nil, is told by the handler's actor as it stops
	// after a killer counted its mailbox (CountKilled) how many more of
	// those events it drops than were counted, or fewer (below zero):
	// events it was handling when the killer struck are handled all the
	// same, and batches the sink sent since are dropped.
	Settle func(n int)
	// Report, when not nil, is where the handler's actor sends what its
	// handlers.Handler reports (handlers.Config.Report): its sink's inbox,
	// where a report is counted with the sink's queue and waits for the sink's next
	// incarnation if there is none. Nil sends reports to the actor's
	// parent.
	Report func(*core.Event)
	// Exited counts the events the handler's actor dropped as it exited
	// (see Exit).
	Exited atomic.Int64
	// Lost, when not nil, is told each time the handler's actor drops
	// events as it exits (see Exit), how many.
	Lost func(n int)
	// killCounted is the mailbox's events a killer counted, plus one (0:
	// none counted since the handler started).
	killCounted atomic.Int64
	// exiting is set by Exit.
	exiting atomic.Bool
}

// Exit tells the handler's actor that it is taken out after failures (a
// panic past its restart intensity, an Add that failed after a restart):
// from the next message it takes on, it drops what it holds — its lane,
// the rest of a batch, and every event its mailbox holds — counted
// (Exited, Lost), gives the callers waiting for those events in sync mode
// a failed answer (Ack.Fail, Lane.Drop), answers handlers.Flush at once,
// and runs its handler's Remove. Its parent then stops it after its mailbox (a
// poison pill): the actor stops having left nothing uncounted.
func (s *Stats) Exit() { s.exiting.Store(true) }

// ExitCustom counts, as a custom handler actor that exits (Exit) stops,
// the events its sink sent it that it did not take (Pending); a sink calls
// it, since a custom actor has no runner to.
func (s *Stats) ExitCustom() {
	if s.exiting.Load() {
		s.lose(int(s.Pending.Swap(0)))
	}
}

// lose counts n events dropped as the handler exits.
func (s *Stats) lose(n int) {
	if n <= 0 {
		return
	}
	s.Exited.Add(int64(n))
	if s.Lost != nil {
		s.Lost(n)
	}
}

// Queued returns the events waiting for the handler: its mailbox, with
// each Batch counted by its events, and its lane's lines.
func (s *Stats) Queued() int {
	return max(s.inMailbox()+s.Lane.queued(), 0)
}

// CountKilled returns the events a killer drops with the handler: those
// waiting in its mailbox, and the lines of its lane that it has not taken
// (Lane.CountKilled, which this records for Lane.Kill). It records the
// mailbox's count for the handler's actor, which settles it (Settle) as it
// stops.
func (s *Stats) CountKilled() int {
	n := max(s.inMailbox(), 0)
	s.killCounted.Store(int64(n) + 1)
	return n + s.Lane.CountKilled()
}

// SettleKilled tells Settle, as the handler's actor stops, how many events
// of its mailbox it drops beyond those a killer counted (CountKilled); a
// handler actor of actorlog's calls it itself, and a sink calls it for a
// custom actor.
func (s *Stats) SettleKilled() {
	if counted := s.killCounted.Swap(0); counted > 0 && s.Settle != nil {
		if n := max(s.inMailbox(), 0) - int(counted-1); n != 0 {
			s.Settle(n)
		}
	}
}

// inMailbox returns the events waiting in the handler's mailbox, each
// Batch counted by its events, LaneFilled messages left out.
func (s *Stats) inMailbox() int {
	return s.Queue.Len() - int(s.Batches.Load()) - int(s.Filled.Load()) + int(s.Pending.Load())
}

func (s *Stats) fail(err error) {
	s.Errors.Add(1)
	s.LastError.Store(&err)
}

// Props returns the Props of an actor that runs h with cfg (which must
// have passed Check) and counts into stats. The actor reports Installed to
// owner (its parent when owner is nil) after Add, and calls handled (if
// not nil) after each event it took from its mailbox, so that its sink can
// follow its queue.
func Props(h handlers.Handler, cfg handlers.Config, stats *Stats, owner *actor.PID, handled func()) *actor.Props {
	state := newRunner(h, cfg, stats, handled)
	state.owner = owner
	state.worker = actors.NewWorker(300)
	return actor.PropsFromProducer(func() actor.Actor { return state },
		actor.WithMailbox(stats.Queue.Mailbox(nil)), actor.WithDispatcher(state.worker))
}

func newRunner(h handlers.Handler, cfg handlers.Config, stats *Stats, handled func()) *runner {
	r := &runner{h: h, cfg: cfg, stats: stats, handled: handled}
	r.waker, _ = h.(handlers.Waker)
	r.notify = func(c actor.Context, m *Installed) { c.Send(r.ownerOf(c), m) }
	return r
}

// ownerOf returns the actor the runner reports to: its owner, or its
// parent.
func (r *runner) ownerOf(c actor.Context) *actor.PID {
	if r.owner != nil {
		return r.owner
	}
	return c.Parent()
}

// runner is the handler actor. The same value serves every incarnation, so
// the config survives an in-place restart; the handler is removed and
// added again.
type runner struct {
	h       handlers.Handler
	cfg     handlers.Config
	stats   *Stats
	handled func()
	started bool
	added   bool
	shaper  Shaper
	timer   *time.Timer // reports the shaper's window when it ends
	notify  func(actor.Context, *Installed)
	owner   *actor.PID    // where Installed goes; nil: the parent
	carry   []*core.Event // a batch's events after one that panicked
	// lines and linesAt are a lane's page whose line linesAt-1 panicked:
	// the lines after it are written first after the restart.
	lines   Page
	linesAt int
	// carryAcks are the acks of the batch being handled: done after it,
	// or after its carry when an event panicked, or when the actor stops.
	carryAcks []*Ack
	exited    bool              // it dropped what it held after Stats.Exit
	worker    *actors.Worker    // its mailbox's goroutine, closed when it stops
	report    func(*core.Event) // where handlers.Config.Report goes; nil: the parent

	waker   handlers.Waker
	alarm   *time.Timer // fires at wakeAt
	wakeAt  time.Time
	wakeGen uint64 // tells a stale alarm from the current one
}

// shaperTick asks the runner to report a shaper window that ended.
type shaperTick struct{}

// wakeTick is the alarm of a handlers.Waker handler.
type wakeTick struct{ gen uint64 }

// Receive implements actor.Actor.
func (r *runner) Receive(c actor.Context) {
	if r.stats.exiting.Load() && r.exit(c) {
		return
	}
	switch c.Message().(type) {
	case *actor.Started, *actor.Stopping, *actor.Stopped, *actor.Restarting:
	default:
		// The lines callers put before whatever this is come first.
		r.takeLane(c)
	}
	switch m := c.Message().(type) {
	case LaneFilled:
		r.stats.Filled.Add(-1)
	case *core.Event:
		r.log(c, m, false)
		r.afterEvent(c)
	case *Batch:
		r.stats.Batches.Add(-1)
		r.carryAcks = m.Acks
		r.logBatch(c, m.Events)
	case *Sync:
		r.log(c, m.Event, m.Traced)
		if m.Ack != nil {
			m.Ack.Done()
		}
		r.afterEvent(c)
	case wakeTick:
		if m.gen == r.wakeGen && r.added {
			r.wakeAt = time.Time{}
			r.waker.Wake(time.Now(), &r.cfg)
			r.schedule(c)
		}
	case shaperTick:
		r.reportDrops(r.shaper.Close(time.Now()))
	case *actor.Started:
		restart := r.started
		r.started = true
		if restart {
			r.stats.Restarts.Add(1)
			r.remove()
		}
		report := r.report
		if report == nil {
			report = r.stats.Report
		}
		if report == nil {
			system, owner := c.ActorSystem(), r.ownerOf(c)
			report = func(e *core.Event) { system.Root.Send(owner, e) }
		}
		r.cfg.SetReport(report)
		// The owner stops this actor if Add failed.
		err := r.add()
		r.notify(c, &Installed{ID: r.cfg.ID, Err: err, Restart: restart, Line: r.cfg.LineFormatter(r.h),
			Lane: laneFilter(r.h, &r.cfg, r.stats)})
		r.schedule(c)
		if rest := r.carry; len(rest) > 0 && err == nil {
			// What followed the event that panicked in a batch: first.
			r.logBatch(c, rest)
		}
		r.releaseAcks()
		if err == nil {
			if p, at := r.lines, r.linesAt; p.Marks != nil {
				// What followed the line that panicked, then the lane.
				r.lines, r.linesAt = Page{}, 0
				r.writeLines(c, p, at)
			}
			r.takeLane(c)
		}
	case *actor.Stopped:
		if r.worker != nil {
			r.worker.Close()
		}
	case *actor.Stopping:
		r.stats.SettleKilled() // what its mailbox holds now is dropped
		r.releaseAcks()        // callers waiting for a carried batch go on
		r.closeLane(c)
		if r.timer != nil {
			r.timer.Stop()
		}
		r.disarm()
		r.reportDrops(r.shaper.Close(time.Now().Add(ShaperWindow)))
		r.remove()
	case handlers.Flush:
		var err error
		if f, ok := r.h.(handlers.Flusher); ok && r.added {
			if err = f.Flush(); err != nil {
				r.stats.fail(err)
			}
		}
		c.Respond(handlers.Flushed{Err: err})
		r.schedule(c)
	case Configure:
		c.Respond(r.configure(m))
		r.schedule(c)
	case Rotate:
		err := errors.ErrUnsupported
		if h, ok := r.h.(handlers.Rotatable); ok && r.added {
			err = h.Rotate(time.Now(), &r.cfg)
		}
		c.Respond(Rotated{Err: err})
		r.schedule(c)
	case Reopen:
		err := errors.ErrUnsupported
		if h, ok := r.h.(handlers.Reopener); ok && r.added {
			err = h.Reopen(time.Now(), &r.cfg)
		}
		c.Respond(Reopened{Err: err})
		r.schedule(c)
	}
}

// exit handles a message after Stats.Exit: the first drops what the actor
// holds, and the events each message carries are dropped, counted, their
// callers told. It returns false for the messages handled as usual: the
// actor's own (Stopping drops nothing more, its lane closed), and timers.
func (r *runner) exit(c actor.Context) bool {
	if !r.exited {
		r.exited = true
		// The rest of a batch cut by a panic, and its callers.
		r.stats.Pending.Add(-int64(len(r.carry)))
		lost := len(r.carry)
		for _, a := range r.carryAcks {
			a.Fail()
		}
		r.carry, r.carryAcks = nil, nil
		if r.lines.Marks != nil { // a page cut by a panic
			left := len(r.lines.Marks) - r.linesAt
			r.stats.Lane.finish(left)
			lost += left
			r.lines, r.linesAt = Page{}, 0
		}
		lost += r.stats.Lane.Drop()
		r.stats.lose(lost)
		r.remove()
	}
	switch m := c.Message().(type) {
	case *core.Event:
		r.stats.lose(1)
	case *Sync:
		if m.Ack != nil {
			m.Ack.Fail()
		}
		r.stats.lose(1)
	case *Batch:
		r.stats.Batches.Add(-1)
		r.stats.Pending.Add(-int64(len(m.Events)))
		for _, a := range m.Acks {
			a.Fail()
		}
		r.stats.lose(len(m.Events))
	case LaneFilled:
		r.stats.Filled.Add(-1)
	case handlers.Flush:
		c.Respond(handlers.Flushed{})
	case Configure:
		c.Respond(r.configured(ErrExited))
	case Rotate:
		c.Respond(Rotated{Err: ErrExited})
	case Reopen:
		c.Respond(Reopened{Err: ErrExited})
	default:
		return false
	}
	return true
}

// ErrExited answers a request to a handler taken out after failures (see
// Stats.Exit).
var ErrExited = errors.New("handlers: the handler exited after failures")

// logBatch handles a batch's events in order. If one panics, the panic is
// reported as that event's (its crash report names the event, not the
// batch), and the events after it are kept in carry, handled first when
// the handler is restarted: only the poisoning event is lost, as when
// events come one by one.
//
// Pending goes down by pendingStep events at a time, not one by one: the
// sink's callers read it at every call, and each write costs them a cache
// miss. It reads at most pendingStep-1 high meanwhile.
func (r *runner) logBatch(c actor.Context, events []*core.Event) {
	handled := 0 // taken out of Pending
	defer func() {
		if r.carry != nil { // an event panicked: it is out, its followers are not
			r.stats.Pending.Add(int64(handled - len(events) + len(r.carry)))
		}
	}()
	for i, e := range events {
		r.carry = events[i+1:]
		if i-handled >= pendingStep-1 {
			r.stats.Pending.Add(int64(handled - i - 1))
			handled = i + 1
		}
		r.logReporting(c, e)
	}
	r.carry = nil
	// Before the mode is recomputed (afterEvent), not after.
	r.stats.Pending.Add(int64(handled - len(events)))
	r.releaseAcks()
	// Once per batch: the alarm and the sink's mode follow the batch.
	r.afterEvent(c)
}

// pendingStep is how many handled events a batch takes out of
// Stats.Pending at once.
const pendingStep = 4

// releaseAcks tells the callers waiting for the batch's events that this
// handler is done with them.
func (r *runner) releaseAcks() {
	for _, a := range r.carryAcks {
		a.Done()
	}
	r.carryAcks = nil
}

func (r *runner) logReporting(c actor.Context, e *core.Event) {
	defer func() {
		if p := recover(); p != nil {
			panic(actors.Report(c, &actor.MessageEnvelope{Message: e}, p))
		}
	}()
	r.log(c, e, false)
}

func (r *runner) afterEvent(c actor.Context) {
	if r.waker != nil {
		r.schedule(c)
	}
	if r.handled != nil {
		r.handled()
	}
}

// schedule sets the alarm to the Waker's NextWake, if that changed.
func (r *runner) schedule(c actor.Context) {
	if r.waker == nil {
		return
	}
	next := time.Time{}
	if r.added {
		next = r.waker.NextWake()
	}
	if next.Equal(r.wakeAt) {
		return
	}
	r.disarm()
	if next.IsZero() {
		return
	}
	r.wakeAt = next
	gen, system, self := r.wakeGen, c.ActorSystem(), c.Self()
	r.alarm = time.AfterFunc(time.Until(next), func() { system.Root.Send(self, wakeTick{gen: gen}) })
}

func (r *runner) disarm() {
	r.wakeGen++
	r.wakeAt = time.Time{}
	if r.alarm != nil {
		r.alarm.Stop()
		r.alarm = nil
	}
}

func (r *runner) log(c actor.Context, e *core.Event, traced bool) {
	if !r.added {
		return
	}
	if !traced {
		ok, panics := r.cfg.Accepts(e)
		if panics > 0 {
			r.stats.FilterPanics.Add(int64(panics))
		}
		if !ok {
			return
		}
	}
	if r.cfg.HighWaterMark > 0 || r.shaper.HWM > 0 { // no clock read per event without a limit
		r.shaper.HWM = r.cfg.HighWaterMark
		pass, closed := r.shaper.Allow(time.Now())
		r.reportDrops(closed)
		if !pass {
			r.stats.Dropped.Add(1)
			if r.timer == nil {
				// Report when the window ends, even if no event comes then.
				system, self := c.ActorSystem(), c.Self()
				r.timer = time.AfterFunc(time.Until(r.shaper.WindowEnd()), func() { system.Root.Send(self, shaperTick{}) })
			}
			return
		}
	}
	r.stats.Handled.Add(1)
	if err := r.h.Log(e, &r.cfg); err != nil {
		r.stats.fail(err)
	}
}

// reportDrops writes lager's drop report straight into the handler (past
// its level and filters, as lager writes it into the file), never for 0.
func (r *runner) reportDrops(n int) {
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	if n == 0 || !r.added {
		return
	}
	e := &core.Event{
		Time:  time.Now(),
		Level: core.LevelWarning,
		Message: fmt.Sprintf("handler %s dropped %d messages in the last second that exceeded the limit of %d messages/sec",
			r.cfg.ID, n, r.cfg.HighWaterMark),
		Attrs: []slog.Attr{slog.String("handler", r.cfg.ID), slog.Int("dropped", n), slog.Int("high_water_mark", r.cfg.HighWaterMark)},
	}
	if err := r.h.Log(e, &r.cfg); err != nil {
		r.stats.fail(err)
	}
}

func (r *runner) add() error {
	if a, ok := r.h.(handlers.Adder); ok {
		if err := a.Add(&r.cfg); err != nil {
			return err
		}
	}
	r.added = true
	return nil
}

func (r *runner) remove() {
	if !r.added {
		return
	}
	r.added = false
	if rm, ok := r.h.(handlers.Remover); ok {
		if err := rm.Remove(); err != nil {
			r.stats.fail(err)
		}
	}
}

func (r *runner) configure(m Configure) Configured {
	if m.Mode == handlers.Update && m.Update == nil {
		return r.configured(nil)
	}
	next := m.Config
	if m.Mode == handlers.Update {
		next = r.cfg
		next.Filters = append([]handlers.Filter(nil), r.cfg.Filters...)
		m.Update(&next)
	}
	next.Inherit(&r.cfg)
	if err := next.Check(); err != nil {
		return r.configured(err)
	}
	if ch, ok := r.h.(handlers.Changer); ok {
		changed, err := ch.Change(m.Mode, r.cfg, next)
		if err != nil {
			return r.configured(err)
		}
		changed.Inherit(&r.cfg)
		if err := changed.Check(); err != nil {
			return r.configured(err)
		}
		next = changed
	}
	r.cfg = next
	return r.configured(nil)
}

// configured answers Configure with the config in force and err.
func (r *runner) configured(err error) Configured {
	return Configured{Config: r.filtered(), Mask: r.cfg.Mask(), Err: err,
		Line: r.cfg.LineFormatter(r.h), Lane: laneFilter(r.h, &r.cfg, r.stats)}
}

// laneFilter returns, for a handler h whose events may reach it as lines
// in its lane (see Lane), what decides which events it takes: its level,
// filters and FilterDefault as cfg has them now, counting the filters that
// panic into stats. It runs on the logging callers' goroutines, on events
// their callers reuse once formatted. It returns nil unless h is a Console
// or a File that writes lines and runs nothing but actorlog's code under
// cfg — a formatter of package formatter's, no filter but actorlog's own
// (the translator's, remote's origin filter) — and has no HighWaterMark
// (which counts the events it handles as they come): any code of the
// user's may keep any event.
func laneFilter(h handlers.Handler, cfg *handlers.Config, stats *Stats) func(*core.Event) bool {
	switch h.(type) {
	case *handlers.Console, *handlers.File:
	default:
		return nil
	}
	// LineFormatter is nil unless h writes lines now; Own is true only
	// for a pointer.
	if f := cfg.LineFormatter(h); f == nil || !formatter.Own(f) || cfg.HighWaterMark > 0 ||
		slices.ContainsFunc(cfg.Filters, func(f handlers.Filter) bool { return !own.Filter(f.Fn) }) {
		return nil
	}
	snap := *cfg
	snap.Filters = slices.Clone(cfg.Filters)
	return func(e *core.Event) bool {
		ok, panics := snap.Accepts(e)
		if panics > 0 {
			stats.FilterPanics.Add(int64(panics))
		}
		return ok
	}
}

// takeLane writes the lines callers put in the handler's lane.
func (r *runner) takeLane(c actor.Context) {
	if r.stats.Lane.Len() == 0 {
		return
	}
	p := r.stats.Lane.take()
	if len(p.Marks) > 0 {
		r.writeLines(c, p, 0)
		r.afterEvent(c)
	}
}

// writeLines writes the lines of page p from line from on, as LogLine
// would the events' lines. If one panics, the lines after it are kept for
// after the restart (lines): only the line that panicked is lost, as with
// a batch's events.
func (r *runner) writeLines(c actor.Context, p Page, from int) {
	ll, ok := r.h.(lineLogger)
	i := from
	defer func() {
		written := i - from
		if i < len(p.Marks) { // line i panicked: it is out
			written++
			r.lines, r.linesAt = p, i+1
		}
		r.stats.Handled.Add(int64(written))
		r.stats.Lane.done(p, written, i == len(p.Marks))
	}()
	if !ok || !r.added {
		r.stats.Dropped.Add(int64(len(p.Marks) - from))
		i = len(p.Marks)
		return
	}
	if pl, ok := ll.(pageLogger); ok && from == 0 && len(p.Marks) > 0 && pl.LogPage(p.Text, p.Marks[0].Time, p.Marks[len(p.Marks)-1].Time, p.Levels, &r.cfg) {
		i = len(p.Marks)
		return
	}
	for ; i < len(p.Marks); i++ {
		m := &p.Marks[i]
		if err := ll.LogLine(p.Line(i), m.Time, m.Level, &r.cfg); err != nil {
			r.stats.fail(err)
		}
	}
}

// closeLane closes the handler's lane as it stops and writes what it
// held; a panic then drops the rest of it, counted.
func (r *runner) closeLane(c actor.Context) {
	p := r.stats.Lane.close()
	r.dropCarriedLines() // a page cut by a panic: before the rest
	if len(p.Marks) == 0 {
		return
	}
	defer func() {
		if recover() != nil {
			r.dropCarriedLines()
		}
	}()
	r.writeLines(c, p, 0)
}

// dropCarriedLines drops, counted, the lines kept after one that panicked.
func (r *runner) dropCarriedLines() {
	if r.lines.Marks == nil {
		return
	}
	left := len(r.lines.Marks) - r.linesAt
	r.stats.Lane.finish(left)
	r.stats.Dropped.Add(int64(left))
	r.lines, r.linesAt = Page{}, 0
}

// filtered returns the config as it may be shown (handlers.ConfigFilterer).
func (r *runner) filtered() handlers.Config {
	if f, ok := r.h.(handlers.ConfigFilterer); ok {
		return f.FilterConfig(r.cfg)
	}
	return r.cfg
}
