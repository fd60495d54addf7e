package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
)

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		cfg  handlers.Config
		mask core.Mask
		err  string
	}{
		{handlers.Config{ID: "a"}, core.MaskAll, ""},
		{handlers.Config{ID: "a", Level: "info"}, 127, ""},
		{handlers.Config{ID: "a", Level: "!=info"}, 255 &^ 64, ""},
		{handlers.Config{ID: "a", Level: "none"}, 0, ""},
		{handlers.Config{}, 0, "id: must not be empty"},
		{handlers.Config{ID: "a", Level: "loud"}, 0, `handler "a": level: bad level: level expression "loud"`},
		{handlers.Config{ID: "a", FilterDefault: handlers.Ignore}, 0, "filter_default: must be Log or Stop"},
		{handlers.Config{ID: "a", Filters: []handlers.Filter{{ID: "f"}}}, 0, `filters[0]: filter "f" has a nil function`},
	}
	for _, tc := range tests {
		err := tc.cfg.Check()
		if tc.err != "" {
			if !errors.Is(err, handlers.ErrBadConfig) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%+v: got %v, want an ErrBadConfig with %q", tc.cfg, err, tc.err)
			}
			continue
		}
		if err != nil || tc.cfg.Mask() != tc.mask {
			t.Errorf("%+v: got %v, %08b; want %08b", tc.cfg, err, tc.cfg.Mask(), tc.mask)
		}
	}
}

func TestAccepts(t *testing.T) {
	f := func(a handlers.FilterAction) handlers.Filter {
		return handlers.Filter{ID: fmt.Sprint(a), Fn: func(*core.Event) handlers.FilterAction { return a }}
	}
	broken := handlers.Filter{ID: "broken", Fn: func(*core.Event) handlers.FilterAction { panic("bug") }}
	tests := []struct {
		name    string
		level   string
		dflt    handlers.FilterAction
		filters []handlers.Filter
		event   core.Level
		want    bool
		panics  int
	}{
		{"no filters, level passes", "info", handlers.Log, nil, core.LevelInfo, true, 0},
		{"level rejects first", "error", handlers.Log, []handlers.Filter{f(handlers.Log)}, core.LevelInfo, false, 0},
		{"stop wins", "", handlers.Log, []handlers.Filter{f(handlers.Log), f(handlers.Stop)}, core.LevelInfo, false, 0},
		{"log passes over filter_default stop", "", handlers.Stop, []handlers.Filter{f(handlers.Ignore), f(handlers.Log)}, core.LevelInfo, true, 0},
		{"all ignore: filter_default log", "", handlers.Log, []handlers.Filter{f(handlers.Ignore)}, core.LevelInfo, true, 0},
		{"all ignore: filter_default stop", "", handlers.Stop, []handlers.Filter{f(handlers.Ignore), f(handlers.Ignore)}, core.LevelInfo, false, 0},
		{"no filters: filter_default stop", "", handlers.Stop, nil, core.LevelInfo, false, 0},
		{"a panicking filter ignores", "", handlers.Stop, []handlers.Filter{broken, f(handlers.Log)}, core.LevelInfo, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := handlers.Config{ID: "h", Level: tc.level, FilterDefault: tc.dflt, Filters: tc.filters}
			if err := cfg.Check(); err != nil {
				t.Fatal(err)
			}
			got, panics := cfg.Accepts(&core.Event{Level: tc.event})
			if got != tc.want || panics != tc.panics {
				t.Errorf("got %v with %d panics, want %v with %d", got, panics, tc.want, tc.panics)
			}
		})
	}
}

func TestFatal(t *testing.T) {
	base := errors.New("bad option")
	err := handlers.Fatal(base)
	if !handlers.IsFatal(err) || !errors.Is(err, base) || err.Error() != "bad option" {
		t.Errorf("got %v", err)
	}
	if handlers.IsFatal(base) || handlers.Fatal(nil) != nil {
		t.Error("IsFatal/Fatal(nil)")
	}
	if !handlers.IsFatal(fmt.Errorf("wrapped: %w", err)) {
		t.Error("a wrapped fatal error is fatal")
	}
}

func TestConfigFormat(t *testing.T) {
	e := &core.Event{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Level: core.LevelError, Message: "m"}
	cfg := handlers.Config{ID: "h"}
	if got := string(cfg.Format(nil, e)); !strings.HasSuffix(got, "[error]  m\n") {
		t.Errorf("fallback is lager's default format: %q", got)
	}
	cfg.SetDefaultFormatter(&formatter.Lager{Tokens: formatter.Tokens(formatter.Sev)})
	if got := string(cfg.Format(nil, e)); got != "E" {
		t.Errorf("the handler's default: %q", got)
	}
	cfg.Formatter = &formatter.Lager{Tokens: formatter.Tokens(formatter.Message)}
	if got := string(cfg.Format(nil, e)); got != "m" {
		t.Errorf("the configured formatter wins: %q", got)
	}
}

func TestMemory(t *testing.T) {
	m := &handlers.Memory{Max: 3}
	cfg := handlers.Config{ID: "m", Formatter: &formatter.Lager{Tokens: formatter.Tokens(formatter.Message)}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	found := make(chan *core.Event, 1)
	go func() {
		e, _ := m.WaitMatch(ctx, func(e *core.Event) bool { return e.Message == "e4" })
		found <- e
	}()
	for i := range 5 {
		_ = m.Log(&core.Event{Message: fmt.Sprintf("e%d", i)}, &cfg)
	}
	if e := <-found; e == nil || e.Message != "e4" {
		t.Fatalf("WaitMatch: %v", e)
	}
	if got := m.Lines(); strings.Join(got, ",") != "e2,e3,e4" {
		t.Errorf("Max keeps the newest: %v", got)
	}
	// At Max, an event costs its line, not a copy of all those kept.
	big := &handlers.Memory{Max: 512}
	e := &core.Event{Message: "x"}
	for range 2 * big.Max {
		_ = big.Log(e, &cfg)
	}
	if allocs := testing.AllocsPerRun(4*big.Max, func() { _ = big.Log(e, &cfg) }); allocs > 2 {
		t.Errorf("%v allocations per event at Max", allocs)
	}
	if big.Len() != big.Max {
		t.Errorf("Len %d at Max %d", big.Len(), big.Max)
	}
	events, err := m.WaitFor(ctx, 3)
	if err != nil || len(events) != 3 || m.Len() != 3 {
		t.Errorf("WaitFor: %d, %v", len(events), err)
	}
	short, cancelShort := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancelShort()
	if _, err := m.WaitFor(short, 10); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "3 of 10 events") {
		t.Errorf("WaitFor past its context: %v", err)
	}
	m.Reset()
	if m.Len() != 0 || len(m.Events()) != 0 {
		t.Error("Reset")
	}
}
