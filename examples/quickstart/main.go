// Command quickstart is actorlog's main job in a few lines: start the
// default configuration, log at several levels from the main goroutine and
// from an actor, make an actor panic and watch it restarted, print the
// status, and stop cleanly (every queued event written first).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// job is work for the worker; a job with a negative ID is a bug.
type job struct{ ID int }

// worker handles jobs and logs from inside its actor.
type worker struct {
	log  *actorlog.Logger
	jobs []int
}

func (w *worker) Receive(c actor.Context) {
	log := w.log.ForActor(c)
	switch m := c.Message().(type) {
	case *actor.Started:
		log.Info("worker started")
	case job:
		w.jobs = append(w.jobs, m.ID)
		log.Info("handling job", "job", m.ID)
		if m.ID < 0 {
			_ = w.jobs[m.ID+len(w.jobs)*2] // index out of range: a bug
		}
	}
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The default configuration: a console handler at info on stdout.
	sys, err := actorlog.Start(actorlog.Config{})
	if err != nil {
		return err
	}
	log := sys.Logger()

	log.Info("quickstart running", "pid", os.Getpid())
	log.Debug("this debug line is below the console's level and costs one atomic load")
	log.Noticef("lager-style formatting: %d handlers installed", 1)
	log.With("request_id", "7f3a").Warning("slow request", "took", 1200*time.Millisecond)

	// Until the translator lands, crash and supervisor reports are logged
	// by subscribing to the actor system's event stream.
	system := sys.ActorSystem()
	restarted := make(chan struct{}, 1)
	sub := system.EventStream.Subscribe(func(e any) {
		switch r := e.(type) {
		case *actors.CrashReport:
			log.Error(firstLine(r.String()), "actor", actors.PIDString(r.Actor))
		case *supervision.ChildRestarted:
			log.Notice(r.String())
			restarted <- struct{}{}
		}
	})
	defer system.EventStream.Unsubscribe(sub)

	// An actor under an OTP supervisor logs, panics, and is restarted in
	// place.
	sup, err := supervision.Start(ctx, system, supervision.Spec{
		Name: "app", Intensity: 3, Period: time.Minute,
		Children: []supervision.ChildSpec{{
			ID:    "worker",
			Props: actor.PropsFromProducer(func() actor.Actor { return &worker{log: log} }),
		}},
	})
	if err != nil {
		return err
	}
	children, err := sup.WhichChildren(ctx)
	if err != nil {
		return err
	}
	pid := children[0].PID
	system.Root.Send(pid, job{ID: 1})
	system.Root.Send(pid, job{ID: -1})
	system.Root.Send(pid, job{ID: 2}) // queued behind the bad job: kept across the restart
	select {
	case <-restarted:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := sup.Stop(ctx); err != nil { // the worker handles job 2 first
		return err
	}

	if err := sys.Flush(ctx); err != nil {
		return err
	}
	fmt.Print(sys.Status(ctx))
	return sys.Stop(ctx)
}

func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
