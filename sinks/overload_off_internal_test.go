package sinks

import (
	"strings"
	"testing"
)

func TestNextModeWithSyncOff(t *testing.T) {
	th, err := Thresholds{AsyncThreshold: Off}.WithDefaults()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cur   Mode
		queue int
		want  Mode
	}{
		{Async, 0, Async},
		{Async, 21, Async},
		{Async, 499, Async},
		{Async, 500, Discard},
		{Discard, 500, Discard},
		{Discard, 400, Discard}, // inside the discard window (100)
		{Discard, 399, Async},
		{Discard, 0, Async},
	} {
		if got := nextMode(tc.cur, tc.queue, &th); got != tc.want {
			t.Errorf("from %v at %d: got %v, want %v", tc.cur, tc.queue, got, tc.want)
		}
	}
}

func TestThresholdsWithSyncOff(t *testing.T) {
	for _, tc := range []struct {
		th   Thresholds
		want string // "" for valid
	}{
		{Thresholds{AsyncThreshold: Off}, ""},
		{Thresholds{AsyncThreshold: Off, DiscardThreshold: 1}, ""},
		{Thresholds{AsyncThreshold: Off, KillerHWM: 1}, ""},
		{Thresholds{AsyncThreshold: Off, AsyncThresholdWindow: 5}, "async_threshold_window: must be 0 with async_threshold Off, got 5"},
		{Thresholds{AsyncThreshold: -2}, "async_threshold: must be >= 0 or Off (-1), got -2"},
	} {
		got, err := tc.th.WithDefaults()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.th, err)
		case tc.want == "" && got.AsyncThreshold != Off:
			t.Errorf("%+v: AsyncThreshold %d, want Off", tc.th, got.AsyncThreshold)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: got %v, want %q", tc.th, err, tc.want)
		}
	}
}
