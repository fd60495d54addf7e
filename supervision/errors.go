package supervision

import (
	"errors"
	"fmt"
)

// Exit reasons. A child's exit reason is an error; these are OTP's special
// ones. Match them with errors.Is: reasons may wrap them.
var (
	// ErrNormal is the reason of a child that finished its work: it called
	// Exit with nil or ErrNormal, or stopped itself with ctx.Stop. A
	// transient child is not restarted after it.
	ErrNormal = errors.New("normal")
	// ErrShutdown is the reason of a child its supervisor told to stop, and
	// of a supervisor that gave up. A transient child is not restarted
	// after it.
	ErrShutdown = errors.New("shutdown")
	// ErrKilled is the reason of a child that was stopped at once (after its
	// shutdown time ran out, or by BrutalKill).
	ErrKilled = errors.New("killed")
	// ErrReachedMaxRestartIntensity is wrapped, with ErrShutdown, in the
	// reason of a supervisor that needed more restarts than its Intensity
	// allows within its Period.
	ErrReachedMaxRestartIntensity = errors.New("reached max restart intensity")
)

// Errors of the runtime API and of starting children, OTP's error cases.
var (
	// ErrAlreadyPresent: StartChild with the ID of a child that is not
	// running but whose spec is kept.
	ErrAlreadyPresent = errors.New("supervision: already present")
	// ErrAlreadyStarted: StartChild with the ID of a running child.
	ErrAlreadyStarted = errors.New("supervision: already started")
	// ErrNotFound: no child has that ID.
	ErrNotFound = errors.New("supervision: not found")
	// ErrRunning: RestartChild or DeleteChild on a running child.
	ErrRunning = errors.New("supervision: running")
	// ErrSimpleOneForOne: an operation that a SimpleOneForOne supervisor
	// does not support (RestartChild, DeleteChild, StartChild with a spec),
	// or StartChildArgs on a supervisor of another strategy.
	ErrSimpleOneForOne = errors.New("supervision: not supported with simple_one_for_one")
	// ErrIgnore, returned by ChildSpec.Start or passed to Exit from a
	// Started handler, leaves the child not running without an error.
	ErrIgnore = errors.New("supervision: ignore")
	// ErrStartTimeout: a child's Started handler took longer than its
	// StartTimeout.
	ErrStartTimeout = errors.New("supervision: start timeout")
	// ErrInvalidSpec: a Spec or ChildSpec that cannot be used; the message
	// names the bad field.
	ErrInvalidSpec = errors.New("supervision: invalid spec")
	// ErrNoSupervisor: the supervisor addressed has stopped, or never
	// existed.
	ErrNoSupervisor = errors.New("supervision: no such supervisor")
)

// StartError says which child a supervisor could not start, and why.
type StartError struct {
	// Supervisor is the supervisor's name.
	Supervisor string
	// Child is the child's ID.
	Child string
	// Err is the reason: an error returned by ChildSpec.Start, the
	// *actors.PanicError of a panic in Started, a reason passed to Exit from
	// Started, ErrStartTimeout, or a nested supervisor's own *StartError.
	Err error
}

// Error names the supervisor, the child and the reason.
func (e *StartError) Error() string {
	return fmt.Sprintf("supervision: supervisor %q: child %q failed to start: %v", e.Supervisor, e.Child, e.Err)
}

// Unwrap returns the reason.
func (e *StartError) Unwrap() error { return e.Err }

// IsNormal reports whether reason is a normal exit, after which a transient
// child is not restarted: nil, ErrNormal or ErrShutdown, wrapped or not.
func IsNormal(reason error) bool {
	return reason == nil || errors.Is(reason, ErrNormal) || errors.Is(reason, ErrShutdown)
}
