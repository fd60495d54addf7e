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
	"github.com/actorlog/actorlog/internal/mailbox"
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
		// Line and Lines are as in Installed, for the config in force.
		Line  formatter.Formatter
		Lines func(*core.Event) bool
	}
	// Traced is an event a trace sent: the handler takes it whatever its
	// level and filters say.
	Traced struct{ Event *core.Event }
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
	// a handlers.Fatal error or another error. After an error the owner
	// stops the actor.
	Installed struct {
		ID      string
		Err     error
		Restart bool
		// Line is the formatter the sink's callers may run ahead for this
		// handler (see handlers.LineWriter); nil if none.
		Line formatter.Formatter
		// Lines, when not nil, says that the handler takes lines
		// formatted with Line instead of events (mailbox.Mailbox.PostLine)
		// for the events Lines accepts: its level and filters, which the
		// callers then apply.
		Lines func(*core.Event) bool
	}
)

// Stats are a handler's counters and its mailbox, read by its sink while
// the handler runs.
type Stats struct {
	// Handled counts events given to Log, Errors those for which Log
	// returned an error, FilterPanics the filters that panicked, Restarts
	// the handler's restarts, and Dropped the events its HighWaterMark
	// dropped.
	Handled, Errors, FilterPanics, Restarts, Dropped atomic.Int64
	// LastError is the last error returned by Log or handlers.Flush.
	LastError atomic.Pointer[error]
	// Box is the handler actor's mailbox, its whole queue: set by Props
	// (or by a sink for a custom actor's).
	Box *mailbox.Mailbox
	// Report, when not nil, is where the handler's actor sends what its
	// handlers.Handler reports (handlers.Config.Report): its sink. Nil
	// sends reports to the actor's owner.
	Report func(*core.Event)
	// Exited counts the events the handler's mailbox held when it was
	// taken out after failures (see Exit).
	Exited atomic.Int64
	// Lost, when not nil, is told how many events Exit dropped.
	Lost func(n int)
}

// Queued returns the entries waiting in the handler's mailbox: events,
// lines and requests, one atomic load each.
func (s *Stats) Queued() int {
	if s.Box == nil {
		return 0
	}
	return s.Box.Len()
}

// IsEvent says whether a message of a handler's mailbox is an event:
// *core.Event, Traced, or an event a sink sent a custom actor.
func IsEvent(m any) bool {
	switch m := m.(type) {
	case *core.Event, Traced:
		return true
	case *actor.MessageEnvelope:
		_, ok := m.Message.(*core.Event)
		return ok && m.Sender == nil
	}
	return false
}

// Answer answers the requests among msgs, dropped from a handler's mailbox
// (mailbox.Mailbox.Kill or Drop), with err, and returns how many of msgs
// were events. A flush is answered as done: what it was to flush was
// dropped with it.
func Answer(system *actor.ActorSystem, msgs []any, err error) (events int) {
	for _, m := range msgs {
		if IsEvent(m) {
			events++
			continue
		}
		answer(system, m, err)
	}
	return events
}

// answer answers m, a request dropped or refused, with err.
func answer(system *actor.ActorSystem, m any, err error) {
	env, ok := m.(*actor.MessageEnvelope)
	if !ok || env.Sender == nil {
		return
	}
	var reply any
	switch env.Message.(type) {
	case handlers.Flush:
		reply = handlers.Flushed{}
	case Configure:
		reply = Configured{Err: err}
	case Rotate:
		reply = Rotated{Err: err}
	case Reopen:
		reply = Reopened{Err: err}
	default:
		return
	}
	system.Root.Send(env.Sender, reply)
}

// Exit takes a handler out after failures (a panic past its restart
// intensity, an Add that failed after a restart): its mailbox drops what
// it holds, counted (Exited, and the returned count), the callers waiting
// for those entries learn it (mailbox.Mailbox.Exited), and its requests
// are answered with ErrExited. The sink then stops the actor, which runs
// its handler's Remove.
func (s *Stats) Exit(system *actor.ActorSystem) {
	lines, msgs := s.Box.Drop()
	n := lines + Answer(system, msgs, ErrExited)
	s.Exited.Add(int64(n))
	if n > 0 && s.Lost != nil {
		s.Lost(n)
	}
}

// Kill drops what the handler's mailbox holds, for its sink's killer, and
// returns how many events and lines it dropped; its requests are answered
// with err. What the actor is handling now is still handled.
func (s *Stats) Kill(system *actor.ActorSystem, err error) int {
	lines, msgs := s.Box.Kill()
	return lines + Answer(system, msgs, err)
}

func (s *Stats) fail(err error) {
	s.Errors.Add(1)
	s.LastError.Store(&err)
}

// Props returns the Props of an actor that runs h with cfg (which must
// have passed Check) and counts into stats, whose Box it sets. The actor
// reports Installed to owner (its parent when owner is nil) after Add,
// and calls handled (if not nil) after each delivery it took from its
// mailbox, so that its sink can follow its queue.
func Props(h handlers.Handler, cfg handlers.Config, stats *Stats, owner *actor.PID, handled func()) *actor.Props {
	state := newRunner(h, cfg, stats)
	state.owner = owner
	state.worker = actors.NewWorker(300)
	return actor.PropsFromProducer(func() actor.Actor { return state },
		actor.WithMailbox(state.mailbox(handled)), actor.WithDispatcher(state.worker))
}

// mailbox makes the runner's mailbox, in its stats.
func (r *runner) mailbox(handled func()) actor.MailboxProducer {
	var system atomic.Pointer[actor.ActorSystem]
	r.system = &system
	r.stats.Box = mailbox.New(mailbox.Options{
		Batchable: func(m any) bool { _, ok := m.(*core.Event); return ok },
		Handled:   handled,
		Refused: func(m any) {
			if s := system.Load(); s != nil {
				answer(s, m, ErrStopped)
			}
		},
	})
	return r.stats.Box.Producer()
}

