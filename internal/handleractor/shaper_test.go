package handleractor

import (
	"testing"
	"time"
)

func TestShaper(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 12, 0, 0, 900_000_000, time.UTC) // windows need not start on a second
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	s := Shaper{HWM: 3}
	type step struct {
		at     int
		ok     bool
		closed int
	}
	steps := []step{
		{0, true, 0}, {10, true, 0}, {20, true, 0}, // three get through
		{30, false, 0}, {500, false, 0}, {999, false, 0}, // the rest of the window drops
		{1000, true, 3},                                    // a new window: it reports the three drops of the last
		{1001, true, 0}, {1002, true, 0}, {1003, false, 0}, // exactly HWM again, not HWM+1
		{2500, true, 1},
	}
	for i, st := range steps {
		ok, closed := s.Allow(ms(st.at))
		if ok != st.ok || closed != st.closed {
			t.Errorf("step %d at +%dms: got %v/%d, want %v/%d", i, st.at, ok, closed, st.ok, st.closed)
		}
	}
}

func TestShaperCloseReportsAtTheWindowsEnd(t *testing.T) {
	t0 := time.Unix(1000, 0)
	s := Shaper{HWM: 1}
	s.Allow(t0)
	s.Allow(t0.Add(time.Millisecond))
	s.Allow(t0.Add(2 * time.Millisecond))
	if s.WindowEnd() != t0.Add(ShaperWindow) {
		t.Errorf("window end %v", s.WindowEnd())
	}
	if d := s.Close(t0.Add(999 * time.Millisecond)); d != 0 {
		t.Errorf("closed before its end: %d", d)
	}
	if d := s.Close(t0.Add(ShaperWindow)); d != 2 {
		t.Errorf("got %d dropped, want 2", d)
	}
	if d := s.Close(t0.Add(5 * ShaperWindow)); d != 0 {
		t.Error("a window is reported once; never a 0 report")
	}
	if ok, closed := s.Allow(t0.Add(6 * ShaperWindow)); !ok || closed != 0 {
		t.Errorf("after Close the next event opens a window with nothing to report: %v %d", ok, closed)
	}
	unlimited := Shaper{}
	for range 10 {
		if ok, _ := unlimited.Allow(t0); !ok {
			t.Fatal("HWM 0 lets everything through")
		}
	}
}
