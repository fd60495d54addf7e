package translator_test

import (
	"errors"
	"fmt"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/translator"
	"github.com/asynkron/protoactor-go/actor"
)

// A crash report becomes an event a developer can read; the report stays
// on the event, and the switches decide which handlers get it.
func ExampleTranslator_Translate() {
	report := &actors.CrashReport{
		Actor: &actor.PID{Address: "nonhost", Id: "$3"}, ActorType: "*main.worker",
		Reason:  errors.New("database unavailable"),
		Stack:   "main.(*worker).Receive\n\t/src/app/worker.go:42\n",
		Message: "refresh", Sender: &actor.PID{Address: "nonhost", Id: "$1"},
	}
	e := &core.Event{Level: core.LevelError, Report: report}
	t := translator.New(translator.Options{})
	t.Translate(e, false)
	fmt.Println(e.Message)
	reason, _ := e.Lookup("crash_reason")
	fmt.Println("crash_reason:", reason.Group()[0].Value)
	fmt.Println("report kept:", e.Report == report)
	// Output:
	// Actor nonhost/$3 (*main.worker) terminating
	// ** (panic) database unavailable
	//     app/worker.go:42: main.(*worker).Receive
	// Last message (from nonhost/$1): "refresh"
	// crash_reason: database unavailable
	// report kept: true
}
