package supervision

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
)

func TestWindow(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	tests := []struct {
		name      string
		intensity int
		period    time.Duration
		restarts  []time.Duration // offsets of the restarts, in order
		want      []bool          // allowed, per restart
	}{
		{"exactly intensity restarts are allowed, one more is not", 3, time.Minute,
			[]time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}, []bool{true, true, true, false}},
		{"intensity zero allows none", 0, time.Minute, []time.Duration{0}, []bool{false}},
		{"restarts older than the period are forgotten", 1, 10 * time.Second,
			[]time.Duration{0, 11 * time.Second, 22 * time.Second}, []bool{true, true, true}},
		{"a restart exactly one period old still counts", 1, 10 * time.Second,
			[]time.Duration{0, 10 * time.Second}, []bool{true, false}},
		{"one nanosecond past the period it does not", 1, 10 * time.Second,
			[]time.Duration{0, 10*time.Second + 1}, []bool{true, true}},
		{"the window slides", 2, 10 * time.Second,
			[]time.Duration{0, 5 * time.Second, 10*time.Second + 1, 12 * time.Second}, []bool{true, true, true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := Window{Intensity: tc.intensity, Period: tc.period}
			for i, d := range tc.restarts {
				if got := w.Allow(at(d)); got != tc.want[i] {
					t.Errorf("restart %d at +%v: got allowed=%v, want %v", i, d, got, tc.want[i])
				}
			}
		})
	}
}

func TestWindowDropsOldEntries(t *testing.T) {
	w := Window{Intensity: 5, Period: time.Second}
	t0 := time.Now()
	for i := range 1000 {
		w.Allow(t0.Add(time.Duration(i) * time.Minute))
	}
	if len(w.times) != 1 {
		t.Fatalf("got %d remembered restarts, want 1", len(w.times))
	}
}

func TestDecide(t *testing.T) {
	var (
		panicked = &actors.PanicError{Value: "boom"}
		failed   = errors.New("disk full")
		wrapped  = fmt.Errorf("done: %w", ErrNormal)
	)
	tests := []struct {
		strategy Strategy
		restart  RestartType
		reason   error
		idx, n   int
		want     decision
	}{
		// Restart types against exit reasons.
		{OneForOne, Permanent, ErrNormal, 1, 3, decision{restart, 1, 2}},
		{OneForOne, Permanent, panicked, 1, 3, decision{restart, 1, 2}},
		{OneForOne, Transient, ErrNormal, 1, 3, decision{verdict: keep}},
		{OneForOne, Transient, wrapped, 1, 3, decision{verdict: keep}},
		{OneForOne, Transient, ErrShutdown, 1, 3, decision{verdict: keep}},
		{OneForOne, Transient, ErrKilled, 1, 3, decision{restart, 1, 2}},
		{OneForOne, Transient, failed, 1, 3, decision{restart, 1, 2}},
		{OneForOne, Transient, panicked, 1, 3, decision{restart, 1, 2}},
		{OneForOne, Temporary, panicked, 1, 3, decision{verdict: remove}},
		{OneForOne, Temporary, ErrNormal, 1, 3, decision{verdict: remove}},
		// Which children a restart involves.
		{OneForAll, Permanent, panicked, 1, 3, decision{restart, 0, 3}},
		{RestForOne, Permanent, panicked, 1, 3, decision{restart, 1, 3}},
		{RestForOne, Permanent, panicked, 2, 3, decision{restart, 2, 3}},
		{SimpleOneForOne, Permanent, panicked, 4, 9, decision{restart, 4, 5}},
		// simple_one_for_one deletes the children it does not restart.
		{SimpleOneForOne, Transient, ErrNormal, 0, 2, decision{verdict: remove}},
	}
	for _, tc := range tests {
		name := fmt.Sprintf("%s/%s/%v/%d-of-%d", tc.strategy, tc.restart, tc.reason, tc.idx, tc.n)
		t.Run(name, func(t *testing.T) {
			w := Window{Intensity: 10, Period: time.Minute}
			got := decide(tc.strategy, tc.restart, tc.reason, tc.idx, tc.n, &w, time.Now())
			if got != tc.want {
				t.Errorf("got %v %d-%d, want %v %d-%d", got.verdict, got.from, got.to, tc.want.verdict, tc.want.from, tc.want.to)
			}
		})
	}
}

