//go:build !race

package remote_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/remote"
	"github.com/actorlog/actorlog/remote/pb"
	"github.com/asynkron/protoactor-go/actor"
	protoremote "github.com/asynkron/protoactor-go/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// batchMessage is a Proto.Actor message carrying a batch of events to
// the collector at address, well formed; tests break it.
func batchMessage(t testing.TB, address string) *protoremote.MessageBatch {
	data, err := proto.Marshal(&pb.Batch{Origin: "forger:1", Forwarder: "f", Seq: 1, Events: []*pb.Event{{Message: "forged"}}})
	require.NoError(t, err)
	return &protoremote.MessageBatch{
		TypeNames: []string{string(proto.MessageName(&pb.Batch{}))},
		Targets:   []*actor.PID{actor.NewPID(address, remote.CollectorName)},
		Envelopes: []*protoremote.MessageEnvelope{{MessageData: data}},
	}
}

// sendRaw sends m on a Proto.Actor stream of its own to address and
// returns how the collector answered: the stream's error, nil if the
// collector took it and the stream stayed open.
func sendRaw(t testing.TB, address string, m *protoremote.RemoteMessage, opts ...grpc.DialOption) error {
	t.Helper()
	if len(opts) == 0 {
		opts = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	conn, err := grpc.Dial(address, opts...)
	require.NoError(t, err)
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	stream, err := protoremote.NewRemotingClient(conn).Receive(ctx)
	if err != nil {
		return err
	}
	if err := stream.Send(m); err != nil {
		return err
	}
	_, err = stream.Recv()
	if status.Code(err) == codes.DeadlineExceeded {
		return nil
	}
	return err
}

// deliversAfterwards checks that the collector still takes a node's
// events.
func deliversAfterwards(t *testing.T, c *collectorNode, fwd *remote.Forwarder) {
	t.Helper()
	s := startService(t, c.coll.Address(), fwd)
	s.sys.Logger().Info("still here")
	require.NoError(t, s.sys.Flush(actortest.Context(t)))
	_, err := c.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return e.Message == "still here" })
	require.NoError(t, err)
}

// A Proto.Actor message whose indexes point past its lists, or that makes
// a handler panic, ends its own stream with an error, counted and logged
// at warning; the collector goes on.
func TestMalformedMessagesAreRefused(t *testing.T) {
	c := startCollector(t, 0, remote.CollectorOptions{})
	addr := c.coll.Address()
	for _, tc := range []struct {
		name   string
		mangle func(b *protoremote.MessageBatch)
		why    string
	}{
		{"target past its list", func(b *protoremote.MessageBatch) { b.Envelopes[0].Target = 7 }, "target 7 is not in its 1 targets"},
		{"negative target", func(b *protoremote.MessageBatch) { b.Envelopes[0].Target = -1 }, "target -1 is not in its 1 targets"},
		{"no targets", func(b *protoremote.MessageBatch) { b.Targets = nil }, "target 0 is not in its 0 targets"},
		{"type past its list", func(b *protoremote.MessageBatch) { b.Envelopes[0].TypeId = 7 }, "type 7 is not in its 1 type names"},
		{"sender past its list", func(b *protoremote.MessageBatch) { b.Envelopes[0].Sender = 3 }, "sender 3 is not in its 0 senders"},
		{"serializer past its list: a panic, recovered", func(b *protoremote.MessageBatch) { b.Envelopes[0].SerializerId = 9 }, "panic: runtime error: index out of range [9]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := c.coll.Malformed()
			b := batchMessage(t, addr)
			tc.mangle(b)
			err := sendRaw(t, addr, &protoremote.RemoteMessage{MessageType: &protoremote.RemoteMessage_MessageBatch{MessageBatch: b}})
			assert.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
			assert.Contains(t, status.Convert(err).Message(), tc.why)
			assert.Equal(t, before+1, c.coll.Malformed())
			e, err := c.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool {
				return e.Level == core.LevelWarning && strings.Contains(e.Message, tc.why)
			})
			require.NoError(t, err)
			assert.Contains(t, e.Message, "collector refused a malformed message from 127.0.0.1:")
		})
	}
	t.Run("unary call: a panic, recovered", func(t *testing.T) {
		conn, err := grpc.Dial(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		require.NoError(t, err)
		defer conn.Close()
		_, err = protoremote.NewRemotingClient(conn).ListProcesses(context.Background(), &protoremote.ListProcessesRequest{})
		assert.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
		assert.Contains(t, status.Convert(err).Message(), "panic: implement me")
	})
	t.Run("the well-formed one is taken", func(t *testing.T) {
		err := sendRaw(t, addr, &protoremote.RemoteMessage{MessageType: &protoremote.RemoteMessage_MessageBatch{MessageBatch: batchMessage(t, addr)}})
		require.NoError(t, err)
		_, err = c.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return e.Message == "forged" })
		require.NoError(t, err)
	})
	deliversAfterwards(t, c, &remote.Forwarder{})
	assert.Equal(t, int64(7), c.coll.Malformed())
}

