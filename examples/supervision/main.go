// Command supervision is a runnable tour of OTP supervision on Proto.Actor:
// a one_for_one root with a simple_one_for_one pool under it. Workers crash
// in several ways, the tree is printed as it changes, the pool reaches its
// restart intensity and escalates, and the root restarts it. It runs to
// completion by itself and exits 0.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// Messages a worker understands.
type (
	crash struct{} // panic with a runtime error
	quit  struct{ reason error }
)

// out is where the tour prints.
var out io.Writer = os.Stdout

// worker serves one shard. It says when it stops, so the tour shows the
// order in which a supervisor terminates its children.
type worker struct {
	shard   string
	table   map[string]int
	stopped chan<- string
}

func (w *worker) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		w.table = map[string]int{"a": 1}
	case *actor.Stopping:
		w.stopped <- fmt.Sprintf("stopping %s (%s)", w.shard, actors.PIDString(c.Self()))
	case crash:
		var shards []string
		_ = shards[len(w.shard)] // index out of range
	case quit:
		supervision.Exit(c, m.reason)
	}
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "supervision demo:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()

	events := make(chan string, 256)
	sub := system.EventStream.Subscribe(func(e any) {
		switch r := e.(type) {
		case *actors.CrashReport:
			events <- "crash    " + firstLine(r.String())
		case supervision.Report:
			events <- "report   " + r.String()
		}
	})
	defer system.EventStream.Unsubscribe(sub)

	pool := supervision.ChildSupervisor("pool", supervision.Spec{
		Strategy:  supervision.SimpleOneForOne,
		Intensity: 2,
		Period:    10 * time.Second,
		Children: []supervision.ChildSpec{{
			ID:      "shard",
			Restart: supervision.Permanent,
			Start: func(args []any) (*actor.Props, error) {
				shard := args[0].(string)
				return actor.PropsFromProducer(func() actor.Actor { return &worker{shard: shard, stopped: events} }), nil
			},
		}},
	})
	auditor := supervision.ChildSpec{
		ID:      "auditor",
		Restart: supervision.Transient,
		Props:   actor.PropsFromProducer(func() actor.Actor { return &worker{shard: "audit", stopped: events} }),
	}
	step("start a one_for_one root: a simple_one_for_one pool and a transient auditor")
	root, err := supervision.Start(ctx, system, supervision.Spec{
		Name: "root", Strategy: supervision.OneForOne, Intensity: 3, Period: 10 * time.Second,
		Children: []supervision.ChildSpec{pool, auditor},
	})
	if err != nil {
		return err
	}
	drain(events)
	poolSup, err := child(ctx, system, root, "pool")
	if err != nil {
		return err
	}
	for _, shard := range []string{"eu", "us", "asia"} {
		if _, err := poolSup.StartChildArgs(ctx, shard); err != nil {
			return err
		}
	}
	drain(events)
	if err := printTree(ctx, system, root); err != nil {
		return err
	}

	step("shard-1 panics: restarted in place, same PID, mailbox kept")
	if err := send(ctx, system, poolSup, "shard-1", crash{}); err != nil {
		return err
	}
	if err := waitFor(ctx, events, `"shard-1" (nonhost/root/pool/shard-1) permanent worker restarted in place`); err != nil {
		return err
	}

	step("the auditor exits normally: transient, so it is neither restarted nor reported")
	if err := send(ctx, system, root, "auditor", quit{}); err != nil {
		return err
	}
	if err := waitFor(ctx, events, "stopping audit"); err != nil {
		return err
	}
	if err := awaitNotRunning(ctx, root, "auditor"); err != nil {
		return err
	}
	if err := printTree(ctx, system, root); err != nil {
		return err
	}

	step("shard-2 exits abnormally: restarted as a new actor")
	if err := send(ctx, system, poolSup, "shard-2", quit{reason: errors.New("lost its database")}); err != nil {
		return err
	}
	if err := waitFor(ctx, events, `"shard-2" (nonhost/root/pool/shard-2~2) permanent worker restarted as`); err != nil {
		return err
	}

	step("shard-3 panics: the pool's third restart in 10 s is one too many; it escalates and the root restarts it")
	if err := send(ctx, system, poolSup, "shard-3", crash{}); err != nil {
		return err
	}
	// The root restarts the pool as a new actor, empty: a simple_one_for_one
	// supervisor starts no child by itself.
	if err := waitFor(ctx, events, `child "pool" (nonhost/root/pool~2) permanent supervisor restarted`); err != nil {
		return err
	}
	if err := printTree(ctx, system, root); err != nil {
		return err
	}

	step("restart the auditor, then give the new pool two shards")
	if _, err := root.RestartChild(ctx, "auditor"); err != nil {
		return err
	}
	if poolSup, err = child(ctx, system, root, "pool"); err != nil {
		return err
	}
	for _, shard := range []string{"eu", "us"} {
		if _, err := poolSup.StartChildArgs(ctx, shard); err != nil {
			return err
		}
	}
	drain(events)
	if err := printTree(ctx, system, root); err != nil {
		return err
	}

	step("stop the root: children terminate in reverse start order (the auditor, then the pool's shards, the last started first)")
	if err := root.Stop(ctx); err != nil {
		return err
	}
	drain(events)
	fmt.Fprintln(out, "done")
	return nil
}

