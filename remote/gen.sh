#!/usr/bin/env bash
# Regenerates pb/events.pb.go from pb/events.proto. Needs protoc (Debian:
# protobuf-compiler) and protoc-gen-go at the version of
# google.golang.org/protobuf in go.mod.
set -euo pipefail
cd "$(dirname "$0")"
version=$(cd .. && go list -m -f '{{.Version}}' google.golang.org/protobuf)
command -v protoc >/dev/null || { echo "gen.sh: protoc is missing (apt-get install protobuf-compiler)"; exit 1; }
GOBIN=$(go env GOPATH)/bin go install "google.golang.org/protobuf/cmd/protoc-gen-go@${version}"
PATH="$(go env GOPATH)/bin:$PATH" protoc --go_out=. --go_opt=paths=source_relative pb/events.proto
