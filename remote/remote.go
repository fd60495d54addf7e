package remote

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/remote/pb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"
)

// Options configure Proto.Actor remote for an actor system.
type Options struct {
	// Host and Port are where to listen: 127.0.0.1 and an ephemeral port
	// if empty and zero. Bind another host only on purpose: see the
	// package documentation for what is and is not protected.
	Host string
	Port int
	// Remote are Proto.Actor remote's own options: TLS with
	// remote.WithServerOptions(grpc.Creds(…)) and
	// remote.WithDialOptions(grpc.WithTransportCredentials(…)), and the
	// like.
	Remote []remote.ConfigOption
}

// ErrListen wraps a failure to listen.
var ErrListen = errors.New("remote: cannot listen")

// Start starts Proto.Actor remote on system and returns it, with the
// address it listens on (host:port). A failure to listen is an error
// wrapping ErrListen, not the panic Proto.Actor remote makes of it. Note
// that Proto.Actor remote silences gRPC's global logger.
//
// Its gRPC server refuses a malformed message (a batch whose indexes point
// past its lists) and recovers a panic of a handler: the stream or call
// ends with an error, the process goes on, and the refusal is logged at
// warning through system's logger. These interceptors come first, before
// the ones of remote.WithServerOptions in opts.Remote, whose other server
// options (TLS, limits) apply too.
func Start(system *actor.ActorSystem, opts Options) (r *remote.Remote, address string, err error) {
	g := &guard{report: func(from, why string) {
		system.Logger().Warn("remote: refused a malformed message", slog.String("from", from), slog.String("reason", why))
	}}
	return start(system, opts, g)
}

// start is Start with g guarding the server.
func start(system *actor.ActorSystem, opts Options, g *guard) (r *remote.Remote, address string, err error) {
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	cfg := remote.Configure(opts.Host, opts.Port, opts.Remote...)
	// WithServerOptions replaces the options before it: the guard's are
	// put before the user's here, once they are all known.
	cfg.ServerOptions = append(g.serverOptions(), cfg.ServerOptions...)
	r = remote.NewRemote(system, cfg)
	defer func() {
		if p := recover(); p != nil {
			r, address, err = nil, "", fmt.Errorf("%w on %s:%d: %v", ErrListen, opts.Host, opts.Port, p)
		}
	}()
	r.Start()
	return r, system.Address(), nil
}

// CollectorName is the name of the collector's actor on its node.
const CollectorName = "actorlog-collector"

// toWire converts an event for the wire.
func toWire(e *core.Event) *pb.Event {
	w := &pb.Event{
		TimeUnixNano: e.Time.UnixNano(),
		Level:        int32(e.Level),
		Message:      e.Message,
		Attrs:        attrsToWire(e.Attrs),
		Meta:         attrsToWire(e.Meta),
		Sink:         e.Sink,
	}
	if e.Actor != nil {
		w.ActorAddress, w.ActorId = e.Actor.Address, e.Actor.Id
	}
	if c := e.Caller(); c != nil {
		w.File, w.Line, w.Function = c.File, int32(c.Line), c.Function
	}
	return w
}

func attrsToWire(attrs []slog.Attr) []*pb.Attr {
	if len(attrs) == 0 {
		return nil
	}
	out := make([]*pb.Attr, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, attrToWire(a))
	}
	return out
}

func attrToWire(a slog.Attr) *pb.Attr {
	w := &pb.Attr{Key: a.Key}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindInt64:
		w.Kind, w.IntValue = pb.Attr_INT, v.Int64()
	case slog.KindUint64:
		w.Kind, w.UintValue = pb.Attr_UINT, v.Uint64()
	case slog.KindFloat64:
		w.Kind, w.FloatValue = pb.Attr_FLOAT, v.Float64()
	case slog.KindBool:
		w.Kind, w.BoolValue = pb.Attr_BOOL, v.Bool()
	case slog.KindDuration:
		w.Kind, w.IntValue = pb.Attr_DURATION, int64(v.Duration())
	case slog.KindTime:
		w.Kind, w.IntValue = pb.Attr_TIME, v.Time().UnixNano()
	case slog.KindGroup:
		w.Kind, w.Group = pb.Attr_GROUP, attrsToWire(v.Group())
	default:
		w.Kind, w.StringValue = pb.Attr_STRING, v.String()
	}
	return w
}

// fromWire converts an event from origin back, marked with its origin:
// Node is the origin, and Meta has "origin".
func fromWire(w *pb.Event, origin string) *core.Event {
	e := &core.Event{
		Time:    time.Unix(0, w.TimeUnixNano),
		Level:   core.Level(w.Level),
		Message: w.Message,
		Attrs:   attrsFromWire(w.Attrs),
		Meta:    append(attrsFromWire(w.Meta), slog.String("origin", origin)),
		Sink:    w.Sink,
		Node:    origin,
	}
	if w.ActorId != "" {
		e.Actor = &actor.PID{Address: w.ActorAddress, Id: w.ActorId}
	}
	if w.File != "" {
		e.Meta = append(e.Meta, slog.Group("source", slog.String("function", w.Function), slog.String("file", w.File), slog.Int("line", int(w.Line))))
	}
	return e
}

func attrsFromWire(ws []*pb.Attr) []slog.Attr {
	if len(ws) == 0 {
		return nil
	}
	out := make([]slog.Attr, 0, len(ws))
	for _, w := range ws {
		out = append(out, attrFromWire(w))
	}
	return out
}

func attrFromWire(w *pb.Attr) slog.Attr {
	switch w.Kind {
	case pb.Attr_INT:
		return slog.Int64(w.Key, w.IntValue)
	case pb.Attr_UINT:
		return slog.Uint64(w.Key, w.UintValue)
	case pb.Attr_FLOAT:
		return slog.Float64(w.Key, w.FloatValue)
	case pb.Attr_BOOL:
		return slog.Bool(w.Key, w.BoolValue)
	case pb.Attr_DURATION:
		return slog.Duration(w.Key, time.Duration(w.IntValue))
	case pb.Attr_TIME:
		return slog.Time(w.Key, time.Unix(0, w.IntValue))
	case pb.Attr_GROUP:
		return slog.Attr{Key: w.Key, Value: slog.GroupValue(attrsFromWire(w.Group)...)}
	}
	return slog.String(w.Key, w.StringValue)
}

// size is an event's size on the wire, for the collector's limit.
func size(w *pb.Event) int { return len(w.Message) + attrsSize(w.Attrs) + attrsSize(w.Meta) }

func attrsSize(ws []*pb.Attr) int {
	n := 0
	for _, w := range ws {
		n += len(w.Key) + len(w.StringValue) + 8 + attrsSize(w.Group)
	}
	return n
}
