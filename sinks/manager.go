package sinks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/actorlog/actorlog/internal/mailbox"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// Messages a sink's actor answers (besides *core.Event).
type (
	// install asks for a handler to be installed; answered with an error
	// (nil when installed) once the handler's Add has run.
	install struct {
		spec    Spec
		watcher *actor.PID
	}
	// remove asks for a handler to be removed after it handled its queue;
	// answered with an error once it has stopped.
	remove struct{ id string }
	// lookup asks for a handler's PID; answered with handlerRef.
	lookup struct{ id string }
	// setMask tells the sink a handler's new level mask.
	setMask struct {
		id    string
		mask  core.Mask
		line  formatter.Formatter
		lines func(*core.Event) bool
	}
	// flushList asks for the handlers to flush, answered with
	// []handlerRef once every event received before it was passed on.
	flushList struct{}
	// statusReq asks for a SinkStatus.
	statusReq struct{}
)

type handlerRef struct {
	id     string
	pid    *actor.PID
	custom bool
	err    error
}

// Messages from a sink to a watcher.
type (
	// handlerExited: the handler was removed after a failure; dropped
	// counts the events it held then (handleractor.Stats.Exit).
	handlerExited struct {
		reason  error
		dropped int64
	}
	// handlerRemoved: the handler was removed on request.
	handlerRemoved struct{}
	// sinkStarted: the sink's actor (re)started; its handlers are gone.
	sinkStarted struct{}
)

// installed is the sink's record of one handler.
type installed struct {
	id       string
	pid      *actor.PID
	mask     core.Mask
	watcher  *actor.PID
	stats    *handleractor.Stats
	window   supervision.Window
	custom   bool
	ready    bool                   // Add succeeded
	waiting  *actor.PID             // who asked for the install, until it is answered
	removing *actor.PID             // who asked for the removal, until it is answered
	reason   error                  // why it is being taken out after a failure
	failed   bool                   // its Add failed; the installer was answered
	line     formatter.Formatter    // its formatter, when it writes lines (handlers.LineWriter)
	lines    func(*core.Event) bool // takes lines, for these events (handleractor.Installed.Lines)
}

// manager is the sink's actor, gen_event's manager process: it owns the
// sink's handlers, their levels and traces, and is the only writer of the
// road callers read, of the mode, and of the kills.
type manager struct {
	sink     *Sink
	opts     Options
	ctx      actor.Context
	handlers []*installed
	now      func() time.Time
	life     *lifetime
	alarm    *time.Timer // the periodic check's (tick)

	// waiting are the watchers told to wait while their handler's last
	// actor is leaving (leaving.go), by handler ID.
	waiting map[string]*actor.PID

	// traces are the sink's traces as of the last change this actor
	// handled.
	traces []*traceEntry

	// kill is the last kill before this incarnation started, if its
	// handlers are not all back: each handler awaited (awaited.go) gets
	// its report as it is back.
	kill *killed
}

// tick is the periodic check's alarm; life tells a stale one.
type tick struct{ life *lifetime }

func newManager(s *Sink, opts Options) *manager {
	return &manager{sink: s, opts: opts, now: time.Now, waiting: map[string]*actor.PID{}}
}