// A batch no forwarder sends (no events, origin, forwarder or sequence
// number) is refused, counted and logged at warning, without an answer.
func TestForgedBatchesAreRefused(t *testing.T) {
	c := startCollector(t, 0, remote.CollectorOptions{})
	system := actor.NewActorSystem(actors.QuietConfig()...)
	_, _, err := remote.Start(system, remote.Options{})
	require.NoError(t, err)
	defer func() { protoremote.GetRemote(system).Shutdown(false); system.Shutdown() }()
	pid := actor.NewPID(c.coll.Address(), remote.CollectorName)
	ev := []*pb.Event{{Message: "m"}}
	for i, tc := range []struct {
		b   *pb.Batch
		why string
	}{
		{&pb.Batch{Origin: "a:1", Forwarder: "f", Seq: 1}, "no events"},
		{&pb.Batch{Forwarder: "f", Seq: 1, Events: ev}, "no origin"},
		{&pb.Batch{Origin: "a:1", Seq: 1, Events: ev}, "no forwarder"},
		{&pb.Batch{Origin: "a:1", Forwarder: "f", Events: ev}, "no sequence number"},
	} {
		_, err := system.Root.RequestFuture(pid, tc.b, 200*time.Millisecond).Result()
		assert.ErrorIs(t, err, actor.ErrTimeout, "%s: no answer", tc.why)
		e, err := c.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return strings.HasSuffix(e.Message, ": "+tc.why) })
		require.NoError(t, err)
		assert.Equal(t, core.LevelWarning, e.Level)
		assert.Contains(t, e.Message, "collector refused a malformed batch from ")
		assert.Equal(t, int64(i+1), c.coll.Malformed())
	}
	assert.Zero(t, c.coll.Received())
}

// selfSigned returns TLS configs for a server on 127.0.0.1 and a client
// that trusts it.
func selfSigned(t testing.TB) (server, client *tls.Config) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "actorlog test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS13},
		&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}
}

// The user's server options (TLS, a message size limit, an interceptor)
// and the guard apply together.
func TestServerOptionsAndGuardTogether(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	var streams atomic.Int64
	counting := func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		streams.Add(1)
		return h(srv, ss)
	}
	const limit = 64 << 10
	c := startCollector(t, 0, remote.CollectorOptions{Options: remote.Options{Remote: []protoremote.ConfigOption{
		protoremote.WithServerOptions(grpc.Creds(credentials.NewTLS(serverTLS)), grpc.MaxRecvMsgSize(limit), grpc.ChainStreamInterceptor(counting)),
		// The collector answers the node over TLS too.
		protoremote.WithDialOptions(grpc.WithTransportCredentials(credentials.NewTLS(clientTLS))),
	}}})
	addr := c.coll.Address()
	tlsDial := grpc.WithTransportCredentials(credentials.NewTLS(clientTLS))
	msg := func(b *protoremote.MessageBatch) *protoremote.RemoteMessage {
		return &protoremote.RemoteMessage{MessageType: &protoremote.RemoteMessage_MessageBatch{MessageBatch: b}}
	}

	assert.Equal(t, codes.Unavailable, status.Code(sendRaw(t, addr, msg(batchMessage(t, addr)))), "clear text is refused")

	bad := batchMessage(t, addr)
	bad.Envelopes[0].Target = 7
	err := sendRaw(t, addr, msg(bad), tlsDial)
	assert.Equal(t, codes.InvalidArgument, status.Code(err), "the guard, over TLS: %v", err)

	big := batchMessage(t, addr)
	big.Envelopes[0].MessageData = make([]byte, limit+1)
	err = sendRaw(t, addr, msg(big), tlsDial)
	assert.Equal(t, codes.ResourceExhausted, status.Code(err), "the size limit: %v", err)

	assert.Equal(t, int64(1), c.coll.Malformed())
	assert.GreaterOrEqual(t, streams.Load(), int64(2), "the user's interceptor")

	// A node with TLS both ways delivers.
	system := actor.NewActorSystem(actors.QuietConfig()...)
	_, _, err = remote.Start(system, remote.Options{Remote: []protoremote.ConfigOption{
		protoremote.WithServerOptions(grpc.Creds(credentials.NewTLS(serverTLS))),
		protoremote.WithDialOptions(tlsDial),
	}})
	require.NoError(t, err)
	defer func() { protoremote.GetRemote(system).Shutdown(false); system.Shutdown() }()
	reply, err := system.Root.RequestFuture(actor.NewPID(addr, remote.CollectorName),
		&pb.Batch{Origin: system.Address(), Forwarder: "f", Seq: 1, Events: []*pb.Event{{Message: "over TLS"}}}, actortest.Deadline).Result()
	require.NoError(t, err)
	ack, ok := reply.(*pb.Ack)
	require.True(t, ok, "%T", reply)
	assert.Equal(t, uint64(1), ack.Seq)
	_, err = c.mem.WaitMatch(actortest.Context(t), func(e *core.Event) bool { return e.Message == "over TLS" })
	require.NoError(t, err)
}

