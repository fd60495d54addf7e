package core_test

import (
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ev(attrs ...slog.Attr) *core.Event { return &core.Event{Attrs: attrs} }

func TestQueryMatch(t *testing.T) {
	e := ev(slog.String("module", "cache"), slog.Int("request", 150), slog.Float64("ratio", 2.5),
		slog.Uint64("big", math.MaxUint64), slog.Bool("ok", true), slog.Duration("took", 2*time.Second),
		slog.Int("request", 1)) // the first occurrence wins
	e.Actor = &actor.PID{Address: "nonhost", Id: "$7"}
	for _, tc := range []struct {
		q    core.Query
		want bool
	}{
		{core.Eq("module", "cache"), true},
		{core.Eq("module", "db"), false},
		{core.Ne("module", "db"), true},
		{core.Ne("missing", "db"), false}, // a comparison on a missing key is false
		{core.Lt("missing", 1), false},
		{core.Eq("request", 150), true},
		{core.Eq("request", 150.0), true}, // numbers by value across kinds
		{core.Eq("request", uint64(150)), true},
		{core.Gt("request", 120), true},
		{core.Ge("request", 150), true},
		{core.Lt("request", 150), false},
		{core.Le("ratio", 2.5), true},
		{core.Gt("ratio", 2), true},
		{core.Gt("big", -1), true},
		{core.Lt("big", math.MaxInt64), false},
		{core.Eq("request", "150"), false}, // a string is not a number
		{core.Ne("request", "150"), true},
		{core.Lt("module", 3), false},
		{core.Lt("module", "db"), true}, // strings in order
		{core.Eq("ok", true), true},
		{core.Gt("ok", false), false}, // bools have no order
		{core.Gt("took", time.Second), true},
		{core.Present("module"), true},
		{core.Present("missing"), false},
		{core.Absent("missing"), true},
		{core.Eq("pid", "nonhost/$7"), true}, // a virtual key
		{core.All(core.Eq("module", "cache"), core.Gt("request", 120)), true},
		{core.All(core.Eq("module", "cache"), core.Gt("request", 200)), false},
		{core.Any(core.Eq("module", "db"), core.Gt("request", 120)), true},
		{core.Any(core.Eq("module", "db"), core.Null(false)), false},
		{core.All(core.Eq("module", "cache"), core.Null(true)), true},
	} {
		assert.Equal(t, tc.want, tc.q.Match(e), "%s", tc.q)
	}
}

func TestQueryCheck(t *testing.T) {
	assert.ErrorIs(t, core.Query{}.Check(), core.ErrBadQuery)
	assert.ErrorIs(t, core.All().Check(), core.ErrBadQuery)
	assert.ErrorIs(t, core.Any(core.Eq("", 1)).Check(), core.ErrBadQuery)
	assert.NoError(t, core.All(core.Present("x"), core.Null(true)).Check())
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`module = "cache" and request > 120`, `module = "cache" and request > 120`},
		{`module == cache`, `module = "cache"`},
		{`(user = alice or user = bob) and request_id *`, `(user = "alice" or user = "bob") and request_id *`},
		{`a = 1 or b = 2 and c = 3`, `a = 1 or (b = 2 and c = 3)`},
		{`level_hint ! or retries >= 3.5`, `level_hint ! or retries >= 3.5`},
		{`x != -7`, `x != -7`},
		{`x < 1e3`, `x < 1000.0`},
		{`ok = true`, `ok = true`},
		{`true`, `true`},
		{`false or x *`, `false or x *`},
		{`pid = nonhost/$1`, `pid = "nonhost/$1"`},
		{"s = `raw \\n`", `s = "raw \\n"`},
		{`took > duration("1.5s")`, `took > duration("1.5s")`},
		{`at < time("2026-11-22T10:00:00Z")`, `at < time("2026-11-22T10:00:00Z")`},
		{`r = float("NaN")`, `r = float("NaN")`},
		{`  spaced   =   "x"  `, `spaced = "x"`},
		{`name = "日本"`, `name = "日本"`},
	} {
		q, err := core.ParseQuery(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, q.String(), tc.in)
		assert.NoError(t, q.Check())
	}
}

func TestParseQueryErrorsPointAtThePosition(t *testing.T) {
	for _, tc := range []struct {
		in  string
		pos int
		msg string
	}{
		{``, 0, "empty query"},
		{`   `, 3, "empty query"},
		{`module =`, 8, `expected a value after "="`},
		{`module = and x`, 9, `expected a value, got "and"`},
		{`module cache`, 7, `expected an operator after "module", got "cache"`},
		{`module`, 6, `expected an operator after "module"`},
		{`(a = 1`, 6, `expected ")"`},
		{`a = 1 b = 2`, 6, `unexpected "b"`},
		{`a = "open`, 4, "unterminated string"},
		{`a = 12x`, 4, `bad number "12x"`},
		{`t > duration("soon")`, 13, `bad duration "soon": time: invalid duration "soon"`},
		{`= 3`, 0, `expected a key, got "="`},
		{`a = 1 and`, 9, "expected a condition"},
	} {
		_, err := core.ParseQuery(tc.in)
		var qe *core.QueryError
		require.True(t, errors.As(err, &qe), "%q: %v", tc.in, err)
		assert.Equal(t, tc.pos, qe.Pos, tc.in)
		assert.Equal(t, tc.msg, qe.Msg, tc.in)
		assert.ErrorIs(t, err, core.ErrBadQuery)
		lines := strings.Split(err.Error(), "\n")
		require.Len(t, lines, 3)
		assert.Equal(t, "  "+tc.in, lines[1])
		assert.Equal(t, strings.Repeat(" ", 2+len([]rune(tc.in[:tc.pos])))+"^", lines[2], "the caret is under the position")
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`module = "cache" and request > 120`, `(a = 1 or b *) and c !`, `t > duration("1s")`, `x = float("+Inf")`, `true`, `a = "\xff"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q, err := core.ParseQuery(in)
		if err != nil {
			var qe *core.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("not a *QueryError: %v", err)
			}
			return
		}
		if err := q.Check(); err != nil {
			t.Fatalf("parsed but does not check: %v", err)
		}
		again, err := core.ParseQuery(q.String())
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", in, q.String(), err)
		}
		if again.String() != q.String() {
			t.Fatalf("round trip: %q → %q → %q", in, q.String(), again.String())
		}
		_ = q.Match(&core.Event{Attrs: []slog.Attr{slog.String("a", "1"), slog.Int("b", 2)}})
	})
}
