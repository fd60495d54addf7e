//go:build !race

// Proto.Actor remote's Start writes gRPC's global logger without
// synchronisation (grpclog.SetLoggerV2) while other remotes' gRPC
// goroutines read it: a data race inside the dependency that no caller can
// prevent when several actor systems run remote in one process, as these
// tests do. They are built without -race; .ci/run runs them so.

package remote_test

import (
	"github.com/asynkron/protoactor-go/actor"
	protoremote "github.com/asynkron/protoactor-go/remote"
)

func remoteGet(system *actor.ActorSystem) interface{ Shutdown(bool) } {
	if r := protoremote.GetRemote(system); r != nil {
		return r
	}
	return nil
}
