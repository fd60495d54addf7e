// Package handlertest is a test kit for handlers — actorlog's and yours —
// in the spirit of Elixir's LoggerHandlerKit.
//
// A [Kit] runs one handler in a System and an actor system of its own, so
// tests own their events and run with t.Parallel. The handler is wrapped:
// its panics are reported to the test, and each Log call is a sync point
// ([Kit.AssertLogged], [Kit.WaitLogged]).
//
// [Scenarios] re-express LoggerHandlerKit's acts for Go and Proto.Actor:
// plain, bytes, invalid UTF-8, empty and huge messages; reports as ordered
// pairs, maps and cyclic structs; printf mismatches; actors panicking with
// an error, a string, a struct; a named actor; a request whose sender
// already stopped; a fire-and-forget send; goroutine, callback and future
// panics; a panic in Started and in a Become behaviour; supervisor
// progress and failure; metadata of every awkward type; a net/http handler
// panic. [Run] runs them all on a handler:
//
//	func TestMyHandlerPassesTheKit(t *testing.T) {
//		handlertest.Run(t, func(t *testing.T) (handlers.Handler, func() string) {
//			var buf syncBuffer
//			return &MyHandler{W: &buf}, buf.String
//		})
//	}
package handlertest
