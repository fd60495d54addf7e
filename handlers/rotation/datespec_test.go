package rotation

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // the tests need zones with daylight saving on any machine
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

// TestNextDaylightSaving: a wall-clock time that occurs twice rotates at
// its first occurrence only; one that does not exist comes at the same
// distance past the gap. Zones with a one-hour shift on either side of UTC
// and one with a 30-minute shift.
func TestNextDaylightSaving(t *testing.T) {
	tests := []struct {
		zone, spec, now, want string
	}{
		// Europe/Berlin: 03:00 CEST goes back to 02:00 CET on 2026-10-25.
		{"Europe/Berlin", "$D2H30", "2026-10-25T00:00:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"Europe/Berlin", "$D2H30", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"},
		{"Europe/Berlin", "$D2H30", "2026-10-25T02:10:00+01:00", "2026-10-26T02:30:00+01:00"},
		{"Europe/Berlin", "$D2H30", "2026-10-25T02:40:00+01:00", "2026-10-26T02:30:00+01:00"},
		{"Europe/Berlin", "$D2", "2026-10-25T01:59:00+02:00", "2026-10-25T02:00:00+02:00"},
		{"Europe/Berlin", "$D3", "2026-10-25T02:59:00+02:00", "2026-10-25T03:00:00+01:00"},
		{"Europe/Berlin", "$W0D2H30", "2026-10-24T12:00:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"Europe/Berlin", "$W0D2H30", "2026-10-25T02:30:00+02:00", "2026-11-01T02:30:00+01:00"},
		{"Europe/Berlin", "$M25D2H30", "2026-10-01T00:00:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"Europe/Berlin", "$M25D2H30", "2026-10-25T02:30:00+02:00", "2026-11-25T02:30:00+01:00"},
		{"Europe/Berlin", "$H30", "2026-10-25T01:40:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"Europe/Berlin", "$H30", "2026-10-25T02:40:00+02:00", "2026-10-25T03:30:00+01:00"},
		{"Europe/Berlin", "$H30", "2026-10-25T02:10:00+01:00", "2026-10-25T03:30:00+01:00"},
		// Europe/Berlin: 02:00 CET goes forward to 03:00 CEST on 2026-03-29.
		{"Europe/Berlin", "$D2H30", "2026-03-29T00:00:00+01:00", "2026-03-29T03:30:00+02:00"},
		{"Europe/Berlin", "$D2H30", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"},
		{"Europe/Berlin", "$D2", "2026-03-29T01:59:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"Europe/Berlin", "$H30", "2026-03-29T01:40:00+01:00", "2026-03-29T03:30:00+02:00"},
		{"Europe/Berlin", "$H30", "2026-03-29T03:30:00+02:00", "2026-03-29T04:30:00+02:00"},
		// America/New_York: 02:00 EDT goes back to 01:00 EST on 2026-11-01,
		// and 02:00 EST forward to 03:00 EDT on 2026-03-08.
		{"America/New_York", "$D1H30", "2026-11-01T00:00:00-04:00", "2026-11-01T01:30:00-04:00"},
		{"America/New_York", "$D1H30", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"},
		{"America/New_York", "$D1H30", "2026-11-01T01:10:00-05:00", "2026-11-02T01:30:00-05:00"},
		{"America/New_York", "$H0", "2026-11-01T00:30:00-04:00", "2026-11-01T01:00:00-04:00"},
		{"America/New_York", "$H0", "2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00"},
		{"America/New_York", "$D2H30", "2026-03-08T00:00:00-05:00", "2026-03-08T03:30:00-04:00"},
		{"America/New_York", "$D2H30", "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"},
		// Australia/Lord_Howe: 02:00 +11 goes back to 01:30 +10:30 on
		// 2026-04-05, and 02:00 +10:30 forward to 02:30 +11 on 2026-10-04.
		{"Australia/Lord_Howe", "$D1H45", "2026-04-05T00:00:00+11:00", "2026-04-05T01:45:00+11:00"},
		{"Australia/Lord_Howe", "$D1H45", "2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"},
		{"Australia/Lord_Howe", "$D1H45", "2026-04-05T01:35:00+10:30", "2026-04-06T01:45:00+10:30"},
		{"Australia/Lord_Howe", "$H0", "2026-04-05T01:10:00+11:00", "2026-04-05T02:00:00+10:30"},
		{"Australia/Lord_Howe", "$H45", "2026-04-05T01:50:00+11:00", "2026-04-05T02:45:00+10:30"},
		{"Australia/Lord_Howe", "$D2H15", "2026-10-04T00:00:00+10:30", "2026-10-04T02:45:00+11:00"},
		{"Australia/Lord_Howe", "$D2", "2026-10-04T00:00:00+10:30", "2026-10-04T02:30:00+11:00"},
		{"Australia/Lord_Howe", "$H15", "2026-10-04T01:20:00+10:30", "2026-10-04T02:45:00+11:00"},
		{"Australia/Lord_Howe", "$H15", "2026-10-04T02:45:00+11:00", "2026-10-04T03:15:00+11:00"},
		{"Australia/Lord_Howe", "$H0", "2026-10-04T01:10:00+10:30", "2026-10-04T02:30:00+11:00"},
		{"Australia/Lord_Howe", "$H0", "2026-10-04T02:30:00+11:00", "2026-10-04T03:00:00+11:00"},
	}
	for _, tc := range tests {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		d, err := ParseDateSpec(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		now, want := rfc3339(tc.now).In(loc), rfc3339(tc.want)
		got := d.Next(now)
		if !got.Equal(want) {
			t.Errorf("%s %s at %s: got %s, want %s", tc.zone, tc.spec, tc.now, got.Format(time.RFC3339), tc.want)
		}
		if !d.Matches(want.In(loc)) {
			t.Errorf("%s %s: %s does not match", tc.zone, tc.spec, tc.want)
		}
	}
}

func rfc3339(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
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

// TestNextProperties: for random specs and instants, in UTC and in zones
// with daylight saving, Next is strictly after now, matches the spec, and
// no instant between them matches (checked minute by minute). Half the
// instants are within a day of a daylight-saving change, with specs at
// the hours around it.
func TestNextProperties(t *testing.T) {
	zones := []*time.Location{time.UTC}
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	var changes []time.Time
	for _, loc := range zones[1:] {
		for at := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); at.Year() == 2026; {
			_, end := at.ZoneBounds()
			if end.Year() != 2026 {
				break
			}
			changes = append(changes, end)
			at = end
		}
	}
	if len(changes) != 6 {
		t.Fatalf("found %d daylight-saving changes in 2026, want 6", len(changes))
	}
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := range 300 {
		d := randomSpec(r)
		var now time.Time
		if i%2 == 0 {
			loc := zones[r.IntN(len(zones))]
			now = time.Unix(base+r.Int64N(3*365*24*3600), r.Int64N(1e9)).In(loc)
		} else {
			change := changes[r.IntN(len(changes))]
			now = change.Add(time.Duration(r.Int64N(int64(48*time.Hour))) - 30*time.Hour)
			now = now.Truncate(time.Duration(1+r.IntN(2)) * time.Minute)
			// Specs whose wall-clock times fall around the change.
			around := change.Add(time.Duration(r.IntN(5)-2) * time.Hour)
			d.Hour = around.Hour()
			d.Weekday = around.Weekday()
			if d.Period == Monthly {
				d.Day = around.Day()
			}
			if r.IntN(2) == 0 {
				d.Minute = []int{0, 15, 30, 45}[r.IntN(4)]
			}
			if d.Period == Hourly {
				d.Hour = 0
			}
		}
		next := d.Next(now)
		if !next.After(now) {
			t.Fatalf("%s at %s: %s is not after now", d, now, next)
		}
		if !d.Matches(next) {
			t.Fatalf("%s at %s: %s does not match", d, now, next)
		}
		for m := now.Truncate(time.Minute).Add(time.Minute); m.Before(next); m = m.Add(time.Minute) {
			if d.Matches(m) {
				t.Fatalf("%s at %s: %s matches before %s", d, now, m, next)
			}
		}
	}
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
