package actors

import (
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// Gauge reads the length of one actor's mailbox: the number of user
// messages posted to it and not yet taken out, the equivalent of Erlang's
// message_queue_len. Proto.Actor keeps an actor's mailbox private; a Gauge
// keeps a reference to it when the mailbox is built.
//
// A Gauge belongs to one actor. Build the actor's Props with
// actor.WithMailbox(g.Mailbox(...)) for each spawn; if the same Props is
// spawned twice, the Gauge reads the most recent spawn's mailbox.
type Gauge struct {
	mb atomic.Pointer[mailboxRef]
}

type mailboxRef struct{ actor.Mailbox }

// Mailbox returns a mailbox producer that builds mailboxes with inner (the
// default unbounded mailbox if nil) and lets the Gauge read them.
func (g *Gauge) Mailbox(inner actor.MailboxProducer) actor.MailboxProducer {
	if inner == nil {
		inner = actor.Unbounded()
	}
	return func() actor.Mailbox {
		mb := inner()
		g.mb.Store(&mailboxRef{mb})
		return mb
	}
}

// Len returns the number of user messages waiting in the mailbox, or 0 if no
// mailbox has been built yet. The message being handled is not counted. It
// costs two atomic loads and may be called from any goroutine.
func (g *Gauge) Len() int {
	if ref := g.mb.Load(); ref != nil {
		return ref.UserMessageCount()
	}
	return 0
}
