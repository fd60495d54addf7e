package rotation

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // the property test needs a zone with daylight saving everywhere
)

func TestParseDateSpec(t *testing.T) {
	tests := []struct {
		spec string
		want DateSpec
	}{
		// lager's parse_test.
		{"$H0", DateSpec{Period: Hourly}},
		{"$H15", DateSpec{Period: Hourly, Minute: 15}},
		{"$D0", DateSpec{Period: Daily}},
		{"$D23", DateSpec{Period: Daily, Hour: 23}},
		{"$W0D23", DateSpec{Period: Weekly, Weekday: time.Sunday, Hour: 23}},
		{"$W5D16", DateSpec{Period: Weekly, Weekday: time.Friday, Hour: 16}},
		{"$W0D12H30", DateSpec{Period: Weekly, Hour: 12, Minute: 30}},
		{"$M1D0", DateSpec{Period: Monthly, Day: 1}},
		{"$M5D6", DateSpec{Period: Monthly, Day: 5, Hour: 6}},
		{"$M5", DateSpec{Period: Monthly, Day: 5}},
		{"$ML", DateSpec{Period: Monthly, Day: LastDay}},
		{"$MLD5", DateSpec{Period: Monthly, Day: LastDay, Hour: 5}},
		{"$Ml", DateSpec{Period: Monthly, Day: LastDay}},
		{"$W5", DateSpec{Period: Weekly, Weekday: time.Friday}},
		{"$M31D23H59", DateSpec{Period: Monthly, Day: 31, Hour: 23, Minute: 59}},
		// lager crashes on these.
		{"$D5H30", DateSpec{Period: Daily, Hour: 5, Minute: 30}},
		{"$D0H05", DateSpec{Period: Daily, Minute: 5}},
		{"$W0D0H0", DateSpec{Period: Weekly}},
		{"$D05H30", DateSpec{Period: Daily, Hour: 5, Minute: 30}},
		// lager's quirk kept: a weekly minute without an hour.
		{"$W1H15", DateSpec{Period: Weekly, Weekday: time.Monday, Minute: 15}},
		{"$MLD5H30", DateSpec{Period: Monthly, Day: LastDay, Hour: 5, Minute: 30}},
	}
	for _, tc := range tests {
		got, err := ParseDateSpec(tc.spec)
		if err != nil || got != tc.want {
			t.Errorf("ParseDateSpec(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
		}
		again, err := ParseDateSpec(got.String())
		if err != nil || again != got {
			t.Errorf("%q prints as %q, which parses to %+v, %v", tc.spec, got.String(), again, err)
		}
	}
}

func TestParseDateSpecRejects(t *testing.T) {
	// lager's parse_fail_test, plus $MxD0 (lager: day 72), $M5H30, and
	// other malformed specs.
	for _, spec := range []string{
		"$H", "$H60", "$D", "$D24", "$W7", "$W7D1", "$M32", "$M32D1", "$", "", "$D15M5", "$M5W5", "$M5H30", "$M00",
		"$MxD0", "$Mx", "D0", "$D0H", "$D0H60", "$D123", "$H-1", "$d0", "$D0 ", " $D0", "$W0D", "$WLD0", "$M0", "$Q1",
	} {
		if d, err := ParseDateSpec(spec); !errors.Is(err, ErrBadDateSpec) {
			t.Errorf("ParseDateSpec(%q) = %+v, %v; want an ErrBadDateSpec error", spec, d, err)
		}
	}
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, time.UTC)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNext(t *testing.T) {
	tests := []struct {
		spec, now, want string
	}{
		// lager's rotation_calculation_test.
		{"$H0", "2000-01-01 12:34:43", "2000-01-01 13:00:00"},
		{"$H0", "2000-01-01 23:45:43", "2000-01-02 00:00:00"},
		{"$D0", "2000-01-01 12:34:43", "2000-01-02 00:00:00"},
		{"$D16", "2000-01-01 12:34:43", "2000-01-01 16:00:00"},
		{"$D12", "2000-01-01 12:34:43", "2000-01-02 12:00:00"},
		{"$M1D12", "2000-01-01 12:34:43", "2000-02-01 12:00:00"},
		{"$M1D12", "2000-01-02 12:34:43", "2000-02-01 12:00:00"},
		{"$M1D12", "2000-01-31 12:34:43", "2000-02-01 12:00:00"},
		{"$M1D16", "2000-01-01 12:34:43", "2000-01-01 16:00:00"},
		{"$M15D16", "2000-01-01 12:34:43", "2000-01-15 16:00:00"},
		{"$MLD16", "2000-01-01 12:34:43", "2000-01-31 16:00:00"},
		{"$MLD16", "2000-01-31 17:34:43", "2000-02-29 16:00:00"},
		{"$MLD16", "2001-01-31 17:34:43", "2001-02-28 16:00:00"},
		{"$W6D16", "2000-01-01 12:34:43", "2000-01-01 16:00:00"},
		{"$W6D16", "2000-01-01 17:34:43", "2000-01-08 16:00:00"},
		{"$W0D16", "2000-01-01 17:34:43", "2000-01-02 16:00:00"},
		{"$W4D16", "2000-01-29 17:34:43", "2000-02-03 16:00:00"},
		{"$W1D16", "1999-12-28 17:34:43", "2000-01-03 16:00:00"},
		// lager's verified bugs, fixed.
		{"$M5D12", "2000-01-15 12:34:00", "2000-02-05 12:00:00"},
		{"$M15D10", "2000-01-01 12:34:00", "2000-01-15 10:00:00"},
		{"$D12H30", "2000-01-01 12:10:00", "2000-01-01 12:30:00"},
		// $M31 in short months: the month's last day.
		{"$M31D0", "2000-02-10 00:00:00", "2000-02-29 00:00:00"},
		{"$M31D0", "2000-04-01 00:00:00", "2000-04-30 00:00:00"},
		{"$M31D0", "2000-04-30 00:00:00", "2000-05-31 00:00:00"},
		// Strictly after now.
		{"$D0", "2000-01-01 00:00:00", "2000-01-02 00:00:00"},
		{"$H30", "2000-01-01 10:30:00", "2000-01-01 11:30:00"},
		{"$W6D0", "2000-01-01 00:00:00", "2000-01-08 00:00:00"},
		{"$M1D0", "2000-12-01 00:00:00", "2001-01-01 00:00:00"},
	}
	for _, tc := range tests {
		d, err := ParseDateSpec(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Next(at(tc.now)); !got.Equal(at(tc.want)) {
			t.Errorf("%s at %s: got %s, want %s", tc.spec, tc.now, got.Format("2006-01-02 15:04:05 Mon"), tc.want)
		}
	}
}

// randomSpec builds a random valid spec.
func randomSpec(r *rand.Rand) DateSpec {
	d := DateSpec{Period: Period(r.IntN(4)), Minute: r.IntN(60), Hour: r.IntN(24)}
	switch d.Period {
	case Hourly:
		d.Hour = 0
	case Weekly:
		d.Weekday = time.Weekday(r.IntN(7))
	case Monthly:
		d.Day = 1 + r.IntN(31)
		if r.IntN(5) == 0 {
			d.Day = LastDay
		}
	}
	return d
}

// TestNextProperties: for random specs and instants, in UTC and in a zone
// with daylight saving, Next is strictly after now, matches the spec, and
// no instant between them matches (checked minute by minute).
func TestNextProperties(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := range 300 {
		d := randomSpec(r)
		loc := time.UTC
		if i%2 == 1 {
			loc = berlin
		}
		now := time.Unix(base+r.Int64N(3*365*24*3600), r.Int64N(1e9)).In(loc)
		next := d.Next(now)
		if !next.After(now) {
			t.Fatalf("%s at %s: %s is not after now", d, now, next)
		}
		if !d.Matches(next) && !inGap(next) {
			t.Fatalf("%s at %s: %s does not match", d, now, next)
		}
		for m := now.Truncate(time.Minute).Add(time.Minute); m.Before(next); m = m.Add(time.Minute) {
			if d.Matches(m) {
				t.Fatalf("%s at %s: %s matches before %s", d, now, m, next)
			}
		}
	}
}

// inGap reports whether t's wall clock was moved by a daylight-saving gap:
// its hour is one past what a plain addition would give.
func inGap(t time.Time) bool {
	_, off := t.Zone()
	_, offBefore := t.Add(-2 * time.Hour).Zone()
	return off != offBefore
}

func FuzzParseDateSpec(f *testing.F) {
	for _, s := range []string{"$D0", "$W0D0H0", "$MLD5H30", "$H5", "$M5H30", "$MxD0", "$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDateSpec(s)
		if err != nil {
			if !errors.Is(err, ErrBadDateSpec) {
				t.Fatalf("error %v is not an ErrBadDateSpec", err)
			}
			return
		}
		again, err := ParseDateSpec(d.String())
		if err != nil || again != d {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, d, d.String(), again, err)
		}
		now := time.Date(2026, 3, 29, 1, 59, 0, 0, time.UTC)
		if next := d.Next(now); !next.After(now) || !d.Matches(next) {
			t.Fatalf("%q: next %s", s, next)
		}
	})
}