// Receive implements actor.Actor.
func (m *manager) Receive(c actor.Context) {
	switch msg := c.Message().(type) {
	case check:
		m.sink.checking.Store(false)
		m.decide()
		if c.Sender() != nil {
			c.Respond(check{})
		}
	case tick:
		if msg.life == m.life {
			m.tick(m.now())
			m.arm()
		}
	case *core.Event: // sent to the sink's actor itself (a custom actor's report, say)
		m.sink.deliver(msg)
	case *actor.Started:
		m.started(c)
	case *actor.Stopping, *actor.Restarting:
		m.stopping()
	case install:
		m.install(c, msg)
	case *handleractor.Installed:
		m.installed(msg)
	case remove:
		h := m.find(msg.id)
		if h == nil || h.removing != nil || h.failed {
			c.Respond(removeAnswer{err: fmt.Errorf("%w: %q in sink %q", ErrNotFound, msg.id, m.sink.name)})
			return
		}
		h.removing = c.Sender()
		h.ready = false
		m.publish()
		c.Poison(h.pid) // it handles what it has queued first
	case lookup:
		h := m.find(msg.id)
		if h == nil || !h.ready {
			c.Respond(handlerRef{err: fmt.Errorf("%w: %q in sink %q", ErrNotFound, msg.id, m.sink.name)})
			return
		}
		c.Respond(handlerRef{id: h.id, pid: h.pid, custom: h.custom})
	case setMask:
		if h := m.find(msg.id); h != nil {
			h.mask, h.line, h.lines = msg.mask, msg.line, msg.lines
			m.publish()
		}
		c.Respond(setMask{})
	case flushList:
		// Every event logged before the flush is in the handlers'
		// mailboxes already, before the flush that follows.
		refs := make([]handlerRef, 0, len(m.handlers))
		for _, h := range m.handlers {
			if h.ready {
				refs = append(refs, handlerRef{id: h.id, pid: h.pid, custom: h.custom})
			}
		}
		c.Respond(refs)
	case statusReq:
		c.Respond(m.status())
	case tracesChanged:
		m.traces = m.sink.loadTraces()
		m.publish()
		c.Respond(tracesChanged{})
	case handlerFailure:
		m.failed(msg.sup, msg.who, msg.reason, msg.message)
	case *actor.Terminated:
		handlerGuardian.release(m.sink, msg.Who.Id)
		if id := m.sink.left(msg.Who); id != "" {
			m.leftFor(c, id)
			return
		}
		m.handlerStopped(msg.Who)
	case watcherGone:
		m.forgetGone()
	}
}

// publish builds the road callers read from the sink's ready handlers, its
// traces, the handlers awaited and the mode, and publishes it with the
// sink's mask: the union of the ready handlers' levels, those a trace
// feeds, and the awaited handlers' (so that what only they take is
// counted, not skipped unseen).
func (m *manager) publish() {
	if m.life == nil {
		return
	}
	r := &road{life: m.life, traces: m.traces}
	r.setMode(Mode(m.sink.mode.Load()), m.sink.th.Load())
	var mask core.Mask
	for _, h := range m.handlers {
		if !h.ready {
			continue
		}
		mask |= h.mask
		r.routes = append(r.routes, route{id: h.id, mask: h.mask, box: h.stats.Box, stats: h.stats,
			line: h.line, lines: h.lines, custom: h.custom})
		if !h.custom && h.line != nil && h.mask != 0 && (h.lines == nil || len(m.traces) > 0) {
			r.ahead = addAhead(r.ahead, h.line, h.mask)
		}
	}
	for _, te := range m.traces {
		mask |= te.mask // a silence trace feeds no level
	}
	r.linesOnly = len(m.traces) == 0 && !slices.ContainsFunc(r.routes, func(rt route) bool { return rt.lines == nil })
	r.awaited = m.sink.awaitedLevels()
	for _, l := range r.awaited {
		mask |= l
	}
	m.sink.mask.Store(uint32(mask))
	m.sink.road.Store(r)
}

// setMode sets the road's mode, its thresholds, and the marks callers go
// by.
func (r *road) setMode(mode Mode, th *Thresholds) {
	r.mode, r.th, r.busy = mode, th, th.busy()
	r.up, r.down = marks(mode, th)
	switch {
	case th.AsyncThreshold == Off:
		r.waitAt = math.MaxInt
	case mode == Async:
		// The event that takes the queue past the threshold goes async,
		// as in lager; those after it wait, decided or not.
		r.waitAt = th.AsyncThreshold + 2
	default:
		// Below the mark where the mode goes back to async, a caller
		// does not wait, decided or not.
		r.waitAt = r.down
	}
}

