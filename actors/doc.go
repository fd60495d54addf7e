// Package actors holds the Proto.Actor plumbing that every actorlog actor
// uses, and that users' own actors can use too.
//
// Proto.Actor leaves a few things out that a logging runtime needs; this
// package adds them without changing how Proto.Actor behaves.
//
// # Crash reports
//
// [CrashReporter] is a receiver middleware. When the actor it is installed
// on panics — in Started, in any user message and any Become behaviour, in
// Stopping, Stopped or Restarting — it recovers the panic, captures a
// cleaned stack ([CleanStack]: the program's frames, without the runtime's,
// the framework's and those of middleware given to [HideFrames]), publishes a [*CrashReport] on the actor system's
// EventStream with the actor's PID, parent, Go type, the message and its
// sender and the restart count, and panics again with a [*PanicError]. The
// supervisor therefore decides exactly as before, and the reason it sees now
// carries the stack.
//
// Panics outside actors are caught by [Go] (a goroutine with an owner that
// waits for it) and [Safe] (any callback), which publish the same report.
//
// # Mailbox length
//
// A [Gauge] reads an actor's queue length with two atomic loads — the
// equivalent of Erlang's message_queue_len, which Proto.Actor hides.
//
// # Calls and stops bounded by a context
//
// [Call] is a request/response bounded by a context.Context, answering
// [ErrNoActor] at once for an actor that does not exist. [StopGracefully]
// lets an actor drain its mailbox before stopping (a poison pill) and waits
// for it; [StopNow] stops it at once (dropping its queue) and waits. Both
// are bounded by the caller's context, unlike Proto.Actor's PoisonFuture and
// StopFuture, which always wait 10 s.
//
// # Tests
//
// [QuietConfig] and the actortest sub-package build actor systems that log
// nothing and leave no goroutine behind, so goleak passes in every package.
package actors
