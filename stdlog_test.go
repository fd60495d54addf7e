package actorlog_test

import (
	"bytes"
	"log"
	"strings"
	"testing"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The standard log's state, put back after the test whatever happens.
func saveStdLog(t *testing.T) *bytes.Buffer {
	out, flags, prefix := log.Writer(), log.Flags(), log.Prefix()
	t.Cleanup(func() { log.SetOutput(out); log.SetFlags(flags); log.SetPrefix(prefix) })
	var buf bytes.Buffer
	log.SetOutput(&buf)
	log.SetFlags(log.LstdFlags)
	log.SetPrefix("app: ")
	return &buf
}

func TestRedirectStdLogWithHWMAndUndo(t *testing.T) {
	buf := saveStdLog(t)
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory", Level: "info"}, Handler: mem})
	undo := s.RedirectStdLog(actorlog.StdLogOptions{Level: actorlog.LevelWarning, HWM: 5})
	for i := range 15 {
		log.Printf("line %d", i)
	}
	undo()
	log.Print("after undo")
	require.NoError(t, s.Flush(bg(t)))

	var lines []string
	for _, e := range mem.Events() {
		lines = append(lines, e.Level.String()+" "+e.Message)
	}
	require.Len(t, lines, 6)
	assert.Equal(t, "warning app: line 0", lines[0])
	assert.Equal(t, "warning app: line 4", lines[4])
	assert.Equal(t, "warning std log redirect dropped 10 messages in the last second that exceeded the limit of 5 messages/sec", lines[5])
	assert.Equal(t, "TestRedirectStdLogWithHWMAndUndo", mem.Events()[0].Caller().Func, "the log call's location")

	assert.Contains(t, buf.String(), "app: ")
	assert.True(t, strings.HasSuffix(buf.String(), "after undo\n"), "undo restores the output: %q", buf.String())
	assert.Equal(t, log.LstdFlags, log.Flags(), "and the flags")
}

func TestRedirectStdLogReportsDropsWhenTheSecondEnds(t *testing.T) {
	saveStdLog(t)
	mem := &handlers.Memory{}
	s := start(t, actorlog.Handler{Config: handlers.Config{ID: "memory"}, Handler: mem})
	s.RedirectStdLog(actorlog.StdLogOptions{HWM: 2})
	for range 5 {
		log.Print("burst")
	}
	// No more lines: the report comes from the window's end.
	_, err := mem.WaitMatch(bg(t), func(e *core.Event) bool { return strings.Contains(e.Message, "dropped 3 messages") })
	require.NoError(t, err)
}

func TestStopUndoesTheRedirect(t *testing.T) {
	buf := saveStdLog(t)
	s := start(t)
	s.RedirectStdLog(actorlog.StdLogOptions{})
	require.NoError(t, s.Stop(bg(t)))
	log.Print("back to the old output")
	assert.Contains(t, buf.String(), "back to the old output")
}