func TestDecideGivesUpPastIntensityAndCountsOnlyRestarts(t *testing.T) {
	now := time.Now()
	w := Window{Intensity: 1, Period: time.Minute}
	// Exits that restart nothing are not counted.
	for range 5 {
		if d := decide(OneForOne, Transient, ErrNormal, 0, 1, &w, now); d.verdict != keep {
			t.Fatalf("got %v, want keep", d.verdict)
		}
	}
	if d := decide(OneForOne, Permanent, ErrKilled, 0, 1, &w, now); d.verdict != restart {
		t.Fatalf("got %v, want restart", d.verdict)
	}
	if d := decide(OneForOne, Permanent, ErrKilled, 0, 1, &w, now); d.verdict != giveUp {
		t.Fatalf("got %v, want give up", d.verdict)
	}
}

func TestSpecDefaultsAndValidation(t *testing.T) {
	ok := ChildSpec{ID: "a", Start: func([]any) (*actor.Props, error) { return nil, nil }}
	tests := []struct {
		name string
		spec Spec
		want string // "" = valid
	}{
		{"defaults", Spec{}, ""},
		{"unknown strategy", Spec{Strategy: 9}, "unknown strategy 9"},
		{"intensity below NoRestarts", Spec{Intensity: -2}, "intensity -2"},
		{"negative period", Spec{Period: -time.Second}, "negative period"},
		{"simple needs one template", Spec{Strategy: SimpleOneForOne}, "exactly one child spec, got 0"},
		{"empty ID", Spec{Children: []ChildSpec{{Start: ok.Start}}}, "empty ID"},
		{"no Props nor Start", Spec{Children: []ChildSpec{{ID: "x"}}}, `child "x": Props and Start are both nil`},
		{"duplicate", Spec{Children: []ChildSpec{ok, ok}}, `duplicate child ID "a"`},
		{"bad restart", Spec{Children: []ChildSpec{{ID: "r", Start: ok.Start, Restart: 7}}}, `child "r": unknown restart type 7`},
		{"bad kind", Spec{Children: []ChildSpec{{ID: "k", Start: ok.Start, Kind: 3}}}, `child "k": unknown kind 3`},
		{"bad shutdown", Spec{Children: []ChildSpec{{ID: "s", Start: ok.Start, Shutdown: -2}}}, `child "s": negative shutdown`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.spec.withDefaults()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got error %v", err)
				}
				if got.Intensity != DefaultIntensity || got.Period != DefaultPeriod || got.Name != "supervisor" {
					t.Errorf("got %d in %v named %q, want the defaults", got.Intensity, got.Period, got.Name)
				}
				return
			}
			if !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want ErrInvalidSpec mentioning %q", err, tc.want)
			}
		})
	}
	if s, _ := (Spec{Intensity: NoRestarts}).withDefaults(); s.Intensity != 0 {
		t.Errorf("NoRestarts: got intensity %d, want 0", s.Intensity)
	}
}

func TestChildDefaults(t *testing.T) {
	w, s := ChildSpec{}, ChildSpec{Kind: KindSupervisor}
	if w.shutdown() != DefaultWorkerShutdown || s.shutdown() != Infinity {
		t.Errorf("shutdown defaults: worker %v, supervisor %v", w.shutdown(), s.shutdown())
	}
	if w.startTimeout() != DefaultWorkerStartTimeout || s.startTimeout() != Infinity {
		t.Errorf("start timeout defaults: worker %v, supervisor %v", w.startTimeout(), s.startTimeout())
	}
	if b := (ChildSpec{Shutdown: BrutalKill}); b.shutdown() != BrutalKill {
		t.Errorf("BrutalKill: got %v", b.shutdown())
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{OneForOne.String(), "one_for_one"}, {OneForAll.String(), "one_for_all"},
		{RestForOne.String(), "rest_for_one"}, {SimpleOneForOne.String(), "simple_one_for_one"},
		{Permanent.String(), "permanent"}, {Transient.String(), "transient"}, {Temporary.String(), "temporary"},
		{KindWorker.String(), "worker"}, {KindSupervisor.String(), "supervisor"},
		{Strategy(9).String(), "Strategy(9)"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
