package actorlog

import (
	"testing"
	"unsafe"
)

// An event, its first attributes and its line room are one allocation of
// Go's 512-byte size class; one byte more and it takes 576.
func TestAnEventBlockFitsIn512Bytes(t *testing.T) {
	if n := unsafe.Sizeof(eventBlock{}); n > 512 {
		t.Errorf("an eventBlock takes %d bytes", n)
	}
}
