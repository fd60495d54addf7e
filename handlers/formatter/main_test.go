package formatter_test

import (
	"testing"

	"go.uber.org/goleak"
)

// The slogtest runs start a System.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
