package actorlog_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/asynkron/protoactor-go/actor"
)

// Logging with key/values, lager-style formatting, metadata from With, and
// a handler whose level is an expression.
func ExampleLogger() {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	console := &handlers.Console{Writer: os.Stdout}
	sys, err := actorlog.Start(actorlog.Config{
		ActorSystem: system,
		Handlers: []actorlog.Handler{{
			Config: handlers.Config{
				ID:        "console",
				Level:     "!=notice", // every level but notice
				Formatter: &formatter.Lager{Tokens: formatter.Tokens(formatter.Text("["), formatter.Severity, formatter.Text("] "), formatter.Message, formatter.Attrs, formatter.Text("\n"))},
			},
			Handler: console,
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	log := sys.Logger()
	log.Info("user logged in", "user", 42)
	log.Notice("not shown: the console's level excludes notice")
	log.With("request_id", "7f3a").Warningf("request took %d ms", 1200)
	log.Debug("debug is shown: !=notice lets it through")
	_ = sys.Stop(context.Background())
	// Output:
	// [info] user logged in user=42
	// [warning] request took 1200 ms request_id=7f3a
	// [debug] debug is shown: !=notice lets it through
}

// upper is a Handler: it writes each event's message in upper case. It
// keeps state without locks, because a handler runs in its own actor.
type upper struct{ written int }

func (u *upper) Log(e *core.Event, _ *handlers.Config) error {
	u.written++
	_, err := fmt.Printf("%d %s\n", u.written, strings.ToUpper(e.Message))
	return err
}

// Flush is optional (handlers.Flusher); so are Add, Change, FilterConfig
// and Remove.
func (u *upper) Flush() error { return nil }

// A custom Handler, installed at run time and removed again.
func ExampleSystem_AddHandler() {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	sys, err := actorlog.Start(actorlog.Config{ActorSystem: system, Handlers: []actorlog.Handler{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	err = sys.AddHandler(ctx, actorlog.Handler{Config: handlers.Config{ID: "upper", Level: "warning"}, Handler: &upper{}})
	fmt.Println("added:", err)
	sys.Logger().Info("too quiet to be seen")
	sys.Logger().Error("disk full")
	sys.Logger().Critical("database down")
	fmt.Println("flushed:", sys.Flush(ctx))
	fmt.Println("removed:", sys.RemoveHandler(ctx, "upper"))
	_ = sys.Stop(ctx)
	// Output:
	// added: <nil>
	// 1 DISK FULL
	// 2 DATABASE DOWN
	// flushed: <nil>
	// removed: <nil>
}
