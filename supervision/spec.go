package supervision

import (
	"fmt"
	"math"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Strategy is how a supervisor restarts its children when one of them
// terminates, with OTP's meanings.
type Strategy int

// The restart strategies.
const (
	// OneForOne restarts only the child that terminated.
	OneForOne Strategy = iota
	// OneForAll terminates every other child and restarts them all.
	OneForAll
	// RestForOne terminates the children started after the one that
	// terminated, and restarts it and them.
	RestForOne
	// SimpleOneForOne is OneForOne for a pool of children built from a
	// single template spec, started at run time with per-child arguments.
	SimpleOneForOne
)

// String returns the OTP name: "one_for_one", "one_for_all", "rest_for_one"
// or "simple_one_for_one".
func (s Strategy) String() string {
	switch s {
	case OneForOne:
		return "one_for_one"
	case OneForAll:
		return "one_for_all"
	case RestForOne:
		return "rest_for_one"
	case SimpleOneForOne:
		return "simple_one_for_one"
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// RestartType says when a terminated child is restarted, with OTP's
// meanings.
type RestartType int

// The restart types.
const (
	// Permanent children are always restarted.
	Permanent RestartType = iota
	// Transient children are restarted only after an abnormal exit: any
	// reason other than [ErrNormal] or [ErrShutdown] (see [IsNormal]).
	Transient
	// Temporary children are never restarted; their spec is deleted when
	// they terminate.
	Temporary
)

// String returns "permanent", "transient" or "temporary".
func (r RestartType) String() string {
	switch r {
	case Permanent:
		return "permanent"
	case Transient:
		return "transient"
	case Temporary:
		return "temporary"
	}
	return fmt.Sprintf("RestartType(%d)", int(r))
}

// Kind says whether a child is a worker or a supervisor. It decides the
// default Shutdown and StartTimeout and is shown by WhichChildren.
type Kind int

// The child kinds.
const (
	KindWorker Kind = iota
	KindSupervisor
)

// String returns "worker" or "supervisor".
func (k Kind) String() string {
	if k == KindSupervisor {
		return "supervisor"
	}
	if k == KindWorker {
		return "worker"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Special values of ChildSpec.Shutdown and ChildSpec.StartTimeout.
const (
	// BrutalKill stops the child at once (actor.Stop: the messages in its
	// mailbox are dropped) instead of letting it drain.
	BrutalKill time.Duration = -1
	// Infinity waits as long as it takes.
	Infinity time.Duration = math.MaxInt64
)

// Defaults applied to zero fields.
const (
	// DefaultIntensity is OTP's default restart intensity.
	DefaultIntensity = 1
	// DefaultPeriod is OTP's default restart period.
	DefaultPeriod = 5 * time.Second
	// DefaultWorkerShutdown is OTP's default shutdown time for a worker.
	DefaultWorkerShutdown = 5 * time.Second
	// DefaultWorkerStartTimeout bounds how long a worker's Started handler
	// may take. OTP has no such bound; a supervisor that waits forever for a
	// child's init would hang the whole tree, so workers get one.
	DefaultWorkerStartTimeout = 5 * time.Second
	// NoRestarts as Spec.Intensity allows no restart at all: the first
	// child that would be restarted makes the supervisor give up.
	NoRestarts = -1
)

// killWait is how long a supervisor waits for a child to finish stopping
// after actor.Stop. An actor stuck inside a Receive cannot be stopped by
// anything in Go; past this wait it is reported and abandoned.
const killWait = time.Second

// ChildSpec describes one child of a supervisor (for SimpleOneForOne: the
// template of every child).
type ChildSpec struct {
	// ID names the child within its supervisor and is the last part of its
	// actor name. Required, and unique within the supervisor. Children of a
	// SimpleOneForOne supervisor get generated IDs "<ID>-1", "<ID>-2", ….
	ID string
	// Props spawns the child. Either Props or Start is required.
	Props *actor.Props
	// Start builds the child's Props from per-child arguments: the args of
	// StartChildArgs for SimpleOneForOne, nil otherwise. It is called at
	// every (re)start. Returning an error fails the start; returning
	// [ErrIgnore] leaves the child not running, with no error, as OTP's
	// ignore does. Used when Props is nil.
	Start func(args []any) (*actor.Props, error)
	// Restart is the child's restart type. Defaults to Permanent.
	Restart RestartType
	// Shutdown is how long the child may take to stop when its supervisor
	// terminates it: it is sent a poison pill, so it first handles what is
	// already in its mailbox, and after Shutdown it is stopped at once and
	// reported. BrutalKill stops it at once; Infinity waits as long as it
	// takes. Zero means 5 s for a worker and Infinity for a supervisor, as
	// in OTP.
	Shutdown time.Duration
	// StartTimeout bounds how long the child's Started handler may take.
	// Zero means 5 s for a worker and Infinity for a supervisor (whose own
	// children are bounded in turn).
	StartTimeout time.Duration
	// Kind is KindWorker (the default) or KindSupervisor.
	Kind Kind
}

func (c *ChildSpec) shutdown() time.Duration {
	switch {
	case c.Shutdown != 0:
		return c.Shutdown
	case c.Kind == KindSupervisor:
		return Infinity
	}
	return DefaultWorkerShutdown
}

func (c *ChildSpec) startTimeout() time.Duration {
	switch {
	case c.StartTimeout > 0:
		return c.StartTimeout
	case c.Kind == KindSupervisor:
		return Infinity
	}
	return DefaultWorkerStartTimeout
}

func (c *ChildSpec) validate() error {
	switch {
	case c.ID == "":
		return fmt.Errorf("%w: child with an empty ID", ErrInvalidSpec)
	case c.Props == nil && c.Start == nil:
		return fmt.Errorf("%w: child %q: Props and Start are both nil", ErrInvalidSpec, c.ID)
	case c.Restart < Permanent || c.Restart > Temporary:
		return fmt.Errorf("%w: child %q: unknown restart type %d", ErrInvalidSpec, c.ID, int(c.Restart))
	case c.Kind < KindWorker || c.Kind > KindSupervisor:
		return fmt.Errorf("%w: child %q: unknown kind %d", ErrInvalidSpec, c.ID, int(c.Kind))
	case c.Shutdown < BrutalKill:
		return fmt.Errorf("%w: child %q: negative shutdown %v", ErrInvalidSpec, c.ID, c.Shutdown)
	case c.StartTimeout < 0:
		return fmt.Errorf("%w: child %q: negative start timeout %v", ErrInvalidSpec, c.ID, c.StartTimeout)
	}
	return nil
}

// Spec describes a supervisor: its strategy, its restart intensity and its
// children in start order.
type Spec struct {
	// Name names the supervisor in reports, and is the actor name of a
	// top-level supervisor. Defaults to "supervisor" at the top, and to the
	// child ID below another supervisor.
	Name string
	// Strategy is the restart strategy. Defaults to OneForOne.
	Strategy Strategy
	// Intensity is the most restarts allowed within Period: one more makes
	// the supervisor terminate all its children and itself. Zero means
	// OTP's default, 1; [NoRestarts] allows none.
	Intensity int
	// Period is the window, sliding, in which restarts are counted. A
	// restart counts while it is no older than Period. Zero means 5 s.
	Period time.Duration
	// Children are the child specs, started in this order and terminated in
	// the reverse order. A SimpleOneForOne supervisor has exactly one, the
	// template, and starts no child by itself.
	Children []ChildSpec
}

// withDefaults returns a copy with defaults applied, or an error naming the
// first bad field.
func (s Spec) withDefaults() (Spec, error) {
	switch {
	case s.Strategy < OneForOne || s.Strategy > SimpleOneForOne:
		return s, fmt.Errorf("%w: unknown strategy %d", ErrInvalidSpec, int(s.Strategy))
	case s.Intensity < NoRestarts:
		return s, fmt.Errorf("%w: intensity %d is below NoRestarts", ErrInvalidSpec, s.Intensity)
	case s.Period < 0:
		return s, fmt.Errorf("%w: negative period %v", ErrInvalidSpec, s.Period)
	case s.Strategy == SimpleOneForOne && len(s.Children) != 1:
		return s, fmt.Errorf("%w: simple_one_for_one needs exactly one child spec, got %d", ErrInvalidSpec, len(s.Children))
	}
	switch s.Intensity {
	case 0:
		s.Intensity = DefaultIntensity
	case NoRestarts:
		s.Intensity = 0
	}
	if s.Period == 0 {
		s.Period = DefaultPeriod
	}
	if s.Name == "" {
		s.Name = "supervisor"
	}
	seen := make(map[string]bool, len(s.Children))
	s.Children = append([]ChildSpec(nil), s.Children...)
	for i := range s.Children {
		c := &s.Children[i]
		if err := c.validate(); err != nil {
			return s, err
		}
		if seen[c.ID] {
			return s, fmt.Errorf("%w: duplicate child ID %q", ErrInvalidSpec, c.ID)
		}
		seen[c.ID] = true
	}
	return s, nil
}

// ChildSupervisor returns the child spec of a supervisor for spec, nested
// under another supervisor with the ID id: a permanent child of kind
// KindSupervisor, whose Shutdown and StartTimeout default to Infinity (its
// own children are bounded by theirs). Change the returned spec's fields to
// choose otherwise. If spec is invalid the nested supervisor fails to
// start, and its parent reports a *StartError.
func ChildSupervisor(id string, spec Spec) ChildSpec {
	return ChildSpec{ID: id, Props: props(spec, nil), Kind: KindSupervisor, Restart: Permanent}
}
