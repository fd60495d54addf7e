package remote_test

// The collector and nodes as processes of their own: this test binary
// again, in a role (roleEnv), on loopback, killed with SIGKILL
// mid-stream. These tests run under -race too: each process has one
// remote.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/remote"
	"github.com/asynkron/protoactor-go/actor"
)

// roleEnv names the role of a child process; the other variables are
// its settings.
const (
	roleEnv      = "ACTORLOG_REMOTE_TEST_ROLE"
	portEnv      = "ACTORLOG_REMOTE_TEST_PORT"
	outEnv       = "ACTORLOG_REMOTE_TEST_OUT"
	collectorEnv = "ACTORLOG_REMOTE_TEST_COLLECTOR"
	runEnv       = "ACTORLOG_REMOTE_TEST_RUN"
)

// runRole runs a child process's part.
func runRole(role string) int {
	var err error
	switch role {
	case "collector":
		err = runCollector()
	case "node":
		err = runNode()
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", role, err)
		return 1
	}
	return 0
}

// lineHandler writes each event to its file at once, with a system call,
// so that a SIGKILL loses none it has taken: "E origin run i" for a
// node's, "L level message" for others. It prints "resumed D" on
// standard output at the first node event, D being the nanoseconds since
// start.
type lineHandler struct {
	f     *os.File
	start atomic.Int64
	once  sync.Once
	buf   []byte
}

// Log implements handlers.Handler.
func (h *lineHandler) Log(e *core.Event, _ *handlers.Config) error {
	if i, ok := e.Lookup("i"); ok && e.Node != "" {
		h.once.Do(func() { fmt.Printf("resumed %d\n", time.Now().UnixNano()-h.start.Load()) })
		run, _ := e.Lookup("run")
		h.buf = fmt.Appendf(h.buf[:0], "E %s %s %d\n", e.Node, run, i.Int64())
	} else {
		h.buf = fmt.Appendf(h.buf[:0], "L %s %s\n", e.Level, e.Message)
	}
	_, err := h.f.Write(h.buf)
	return err
}

// runCollector collects on the port portEnv into the file outEnv, and
// prints "listening" once it listens. It stops when its standard input
// closes.
func runCollector() error {
	port, err := strconv.Atoi(os.Getenv(portEnv))
	if err != nil {
		return err
	}
	out, err := os.OpenFile(os.Getenv(outEnv), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	lines := &lineHandler{f: out}
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "lines", Level: "debug"}, Handler: lines}}})
	if err != nil {
		return err
	}
	lines.start.Store(time.Now().UnixNano())
	coll, err := remote.StartCollector(sys, remote.CollectorOptions{Options: remote.Options{Port: port}})
	if err != nil {
		return err
	}
	fmt.Printf("listening %d\n", time.Now().UnixNano()-lines.start.Load())
	_, _ = io.Copy(io.Discard, os.Stdin)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := coll.Stop(ctx); err != nil {
		return err
	}
	return sys.Stop(ctx)
}

// runNode listens on portEnv, logs 10,000 events a second, numbered, with
// run runEnv, and forwards them to the collector collectorEnv. When its
// standard input closes it stops logging, flushes, and prints "logged N
// dropped D": the events logged and those dropped, counted.
func runNode() error {
	port, err := strconv.Atoi(os.Getenv(portEnv))
	if err != nil {
		return err
	}
	run := os.Getenv(runEnv)
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	r, _, err := remote.Start(system, remote.Options{Port: port})
	if err != nil {
		return err
	}
	defer r.Shutdown(false)
	fwd := &remote.Forwarder{System: system, Collector: os.Getenv(collectorEnv), MaxBuffer: 2000}
	ownReports := handlers.Filter{ID: "no-own-reports", Fn: func(e *core.Event) handlers.FilterAction {
		if _, ok := e.Lookup("collector"); ok {
			return handlers.Stop
		}
		return handlers.Ignore
	}}
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "forward", Level: "info", Filters: []handlers.Filter{ownReports}}, Handler: fwd}}})
	if err != nil {
		return err
	}
	stop := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(stop) }()
	fmt.Println("started")
	log := sys.Logger()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	var i int64
	for logging := true; logging; {
		select {
		case <-stop:
			logging = false
		case <-tick.C:
			for range 50 {
				log.Info("e", "run", run, "i", i)
				i++
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sys.Flush(ctx); err != nil {
		return err
	}
	dropped := fwd.Dropped()
	for _, s := range sys.Status(ctx).Sinks {
		dropped += s.Drops.Total()
		for _, h := range s.Handlers {
			dropped += h.Dropped
		}
	}
	fmt.Printf("logged %d dropped %d\n", i, dropped)
	return sys.Stop(ctx)
}

// child is a child process, its standard input and the lines of its
// output (closed at its end).
type child struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out chan string
}

// start starts this test binary in role, with env; it fails t at once
// if that cannot be.
func start(t *testing.T, role string, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), roleEnv+"="+role), env...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, in: in, out: make(chan string, 16)}
	go func() { // ends with the child's output
		defer close(c.out)
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			c.out <- lines.Text()
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return c
}

// line reads the child's next line of output, and checks that it starts
// with want.
func (c *child) line(t *testing.T, want string) string {
	t.Helper()
	select {
	case l, ok := <-c.out:
		if !ok || !strings.HasPrefix(l, want) {
			t.Fatalf("%s: read %q (output open: %v); want %q", c.cmd.Env[len(c.cmd.Env)-1], l, ok, want)
		}
		return strings.TrimPrefix(l, want)
	case <-time.After(time.Minute):
		t.Fatalf("%s: no line %q within a minute", c.cmd.Env[len(c.cmd.Env)-1], want)
	}
	return ""
}

