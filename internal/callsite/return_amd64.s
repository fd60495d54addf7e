#include "textflag.h"

// func Return() uintptr
//
// The return address of the Go function that calls Return, read
// from its frame: BP is that function's frame pointer (this function has
// no frame of its own), and the word above the saved BP is its return
// address.
TEXT ·Return(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ 8(BP), AX
	MOVQ AX, ret+0(FP)
	RET
