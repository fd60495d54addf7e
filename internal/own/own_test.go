package own_test

import (
	"testing"

	"github.com/actorlog/actorlog/internal/own"
	"github.com/stretchr/testify/assert"
)

type rule struct{ n int }

func (r rule) decide() int    { return r.n }
func (r rule) otherwise() int { return -r.n }

// made returns a method value, as actorlog's filters do.
func made(n int) func() int { return rule{n}.decide }

func TestMarkedFiltersAreKnownByTheirMethod(t *testing.T) {
	own.MarkFilter(rule{}.decide)
	for _, tc := range []struct {
		name string
		fn   any
		want bool
	}{
		{"the method value marked", rule{}.decide, true},
		{"the method of another value", made(2), true},
		{"another method of the type", rule{1}.otherwise, false},
		{"a function literal", func() int { return 1 }, false},
		{"a plain function", TestMarkedFiltersAreKnownByTheirMethod, false},
		{"nil", nil, false},
		{"a nil func", (func())(nil), false},
		{"not a func", 42, false},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, own.Filter(tc.fn)) })
	}
}
