package actorlog

import (
	"errors"
	"fmt"
	"strings"

	"github.com/actorlog/actorlog/handlers"
)

// ConfigProblem is one problem of a Config: where it is, as the config
// file would spell it ("handlers[2].size", "extra_sinks.audit.overload.killer_hwm"),
// and what is wrong.
type ConfigProblem struct {
	// Path is where the problem is ("handlers[2].size").
	Path string
	// Msg says what is wrong ("must be >= 0, got -1").
	Msg string
	// Err is the problem's cause, for errors.Is and errors.As; often nil.
	Err error
}

// ConfigError is the error of a Config that does not validate: every
// problem, each with its path, in one numbered list. It wraps
// ErrBadConfig and every problem's Err:
//
//	actorlog: bad config: 2 problems:
//	  handlers[2].size: must be >= 0, got -1
//	  handlers[3].date: rotation: bad date spec …
type ConfigError struct {
	Problems []ConfigProblem
}

// Error lists the problems, one a line.
func (e *ConfigError) Error() string {
	n := "1 problem"
	if len(e.Problems) != 1 {
		n = fmt.Sprintf("%d problems", len(e.Problems))
	}
	var b strings.Builder
	b.WriteString(ErrBadConfig.Error() + ": " + n + ":")
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.Path + ": " + p.Msg)
	}
	return b.String()
}

// Unwrap returns ErrBadConfig and the problems' causes.
func (e *ConfigError) Unwrap() []error {
	errs := []error{ErrBadConfig}
	for _, p := range e.Problems {
		if p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	return errs
}

// Check validates c as Start does: nil if Start would accept it, else a
// *ConfigError listing every problem. It starts nothing; it resolves the
// paths of file handlers under LogRoot, as Start does.
func (c Config) Check() error {
	_, ps := c.problems()
	return ps.err()
}

// problems are every problem of a config.
type problems []ConfigProblem

func (ps *problems) add(path string, cause error, format string, args ...any) {
	if path == "" {
		path = "(top)"
	}
	*ps = append(*ps, ConfigProblem{Path: path, Msg: fmt.Sprintf(format, args...), Err: cause})
}

// addErr adds a handler's or a sink's error at path: at path.field when
// it names its field (handlers.FieldError, or a sinks.Thresholds error
// starting with the key), without the handlers' "bad config" prefix.
func (ps *problems) addErr(path string, err error) {
	var fe *handlers.FieldError
	msg := strings.TrimPrefix(err.Error(), handlers.ErrBadConfig.Error()+": ")
	switch {
	case errors.As(err, &fe):
		path, msg = path+"."+fe.Field, fe.Err.Error()
	case strings.HasSuffix(path, "overload"):
		if field, rest, ok := strings.Cut(msg, ": "); ok && !strings.Contains(field, " ") {
			path, msg = path+"."+field, rest
		}
	}
	ps.add(path, err, "%s", msg)
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ConfigError{Problems: ps}
}