// addAhead adds formatter f, for the levels mask, to the formatters
// callers run ahead: each once, as many as an event holds lines.
func addAhead(ahead []aheadFormat, f formatter.Formatter, mask core.Mask) []aheadFormat {
	i := slices.IndexFunc(ahead, func(a aheadFormat) bool { return a.f == f })
	switch {
	case i >= 0:
		ahead[i].mask |= mask
	case len(ahead) < core.EventLines:
		ahead = append(ahead, aheadFormat{f: f, mask: mask})
	}
	return ahead
}

// marks returns the queue lengths at which the mode may change from mode:
// up, from which a caller asks for a check, and down, below which a
// handler does.
func marks(mode Mode, th *Thresholds) (up, down int) {
	up = th.DiscardThreshold
	if mode == Async && th.AsyncThreshold != Off {
		up = th.AsyncThreshold + 1
	}
	if th.KillerHWM > 0 {
		up = min(up, th.KillerHWM+1)
	}
	switch mode {
	case Sync:
		down = th.AsyncThreshold - th.AsyncThresholdWindow
	case Discard:
		down = th.DiscardThreshold - th.DiscardThresholdWindow
		if th.AsyncThreshold != Off {
			down = max(down, th.AsyncThreshold-th.AsyncThresholdWindow)
		}
	}
	return up, down
}

// decide sets the mode from the queue length, reports entering and
// leaving discard mode, runs the killer, and publishes the road when the
// mode or the thresholds changed. Only this actor decides.
func (m *manager) decide() int {
	if m.life == nil {
		return 0
	}
	th := m.sink.th.Load()
	q := m.queueLen()
	cur := Mode(m.sink.mode.Load())
	next := nextMode(cur, q, th)
	if next != cur {
		m.sink.mode.Store(int32(next))
		m.transition(cur, next, q, th)
	}
	switch r := m.sink.road.Load(); {
	case r == nil:
		m.publish()
	case next != cur || r.th != th:
		// The handlers are as they were: a copy with the new marks.
		changed := *r
		changed.setMode(next, th)
		m.sink.road.Store(&changed)
	}
	if th.KillerHWM > 0 && q > th.KillerHWM {
		m.killSink(q, th)
	}
	return q
}

// queueLen is the sink's queue length: its slowest handler's mailbox.
func (m *manager) queueLen() int {
	slowest := 0
	for _, h := range m.handlers {
		if h.stats.Box != nil {
			slowest = max(slowest, h.stats.Box.Len())
		}
	}
	return slowest
}

func (m *manager) transition(from, to Mode, q int, th *Thresholds) {
	switch {
	case to == Discard:
		m.sink.lastWarn.Store(m.now().UnixNano())
		m.warn(core.LevelWarning, fmt.Sprintf("sink %s: attempted to log %d messages, which is above discard_threshold (%d): new events are dropped",
			m.sink.name, q, th.DiscardThreshold), q, th, -1)
	case from == Discard:
		msg := fmt.Sprintf("sink %s: attempted to log %d messages, which is below discard_threshold (%d) again", m.sink.name, q, th.DiscardThreshold)
		if n := m.sink.unreported(); n > 0 {
			m.warn(core.LevelWarning, msg+fmt.Sprintf("; %d events were dropped", n), q, th, n)
		} else {
			// Every drop was reported already, or none was made: a
			// notice that it is over, with no count of zero.
			m.warn(core.LevelNotice, msg, q, th, -1)
		}
	}
}

// tick is the periodic check (every DiscardCheckInterval): decide the
// mode, repeat the discard warning while discard mode lasts and events
// are dropped, and report drops counted after the last report (by callers
// that saw discard mode just as it ended). No warning counts zero drops.
func (m *manager) tick(now time.Time) {
	q := m.decide()
	if m.sink.killing.Load() {
		return // killed: its warnings would go to standard error
	}
	th := m.sink.th.Load()
	s := m.sink
	if s.Mode() != Discard {
		if n := s.unreported(); n > 0 {
			m.warn(core.LevelWarning, fmt.Sprintf("sink %s: %d more events were dropped as discard mode ended", s.name, n), q, th, n)
		}
		return
	}
	if now.UnixNano()-s.lastWarn.Load() < int64(th.DiscardCheckInterval) || s.drops.Discarded.Load() == s.reported.Load() {
		return // not due, or nothing dropped since the last report
	}
	s.lastWarn.Store(now.UnixNano())
	n := s.unreported()
	m.warn(core.LevelWarning, fmt.Sprintf("sink %s: attempted to log %d messages, which is above discard_threshold (%d): %d events dropped since the last report",
		s.name, q, th.DiscardThreshold, n), q, th, n)
}

