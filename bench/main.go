// Command bench measures actorlog against the Go loggers users know, and
// against the physical limit, on the same work, in one run:
//
//	cd bench && go run . -workload all
//
// Workloads (-workload w1|w2|w3|w4|all):
//
//	w1  file throughput: 4 producers × 250,000 events, message
//	    "user %d logged in from %s" with (i, "10.0.0.1"), fields
//	    request_id=i and path="/api/v1/items", into one file, until every
//	    line is in the file and flushed; the lines are counted.
//	w2  disabled level: a debug call while the level is info (ns/op,
//	    allocs/op), with w1's two fields and with the message alone.
//	w3  caller latency: w1 with every 100th call timed (p50, p99, max).
//	w4  flood: 4 producers for -flood (5 s) into a handler that takes 10 µs
//	    per event: peak RSS, handled, dropped (counted vs reported),
//	    caller p99.
//
// Each system runs in a child process of its own (this program run with
// -one), so that its peak RSS is its own. The table gives each system's
// ratio to the raw baseline and to zap (for w1 also to zap-buffered, and
// the run's CPU time). -rounds N runs every system N times, alternating
// them, and prints for each its median round, with ratios that are the
// medians of the ratios within each round: on a machine whose speed
// drifts (shared CPUs), one round is one sample. -events sets the events per
// producer (250,000) and -flood the flood's length. -one w1:actorlog
// -cpuprofile F runs one system in this process and writes its CPU profile;
// -trace F writes its execution trace.
package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// result is what one system did on one workload.
type result struct {
	Workload, System string
	Events           int
	Seconds          float64
	CPUSeconds       float64 // w1, w3: user and system time of the run
	Lines            int
	Bytes            int64
	PeakRSSMiB       float64
	NsPerOp          float64 // w2: with fields
	AllocsPerOp      int64
	NsPerOpBare      float64 // w2: the message alone
	AllocsPerOpBare  int64
	P50, P99, Max    time.Duration
	Handled          int64
	DropCounted      int64
	DropReported     int64
	Note             string
}

func (r result) eventsPerSec() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return float64(r.Events) / r.Seconds
}

var (
	workload  = flag.String("workload", "all", "w1, w2, w3, w4 or all")
	one       = flag.String("one", "", "internal: run one workload:system and print its result as JSON")
	producers = flag.Int("producers", 4, "producer goroutines")
	perProd   = flag.Int("events", 250_000, "events per producer (w1, w3)")
	flood     = flag.Duration("flood", 5*time.Second, "how long w4 floods")
	only      = flag.String("systems", "", "comma-separated systems to run (default: all)")
	cpuprof   = flag.String("cpuprofile", "", "with -one: write a CPU profile of the run to this file")
	tracefile = flag.String("trace", "", "with -one: write an execution trace of the run to this file (go tool trace)")
	rounds    = flag.Int("rounds", 1, "run the systems this many times, alternating, and print medians")
)

func main() {
	flag.Parse()
	if *one != "" {
		w, sys, _ := strings.Cut(*one, ":")
		stopProfile := record(*cpuprof, pprof.StartCPUProfile, pprof.StopCPUProfile)
		stopTrace := record(*tracefile, trace.Start, trace.Stop)
		r, err := runOne(w, sys)
		stopProfile()
		stopTrace()
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		_ = json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	workloads := []string{"w1", "w2", "w3", "w4"}
	if *workload != "all" {
		workloads = []string{*workload}
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	failed := false
	for _, w := range workloads {
		var runs [][]result // by round
		for range max(*rounds, 1) {
			var results []result
			for _, sys := range systemsFor(w) {
				if *only != "" && !strings.Contains(","+*only+",", ","+sys+",") {
					continue
				}
				r, err := child(self, w, sys)
				if err != nil {
					fmt.Fprintf(os.Stderr, "bench: %s %s: %v\n", w, sys, err)
					failed = true
					continue
				}
				results = append(results, r)
			}
			runs = append(runs, results)
		}
		printTable(w, runs)
	}
	if failed {
		os.Exit(1)
	}
}

// record starts writing a profile or trace to path with start, unless
// path is empty, and returns what stops it (stop, then close the file).
func record(path string, start func(io.Writer) error, stop func()) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = start(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	return func() {
		stop()
		_ = f.Close()
	}
}

// child runs one system on one workload in a process of its own.
func child(self, w, sys string) (result, error) {
	args := []string{"-one", w + ":" + sys, "-producers", fmt.Sprint(*producers), "-events", fmt.Sprint(*perProd), "-flood", flood.String()}
	cmd := exec.Command(self, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%w: %s", err, strings.TrimSpace(errOut.String()))
	}
	var r result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return result{}, fmt.Errorf("bad result %q: %w", out.String(), err)
	}
	return r, nil
}

func runOne(w, sys string) (result, error) {
	dir, err := os.MkdirTemp("", "actorlog-bench")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "out.log")
	var r result
	switch w {
	case "w1":
		r, err = runW1(sys, path, false)
	case "w2":
		r, err = runW2(sys, path)
	case "w3":
		r, err = runW1(sys, path, true)
	case "w4":
		r, err = runW4(sys, path)
	default:
		return result{}, fmt.Errorf("unknown workload %q", w)
	}
	r.Workload, r.System = w, sys
	r.PeakRSSMiB = peakRSS()
	return r, err
}

