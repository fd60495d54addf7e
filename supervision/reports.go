package supervision

import (
	"fmt"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/asynkron/protoactor-go/actor"
)

// Report is a supervisor report. Supervisors publish every report on their
// actor system's EventStream as a pointer (*ChildStarted, …), synchronously
// on the supervisor's goroutine, so subscribers should be quick. The set of
// reports is closed: ChildStarted, ChildStartFailed, ChildTerminated,
// ChildRestarted, ShutdownError and MaxIntensityReached.
type Report interface {
	fmt.Stringer
	// Info returns the supervisor and child the report is about.
	Info() ChildInfo
	isReport()
}

// ChildInfo names a supervisor and one of its children in a report.
type ChildInfo struct {
	// Supervisor is the supervisor's PID and SupervisorName its name.
	Supervisor     *actor.PID
	SupervisorName string
	// ChildID is the child's ID and PID its PID (nil if it has none).
	ChildID string
	PID     *actor.PID
	// Restart and Kind are from the child's spec.
	Restart RestartType
	Kind    Kind
}

// Info returns the ChildInfo itself; the report types embed it.
func (c ChildInfo) Info() ChildInfo { return c }

// String names the supervisor and the child: `supervisor "root"
// (nonhost/root): child "db" (nonhost/root/db) permanent worker`.
func (c ChildInfo) String() string {
	s := fmt.Sprintf("supervisor %q (%s): child %q", c.SupervisorName, actors.PIDString(c.Supervisor), c.ChildID)
	if c.PID != nil {
		s += " (" + actors.PIDString(c.PID) + ")"
	}
	return s + fmt.Sprintf(" %s %s", c.Restart, c.Kind)
}

// ChildStarted is a progress report: a child was started (also after a
// restart). OTP's "progress" report.
type ChildStarted struct{ ChildInfo }

// ChildStartFailed says a child could not be started (OTP's start_error).
type ChildStartFailed struct {
	ChildInfo
	// Err is why: see StartError.Err.
	Err error
}

// ChildTerminated says a child terminated without its supervisor asking it to
// (OTP's child_terminated), after a panic or an exit. What happens next is
// in the following report: ChildRestarted, or MaxIntensityReached, or
// nothing for a child that is not restarted. As in OTP, a normal or
// shutdown exit (see IsNormal) of a transient or temporary child is not
// reported; every exit of a permanent child is.
type ChildTerminated struct {
	ChildInfo
	// Reason is the exit reason: an *actors.PanicError for a panic, the
	// reason passed to Exit, or ErrNormal.
	Reason error
	// Message is the message being handled when the child panicked, if any.
	Message any
}

// ChildRestarted says a child was restarted. After a panic the child is
// restarted in place — same PID, messages queued behind the failing one
// kept; after an exit, or when a sibling's failure restarts it, it is a new
// actor with a new PID.
type ChildRestarted struct {
	ChildInfo
	// OldPID is the PID before the restart (equal to PID when InPlace).
	OldPID *actor.PID
	// InPlace is true when the same actor was restarted.
	InPlace bool
	// Reason is the reason of the termination that caused the restart.
	Reason error
}

// ShutdownError says a child did not stop cleanly when its supervisor
// terminated it (OTP's shutdown_error): it outlasted its Shutdown time and
// was stopped at once, it could not be stopped at all and was abandoned, or
// its Stopping handler panicked.
type ShutdownError struct {
	ChildInfo
	// Reason says what went wrong; errors.Is(Reason, ErrKilled) when the
	// child was stopped at once.
	Reason error
}

// MaxIntensityReached says a supervisor needed more restarts than its
// Intensity allows within its Period, and terminates all its children and
// itself (OTP's reached_max_restart_intensity). ChildInfo names the child
// whose termination was one too many.
type MaxIntensityReached struct {
	ChildInfo
	// Intensity and Period are the supervisor's limits.
	Intensity int
	Period    time.Duration
	// Reason is the child's exit reason.
	Reason error
}

func (*ChildStarted) isReport()        {}
func (*ChildStartFailed) isReport()    {}
func (*ChildTerminated) isReport()     {}
func (*ChildRestarted) isReport()      {}
func (*ShutdownError) isReport()       {}
func (*MaxIntensityReached) isReport() {}

// String renders the report on one line.
func (r *ChildStarted) String() string { return r.ChildInfo.String() + " started" }

// String renders the report on one line.
func (r *ChildStartFailed) String() string {
	return r.ChildInfo.String() + " failed to start: " + actors.SafeSprint(r.Err)
}

// String renders the report on one line.
func (r *ChildTerminated) String() string {
	return r.ChildInfo.String() + " terminated: " + actors.SafeSprint(r.Reason)
}

// String renders the report on one line.
func (r *ChildRestarted) String() string {
	how := "as " + actors.PIDString(r.PID)
	if r.InPlace {
		how = "in place"
	}
	return r.ChildInfo.String() + " restarted " + how + " after: " + actors.SafeSprint(r.Reason)
}

// String renders the report on one line.
func (r *ShutdownError) String() string {
	return r.ChildInfo.String() + " shutdown error: " + actors.SafeSprint(r.Reason)
}

// String renders the report on one line.
func (r *MaxIntensityReached) String() string {
	return fmt.Sprintf("%s: reached max restart intensity (%d in %v), giving up after: %s",
		r.ChildInfo.String(), r.Intensity, r.Period, actors.SafeSprint(r.Reason))
}
