package handlers_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Handler actors, their workers and a File's writes behind are goroutines:
// none may outlive the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
