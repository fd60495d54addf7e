// Package mailbox is the Proto.Actor mailbox of actorlog's actors that
// queue events: a queue that is the actor's whole queue, whose length
// (the entries waiting, all but the one the actor is handling, as
// Erlang's message_queue_len) is read in two atomic loads, whose
// consecutive events reach the actor as one batch, and whose undelivered
// messages are handed back, to be counted, when the actor stops.
package mailbox