func step(s string) { fmt.Fprintf(out, "\n== %s\n", s) }

// send sends msg to the child id of sup.
func send(ctx context.Context, system *actor.ActorSystem, sup *supervision.Supervisor, id string, msg any) error {
	pid, err := pidOf(ctx, sup, id)
	if err != nil {
		return err
	}
	system.Root.Send(pid, msg)
	return nil
}

func pidOf(ctx context.Context, sup *supervision.Supervisor, id string) (*actor.PID, error) {
	children, err := sup.WhichChildren(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range children {
		if c.ID == id {
			return c.PID, nil
		}
	}
	return nil, fmt.Errorf("no child %q", id)
}

// awaitNotRunning asks sup for its children until the child id is not
// running: a normal exit of a transient child publishes no report to wait
// for.
func awaitNotRunning(ctx context.Context, sup *supervision.Supervisor, id string) error {
	for {
		pid, err := pidOf(ctx, sup, id)
		if err != nil || pid == nil {
			return err
		}
	}
}

func child(ctx context.Context, system *actor.ActorSystem, sup *supervision.Supervisor, id string) (*supervision.Supervisor, error) {
	pid, err := pidOf(ctx, sup, id)
	if err != nil {
		return nil, err
	}
	return supervision.Of(system, pid), nil
}

// printTree prints which_children, recursively.
func printTree(ctx context.Context, system *actor.ActorSystem, root *supervision.Supervisor) error {
	fmt.Fprintln(out, "tree:")
	fmt.Fprintf(out, "  root %s\n", actors.PIDString(root.PID()))
	return printChildren(ctx, system, root, "    ")
}

func printChildren(ctx context.Context, system *actor.ActorSystem, sup *supervision.Supervisor, indent string) error {
	children, err := sup.WhichChildren(ctx)
	if err != nil {
		return err
	}
	for _, c := range children {
		where := "not running"
		if c.PID != nil {
			where = actors.PIDString(c.PID)
		}
		fmt.Fprintf(out, "%s%s %s (%s %s)\n", indent, c.ID, where, c.Restart, c.Kind)
		if c.Kind == supervision.KindSupervisor && c.PID != nil {
			if err := printChildren(ctx, system, supervision.Of(system, c.PID), indent+"  "); err != nil {
				return err
			}
		}
	}
	return nil
}

// drain prints the events published so far.
func drain(events <-chan string) {
	for {
		select {
		case e := <-events:
			fmt.Fprintln(out, e)
		default:
			return
		}
	}
}

// waitFor prints events until one contains want.
func waitFor(ctx context.Context, events <-chan string, want string) error {
	for {
		select {
		case e := <-events:
			fmt.Fprintln(out, e)
			if strings.Contains(e, want) {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("waiting for %q: %w", want, ctx.Err())
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