// kill kills the child with SIGKILL and waits for it.
func (c *child) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_ = c.cmd.Wait()
}

func loopbackPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	return p
}

// eventually waits for cond, polling, or fails t.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The collector is killed (SIGKILL) ten times mid-stream and restarted
// at once on its port, and one node once, restarted on its own. Across
// the collector's files, each node run has every event it logged, once,
// or counted as dropped; the duplicates are at most one batch per kill.
// The collector logs the killed node as disappeared and back.
func TestKillsAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("processes")
	}
	const kills, batch = 10, remote.DefaultBatchSize
	dir := t.TempDir()
	port := loopbackPort(t)
	address := "127.0.0.1:" + port
	file := func(k int) string { return filepath.Join(dir, fmt.Sprintf("collector-%02d.log", k)) }
	listening := map[int]string{}
	startColl := func(k int) *child {
		c := start(t, "collector", portEnv+"="+port, outEnv+"="+file(k))
		listening[k] = c.line(t, "listening ")
		return c
	}
	size := func(k int) int64 {
		st, err := os.Stat(file(k))
		if err != nil {
			return 0
		}
		return st.Size()
	}
	coll := startColl(0)
	nodePort := map[string]string{"a": loopbackPort(t), "b": loopbackPort(t)}
	startNode := func(name, run string) *child {
		n := start(t, "node", portEnv+"="+nodePort[name], collectorEnv+"="+address, runEnv+"="+run)
		n.line(t, "started")
		return n
	}
	a, b := startNode("a", "1"), startNode("b", "1")
	var resumed []time.Duration
	for k := 1; k <= kills; k++ {
		eventually(t, "events at the collector", func() bool { return size(k-1) > 100_000 })
		if k == kills/2 {
			eventually(t, "node b connected", func() bool {
				data, _ := os.ReadFile(file(k - 1))
				return strings.Contains(string(data), "E 127.0.0.1:"+nodePort["b"]+" 1 ")
			})
			b.kill()
			b = startNode("b", "2")
			eventually(t, "node b back", func() bool {
				data, _ := os.ReadFile(file(k - 1))
				return strings.Contains(string(data), " is back, ")
			})
		}
		coll.kill()
		coll = startColl(k)
		d, err := strconv.ParseInt(coll.line(t, "resumed "), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		resumed = append(resumed, time.Duration(d))
	}
	eventually(t, "events at the last collector", func() bool { return size(kills) > 100_000 })
	stats := map[string][3]int64{} // origin/run → logged, dropped, collector kills seen
	for name, n := range map[string]*child{"a": a, "b": b} {
		_ = n.in.Close()
		var logged, dropped int64
		if _, err := fmt.Sscanf(n.line(t, "logged "), "%d dropped %d", &logged, &dropped); err != nil {
			t.Fatal(err)
		}
		if err := n.cmd.Wait(); err != nil {
			t.Fatalf("node %s: %v", name, err)
		}
		run := map[string]string{"a": "1", "b": "2"}[name]
		stats["127.0.0.1:"+nodePort[name]+"/"+run] = [3]int64{logged, dropped, map[string]int64{"a": kills, "b": kills - kills/2 + 1}[name]}
	}
	// Every event the nodes logged is acknowledged, so written: the last
	// collector is killed too. Its graceful Stop would meet the pinned
	// Proto.Actor's race between a node connection that closed earlier
	// (node b's) and the remote's shutdown, which the race detector
	// reports in this child; Stop is tested in process, without -race.
	coll.kill()

	seen := map[string]map[int64]int{} // origin/run → i → times
	var others []string
	for k := 0; k <= kills; k++ {
		data, err := os.ReadFile(file(k))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			var origin, run string
			var i int64
			if _, err := fmt.Sscanf(l, "E %s %s %d", &origin, &run, &i); err != nil {
				others = append(others, l)
				continue
			}
			key := origin + "/" + run
			if seen[key] == nil {
				seen[key] = map[int64]int{}
			}
			seen[key][i]++
		}
	}
	for key, st := range stats {
		unique, dups := int64(len(seen[key])), 0
		for _, n := range seen[key] {
			dups += n - 1
		}
		t.Logf("%s: logged %d, at the collector %d once and %d duplicates, dropped %d", key, st[0], unique, dups, st[1])
		if unique+st[1] != st[0] {
			t.Errorf("%s: %d at the collector + %d dropped != %d logged", key, unique, st[1], st[0])
		}
		if int64(dups) > st[2]*batch {
			t.Errorf("%s: %d duplicates, more than a batch for each of %d kills", key, dups, st[2])
		}
	}
	// Not asserted: timings. From the start of a collector process's
	// StartCollector to listening, and to the first event it wrote.
	t.Logf("listening after %v ns; the first event written after %v", listening, resumed)
	b1 := "127.0.0.1:" + nodePort["b"]
	for _, want := range []string{"node " + b1 + " disappeared: ", "node " + b1 + " is back, "} {
		if !slices.ContainsFunc(others, func(l string) bool { return strings.HasPrefix(l, "L warning collector: "+want) }) {
			t.Errorf("no warning %q in\n%s", want, strings.Join(others, "\n"))
		}
	}
}
