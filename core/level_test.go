package core

import (
	"errors"
	"log/slog"
	"testing"
)

func TestParseMask(t *testing.T) {
	const (
		debug, info, notice, warning, err, critical, alert, emergency Mask = 128, 64, 32, 16, 8, 4, 2, 1
	)
	tests := []struct {
		expr string
		want Mask
	}{
		// lager.md §1.3, config_to_levels / config_to_mask.
		{"debug", 255},
		{"info", 127},
		{"error", err | critical | alert | emergency},
		{"emergency", emergency},
		{"none", 0},
		{"=info", info},
		{"=debug", debug},
		{"!=info", 255 &^ info},
		{"!=debug", 127},
		{"<warning", debug | info | notice},
		{"<=warning", debug | info | notice | warning},
		{"=<warning", debug | info | notice | warning},
		{">warning", err | critical | alert | emergency},
		{">=warning", warning | err | critical | alert | emergency},
		{"=>warning", warning | err | critical | alert | emergency},
		{"<debug", 0},
		{">emergency", 0},
		{"!info", debug},
		{"!!=debug", debug},
		{"!none", 255},
		{"!!info", 127},
		{"!<=notice", warning | err | critical | alert | emergency},
		{"=none", 0},
		{"!=none", 255},
		// Case and spaces.
		{"  INFO ", 127},
		{"<=Warning", debug | info | notice | warning},
		// The union extension.
		{"=debug|=error", debug | err},
		{"=debug | critical", debug | critical | alert | emergency},
		// OTP's all: below every level, as none is above every level.
		{"all", 255},
		{"ALL", 255},
		{">=all", 255},
		{">all", 255},
		{"!=all", 255},
		{"=all", 0},
		{"<all", 0},
		{"<=all", 0},
		{"!all", 0},
		{"all|none", 255},
	}
	for _, tc := range tests {
		got, e := ParseMask(tc.expr)
		if e != nil || got != tc.want {
			t.Errorf("ParseMask(%q) = %08b, %v; want %08b", tc.expr, got, e, tc.want)
		}
	}
}

func TestParseMaskRejects(t *testing.T) {
	for _, expr := range []string{
		"", "fatfinger", "<=>info", "=<=info", "=", "!=", "!", "info+1", "warn", "=info|", "|", "==info", "<<info", "!!", "info debug",
	} {
		if m, err := ParseMask(expr); !errors.Is(err, ErrBadLevel) {
			t.Errorf("ParseMask(%q) = %v, %v; want an ErrBadLevel error", expr, m, err)
		}
	}
}

func TestMaskStringRoundTripsEveryMask(t *testing.T) {
	for i := range 256 {
		m := Mask(i)
		got, err := ParseMask(m.String())
		if err != nil || got != m {
			t.Errorf("mask %08b prints %q, which parses to %08b, %v", m, m.String(), got, err)
		}
	}
}

func TestMaskString(t *testing.T) {
	tests := []struct {
		m    Mask
		want string
	}{
		{0, "none"}, {255, "debug"}, {127, "info"}, {1, "emergency"}, {64, "=info"},
		{255 &^ 64, "!=info"}, {128 | 64, "<=info"}, {128, "=debug"}, {128 | 8, "=debug|=error"},
	}
	for _, tc := range tests {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("%08b.String() = %q, want %q", tc.m, got, tc.want)
		}
	}
}