// arm sets the periodic check's alarm: a tick in this actor's mailbox
// after DiscardCheckInterval (read anew each time, so that a change at
// run time applies).
func (m *manager) arm() {
	life, self, root, s := m.life, m.ctx.Self(), m.ctx.ActorSystem().Root, m.sink
	m.alarm = time.AfterFunc(s.th.Load().DiscardCheckInterval, func() {
		if s.life.Load() == life { // not to an incarnation that stopped meanwhile
			root.Send(self, tick{life: life})
		}
	})
}

// warn delivers one of the sink's overload warnings; one that reports
// drops (dropped >= 0) carries their count (see ReportedDrops).
func (m *manager) warn(level core.Level, msg string, q int, th *Thresholds, dropped int64) {
	s := m.sink
	attrs := []slog.Attr{slog.String("sink", s.name), slog.Int("queue", q), slog.Int("discard_threshold", th.DiscardThreshold)}
	if dropped >= 0 {
		attrs = append(attrs, slog.Int64(droppedKey, dropped))
	}
	s.deliver(&core.Event{Time: m.now(), Level: level, Message: msg, Sink: s.name, Attrs: attrs})
}

// killSink is lager's killer: every handler's mailbox drops what it holds,
// counted (what a handler is writing now it still writes), and this
// incarnation stops, its supervisor told it was killed; the supervisor
// starts it again empty, and the handlers come back after
// KillerReinstallAfter, when each of them gets the report of the kill.
func (m *manager) killSink(q int, th *Thresholds) {
	now := m.now()
	if now.UnixNano() < m.sink.killerArmed.Load() || m.sink.killing.Load() {
		return
	}
	m.sink.killing.Store(true)
	// No caller posts from now on: they count what they bring as
	// NotRunning until the next incarnation.
	m.sink.road.Store(nil)
	discarded := 0
	system := m.ctx.ActorSystem()
	for _, h := range m.handlers {
		if h.stats.Box != nil {
			discarded += h.stats.Kill(system, ErrSinkStopped)
		}
	}
	back := now.Add(th.KillerReinstallAfter)
	m.sink.kills.Add(1)
	m.sink.drops.Killed.Add(int64(discarded))
	m.sink.killerArmed.Store(back.UnixNano())
	m.sink.reinstallAt.Store(back.UnixNano())
	m.sink.lastKill.Store(&killed{at: now, queue: q, hwm: th.KillerHWM, back: back, discarded: int64(discarded)})
	m.ctx.Stop(m.ctx.Self())
}

// arrived takes h, installed by its watcher, out of the handlers awaited;
// one that was awaited after a kill learns what happened.
func (m *manager) arrived(h *installed) {
	was, none := m.sink.arrived(h.id)
	if !was || m.kill == nil {
		return
	}
	if report := m.kill.report(m.sink.name); h.mask.Enabled(report.Level) {
		var msg any = report
		if h.custom {
			msg = customEvent(report, false)
		}
		h.stats.Box.Post(msg, 0)
	}
	if none {
		m.killReported()
	}
}

// killReported forgets the kill once no handler is awaited: each one back
// got its report. A kill since this incarnation started is another one.
func (m *manager) killReported() {
	m.sink.lastKill.CompareAndSwap(m.kill, nil)
	m.kill = nil
}

// forgetGone stops waiting for the handlers whose watchers ended: they
// will not be back.
func (m *manager) forgetGone() {
	if m.sink.pruneAwaited() {
		m.killReported()
	}
	m.publish()
}

