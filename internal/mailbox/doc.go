// Package mailbox is the Proto.Actor mailbox of actorlog's actors that
// queue events: a queue that is the actor's whole queue, read in one
// atomic load, whose consecutive events reach the actor as one batch, and
// whose undelivered messages are handed back, to be counted, when the
// actor stops.
package mailbox
