// Command embed shows a service that already has its own Proto.Actor
// actor system, its slog calls and its standard log calls adopting
// actorlog in four lines:
//
//  1. actor.WithLoggerFactory(actorlog.LoggerFactory) when it makes its
//     actor system, so Proto.Actor's own records (dead letters, …) come
//     through the translator;
//  2. actorlog.Start on that actor system, which translates crash and
//     supervisor reports too;
//  3. slog.SetDefault(slog.New(log.Handler())), so the service's slog
//     calls go through actorlog;
//  4. sys.RedirectStdLog, so does the standard log, at most 50 lines a
//     second.
//
// It then crashes an actor and prints what actorlog wrote.
//
//	go run ./examples/embed
package main

import (
	"context"
	"fmt"
	stdlog "log"
	"log/slog"
	"os"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
)

// order is a message of the service; a negative quantity is a bug.
type order struct {
	ID       string
	Quantity int
}

// inventory is an actor of the service: it keeps stock per item.
type inventory struct{ stock []int }

func (a *inventory) Receive(c actor.Context) {
	if o, ok := c.Message().(*order); ok {
		slog.Info("reserving stock", "order", o.ID, "quantity", o.Quantity)
		a.stock[o.Quantity]-- // panics for a quantity out of range
	}
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

func run(out *os.File) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// The service's actor system, made with actorlog's logger factory.
	system := actor.NewActorSystem(actor.WithLoggerFactory(actorlog.LoggerFactory))
	defer system.Shutdown()

	format, err := formatter.ParseTemplate("[$level] $message\n")
	if err != nil {
		return err
	}
	sys, err := actorlog.Start(actorlog.Config{
		ActorSystem: system,
		Handlers: []actorlog.Handler{{
			Config:  handlers.Config{ID: "console", Level: "info", Formatter: format},
			Handler: &handlers.Console{Writer: out},
		}},
	})
	if err != nil {
		return err
	}
	prev := slog.Default()
	slog.SetDefault(slog.New(sys.Logger().Handler()))
	defer slog.SetDefault(prev)
	undo := sys.RedirectStdLog(actorlog.StdLogOptions{})
	defer undo()

	slog.Info("service started", "version", "1.4.2")
	stdlog.Printf("legacy code still uses the standard log")

	// An actor of the service panics: actorlog translates its crash report.
	// With actors.CrashReporter the report has the stack and the last
	// message; without it, Proto.Actor's own record still gives one line.
	pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &inventory{stock: make([]int, 3)} },
		actor.WithReceiverMiddleware(actors.CrashReporter())))
	system.Root.Send(pid, &order{ID: "A-17", Quantity: 1})
	system.Root.Send(pid, &order{ID: "B-99", Quantity: 7})
	// The poison pill queues behind the orders: once the actor has stopped,
	// the crash has been reported, and Flush writes it out.
	if err := system.Root.PoisonFuture(pid).Wait(); err != nil {
		return err
	}
	if err := sys.Flush(ctx); err != nil {
		return err
	}
	undo()
	return sys.Stop(ctx)
}
