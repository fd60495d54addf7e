package actorlog_test

import (
	"context"
	"fmt"
	"os"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
)

// A trace shows one request's debug events on a console that logs
// warnings and above; a silence trace keeps a chatty component off it.
func ExampleSystem_Trace() {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{{
		Config: handlers.Config{ID: "console", Level: "warning",
			Formatter: &formatter.Lager{Tokens: formatter.Tokens(formatter.Text("["), formatter.Severity, formatter.Text("] "), formatter.Message, formatter.Attrs, formatter.Text("\n"))}},
		Handler: &handlers.Console{Writer: os.Stdout},
	}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	q, _ := actorlog.ParseQuery(`request_id = "r-17"`)
	ref, _ := sys.Trace(ctx, "console", q, "debug")
	noisy, _ := actorlog.ParseQuery(`component = chatty`)
	_, _ = sys.Trace(ctx, "console", noisy, actorlog.Silence)

	log := sys.Logger()
	log.Debug("cache miss", "request_id", "r-17")
	log.Debug("cache miss", "request_id", "r-18")
	log.Warning("retrying", "component", "chatty")
	log.Warning("disk 91% full")
	_ = sys.StopTrace(ctx, ref)
	log.Debug("after the trace", "request_id", "r-17")
	_ = sys.Stop(ctx)
	// Output:
	// [debug] cache miss request_id=r-17
	// [warning] disk 91% full
}