// rawCodec sends bytes as they are, as a gRPC message.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *v.(*[]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// openFDs counts the process's open file descriptors.
func openFDs(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// Random bytes on TCP, random gRPC messages and random Proto.Actor
// batches, on loopback, a few hundred connections of each: the collector
// survives them, keeps no connection open afterwards, does not grow, and
// delivers a node's events.
func TestGarbageIsSurvived(t *testing.T) {
	c := startCollector(t, 0, remote.CollectorOptions{})
	addr := c.coll.Address()
	rnd := mrand.New(mrand.NewPCG(1, 2))
	junk := func(n int) []byte {
		b := make([]byte, rnd.IntN(n))
		for i := range b {
			b[i] = byte(rnd.Uint32())
		}
		return b
	}
	deliversAfterwards(t, c, &remote.Forwarder{}) // warmed up: its own connections are open
	fds, heap := openFDs(t), heapInUse()
	const rounds = 300
	for i := range rounds {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		b := junk(4096)
		if i%2 == 0 { // past the HTTP/2 preface, into the framer
			b = append([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), b...)
		}
		_, _ = conn.Write(b)
		_ = conn.Close()
	}
	gc, err := grpc.Dial(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	for range rounds {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		s, err := gc.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}, "/remote.Remoting/Receive", grpc.ForceCodec(rawCodec{}))
		if err == nil {
			b := junk(2048)
			_ = s.SendMsg(&b)
			var reply []byte
			_ = s.RecvMsg(&reply)
		}
		cancel()
	}
	for range rounds {
		b := batchMessage(t, addr)
		e := b.Envelopes[0]
		e.Target, e.Sender, e.TypeId = rnd.Int32N(4)-1, rnd.Int32N(4)-1, rnd.Int32N(4)-1
		e.SerializerId, e.MessageData = rnd.Int32N(4)-1, junk(256)
		_ = sendRaw(t, addr, &protoremote.RemoteMessage{MessageType: &protoremote.RemoteMessage_MessageBatch{MessageBatch: b}})
	}
	require.NoError(t, gc.Close())
	waitFor(t, "the connections closed", func() bool { return openFDs(t) <= fds+2 })
	grown := int64(heapInUse()) - int64(heap)
	assert.Less(t, grown, int64(16<<20), "heap grew by %d bytes", grown)
	assert.Positive(t, c.coll.Malformed())
	deliversAfterwards(t, c, &remote.Forwarder{})
}

// A node whose connection fails is logged at warning as disappeared, with
// its address, and as back when it connects again; one that closes its
// connection has left, and is not.
func TestNodesDisappearedAndBackAreLogged(t *testing.T) {
	c := startCollector(t, 0, remote.CollectorOptions{})
	hello := &protoremote.RemoteMessage{MessageType: &protoremote.RemoteMessage_ConnectRequest{ConnectRequest: &protoremote.ConnectRequest{
		ConnectionType: &protoremote.ConnectRequest_ServerConnection{ServerConnection: &protoremote.ServerConnection{SystemId: "n", Address: "127.0.0.1:9"}}}}}
	// connect opens a stream as node 127.0.0.1:9, and ends it by closing
	// it (the node leaves) or by dropping the connection.
	connect := func(closeIt bool) {
		conn, err := grpc.Dial(c.coll.Address(), grpc.WithTransportCredentials(insecure.NewCredentials()))
		require.NoError(t, err)
		defer conn.Close()
		stream, err := protoremote.NewRemotingClient(conn).Receive(context.Background())
		require.NoError(t, err)
		require.NoError(t, stream.Send(hello))
		_, err = stream.Recv() // the connect response
		require.NoError(t, err)
		if closeIt {
			require.NoError(t, stream.CloseSend())
			_, err = stream.Recv()
			require.Equal(t, io.EOF, err)
		}
	}
	warnings := func() []string {
		var out []string
		for _, e := range c.mem.Events() {
			if n, ok := e.Lookup("node"); ok && e.Level == core.LevelWarning {
				assert.Equal(t, "127.0.0.1:9", n.String())
				out = append(out, e.Message[:strings.LastIndex(e.Message, "9 ")+1])
			}
		}
		return out
	}
	connect(true)
	connect(false)
	waitFor(t, "the node disappeared", func() bool { return len(warnings()) == 1 })
	connect(true)
	waitFor(t, "the node back", func() bool { return len(warnings()) == 2 })
	assert.Equal(t, []string{"collector: node 127.0.0.1:9", "collector: node 127.0.0.1:9"}, warnings())
	msgs := c.mem.Events()
	assert.Contains(t, msgs[0].Message, "disappeared: ")
	assert.Contains(t, msgs[1].Message, "is back, ")
}
