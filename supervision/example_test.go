package supervision_test

import (
	"context"
	"fmt"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// A one_for_one supervisor restarts the child that panicked, in place.
func ExampleStart() {
	ctx := context.Background()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	restarted := make(chan string, 1)
	sub := system.EventStream.Subscribe(func(e any) {
		if r, ok := e.(*supervision.ChildRestarted); ok {
			restarted <- r.String()
		}
	})
	defer system.EventStream.Unsubscribe(sub)

	worker := actor.PropsFromFunc(func(c actor.Context) {
		if job, ok := c.Message().(string); ok {
			panic("cannot do " + job)
		}
	})
	sup, err := supervision.Start(ctx, system, supervision.Spec{
		Name:      "jobs",
		Strategy:  supervision.OneForOne,
		Intensity: 3,
		Period:    time.Minute,
		Children: []supervision.ChildSpec{
			{ID: "worker", Props: worker},
			{ID: "auditor", Props: worker, Restart: supervision.Temporary},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	children, _ := sup.WhichChildren(ctx)
	for _, c := range children {
		fmt.Println(c.ID, actors.PIDString(c.PID), c.Restart, c.Kind)
	}
	system.Root.Send(children[0].PID, "the books")
	fmt.Println(<-restarted)
	fmt.Println(sup.Stop(ctx))
	// Output:
	// worker nonhost/jobs/worker permanent worker
	// auditor nonhost/jobs/auditor temporary worker
	// supervisor "jobs" (nonhost/jobs): child "worker" (nonhost/jobs/worker) permanent worker restarted in place after: cannot do the books
	// <nil>
}

// A simple_one_for_one supervisor starts children from a template, with
// arguments, at run time.
func ExampleSupervisor_StartChildArgs() {
	ctx := context.Background()
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	greeted := make(chan string, 2)
	sup, err := supervision.Start(ctx, system, supervision.Spec{
		Name:     "pool",
		Strategy: supervision.SimpleOneForOne,
		Children: []supervision.ChildSpec{{
			ID:      "conn",
			Restart: supervision.Transient,
			Start: func(args []any) (*actor.Props, error) {
				host := args[0].(string)
				return actor.PropsFromFunc(func(c actor.Context) {
					if _, ok := c.Message().(*actor.Started); ok {
						greeted <- "connected to " + host
					}
				}), nil
			},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, host := range []string{"db", "cache"} {
		pid, _ := sup.StartChildArgs(ctx, host)
		fmt.Println(actors.PIDString(pid), <-greeted)
	}
	counts, _ := sup.CountChildren(ctx)
	fmt.Printf("%+v\n", counts)
	_ = sup.Stop(ctx)
	// Output:
	// nonhost/pool/conn-1 connected to db
	// nonhost/pool/conn-2 connected to cache
	// {Specs:1 Active:2 Supervisors:0 Workers:2}
}

// A child that fails to start makes the whole start fail, naming it.
func ExampleStartError() {
	system := actor.NewActorSystem(actors.QuietConfig()...)
	defer system.Shutdown()
	broken := actor.PropsFromFunc(func(c actor.Context) {
		if _, ok := c.Message().(*actor.Started); ok {
			supervision.Exit(c, fmt.Errorf("no config file"))
		}
	})
	_, err := supervision.Start(context.Background(), system, supervision.Spec{
		Name:     "app",
		Children: []supervision.ChildSpec{{ID: "loader", Props: broken}},
	})
	fmt.Println(err)
	// Output:
	// supervision: supervisor "app": child "loader" failed to start: no config file
}
