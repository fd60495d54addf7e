package config_test

import (
	"encoding/json"
	"fmt"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
)

func ExampleParse() {
	cfg, err := config.Parse([]byte(`{
		// lager's console backend, at warning and above
		"handlers": [{"type": "console", "level": "warning"}],
		"crash_log": false,
		"async_threshold": 30
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	h := cfg.Handlers[0]
	fmt.Printf("%s at %s, async_threshold %d\n", h.Config.ID, h.Config.Level, cfg.Overload.AsyncThreshold)
	// Output:
	// console at warning, async_threshold 30
}

func ExampleParse_problems() {
	_, err := config.Parse([]byte(`{
		"handlers": [
			{"type": "file", "file": "/var/log/app.log", "size": -1, "frobnicate": true},
			{"type": "file", "file": "/var/log/app.log", "id": "again"}
		],
		"traces": [{"handler": "nosuch", "query": "user ="}]
	}`))
	fmt.Println(err)
	// Output:
	// actorlog: bad config: 4 problems:
	//   handlers[0].size: must be >= 0, got -1
	//   handlers[0].frobnicate: unknown key
	//   traces[0].query: at 6: expected a value after "="
	//   handlers[1]: writes the same file /var/log/app.log as handlers[0] ("/var/log/app.log")
}

// discard is a handler that drops every event, after a prefix check.
type discard struct{ prefix string }

func (discard) Log(*core.Event, *handlers.Config) error { return nil }

func ExampleRegisterHandler() {
	// {"type": "discard", "options": {"prefix": …}}
	err := config.RegisterHandler("discard", func(options json.RawMessage) (handlers.Handler, error) {
		var o struct{ Prefix string }
		if err := json.Unmarshal(options, &o); err != nil {
			return nil, err
		}
		return discard{prefix: o.Prefix}, nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := config.Parse([]byte(`{"handlers": [
		{"type": "discard", "id": "d", "level": "debug", "options": {"prefix": "app"}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v at %s\n", cfg.Handlers[0].Handler, cfg.Handlers[0].Config.Level)
	// Output:
	// {prefix:app} at debug
}
