package sinks

import (
	"strings"
	"testing"
	"time"
)

func TestNextMode(t *testing.T) {
	th, err := Thresholds{}.WithDefaults() // 20, window 5, discard 500
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cur   Mode
		queue int
		want  Mode
	}{
		{Async, 0, Async},
		{Async, 20, Async},
		{Async, 21, Sync}, // above 20
		{Sync, 21, Sync},
		{Sync, 15, Sync},  // inside the window
		{Sync, 14, Async}, // below 20 − 5
		{Async, 15, Async},
		{Sync, 499, Sync},
		{Async, 499, Sync},
		{Sync, 500, Discard}, // at the discard threshold
		{Async, 500, Discard},
		{Discard, 10000, Discard},
		{Discard, 499, Discard}, // inside the discard window: still discard
		{Discard, 400, Discard},
		{Discard, 399, Sync}, // below 500 − 100
		{Sync, 400, Sync},    // the discard window holds only what is in discard mode
		{Async, 450, Sync},
		{Discard, 15, Sync}, // leaving discard inside the async window: still sync
		{Discard, 14, Async},
		{Discard, 0, Async},
	}
	for _, tc := range tests {
		if got := nextMode(tc.cur, tc.queue, &th); got != tc.want {
			t.Errorf("from %v at %d: got %v, want %v", tc.cur, tc.queue, got, tc.want)
		}
	}
	small := Thresholds{AsyncThreshold: 2, AsyncThresholdWindow: 1, DiscardThreshold: 5, DiscardThresholdWindow: 1}
	for _, tc := range []struct {
		cur   Mode
		queue int
		want  Mode
	}{{Async, 3, Sync}, {Sync, 1, Sync}, {Sync, 0, Async}, {Sync, 5, Discard}, {Discard, 4, Discard}, {Discard, 3, Sync}} {
		if got := nextMode(tc.cur, tc.queue, &small); got != tc.want {
			t.Errorf("2/1/5/1 from %v at %d: got %v, want %v", tc.cur, tc.queue, got, tc.want)
		}
	}
}

func TestThresholds(t *testing.T) {
	got, err := Thresholds{}.WithDefaults()
	want := Thresholds{AsyncThreshold: 20, AsyncThresholdWindow: 5, DiscardThreshold: 500, DiscardThresholdWindow: 100, DiscardCheckInterval: 30 * time.Second,
		KillerReinstallAfter: 5 * time.Second, SyncTimeout: 5 * time.Second}
	if err != nil || got != want {
		t.Errorf("defaults: got %+v, %v", got, err)
	}
	if w, _ := (Thresholds{AsyncThreshold: 100}).WithDefaults(); w.AsyncThresholdWindow != 20 {
		t.Errorf("the window defaults to a fifth of the threshold: %d", w.AsyncThresholdWindow)
	}
	for _, tc := range []struct {
		th   Thresholds
		want int
	}{
		{Thresholds{DiscardThreshold: 1000}, 200},                 // a fifth
		{Thresholds{AsyncThreshold: 20, DiscardThreshold: 22}, 1}, // at most discard − async − 1: leaving discard is sync
		{Thresholds{AsyncThreshold: 20, DiscardThreshold: 21}, 0}, // no room
		{Thresholds{DiscardThreshold: 500, DiscardThresholdWindow: 7}, 7},
	} {
		if w, err := tc.th.WithDefaults(); err != nil || w.DiscardThresholdWindow != tc.want {
			t.Errorf("%+v: discard window %d (%v), want %d", tc.th, w.DiscardThresholdWindow, err, tc.want)
		}
	}
	for _, tc := range []struct {
		th   Thresholds
		want string
	}{
		{Thresholds{AsyncThreshold: -2}, "async_threshold: must be >= 0 or Off (-1), got -2"},
		{Thresholds{AsyncThresholdWindow: -1}, "async_threshold_window: must not be negative"},
		{Thresholds{AsyncThreshold: 10, AsyncThresholdWindow: 11}, "async_threshold_window: must not exceed async_threshold (10), got 11"},
		{Thresholds{DiscardThreshold: 20}, "discard_threshold: must exceed async_threshold (20), got 20"},
		{Thresholds{DiscardThresholdWindow: -1}, "discard_threshold_window: must not be negative"},
		{Thresholds{DiscardThresholdWindow: 480}, "discard_threshold_window: must be less than discard_threshold − async_threshold (480), got 480"},
		{Thresholds{KillerHWM: 20}, "killer_hwm: must exceed async_threshold (20), got 20"},
		{Thresholds{KillerHWM: -3}, "killer_hwm: must not be negative"},
		{Thresholds{SyncTimeout: -time.Second}, "must not be negative"},
	} {
		if _, err := tc.th.WithDefaults(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.th, err, tc.want)
		}
	}
}