func TestMaskFirst(t *testing.T) {
	// lager's get_loglevel: the first, most verbose level of the mask.
	tests := []struct {
		expr string
		want Level
	}{
		{"!=info", LevelDebug}, {"!=debug", LevelInfo}, {"info", LevelInfo}, {">=error", LevelError},
		{"none", LevelNone}, {"=emergency", LevelEmergency},
	}
	for _, tc := range tests {
		m, _ := ParseMask(tc.expr)
		if got := m.First(); got != tc.want {
			t.Errorf("first of %q = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestMaskEnabled(t *testing.T) {
	m, _ := ParseMask("!=info")
	for _, tc := range []struct {
		l    Level
		want bool
	}{
		{LevelDebug, true}, {LevelInfo, false}, {LevelInfo + 1, false}, {LevelNotice, true},
		{LevelDebug - 8, true}, {LevelEmergency + 100, true}, {LevelNone, false},
	} {
		if got := m.Enabled(tc.l); got != tc.want {
			t.Errorf("Enabled(%v) = %v, want %v", tc.l, got, tc.want)
		}
	}
	if MaskAll.Enabled(LevelNone) {
		t.Error("nothing logs at none")
	}
}

func TestLevelNamesAndSlog(t *testing.T) {
	tests := []struct {
		l             Level
		name, upper   string
		letter        byte
		bit           Mask
		slogEquivalen slog.Level
	}{
		{LevelDebug, "debug", "DEBUG", 'D', 128, slog.LevelDebug},
		{LevelInfo, "info", "INFO", 'I', 64, slog.LevelInfo},
		{LevelNotice, "notice", "NOTICE", 'N', 32, 2},
		{LevelWarning, "warning", "WARNING", 'W', 16, slog.LevelWarn},
		{LevelError, "error", "ERROR", 'E', 8, slog.LevelError},
		{LevelCritical, "critical", "CRITICAL", 'C', 4, 12},
		{LevelAlert, "alert", "ALERT", 'A', 2, 16},
		{LevelEmergency, "emergency", "EMERGENCY", 'M', 1, 20},
		{LevelNone, "none", "NONE", ' ', 0, 2147483647},
		{LevelAll, "all", "ALL", 'D', 128, -2147483648},
		{LevelInfo + 1, "info+1", "INFO+1", 'I', 64, 1},
		{LevelDebug - 2, "debug-2", "DEBUG-2", 'D', 128, -6},
		{LevelEmergency + 4, "emergency+4", "EMERGENCY+4", 'M', 1, 24},
	}
	for _, tc := range tests {
		if tc.l.String() != tc.name || tc.l.Upper() != tc.upper || tc.l.Letter() != tc.letter || tc.l.Bit() != tc.bit || tc.l.Slog() != tc.slogEquivalen {
			t.Errorf("%d: got %q %q %c %d %d", int(tc.l), tc.l.String(), tc.l.Upper(), tc.l.Letter(), tc.l.Bit(), tc.l.Slog())
		}
		back, err := ParseLevel(tc.name)
		if err != nil || back != tc.l {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", tc.name, back, err, tc.l)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want Level
	}{
		{"WARN", LevelWarning}, {"Warning", LevelWarning}, {" error+2 ", LevelError + 2}, {"NONE", LevelNone}, {"All", LevelAll},
	} {
		got, err := ParseLevel(tc.s)
		if err != nil || got != tc.want {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", tc.s, got, err, tc.want)
		}
	}
	for _, s := range []string{"", "verbose", "info+", "info+x", "none+1", "all+1", "all-1", "+1", "emergency+2147483627"} {
		if _, err := ParseLevel(s); !errors.Is(err, ErrBadLevel) {
			t.Errorf("ParseLevel(%q): got %v, want ErrBadLevel", s, err)
		}
	}
	var l Level
	if err := l.UnmarshalText([]byte("critical")); err != nil || l != LevelCritical {
		t.Errorf("UnmarshalText: %v %v", l, err)
	}
	if b, _ := LevelAlert.MarshalText(); string(b) != "alert" {
		t.Errorf("MarshalText: %s", b)
	}
	var m Mask
	if err := m.UnmarshalText([]byte("<=notice")); err != nil || m != 128|64|32 {
		t.Errorf("Mask.UnmarshalText: %v %v", m, err)
	}
}

func TestAtLeast(t *testing.T) {
	if AtLeast(LevelInfo) != 127 || AtLeast(LevelDebug) != MaskAll || AtLeast(LevelNone) != MaskNone || AtLeast(LevelEmergency) != 1 {
		t.Error("AtLeast")
	}
}

func FuzzParseMask(f *testing.F) {
	for _, s := range []string{"info", "!=debug", "<=>info", "!!none", "=debug|=error", "  >WARNING"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMask(s)
		if err != nil {
			if !errors.Is(err, ErrBadLevel) {
				t.Fatalf("error %v does not wrap ErrBadLevel", err)
			}
			return
		}
		again, err := ParseMask(m.String())
		if err != nil || again != m {
			t.Fatalf("%q → %08b → %q → %08b, %v", s, m, m.String(), again, err)
		}
	})
}

func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{"info", "warn", "error+2", "none", "debug-10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLevel(s)
		if err != nil {
			return
		}
		if again, err := ParseLevel(l.String()); err != nil || again != l {
			t.Fatalf("%q → %d → %q → %d, %v", s, int(l), l.String(), int(again), err)
		}
	})
}