// routes says whether the handler id at levels mask takes an event at
// level l that traces feed to the handlers fed and keep from those
// silenced, and whether only a trace sends it there: a silence trace
// keeps it away, its level or a feeding trace takes it.
func routes(id string, mask core.Mask, l core.Level, fed, silenced []string) (byTrace, ok bool) {
	if len(silenced) > 0 && slices.Contains(silenced, id) {
		return false, false
	}
	if mask.Enabled(l) {
		return false, true
	}
	if len(fed) > 0 && slices.Contains(fed, id) {
		return true, true
	}
	return false, false
}

// started begins an incarnation: it publishes the sink's new lifetime and
// road, arms the periodic check, and tells the watchers, whose handlers
// died with the last incarnation, to install them again.
func (m *manager) started(c actor.Context) {
	m.ctx = c
	m.traces = m.sink.loadTraces()
	m.life = &lifetime{pid: c.Self(), died: make(chan struct{})}
	m.sink.life.Store(m.life)
	m.sink.killing.Store(false)
	m.sink.checking.Store(false) // a check sent to the last incarnation is lost
	// The mode as the last incarnation left it may not hold (discard
	// mode, with callers posting nothing that would ask): decided anew.
	m.decide()
	m.sink.announceStart()
	m.arm()
	for _, pid := range m.sink.leavingPIDs() {
		c.Watch(pid) // Terminated comes at once for one that has ended
	}
	if m.sink.starts.Add(1) > 1 {
		// Kept until its handlers are back, even across incarnations
		// that stop before they are.
		m.kill = m.sink.lastKill.Load()
		for _, w := range m.sink.watcherPIDs() {
			c.Send(w, sinkStarted{})
		}
	}
	// Watchers that ended while no incarnation ran leave no handler to
	// wait for.
	m.forgetGone()
}

// stopping ends an incarnation: callers waiting in sync mode are released,
// and the handlers drain their mailboxes — unless the killer struck, in
// which case it dropped them.
func (m *manager) stopping() {
	if m.life == nil {
		return
	}
	// From now on callers count what they log as NotRunning. The
	// handlers' watchers bring them back in the next incarnation: their
	// levels stay wanted until then.
	awaited := map[string]core.Mask{}
	for _, h := range m.handlers {
		if h.watcher != nil && h.ready {
			awaited[h.id] |= h.mask
		}
	}
	m.sink.await(awaited)
	if !m.sink.killing.Load() && m.sink.Mode() != Discard {
		// Drops counted after the last report (by callers that saw
		// discard mode just as it ended) are reported before the
		// handlers drain: every drop is reported once.
		if n := m.sink.unreported(); n > 0 {
			m.warn(core.LevelWarning, fmt.Sprintf("sink %s: %d more events were dropped as discard mode ended", m.sink.name, n),
				m.queueLen(), m.sink.th.Load(), n)
		}
	}
	m.sink.road.Store(nil)
	m.sink.life.CompareAndSwap(m.life, nil)
	close(m.life.died)
	m.life = nil
	m.alarm.Stop()
	if !m.sink.killing.Load() {
		if m.sink.closed.Load() {
			m.awaitLeaving()
		}
		m.drainHandlers()
		if m.sink.closed.Load() {
			m.abandonLeaving()
		}
		return
	}
	// Killed: its supervisor is told so (lager's killer kills the event
	// manager), not of a normal exit; the stop in hand goes on. The
	// handlers' mailboxes were dropped and counted as it struck.
	supervision.Exit(m.ctx, supervision.ErrKilled)
	for _, h := range m.handlers {
		m.letGo(h)
	}
	m.handlers = nil
}

// letGo stops handler h's actor without waiting for it: the next
// incarnation waits for it (leaving.go), not this one.
func (m *manager) letGo(h *installed) {
	m.ctx.Unwatch(h.pid)
	m.sink.leave(h.id, h.pid)
	m.ctx.Stop(h.pid)
}

func (m *manager) find(id string) *installed {
	for _, h := range m.handlers {
		if h.id == id {
			return h
		}
	}
	return nil
}

