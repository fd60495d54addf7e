package handlertest_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors/actortest"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/handlers/handlertest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Every handler actorlog ships passes the kit.

func TestConsolePassesTheKit(t *testing.T) {
	handlertest.Run(t, func(t *testing.T) (handlers.Handler, func() string) {
		buf := &actortest.Buffer{}
		return &handlers.Console{Writer: buf}, buf.String
	})
}

func TestConsoleWithJSONPassesTheKit(t *testing.T) {
	// The JSON formatter escapes newlines and quotes, so only the event is
	// checked here; the formatter has its own validity fuzz test.
	handlertest.Run(t, func(t *testing.T) (handlers.Handler, func() string) {
		return &jsonConsole{Console: handlers.Console{Writer: &actortest.Buffer{}}}, nil
	})
}

type jsonConsole struct{ handlers.Console }

func (j *jsonConsole) Add(cfg *handlers.Config) error {
	if err := j.Console.Add(cfg); err != nil {
		return err
	}
	cfg.SetDefaultFormatter(&formatter.JSON{})
	return nil
}

func TestFilePassesTheKit(t *testing.T) {
	handlertest.Run(t, func(t *testing.T) (handlers.Handler, func() string) {
		path := filepath.Join(t.TempDir(), "kit.log")
		return &handlers.File{Path: path}, func() string {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	})
}

func TestMemoryPassesTheKit(t *testing.T) {
	handlertest.Run(t, func(t *testing.T) (handlers.Handler, func() string) {
		return &handlers.Memory{}, nil
	})
}

func TestCrashLogPassesTheKit(t *testing.T) {
	handlertest.Run(t, func(t *testing.T) (handlers.Handler, func() string) {
		return &handlers.CrashLog{File: handlers.File{Path: filepath.Join(t.TempDir(), "crash.log")}}, nil
	})
}

// The kit catches a handler's panic and reports it to the test.
type panicsOnWord struct{ word string }

func (p panicsOnWord) Log(e *core.Event, _ *handlers.Config) error {
	if e.Message == p.word {
		panic("handler bug on " + p.word)
	}
	return nil
}

func TestKitReportsAHandlersPanic(t *testing.T) {
	k := handlertest.New(t, panicsOnWord{word: "boom"}, handlertest.Options{})
	k.Logger.Info("fine")
	e, err := k.AssertLogged()
	if err != nil || e.Message != "fine" {
		t.Fatalf("got %v, %v", e, err)
	}
	k.Logger.Info("boom")
	_, err = k.Next()
	var hp *handlertest.HandlerPanic
	if !errors.As(err, &hp) || hp.Value != "handler bug on boom" || hp.Event.Message != "boom" {
		t.Fatalf("the panic was not reported: %v", err)
	}
	if !strings.Contains(hp.Stack, "panicsOnWord.Log") {
		t.Errorf("the stack does not show the handler:\n%s", hp.Stack)
	}
}
