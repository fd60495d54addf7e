package actorlog

import (
	"context"
	"fmt"
	"strings"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/sinks"
)

// Status describes a running System, in the spirit of lager:status().
type Status struct {
	// Sinks describes each sink and its handlers.
	Sinks []sinks.SinkStatus
	// Root is the supervision tree's root actor.
	Root string
	// CrashLog describes the crash log, if it runs.
	CrashLog *CrashLogStatus
}

// CrashLogStatus describes the crash log.
type CrashLogStatus struct {
	// Path is the crash log's file.
	Path string
	// Written counts the reports written, Errors the failures to write
	// one (see handlers.File for what happens then), and LastError is the
	// last failure's text.
	Written, Errors int64
	LastError       string
}

// Status describes the System: its sinks with their level, queue, drops
// and restarts, and their handlers with their level, queue, counters and
// restarts. It never fails: a sink that does not answer within ctx is
// described from what it keeps outside its actor.
func (s *System) Status(ctx context.Context) Status {
	var all []sinks.SinkStatus
	for _, k := range s.order {
		st, err := k.sink.Status(ctx)
		if err != nil { // the sink did not answer in time: what it keeps outside its actor
			st = sinks.SinkStatus{Name: k.sink.Name(), Level: k.sink.Mask(), Mode: k.sink.Mode(), Queue: k.sink.QueueLen(),
				Kills: k.sink.Kills(), Restarts: k.sink.Restarts(), Traces: k.sink.Traces()}
			st.Drops.Discarded = k.sink.Dropped() // all reasons, unsplit
		}
		all = append(all, st)
	}
	out := Status{Sinks: all, Root: actors.PIDString(s.root.PID())}
	if s.crashLog != "" {
		cl := &CrashLogStatus{Path: s.crashPath, Written: s.crashStats.Handled.Load(), Errors: s.crashStats.Errors.Load()}
		if e := s.crashStats.LastError.Load(); e != nil {
			cl.LastError = (*e).Error()
		}
		out.CrashLog = cl
	}
	return out
}

// String prints the status on several lines:
//
//	actorlog status (nonhost/actorlog):
//	sink default at level debug, async: queue 0, dropped 0, kills 0, restarts 0
//	  handler console at level info: queue 0, handled 12, errors 0, restarts 0
func (st Status) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "actorlog status (%s):\n", st.Root)
	for _, sk := range st.Sinks {
		state := ""
		if !sk.Running {
			state = " (not running)"
		}
		fmt.Fprintf(&b, "sink %s at level %s, %s%s: queue %d, dropped %d, kills %d, restarts %d\n",
			sk.Name, sk.Level.First(), sk.Mode, state, sk.Queue, sk.Drops.Total(), sk.Kills, sk.Restarts)
		if d := sk.Drops; d.Total() > 0 {
			fmt.Fprintf(&b, "  dropped: %d discarded, %d not running, %d closed, %d with no handler, %d killed, %d with a handler that exited\n",
				d.Discarded, d.NotRunning, d.Closed, d.NoHandler, d.Killed, d.Exited)
		}
		if len(sk.Awaited) > 0 {
			fmt.Fprintf(&b, "  awaited after a restart: %s\n", strings.Join(sk.Awaited, ", "))
		}
		for _, h := range sk.Handlers {
			if h.Custom {
				fmt.Fprintf(&b, "  handler %s (custom actor) at level %s: queue %d\n", h.ID, h.Level, h.Queue)
				continue
			}
			fmt.Fprintf(&b, "  handler %s at level %s: queue %d, handled %d, errors %d, restarts %d",
				h.ID, h.Level, h.Queue, h.Handled, h.Errors, h.Restarts)
			if h.Dropped > 0 {
				fmt.Fprintf(&b, ", dropped %d over its high water mark", h.Dropped)
			}
			if h.FilterPanics > 0 {
				fmt.Fprintf(&b, ", filter panics %d", h.FilterPanics)
			}
			if h.LastError != "" {
				fmt.Fprintf(&b, ", last error: %s", h.LastError)
			}
			b.WriteByte('\n')
		}
		for _, tr := range sk.Traces {
			fmt.Fprintf(&b, "  %s\n", tr)
		}
	}
	if cl := st.CrashLog; cl != nil {
		fmt.Fprintf(&b, "crash log %s: %d reports, errors %d", cl.Path, cl.Written, cl.Errors)
		if cl.LastError != "" {
			fmt.Fprintf(&b, ", last error: %s", cl.LastError)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
