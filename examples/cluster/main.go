// Command cluster collects the logs of two service nodes on a third node,
// over Proto.Actor remote, as three OS processes on loopback:
//
//	go run ./examples/cluster
//
// It starts the collector (this program again, with
// ACTORLOG_CLUSTER_ROLE=collector), which listens on 127.0.0.1 and writes
// every event it gets to one file, then two service nodes, whose actors
// log and crash and whose forwarders send it all to the collector. When
// the nodes have flushed it stops the collector, then the nodes, and
// prints the merged file: each line names the node it came from, and the
// crashes are translated.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/remote"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
)

// roleEnv names the role of a child process.
const roleEnv = "ACTORLOG_CLUSTER_ROLE"

func main() {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runRole(role))
	}
	dir, err := os.MkdirTemp("", "actorlog-cluster")
	if err == nil {
		defer os.RemoveAll(dir)
		err = run(os.Stdout, dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
}

// runRole runs a child process's part.
func runRole(role string) int {
	var err error
	switch role {
	case "collector":
		err = collector(os.Getenv("ACTORLOG_CLUSTER_OUT"))
	case "node":
		err = node(os.Getenv("ACTORLOG_CLUSTER_NAME"), os.Getenv("ACTORLOG_CLUSTER_COLLECTOR"))
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", role, err)
		return 1
	}
	return 0
}

// run starts the three processes and prints the collector's file.
func run(out io.Writer, dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	file := filepath.Join(dir, "cluster.log")
	coll := exec.Command(self)
	coll.Env = append(os.Environ(), roleEnv+"=collector", "ACTORLOG_CLUSTER_OUT="+file)
	coll.Stderr = os.Stderr
	stdin, err := coll.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := coll.StdoutPipe()
	if err != nil {
		return err
	}
	if err := coll.Start(); err != nil {
		return err
	}
	defer func() { _ = coll.Process.Kill(); _ = coll.Wait() }()
	// The collector prints its address once it listens.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return fmt.Errorf("collector did not start: %w", err)
	}
	address := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	fmt.Fprintf(out, "collector listening on %s\n", address)

	// The nodes log, flush to the collector and say so; they stay
	// connected until the collector has stopped, so that it tells them it
	// leaves, then they stop too.
	type node struct {
		name   string
		cmd    *exec.Cmd
		stdin  io.WriteCloser
		done   io.Reader
		stderr *bytes.Buffer // shown if the node fails: once the collector has gone, a node's remote reports the lost connection there
	}
	var nodes []node
	defer func() {
		for _, n := range nodes {
			_ = n.cmd.Process.Kill()
			_ = n.cmd.Wait()
		}
	}()
	for _, name := range []string{"orders", "billing"} {
		n := exec.Command(self)
		n.Env = append(os.Environ(), roleEnv+"=node", "ACTORLOG_CLUSTER_NAME="+name, "ACTORLOG_CLUSTER_COLLECTOR="+address)
		stderr := &bytes.Buffer{}
		n.Stderr = stderr
		in, err := n.StdinPipe()
		if err != nil {
			return err
		}
		done, err := n.StdoutPipe()
		if err != nil {
			return err
		}
		if err := n.Start(); err != nil {
			return err
		}
		nodes = append(nodes, node{name, n, in, done, stderr})
	}
	for _, n := range nodes {
		if line, err := bufio.NewReader(n.done).ReadString('\n'); err != nil || line != "flushed\n" {
			_ = n.cmd.Process.Kill()
			_ = n.cmd.Wait() // its stderr is all in
			return fmt.Errorf("node %s did not flush: %q, %v\n%s", n.name, line, err, n.stderr)
		}
	}
	_ = stdin.Close() // the collector stops, writing everything out
	if err := coll.Wait(); err != nil {
		return fmt.Errorf("collector: %w", err)
	}
	for _, n := range nodes {
		_ = n.stdin.Close()
		if err := n.cmd.Wait(); err != nil {
			return fmt.Errorf("node %s: %w\n%s", n.name, err, n.stderr)
		}
	}
	nodes = nil
	merged, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "the collector's file, merged from both nodes:\n%s", merged)
	return nil
}

// collector listens, writes every event to out, and stops when its stdin
// closes.
func collector(out string) error {
	format, err := formatter.ParseTemplate("$time [$level] $metadata$message\n")
	if err != nil {
		return err
	}
	format.Metadata = []string{"origin", "service"}
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "merged", Level: "info", Formatter: format,
			Filters: []handlers.Filter{remote.Filter(remote.Handle)}}, Handler: &handlers.File{Path: out}},
	}})
	if err != nil {
		return err
	}
	coll, err := remote.StartCollector(sys, remote.CollectorOptions{})
	if err != nil {
		return err
	}
	fmt.Printf("listening on %s\n", coll.Address())
	_, _ = io.Copy(io.Discard, os.Stdin) // until the parent closes it
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := coll.Stop(ctx); err != nil {
		return err
	}
	return sys.Stop(ctx)
}

// worker handles jobs; a job with a negative ID is a bug.
type worker struct{ log *actorlog.Logger }

// Receive implements actor.Actor.
func (w *worker) Receive(c actor.Context) {
	if id, ok := c.Message().(int); ok {
		w.log.ForActor(c).Info("handling job", "job", id)
		if id < 0 {
			var jobs []int
			_ = jobs[-id] // index out of range: a bug
		}
	}
}

// node logs, crashes an actor, and forwards everything to the collector.
func node(name, collectorAddress string) error {
	system := actor.NewActorSystem(append(actors.QuietConfig(), actor.WithLoggerFactory(actorlog.LoggerFactory))...)
	defer system.Shutdown()
	r, _, err := remote.Start(system, remote.Options{})
	if err != nil {
		return err
	}
	defer r.Shutdown(false)
	// Proto.Actor's own chatter about its connections stays home.
	quiet := handlers.Filter{ID: "no-transport-chatter", Fn: func(e *core.Event) handlers.FilterAction {
		if _, ok := e.Report.(*translator.Record); ok && e.Level < actorlog.LevelWarning {
			return handlers.Stop
		}
		return handlers.Ignore
	}}
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "to-collector", Level: "info", Filters: []handlers.Filter{quiet}},
			Handler: &remote.Forwarder{System: system, Collector: collectorAddress}},
	}})
	if err != nil {
		return err
	}
	log := sys.Logger().With("service", name)
	log.Info("service started")
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &worker{log: log} },
		actor.WithReceiverMiddleware(actors.CrashReporter())))
	system.Root.Send(pid, 1)
	system.Root.Send(pid, -2) // crashes: the translated report goes to the collector too
	if err := system.Root.PoisonFuture(pid).Wait(); err != nil {
		return err
	}
	log.Warning("service stopping")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sys.Stop(ctx); err != nil { // flushes: the forwarder waits for the collector's acks
		return err
	}
	fmt.Println("flushed")
	_, _ = io.Copy(io.Discard, os.Stdin) // connected until the parent says the collector has stopped
	return nil
}
