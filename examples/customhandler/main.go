// Command customhandler shows the two ways to extend actorlog with your own
// handler: a Go value that implements handlers.Handler (and, if it wants,
// Add, Flush and Remove), run by actorlog in its own actor; or your own
// Proto.Actor actor, given as Props, that receives the events itself.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/asynkron/protoactor-go/actor"
)

// levelCounter is a Handler: it counts events per level and prints the
// tally when it is removed. Its methods run in its own actor, one at a
// time, so it needs no lock.
type levelCounter struct {
	counts map[core.Level]int
}

// Add prepares the handler (OTP's adding_handler); returning an error would
// make the install fail (and be retried), handlers.ErrIgnore skip it.
func (c *levelCounter) Add(*handlers.Config) error {
	c.counts = map[core.Level]int{}
	return nil
}

// Log counts one event.
func (c *levelCounter) Log(e *core.Event, _ *handlers.Config) error {
	c.counts[e.Level.Named()]++
	return nil
}

// Remove prints the tally (OTP's removing_handler).
func (c *levelCounter) Remove() error {
	levels := make([]core.Level, 0, len(c.counts))
	for l := range c.counts {
		levels = append(levels, l)
	}
	sort.Slice(levels, func(i, j int) bool { return levels[i] < levels[j] })
	var parts []string
	for _, l := range levels {
		parts = append(parts, fmt.Sprintf("%s=%d", l, c.counts[l]))
	}
	fmt.Println("counter: removed after counting", strings.Join(parts, " "))
	return nil
}

// pager is a custom handler actor: it receives *core.Event for every event
// at its level and handlers.Flush, which it must answer.
type pager struct {
	paged int
}

func (p *pager) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *core.Event:
		p.paged++
		fmt.Printf("pager: PAGE #%d from %s: %s\n", p.paged, c.Self().Id, m.Message)
	case handlers.Flush:
		c.Respond(handlers.Flushed{})
	}
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "customhandler:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sys, err := actorlog.Start(actorlog.Config{Handlers: []actorlog.Handler{
		{Config: handlers.Config{ID: "counter"}, Handler: &levelCounter{}},
		{Config: handlers.Config{ID: "pager", Level: "critical"}, Props: actor.PropsFromProducer(func() actor.Actor { return &pager{} })},
	}})
	if err != nil {
		return err
	}
	log := sys.Logger()
	log.Debug("cache warmed")
	log.Info("request served", "path", "/")
	log.Info("request served", "path", "/about")
	log.Warning("slow query", "took", 2*time.Second)
	log.Critical("replica lost", "replica", "db-2")
	log.Alert("primary lost", "replica", "db-1")
	if err := sys.Flush(ctx); err != nil {
		return err
	}
	fmt.Print(sys.Status(ctx))
	return sys.Stop(ctx) // removes the handlers: the counter prints its tally
}
