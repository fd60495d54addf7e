// Package supervision provides OTP supervisors on Proto.Actor.
//
// Proto.Actor's supervisor strategies restart or stop a failing child, but
// a supervisor whose child fails too often only stops that child: it never
// gives up itself, so failure never climbs the tree. This package builds
// Erlang/OTP's supervisor on top: child specs, restart types, restart
// intensity per supervisor, escalation, ordered start and shutdown, and the
// runtime API. The words are Erlang's, with Erlang's meanings.
//
// # Specs
//
// A [Spec] has a [Strategy] ([OneForOne], [OneForAll], [RestForOne],
// [SimpleOneForOne]), a restart intensity (Intensity restarts within
// Period; OTP's defaults, 1 in 5 s) and [ChildSpec]s in start order. A child
// spec says how to start the child (Props, or a Start function taking
// per-child arguments), its [RestartType] ([Permanent], [Transient],
// [Temporary]), its Shutdown time (or [BrutalKill], [Infinity]) and its
// [Kind]. [ChildSpec] documents every default. [ChildSupervisor] nests a
// supervisor under another.
//
// # Starting and stopping
//
// [Start] spawns a top-level supervisor and returns when its children have
// started, one after the other. A child has started when its Started
// handler has returned; one that panics there, or calls [Exit], has failed
// to start, and then the supervisor terminates what it started and fails
// with a [*StartError] naming the child — nothing is left running.
// [Supervisor.Stop] terminates the children in reverse start order: each
// is sent a poison pill, so it handles what is already in its mailbox, and
// one still running after its Shutdown time is stopped at once and
// reported. A supervisor takes a poison pill (Stop's, or its parent's) the
// same way, and stops itself once Proto.Actor has seen its children go, so
// that no stop is sent to a child that is gone (a dead letter).
//
// # Exits and restarts
//
// Exit reasons are errors. [ErrNormal], [ErrShutdown] and [ErrKilled] are
// OTP's special reasons; [IsNormal] says which ones spare a transient child
// its restart. A child exits by panicking (its reason is an
// [*actors.PanicError] with the stack), by calling [Exit] with a reason, or
// by stopping (ErrNormal). Every exit of a permanent child is reported
// ([ChildTerminated]); a transient or temporary child's normal or shutdown
// exit is not, as in OTP: it is what such a child is for.
//
// A child that panicked is restarted in place: Proto.Actor's restart gives
// the same PID a new actor value, and the messages queued behind the one
// that panicked are kept. A child that exited is started again as a new
// actor, with a new PID and the actor name "<id>~<n>". Siblings restarted by
// OneForAll or RestForOne are terminated and started again as new actors.
// This is one place where the package differs from OTP, where every
// restart is a new process: keeping the mailbox loses nothing but the one
// message that caused the panic.
//
// More than Intensity restarts within Period makes a supervisor terminate
// all its children in reverse order and then itself, with a reason that
// wraps both [ErrShutdown] (as OTP's does) and
// [ErrReachedMaxRestartIntensity]. Its parent supervisor then applies its
// own strategy; under a plain Proto.Actor parent it panics with that
// reason, so the parent's Proto.Actor strategy decides; a top-level
// supervisor stops and its handle's [Supervisor.Done] is closed.
//
// # Runtime API
//
// [Supervisor.StartChild], [Supervisor.StartChildArgs] (SimpleOneForOne),
// [Supervisor.TerminateChild], [Supervisor.RestartChild],
// [Supervisor.DeleteChild], [Supervisor.WhichChildren] and
// [Supervisor.CountChildren] return OTP's error cases as error values:
// [ErrAlreadyStarted], [ErrAlreadyPresent], [ErrNotFound], [ErrRunning],
// [ErrSimpleOneForOne]. Every call is bounded by its context.
//
// # Reports
//
// Supervisors publish a [Report] on the actor system's EventStream for each
// child started, failing to start, terminating, restarted, failing to shut
// down, and for reaching the restart intensity, with a readable String and
// the supervisor, child ID, PID, restart type and reason as fields. Every
// supervised child also gets the [actors.CrashReporter] middleware, so its
// panics publish an *actors.CrashReport with the stack.
//
// # How it works
//
// What to do when a child terminates is decided by a pure function,
// table-tested apart from any actor; the supervisor actor carries the
// decisions out. As in OTP, a supervisor starts and terminates children
// synchronously, waiting on its own goroutine, so requests to it are
// answered between whole operations.
package supervision