func (m *manager) indexOf(pid *actor.PID) int {
	for i, h := range m.handlers {
		if h.pid == pid {
			return i
		}
	}
	return -1
}

// install spawns the handler's actor; the answer waits for its Installed.
func (m *manager) install(c actor.Context, msg install) {
	spec := msg.spec
	if err := spec.check(); err != nil {
		c.Respond(installAnswer{err: err})
		return
	}
	if m.find(spec.Config.ID) != nil {
		c.Respond(installAnswer{err: fmt.Errorf("%w: %q in sink %q", ErrAlreadyPresent, spec.Config.ID, m.sink.name)})
		return
	}
	if m.sink.stillLeaving(spec.Config.ID) {
		// Its last actor has not ended (stuck in Log when the killer
		// struck, say): its watcher is told once it has (leftFor).
		if msg.watcher != nil {
			m.waiting[spec.Config.ID] = msg.watcher
		}
		c.Respond(installAnswer{err: fmt.Errorf("%w: %q in sink %q", errStillLeaving, spec.Config.ID, m.sink.name)})
		return
	}
	h := &installed{
		id:      spec.Config.ID,
		mask:    spec.Config.Mask(),
		watcher: msg.watcher,
		stats: &handleractor.Stats{Report: m.sink.deliver,
			Lost: func(n int) { m.sink.drops.Exited.Add(int64(n)) }},
		window:  supervision.Window{Intensity: m.opts.HandlerIntensity, Period: m.opts.HandlerPeriod},
		custom:  spec.Handler == nil,
		waiting: c.Sender(),
	}
	stats, sink := h.stats, m.sink
	handled := func() { sink.handled(stats.Box) }
	var props *actor.Props
	if spec.Handler != nil {
		props = handleractor.Props(spec.Handler, spec.Config, h.stats, c.Self(), handled)
	} else {
		system := c.ActorSystem()
		h.stats.Box = mailbox.New(mailbox.Options{Handled: handled,
			Refused: func(msg any) { handleractor.Answer(system, []any{msg}, handleractor.ErrStopped) }})
		props = spec.Props.Clone(actor.WithMailbox(h.stats.Box.Producer()),
			actor.WithReceiverMiddleware(filtering(spec.Config, h.stats, func(n int) { sink.drops.NoHandler.Add(int64(n)) })))
	}
	props = props.Clone(actor.WithReceiverMiddleware(actors.CrashReporter()), actor.WithGuardian(handlerGuardian))
	pid, err := m.spawn(c, props, c.Self().Id+"/handler-"+h.id)
	if err != nil {
		c.Respond(installAnswer{err: fmt.Errorf("sinks: install %q in sink %q: %w", h.id, m.sink.name, err)})
		return
	}
	c.Watch(pid)
	h.pid = pid
	m.handlers = append(m.handlers, h)
	if h.custom { // a custom actor has no Add: it is installed once spawned
		m.installed(&handleractor.Installed{ID: h.id})
	}
}

// fromSink is the header that marks the events a sink sends a custom
// actor.
const fromSink = "actorlog-sink"

// filtering is a custom actor's receiver middleware: it applies the
// actor's filters (cfg) to the events its sink posts, on the actor's
// goroutine, as a handler actor of actorlog's does for its handler,
// counting the filters that panicked; a trace's events pass, whatever the
// filters say. As the actor stops, its mailbox is closed: the events it
// still holds, which the actor will not take, are counted (lost), and the
// requests answered.
func filtering(cfg handlers.Config, stats *handleractor.Stats, lost func(n int)) actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			switch e := env.Message.(type) {
			case *core.Event:
				if len(cfg.Filters) > 0 && env.GetHeader(fromSink) == "1" {
					ok, panics := cfg.Accepts(e)
					if panics > 0 {
						stats.FilterPanics.Add(int64(panics))
					}
					if !ok {
						return
					}
				}
			case *actor.Stopping:
				next(c, env)
				lines, msgs := stats.Box.Kill()
				if n := lines + handleractor.Answer(c.ActorSystem(), msgs, handleractor.ErrStopped); n > 0 {
					lost(n)
				}
				return
			}
			next(c, env)
		}
	}
}

