// Command quickstart is actorlog's main job in a few lines: start lager's
// default configuration (a console, log/error.log, log/console.log and
// log/crash.log), log at several levels from the main goroutine and from
// an actor, make an actor panic and watch it restarted, print the status,
// stop cleanly (every queued event written first), and show what the files
// hold.
//
//	go run ./examples/quickstart [-log-root DIR] [-config FILE]
//
// With -config, the System is configured from a config file instead, read
// by package config (actorlog.jsonc beside this file shows every key).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/config"
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
	root := flag.String("log-root", "", "the directory for the log/ files (default: the working directory)")
	cfgFile := flag.String("config", "", "a config file (JSON with comments; see examples/quickstart/actorlog.jsonc)")
	flag.Parse()
	if *cfgFile != "" {
		if err := runConfig(*cfgFile, *root); err != nil {
			fmt.Fprintln(os.Stderr, "quickstart:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The files append across runs: remember where this run starts.
	start := fileSizes(root)

	// The default configuration, lager's: a console at info on stdout,
	// log/error.log at error, log/console.log at info, log/crash.log.
	sys, err := actorlog.Start(actorlog.Config{LogRoot: root})
	if err != nil {
		return err
	}
	log := sys.Logger()

	log.Info("quickstart running", "pid", os.Getpid())
	log.Debug("this debug line is below the console's level and costs one atomic load")
	log.Noticef("lager-style formatting: %d handlers and a crash log installed", len(actorlog.DefaultHandlers()))
	log.With("request_id", "7f3a").Warning("slow request", "took", 1200*time.Millisecond)

	// The actor system's crash reports are translated and logged by
	// actorlog itself; the quickstart only waits for the restart.
	system := sys.ActorSystem()
	restarted := make(chan struct{}, 1)
	sub := system.EventStream.Subscribe(func(e any) {
		if _, ok := e.(*supervision.ChildRestarted); ok {
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
	if err := sys.Stop(ctx); err != nil {
		return err
	}
	return show(root, start)
}

// logFiles are the files of lager's default set, under log/.
var logFiles = []string{"error.log", "console.log", "crash.log"}

// fileSizes returns the sizes of the log files under root; a missing file
// has size 0.
func fileSizes(root string) map[string]int64 {
	sizes := make(map[string]int64, len(logFiles))
	for _, name := range logFiles {
		if fi, err := os.Stat(filepath.Join(root, "log", name)); err == nil {
			sizes[name] = fi.Size()
		}
	}
	return sizes
}

// show prints how many lines this run wrote to each log file (the ones
// past start), and the start of this run's first crash report.
func show(root string, start map[string]int64) error {
	fmt.Println("\nfiles written by this run:")
	for _, name := range logFiles {
		path := filepath.Join(root, "log", name)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if off := start[name]; off <= int64(len(b)) {
			b = b[off:] // a file rotated meanwhile is read whole
		}
		fmt.Printf("  %s: %d lines\n", path, strings.Count(string(b), "\n"))
		if name != "crash.log" {
			continue
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for i := 0; i < 8 && sc.Scan(); i++ {
			fmt.Println("    | " + sc.Text())
		}
	}
	return nil
}

// runConfig starts a System from a config file (its log_root under root,
// if root is set), logs a few events and stops.
func runConfig(path, root string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	if root != "" {
		cfg.LogRoot = filepath.Join(root, cfg.LogRoot)
	}
	sys, err := actorlog.Start(cfg)
	if err != nil {
		return err
	}
	log := sys.Logger()
	log.Info("configured from "+path, "request_id", "r-1", "path", "/api/v1/items")
	log.Debug("traced to requests.log", "request_id", "r-1", "path", "/api/v1/items")
	log.Error("an error for error.log")
	if audit, err := sys.Sink("audit"); err == nil {
		audit.Logger().Notice("user 7 deleted order 12")
	}
	fmt.Print(sys.Status(ctx))
	return sys.Stop(ctx)
}
