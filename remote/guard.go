package remote

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/remote"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
)

// guard stands between Proto.Actor remote's gRPC server and whoever can
// reach its port. It refuses a message batch whose indexes point past its
// lists (Proto.Actor indexes them unchecked, and the panic would end the
// process), and turns any panic of a handler into an error for that
// stream or call alone. Each refusal is counted and reported.
type guard struct {
	refused atomic.Int64
	// report is told of each refusal: where from, and why.
	report func(from, why string)
	// connected, if set, is told of each node that says who it is on a
	// new stream; left when that stream ends, with its error (nil when the
	// node closed it).
	connected func(address string)
	left      func(address string, err error)
}

// serverOptions returns the options that install g, to come before the
// user's (gRPC chains interceptors in the order of the options).
func (g *guard) serverOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.ChainStreamInterceptor(g.stream), grpc.ChainUnaryInterceptor(g.unary)}
}

// stream is the stream interceptor.
func (g *guard) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
	s := &guardedStream{ServerStream: ss, g: g}
	defer func() {
		if v := recover(); v != nil {
			err = g.refuse(ss.Context(), fmt.Sprintf("panic: %v", v))
		}
		if s.node != "" && g.left != nil {
			g.left(s.node, err)
		}
	}()
	return handler(srv, s)
}

// unary is the unary interceptor (Proto.Actor's unary methods panic
// "implement me").
func (g *guard) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
	defer func() {
		if v := recover(); v != nil {
			resp, err = nil, g.refuse(ctx, fmt.Sprintf("panic: %v", v))
		}
	}()
	return handler(ctx, req)
}

// refuse counts and reports a refusal, and returns the error that ends
// the stream or call.
func (g *guard) refuse(ctx context.Context, why string) error {
	g.refused.Add(1)
	from := "unknown peer"
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		from = p.Addr.String()
	}
	if g.report != nil {
		g.report(from, why)
	}
	return status.Error(codes.InvalidArgument, "actorlog: malformed message refused: "+why)
}

// guardedStream checks each message received.
type guardedStream struct {
	grpc.ServerStream
	g    *guard
	node string // the address the node declared when it connected
}

// RecvMsg implements grpc.ServerStream.
func (s *guardedStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	rm, ok := m.(*remote.RemoteMessage)
	if !ok {
		return nil
	}
	if b := rm.GetMessageBatch(); b != nil {
		if why := checkBatch(b); why != "" {
			return s.g.refuse(s.Context(), why)
		}
		return nil
	}
	if c := rm.GetConnectRequest().GetServerConnection(); c != nil && c.Address != "" && s.node == "" {
		s.node = c.Address
		if s.g.connected != nil {
			s.g.connected(c.Address)
		}
	}
	return nil
}

// checkBatch says what is wrong with b's indexes, or "": each envelope's
// target, sender (1-based, 0 for none) and type must be in their lists.
func checkBatch(b *remote.MessageBatch) string {
	for i, e := range b.Envelopes {
		switch {
		case e == nil:
			return fmt.Sprintf("envelope %d is empty", i)
		case e.Target < 0 || int(e.Target) >= len(b.Targets) || b.Targets[e.Target] == nil:
			return fmt.Sprintf("envelope %d: target %d is not in its %d targets", i, e.Target, len(b.Targets))
		case e.Sender < 0 || int(e.Sender) > len(b.Senders) || e.Sender > 0 && b.Senders[e.Sender-1] == nil:
			return fmt.Sprintf("envelope %d: sender %d is not in its %d senders", i, e.Sender, len(b.Senders))
		case e.TypeId < 0 || int(e.TypeId) >= len(b.TypeNames):
			return fmt.Sprintf("envelope %d: type %d is not in its %d type names", i, e.TypeId, len(b.TypeNames))
		}
	}
	return ""
}