// ErrStopped answers a request that reached a handler actor after it
// stopped.
var ErrStopped = errors.New("handlers: the handler stopped")

func newRunner(h handlers.Handler, cfg handlers.Config, stats *Stats) *runner {
	r := &runner{h: h, cfg: cfg, stats: stats}
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
	started bool
	added   bool
	shaper  Shaper
	timer   *time.Timer // reports the shaper's window when it ends
	notify  func(actor.Context, *Installed)
	owner   *actor.PID                         // where Installed goes; nil: the parent
	worker  *actors.Worker                     // its mailbox's goroutine, closed when it stops
	report  func(*core.Event)                  // where handlers.Config.Report goes; nil: the parent
	system  *atomic.Pointer[actor.ActorSystem] // for the mailbox's refusals, once started

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
	switch m := c.Message().(type) {
	case *core.Event, Traced, *mailbox.Batch, *mailbox.Page:
		r.take(c, m)
	case wakeTick:
		if m.gen == r.wakeGen && r.added {
			r.wakeAt = time.Time{}
			r.waker.Wake(time.Now(), &r.cfg)
			r.schedule(c)
		}
	case shaperTick:
		r.reportDrops(r.shaper.Close(time.Now()))
	case *actor.Started:
		if r.system != nil {
			r.system.Store(c.ActorSystem())
		}
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
		// The owner stops this actor if Add failed; after a restart, the
		// handler is out at once (Exit): the events behind the one that
		// panicked are dropped, counted, not taken by a handler that was
		// not added.
		err := r.add()
		if restart && err != nil && r.stats.Box != nil {
			r.stats.Exit(c.ActorSystem())
		}
		r.notify(c, &Installed{ID: r.cfg.ID, Err: err, Restart: restart, Line: r.cfg.LineFormatter(r.h),
			Lines: linesFilter(r.h, &r.cfg, r.stats)})
		r.schedule(c)
	case *actor.Stopped:
		if r.worker != nil {
			r.worker.Close()
		}
	case *actor.Stopping:
		if r.stats.Box != nil {
			// What is left, written as it stops; requests answered.
			system := c.ActorSystem()
			r.stats.Box.Drain(func(m any) {
				switch m := m.(type) {
				case *core.Event, Traced, *mailbox.Batch, *mailbox.Page:
					r.take(c, m)
				default:
					answer(system, m, ErrStopped)
				}
			})
		}
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

// ErrExited answers a request to a handler taken out after failures (see
// Stats.Exit).
var ErrExited = errors.New("handlers: the handler exited after failures")

// take handles events from the mailbox: one, a traced one, a Batch of
// them, or a Page of lines. In a Batch or a Page, a panic is reported as
// its event's (its crash report names the event, not the batch), and the
// mailbox keeps the entries after it for after the restart (Done): only
// the poisoning event is lost, as when events come one by one.
func (r *runner) take(c actor.Context, m any) {
	switch m := m.(type) {
	case *core.Event:
		r.log(c, m, false)
	case Traced:
		r.log(c, m.Event, true)
	case *mailbox.Batch:
		for i, e := range m.Messages {
			m.Done = i + 1
			r.logReporting(c, e.(*core.Event))
		}
	case *mailbox.Page:
		r.writeLines(m)
	}
	r.afterEvent(c)
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
		Line: r.cfg.LineFormatter(r.h), Lines: linesFilter(r.h, &r.cfg, r.stats)}
}

// linesFilter returns, for a handler h whose events may reach it as lines
// (see Installed.Lines), what decides which events it takes: its level,
// filters and FilterDefault as cfg has them now, counting the filters that
// panic into stats. It runs on the logging callers' goroutines, on events
// their callers reuse once formatted. It returns nil unless h is a Console
// or a File that writes lines and runs nothing but actorlog's code under
// cfg — a formatter of package formatter's, no filter but actorlog's own
// (the translator's, remote's origin filter) — and has no HighWaterMark
// (which counts the events it handles as they come): any code of the
// user's may keep any event.
func linesFilter(h handlers.Handler, cfg *handlers.Config, stats *Stats) func(*core.Event) bool {
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

// writeLines writes the lines of page p, as LogLine would the events'
// lines: the whole page at once when the handler can (pageLogger), line
// by line otherwise. If a line panics, the mailbox keeps the lines after
// it for after the restart (Page.Done): only that line is lost.
func (r *runner) writeLines(p *mailbox.Page) {
	ll, ok := r.h.(lineLogger)
	if !ok || !r.added {
		r.stats.Dropped.Add(int64(len(p.Lines)))
		return
	}
	if len(p.Lines) == 0 {
		return
	}
	if pl, ok := ll.(pageLogger); ok {
		p.Done = 1 // a panic in it loses the first line; the rest come again
		if pl.LogPage(p.Text, p.Lines[0].Time, p.Lines[len(p.Lines)-1].Time, p.Levels, &r.cfg) {
			p.Done = len(p.Lines)
			r.stats.Handled.Add(int64(len(p.Lines)))
			return
		}
	}
	for i := range p.Lines {
		p.Done = i + 1
		l := &p.Lines[i]
		r.stats.Handled.Add(1)
		if err := ll.LogLine(p.Line(i), l.Time, l.Level, &r.cfg); err != nil {
			r.stats.fail(err)
		}
	}
}

// filtered returns the config as it may be shown (handlers.ConfigFilterer).
func (r *runner) filtered() handlers.Config {
	if f, ok := r.h.(handlers.ConfigFilterer); ok {
		return f.FilterConfig(r.cfg)
	}
	return r.cfg
}