// spawn spawns a handler actor from the root, named name (under the
// sink's actor's name: see leaving.go); a panic in its producer is an
// error.
func (m *manager) spawn(c actor.Context, props *actor.Props, name string) (pid *actor.PID, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &actors.PanicError{Value: r}
		}
	}()
	system := c.ActorSystem()
	try := func(name string) (*actor.PID, error) {
		// Guarded before it starts: its Add may fail before SpawnNamed
		// returns.
		mine := handlerGuardian.guard(m.sink, name)
		pid, err := system.Root.SpawnNamed(props, name)
		if err != nil && mine {
			handlerGuardian.release(m.sink, name)
		}
		return pid, err
	}
	pid, err = try(name)
	if errors.Is(err, actor.ErrNameExists) {
		pid, err = try(name + "~" + system.ProcessRegistry.NextId())
	}
	return pid, err
}

// awaitLeaving, as the sink's last incarnation stops, waits within
// DrainTimeout for the handler actors an earlier incarnation let go (a
// kill) and that have not ended: one still handling what it had taken
// when its mailbox was dropped ends once it has, as drainHandlers waits
// for the handlers of this incarnation. Those that end are no longer
// leaving; abandonLeaving gives up on the others.
func (m *manager) awaitLeaving() {
	pids := m.sink.leavingPIDs()
	if len(pids) == 0 {
		return
	}
	system := m.ctx.ActorSystem()
	ctx, cancel := context.WithTimeout(context.Background(), m.opts.DrainTimeout)
	defer cancel()
	for _, pid := range pids {
		// Told to stop when let go: this Stop only waits for it.
		if actors.StopNow(ctx, system, pid) == nil {
			m.sink.left(pid)
			handlerGuardian.release(m.sink, pid.Id)
		}
	}
}

// abandonLeaving, as the sink's last incarnation stops, gives up on the
// handler actors still leaving (stuck in their handler): no incarnation
// will wait for them. Each is named on standard error; it ends, unowned,
// if its handler ever returns.
func (m *manager) abandonLeaving() {
	for id, pid := range m.sink.abandon() {
		handlerGuardian.release(m.sink, pid.Id)
		m.sink.toStderr(&core.Event{Time: time.Now(), Level: core.LevelError,
			Message: fmt.Sprintf("sink %s stopped; handler %s (%s) did not stop: it is stuck in its handler", m.sink.name, id, pid.Id)})
	}
}

// leftFor installs handler id again now that its last actor has ended: its
// watcher, told to wait, is told to install it.
func (m *manager) leftFor(c actor.Context, id string) {
	if w, ok := m.waiting[id]; ok {
		delete(m.waiting, id)
		c.Send(w, sinkStarted{})
	}
}

// installed handles a handler actor's report on its Add.
func (m *manager) installed(msg *handleractor.Installed) {
	h := m.find(msg.ID)
	if h == nil {
		return
	}
	switch {
	case msg.Err == nil:
		h.ready, h.line, h.lines = true, msg.Line, msg.Lines
		if h.watcher != nil {
			m.arrived(h)
		}
		m.publish()
		m.answerInstall(h, nil)
	case msg.Restart:
		// Add failed after an in-place restart: it exits; its watcher
		// hears of it once it has stopped.
		h.reason = fmt.Errorf("sinks: handler %q could not be added again after a restart: %w", h.id, msg.Err)
		m.exit(h)
		m.ctx.Stop(h.pid)
	default:
		// Its install failed: answer, and stop the actor; the record
		// goes once it has stopped.
		h.ready = false
		h.failed = true
		m.answerInstall(h, msg.Err)
		m.ctx.Stop(h.pid)
	}
}

func (m *manager) answerInstall(h *installed, err error) {
	if h.waiting != nil {
		m.ctx.Send(h.waiting, installAnswer{err: err})
		h.waiting = nil
	}
}

