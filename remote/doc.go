// Package remote collects the logs of many nodes in one place, over
// Proto.Actor remote.
//
// On each service node, a [Forwarder] handler sends the node's events, in
// batches of protobuf messages (package pb, generated from pb/events.proto
// by gen.sh), to a [Collector] on another node. The collector logs them
// into one of its System's sinks like local events, marked with their
// origin: Event.Node and the "origin" metadata. A collector's handler
// chooses with [Filter] what to do with events from other nodes: Handle
// them like local ones, Ignore them, or take only them (Mirror).
//
//	// the collector
//	coll, err := remote.StartCollector(sys, remote.CollectorOptions{Options: remote.Options{Port: 7070}})
//	// each service node
//	_, _, err := remote.Start(system, remote.Options{})
//	actorlog.Handler{Config: handlers.Config{ID: "to-collector", Level: "info"},
//		Handler: &remote.Forwarder{System: system, Collector: "127.0.0.1:7070"}}
//
// # Delivery
//
// At least once. A batch stays in its forwarder until the collector
// acknowledges it. It is sent again, with the same sequence number, as
// soon as the collector listens again after the connection to it ended
// (Proto.Actor's EndpointTerminatedEvent; the forwarder then tries the
// collector's port every 20 ms), and after AckTimeout without an answer.
// The collector acknowledges a batch once its sink has handled and
// flushed it (Sink.Flush), so that a collector killed loses no event it
// acknowledged that its handlers could flush; its forwarders wait for its
// slowest handler's flush (a Forwarder among them, for its own
// collector's acks), up to AckTimeout. A flush that fails (a handler's
// error, which that handler reports) does not hold the ack back. It drops
// a batch it has already logged, and acknowledges it. While the collector is away, events wait, up to MaxBuffer. Beyond
// that they are dropped, counted (Forwarder.Dropped, and the handler's
// errors), and reported once a second with the exact count ("forwarder
// dropped N events: …"). The collector is reported unreachable when a
// batch could not be delivered, and reachable again when it answers
// after that, never merely because the buffer was full. A collector that
// restarted may log twice a batch whose ack was lost. It remembers each
// forwarder's last batch for CollectorOptions.DedupWindow (10 minutes)
// after it last heard from it, so its memory follows the forwarders it
// hears from.
//
// The collector logs at warning, with its address, a node whose
// connection failed (it disappeared: killed, or cut off), and the same
// node when it connects again. A node that closes its connection has
// left, and is not logged; one that exits without shutting remote down
// gracefully cannot be told from one killed.
//
// # What is and is not protected
//
//   - Listening binds 127.0.0.1 unless Options.Host says otherwise.
//   - A failure to listen is an error (ErrListen), not Proto.Actor's panic.
//     An unreachable collector is reported, never fatal.
//   - CollectorOptions.AllowList keeps the batches of the listed node
//     addresses only. The address is the one a sender declares: it keeps
//     out misconfigured nodes, not an attacker who can reach the port.
//   - CollectorOptions.MaxEventSize refuses larger events (counted and
//     reported).
//   - Malformed input never ends the process. The gRPC server of Start
//     (and so of the collector) refuses a Proto.Actor message whose
//     indexes point past its lists, and recovers a panic of a handler: the
//     stream or call ends with an error, and the refusal is counted
//     (Collector.Malformed) and logged at warning. So is a batch no
//     forwarder sends (no events, origin, forwarder or sequence number),
//     which gets no answer. These interceptors come before the user's,
//     whose server options (TLS, limits) apply too, however
//     remote.WithServerOptions is given.
//   - Transport encryption and authentication are gRPC's. Pass
//     remote.WithServerOptions(grpc.Creds(…)) and
//     remote.WithDialOptions(grpc.WithTransportCredentials(…)) in
//     Options.Remote. Without them, events travel in clear text, and
//     anyone who can reach the port can send events.
//
// Proto.Actor remote replaces gRPC's global logger when it starts.
package remote
