package remote_test

import (
	"os"
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runRole(role)) // a child process of a test (process_test.go)
	}
	goleak.VerifyTestMain(m, actortest.IgnoreDeadLetterThrottle(),
		// gRPC's and Proto.Actor remote's background goroutines end shortly after Shutdown.
		goleak.IgnoreTopFunction("google.golang.org/grpc/internal/grpcsync.(*CallbackSerializer).run"),
		goleak.IgnoreTopFunction("google.golang.org/grpc.(*addrConn).resetTransport"),
		goleak.IgnoreAnyFunction("google.golang.org/grpc/internal/transport.(*controlBuffer).get"))
}
