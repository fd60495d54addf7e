package formatter_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"testing"
	"testing/slogtest"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	f "github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
)

// TestStructuredPassSlogtest runs testing/slogtest on what the structured
// formatters write: records logged through actorlog's slog handler, written
// by a handler with the formatter, and read back from the text (JSON as
// JSON, logfmt as key=value pairs with dotted keys as groups).
func TestStructuredPassSlogtest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fmt   f.Formatter
		parse func(t *testing.T, line string) map[string]any
	}{
		{"JSON", &f.JSON{}, parseJSON},
		{"logfmt", &f.Logfmt{}, parseLogfmt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := &handlers.Memory{}
			sys := actor.NewActorSystem(actors.QuietConfig()...)
			defer sys.Shutdown()
			s, err := actorlog.Start(actorlog.Config{ActorSystem: sys, Handlers: []actorlog.Handler{
				{Config: handlers.Config{ID: "mem", Level: "debug", Formatter: tc.fmt}, Handler: mem}}})
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := s.Stop(ctx); err != nil {
					t.Error(err)
				}
			}()
			slogtest.Run(t, func(*testing.T) slog.Handler {
				mem.Reset()
				return s.Logger().Handler()
			}, func(t *testing.T) map[string]any {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := s.Flush(ctx); err != nil {
					t.Fatal(err)
				}
				lines := mem.Lines()
				if len(lines) != 1 {
					t.Fatalf("%d lines, want 1: %q", len(lines), lines)
				}
				return tc.parse(t, lines[0])
			})
		})
	}
}

// TestStructuredLeaveOutAZeroTime: as slog's handlers do, JSON and logfmt
// write no time for an event whose time is zero.
func TestStructuredLeaveOutAZeroTime(t *testing.T) {
	e := &core.Event{Level: core.LevelInfo, Message: "m"}
	for _, tc := range []struct {
		fmt  f.Formatter
		want string
	}{
		{&f.JSON{}, `{"level":"info","msg":"m"}` + "\n"},
		{&f.JSON{UTC: true}, `{"level":"info","msg":"m"}` + "\n"},
		{&f.Logfmt{}, "level=info msg=m\n"},
		{&f.Logfmt{UTC: true}, "level=info msg=m\n"},
	} {
		if got := string(tc.fmt.Format(nil, e)); got != tc.want {
			t.Errorf("%T: got %q, want %q", tc.fmt, got, tc.want)
		}
	}
}

func parseJSON(t *testing.T, line string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return m
}

// parseLogfmt reads a logfmt line into a map, a dotted key as a value in
// nested groups.
func parseLogfmt(t *testing.T, line string) map[string]any {
	m := map[string]any{}
	for _, p := range logfmtPairs(t, line) {
		into := m
		keys := strings.Split(p[0], ".")
		for _, g := range keys[:len(keys)-1] {
			sub, ok := into[g].(map[string]any)
			if !ok {
				sub = map[string]any{}
				into[g] = sub
			}
			into = sub
		}
		k := keys[len(keys)-1]
		if _, dup := into[k]; dup {
			t.Fatalf("%q: %s twice", line, p[0])
		}
		into[k] = p[1]
	}
	return m
}

// logfmtPairs reads key=value pairs separated by spaces, a value quoted
// (as strconv quotes) or bare up to the next space.
func logfmtPairs(t *testing.T, line string) [][2]string {
	var pairs [][2]string
	s, ok := strings.CutSuffix(line, "\n")
	if !ok {
		t.Fatalf("%q: no newline", line)
	}
	for s != "" {
		k, rest, ok := strings.Cut(s, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \"") {
			t.Fatalf("%q: no key=value at %q", line, s)
		}
		var v string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				t.Fatalf("%q: %v at %q", line, err, rest)
			}
			v, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else {
			v, rest, _ = strings.Cut(rest, " ")
			if rest != "" {
				rest = " " + rest
			}
		}
		if rest != "" && rest[0] != ' ' {
			t.Fatalf("%q: no space after %s", line, k)
		}
		if rest == " " {
			t.Fatalf("%q: a space at the end", line)
		}
		s = strings.TrimPrefix(rest, " ")
		pairs = append(pairs, [2]string{k, v})
	}
	return pairs
}

// FuzzLogfmt: whatever the message, keys and values, a logfmt line is one
// line of key=value pairs that reads back, and the message and values come
// back as written (invalid UTF-8 shown as \xNN).
func FuzzLogfmt(fz *testing.F) {
	fz.Add("msg", "key", "value", 1.5)
	fz.Add("\xff\x00\"\\", "\n", "\u2029", math.NaN())
	fz.Add("a=b c", "k=v", `q"uote`, math.Inf(-1))
	fz.Fuzz(func(t *testing.T, msg, key, value string, x float64) {
		e := event(core.LevelInfo, msg, slog.String(key, value), slog.Float64("x", x), slog.Group("g", slog.String(key, msg)))
		line := string((&f.Logfmt{}).Format(nil, e))
		if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 || !utf8.ValidString(line) {
			t.Fatalf("not one valid line: %q", line)
		}
		pairs := logfmtPairs(t, line)
		if len(pairs) != 6 {
			t.Fatalf("%d pairs, want 6: %q", len(pairs), line)
		}
		text := func(s string) string { return string(core.AppendText(nil, s)) }
		if pairs[2] != [2]string{"msg", text(msg)} || pairs[3][1] != text(value) || pairs[5][1] != text(msg) {
			t.Fatalf("values do not read back from %q: %q", line, pairs)
		}
	})
}