// peakRSS reads the process's peak resident set (VmHWM), in MiB.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}

// printTable prints workload w's table from runs, its results by round:
// for each system, the run of the median round by the workload's measure,
// and its ratios to raw and zap as the medians of their ratios within each
// round (a machine whose speed drifts moves every system of a round alike).
func printTable(w string, runs [][]result) {
	measure := map[string]func(result) float64{
		"w1": func(r result) float64 { return r.eventsPerSec() },
		"w2": func(r result) float64 { return r.NsPerOp },
		"w3": func(r result) float64 { return float64(r.P50) },
		"w4": func(r result) float64 { return r.eventsPerSec() },
	}[w]
	var rs []result // each system's median run, in the order of the first round
	for _, r := range runs[0] {
		rs = append(rs, medianRun(runs, r.System, measure))
	}
	ratio := func(sys, base string) string {
		var ratios []float64
		for _, round := range runs {
			s, b := find(round, sys), find(round, base)
			if s != nil && b != nil && measure(*b) != 0 {
				ratios = append(ratios, measure(*s)/measure(*b))
			}
		}
		if len(ratios) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f×", median(ratios))
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Printf("\n== %s\n", map[string]string{
		"w1": "file throughput (events/s; higher is better)",
		"w2": "disabled debug call (ns/op; lower is better)",
		"w3": "caller latency, every 100th call (lower is better)",
		"w4": "flood into a 10 µs/event handler",
	}[w])
	switch w {
	case "w1":
		fmt.Fprintln(tw, "system\tevents/s\tvs raw\tvs zap\tvs zap-buffered\tCPU s\tMB/s\tbytes/line\tlines\tpeak RSS MiB\tnote\t")
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%.2f\t%.1f\t%.1f\t%d\t%.0f\t%s\t\n", r.System, r.eventsPerSec(), ratio(r.System, "raw"), ratio(r.System, "zap"),
				ratio(r.System, "zap-buffered"), r.CPUSeconds, float64(r.Bytes)/r.Seconds/1e6, float64(r.Bytes)/float64(max(r.Lines, 1)), r.Lines, r.PeakRSSMiB, r.Note)
		}
	case "w2":
		fmt.Fprintln(tw, "system\tns/op\tallocs/op\tvs zap\tmessage only: ns/op\tallocs/op\t")
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%.2f\t%d\t%s\t%.2f\t%d\t\n", r.System, r.NsPerOp, r.AllocsPerOp, ratio(r.System, "zap"),
				r.NsPerOpBare, r.AllocsPerOpBare)
		}
	case "w3":
		fmt.Fprintln(tw, "system\tp50\tp99\tmax\tp50 vs zap\t")
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%v\t%v\t%v\t%s\t\n", r.System, r.P50, r.P99, r.Max, ratio(r.System, "zap"))
		}
	case "w4":
		fmt.Fprintln(tw, "system\tcalls/s\thandled\tdropped (counted)\tdropped (reported)\tcaller p99\tpeak RSS MiB\tnote\t")
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%.0f\t%d\t%d\t%d\t%v\t%.0f\t%s\t\n", r.System, r.eventsPerSec(), r.Handled, r.DropCounted, r.DropReported, r.P99, r.PeakRSSMiB, r.Note)
		}
	}
	_ = tw.Flush()
	if len(runs) > 1 {
		fmt.Printf("(%d rounds, alternating the systems: each row is its median round; ratios are medians of those within a round)\n", len(runs))
	}
}

// find returns system sys's result in round, or nil.
func find(round []result, sys string) *result {
	for i := range round {
		if round[i].System == sys {
			return &round[i]
		}
	}
	return nil
}

// medianRun returns system sys's result of the median round by measure.
func medianRun(runs [][]result, sys string, measure func(result) float64) result {
	var rs []result
	for _, round := range runs {
		if r := find(round, sys); r != nil {
			rs = append(rs, *r)
		}
	}
	slices.SortFunc(rs, func(a, b result) int { return cmp.Compare(measure(a), measure(b)) })
	return rs[len(rs)/2]
}

// median returns the median of vs (the upper one of an even count).
func median(vs []float64) float64 {
	vs = slices.Clone(vs)
	slices.Sort(vs)
	return vs[len(vs)/2]
}
