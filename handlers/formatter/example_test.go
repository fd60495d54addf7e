package formatter_test

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers/formatter"
)

func Example() {
	e := &core.Event{
		Time:    time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC),
		Level:   core.LevelWarning,
		Message: "disk almost full",
		Attrs:   []slog.Attr{slog.String("volume", "/var"), slog.Int("free_mb", 312)},
	}
	lager := &formatter.Lager{UTC: true, Tokens: formatter.Tokens(
		formatter.Time, formatter.Text(" ["), formatter.Severity, formatter.Text("] "),
		formatter.IfKey("volume", formatter.Tokens(formatter.Key("volume"), formatter.Text(": ")), nil),
		formatter.Message, formatter.Text("\n"))}
	elixir, _ := formatter.ParseTemplate("$date $time $metadata[$level] $message\n")
	elixir.Metadata, elixir.UTC = []string{"free_mb"}, true

	fmt.Print(string(lager.Format(nil, e)))
	fmt.Print(string(elixir.Format(nil, e)))
	fmt.Print(string((&formatter.Logfmt{UTC: true}).Format(nil, e)))
	fmt.Print(string((&formatter.JSON{UTC: true}).Format(nil, e)))
	// Output:
	// 09:30:00.000 UTC [warning] /var: disk almost full
	// 2026-11-22 09:30:00.000 UTC free_mb=312 [warning] disk almost full
	// time=2026-11-22T09:30:00Z level=warning msg="disk almost full" volume=/var free_mb=312
	// {"time":"2026-11-22T09:30:00Z","level":"warning","msg":"disk almost full","volume":"/var","free_mb":312}
}