// installAnswer wraps an install's result, so that a nil error is still a
// message.
type installAnswer struct{ err error }

// handlerStopped forgets a handler whose actor stopped and tells whoever
// needs to know.
func (m *manager) handlerStopped(pid *actor.PID) {
	i := m.indexOf(pid)
	if i < 0 {
		return
	}
	h := m.handlers[i]
	m.handlers = append(m.handlers[:i], m.handlers[i+1:]...)
	m.publish()
	switch {
	case h.failed:
	case h.waiting != nil:
		m.answerInstall(h, fmt.Errorf("sinks: handler %q stopped while being installed", h.id))
	case h.removing != nil:
		m.ctx.Send(h.removing, removeAnswer{})
		if h.watcher != nil {
			m.ctx.Send(h.watcher, handlerRemoved{})
		}
	case h.watcher != nil:
		reason := h.reason
		if reason == nil {
			reason = fmt.Errorf("sinks: handler %q stopped", h.id)
		}
		m.ctx.Send(h.watcher, handlerExited{reason: reason, dropped: h.stats.Exited.Load()})
	}
}

// removeAnswer answers remove.
type removeAnswer struct{ err error }

// failed decides what becomes of a handler actor that panicked (its
// guardian hands the failure over). It is restarted in place — its mailbox
// is kept, only the event that made it panic is lost (the crash report
// names it) — unless it panicked more than HandlerIntensity times within
// HandlerPeriod: then it exits (exit), and its watcher reports it and
// installs it again.
func (m *manager) failed(sup actor.Supervisor, who *actor.PID, reason any, _ any) {
	i := m.indexOf(who)
	if i < 0 {
		sup.StopChildren(who)
		return
	}
	h := m.handlers[i]
	if h.waiting != nil {
		// It panicked while being installed (in Add): that is a failed
		// install, not a crash to restart.
		h.failed = true
		m.answerInstall(h, fmt.Errorf("sinks: handler %q panicked in Add: %v", h.id, reason))
		sup.StopChildren(who)
		return
	}
	if h.window.Allow(m.now()) {
		sup.RestartChildren(who)
		return
	}
	h.reason = fmt.Errorf("%v (more than %d restarts in %v)", reason, m.opts.HandlerIntensity, m.opts.HandlerPeriod)
	m.exit(h)
	sup.StopChildren(who)
}

// exit takes handler h out after failures: it takes no more events, and
// its mailbox drops what it holds, counted (Drops.Exited), the callers
// waiting for those events told (ErrHandlerExited). Its watcher installs
// it again: meanwhile it is awaited (awaited.go), and what only it would
// take is counted.
func (m *manager) exit(h *installed) {
	h.ready = false
	h.stats.Exit(m.ctx.ActorSystem()) // counted in Drops.Exited (Stats.Lost)
	if h.watcher != nil && h.removing == nil {
		m.sink.await(map[string]core.Mask{h.id: h.mask})
	}
	m.publish()
}

// drainHandlers stops every handler after it handled its queue, each
// within DrainTimeout, then at once; one stuck in its handler even then is
// left to the next incarnation (letGo). The sink's mask is left as it was,
// so that events logged meanwhile reach the sink and are counted, not
// skipped.
func (m *manager) drainHandlers() {
	system := m.ctx.ActorSystem()
	for i := len(m.handlers) - 1; i >= 0; i-- {
		h := m.handlers[i]
		m.ctx.Unwatch(h.pid) // waited for here
		ctx, cancel := context.WithTimeout(context.Background(), m.opts.DrainTimeout)
		err := actors.StopGracefully(ctx, system, h.pid)
		cancel()
		if err != nil {
			// Too slow to drain: what it still holds is dropped, counted.
			m.sink.drops.Killed.Add(int64(h.stats.Kill(system, ErrSinkStopped)))
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err = actors.StopNow(ctx, system, h.pid)
			cancel()
		}
		if err != nil {
			m.letGo(h)
			continue
		}
		handlerGuardian.release(m.sink, h.pid.Id)
	}
	m.handlers = nil
}
