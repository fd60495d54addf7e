package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/actorlog/actorlog"
	"github.com/actorlog/actorlog/core"
	"github.com/actorlog/actorlog/handlers"
	"github.com/actorlog/actorlog/handlers/formatter"
	"github.com/actorlog/actorlog/sinks"
	"github.com/actorlog/actorlog/translator"
)

// HandlerFactory makes a handler of a registered type from the "options"
// object of its entry in a config file (nil when absent). Its error is
// reported with the entry's path.
type HandlerFactory func(options json.RawMessage) (handlers.Handler, error)

var registry = struct {
	sync.Mutex
	m map[string]HandlerFactory
}{m: map[string]HandlerFactory{}}

// RegisterHandler makes handler type name usable in config files:
// {"type": name, "id": …, "level": …, "options": {…}}. The types console,
// file and crash_log are built in and cannot be registered.
func RegisterHandler(name string, f HandlerFactory) error {
	if name == "" || name == "console" || name == "file" || name == "crash_log" || f == nil {
		return fmt.Errorf("%w: cannot register handler type %q", actorlog.ErrBadConfig, name)
	}
	registry.Lock()
	defer registry.Unlock()
	registry.m[name] = f
	return nil
}

// Load reads a config file (see Parse). Its errors start with the
// file's path.
func Load(path string) (actorlog.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return actorlog.Config{}, fmt.Errorf("%w: %w", actorlog.ErrBadConfig, err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return actorlog.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse reads a config file: JSON, with // and /* */ comments
// allowed, whose keys are lager's application environment and
// LoggerBackends' options (see examples/quickstart/actorlog.jsonc for
// every key, commented). Numbers keep lager's meanings: a size, count,
// sync_size or sync_interval of 0 turns the option off, a date of ""
// means no time rotation, and an async_threshold of -1 means no sync mode
// (sinks.Off). Levels are lager's level expressions, none, or OTP's all.
// Durations are milliseconds (lager's) or Go duration strings ("1.5s").
//
// Validation is strict: unknown keys, keys given twice in one object,
// wrong types, bad level expressions, bad date specs and queries,
// duplicate files, negative sizes — every problem, whether the file's
// reader or Start's check ([actorlog.Config.Check]) finds it, is listed
// in one [*actorlog.ConfigError], each with its path:
//
//	actorlog: bad config: 3 problems:
//	  handlers[2].size: must be >= 0, got -1
//	  handlers[2].date: rotation: bad date spec "$MxD0": …
//	  extra_sinks.audit.handlers[0].level: …
//
// A file that is not JSON (a trailing comma, a comment left open) is an
// error giving the line and column (in bytes) where reading stopped. The
// result has been checked as Start checks it: a config that does not
// validate starts nothing.
func Parse(data []byte) (actorlog.Config, error) {
	clean, err := blankComments(data)
	if err != nil {
		return actorlog.Config{}, err
	}
	raw, err := decodeOne(clean)
	if err != nil {
		return actorlog.Config{}, err
	}
	p := &configParser{broken: map[string]bool{}}
	p.duplicates(clean)
	root := p.object("", raw)
	if root == nil {
		return actorlog.Config{}, p.problems.err()
	}
	cfg := actorlog.Config{}
	root.str("log_root", &cfg.LogRoot)
	root.int("truncation", &cfg.Truncation, math.MinInt)
	utc, colored, colors := false, "", (*formatter.Colors)(nil)
	root.bool("utc", &utc)
	root.str("colored", &colored)
	if c := root.object("colors"); c != nil {
		colors = p.colors(c)
	}
	style := consoleStyle{utc: utc, colored: colored, colors: colors}
	cfg.Overload = p.overload(root)
	if _, ok := root.m["handlers"]; ok {
		cfg.Handlers = p.handlers(root, "handlers", style)
	}
	if cl, ok := root.take("crash_log"); ok {
		cfg.CrashLog = p.crashLog(cl)
	}
	if es := root.object("extra_sinks"); es != nil {
		cfg.ExtraSinks = map[string]actorlog.SinkConfig{}
		for _, name := range es.keys() {
			sk := es.object(name)
			if sk == nil {
				continue
			}
			cfg.ExtraSinks[name] = actorlog.SinkConfig{Handlers: p.handlers(sk, "handlers", style), Overload: p.overload(sk)}
			sk.done()
		}
		es.done()
	}
	root.str("report_sink", &cfg.ReportSink)
	cfg.Traces = p.traces(root)
	if sl := root.object("std_log"); sl != nil {
		redirect := true
		opts := actorlog.StdLogOptions{}
		sl.bool("redirect", &redirect)
		sl.int("hwm", &opts.HWM, -1)
		p.level(sl, "level", &opts.Level)
		if redirect {
			cfg.StdLog = &opts
		}
		sl.done()
	}
	if tr := root.object("translator"); tr != nil {
		actor, sup := true, false
		tr.bool("handle_actor_reports", &actor)
		tr.bool("handle_supervisor_reports", &sup)
		cfg.Translator = translator.Options{NoActorReports: !actor, SupervisorReports: sup}
		tr.done()
	}
	root.dur("retry_every", &cfg.RetryEvery)
	root.int("handler_intensity", &cfg.HandlerIntensity, 0)
	root.dur("handler_period", &cfg.HandlerPeriod)
	root.done()
	// What Start's check finds joins the list, but for the entries the
	// parser could not make and the keys it already reported.
	var checked *actorlog.ConfigError
	if errors.As(cfg.Check(), &checked) {
		p.merge(checked.Problems)
	}
	if err := p.problems.err(); err != nil {
		return actorlog.Config{}, err
	}
	return cfg, nil
}

// problems are every problem of a config file, each with its path.
type problems []actorlog.ConfigProblem

func (ps *problems) add(path string, format string, args ...any) {
	if path == "" {
		path = "(top)"
	}
	*ps = append(*ps, actorlog.ConfigProblem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &actorlog.ConfigError{Problems: ps}
}

// configParser collects every problem of a config file.
type configParser struct {
	problems problems
	// broken are the entries (handlers[3], traces[0]) the parser could not
	// make: what the check says of their placeholders is left out.
	broken map[string]bool
}

func (p *configParser) problem(path, format string, args ...any) {
	p.problems.add(path, format, args...)
}

// merge adds the check's problems to the parser's: with the file's paths
// (the default sink's thresholds are top-level keys), but for the broken
// entries and the paths the parser already reported.
func (p *configParser) merge(checked []actorlog.ConfigProblem) {
	reported := map[string]bool{}
	for _, q := range p.problems {
		reported[q.Path] = true
	}
	for _, q := range checked {
		if rest, ok := strings.CutPrefix(q.Path, "overload."); ok {
			q.Path = rest
		} else if i := strings.Index(q.Path, ".overload."); i >= 0 && strings.HasPrefix(q.Path, "extra_sinks.") {
			q.Path = q.Path[:i] + q.Path[i+len(".overload"):]
		}
		entry := q.Path
		if i := strings.LastIndexByte(entry, ']'); i >= 0 {
			entry = entry[:i+1]
		}
		if p.broken[entry] || reported[q.Path] {
			continue
		}
		p.problems = append(p.problems, q)
	}
}

// cobj is one JSON object of the file, with its path; the keys read are
// marked, so that done can report the others.
type cobj struct {
	p    *configParser
	path string
	m    map[string]json.RawMessage
	used map[string]bool
}

func (p *configParser) object(path string, raw json.RawMessage) *cobj {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		p.problem(path, "must be an object, got %s", kind(raw))
		return nil
	}
	return &cobj{p: p, path: path, m: m, used: map[string]bool{}}
}

func (o *cobj) at(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

func (o *cobj) keys() []string {
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (o *cobj) take(key string) (json.RawMessage, bool) {
	raw, ok := o.m[key]
	if ok {
		o.used[key] = true
	}
	return raw, ok
}

// done reports the keys nobody read.
func (o *cobj) done() {
	for _, k := range o.keys() {
		if !o.used[k] {
			o.p.problem(o.at(k), "unknown key")
		}
	}
}

func kind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func (o *cobj) str(key string, dst *string) bool {
	raw, ok := o.take(key)
	if !ok {
		return false
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		o.p.problem(o.at(key), "must be a string, got %s", kind(raw))
		return false
	}
	return true
}

func (o *cobj) bool(key string, dst *bool) bool {
	raw, ok := o.take(key)
	if !ok {
		return false
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		o.p.problem(o.at(key), "must be true or false, got %s", kind(raw))
		return false
	}
	return true
}

// int reads an integer no less than min.
func (o *cobj) int(key string, dst *int, min int) bool {
	raw, ok := o.take(key)
	if !ok {
		return false
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		o.p.problem(o.at(key), "must be an integer, got %s", kind(raw))
		return false
	}
	v, err := n.Int64()
	if err != nil {
		o.p.problem(o.at(key), "must be an integer, got %s", n)
		return false
	}
	if int(v) < min {
		o.p.problem(o.at(key), "must be >= %d, got %d", min, v)
		return false
	}
	*dst = int(v)
	return true
}

// dur reads a duration: milliseconds (lager's) or a Go duration string.
func (o *cobj) dur(key string, dst *time.Duration) bool {
	raw, ok := o.take(key)
	if !ok {
		return false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			o.p.problem(o.at(key), "must be a duration >= 0 (\"1.5s\") or milliseconds, got %q", s)
			return false
		}
		*dst = d
		return true
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		o.p.problem(o.at(key), "must be milliseconds or a duration string, got %s", kind(raw))
		return false
	}
	ms, err := n.Int64()
	if err != nil || ms < 0 {
		o.p.problem(o.at(key), "must be milliseconds >= 0, got %s", n)
		return false
	}
	*dst = time.Duration(ms) * time.Millisecond
	return true
}

func (o *cobj) object(key string) *cobj {
	raw, ok := o.take(key)
	if !ok {
		return nil
	}
	return o.p.object(o.at(key), raw)
}

func (o *cobj) array(key string) []json.RawMessage {
	raw, ok := o.take(key)
	if !ok {
		return nil
	}
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil {
		o.p.problem(o.at(key), "must be an array, got %s", kind(raw))
		return nil
	}
	return a
}

// level reads a level name into dst.
func (p *configParser) level(o *cobj, key string, dst *actorlog.Level) {
	var s string
	if !o.str(key, &s) {
		return
	}
	l, err := core.ParseLevel(s)
	if err != nil {
		p.problem(o.at(key), "%v", err)
		return
	}
	*dst = l
}

// levelExpr reads a level expression into dst.
func (p *configParser) levelExpr(o *cobj, key string, dst *string) {
	if !o.str(key, dst) {
		return
	}
	if _, err := core.ParseMask(*dst); err != nil {
		p.problem(o.at(key), "%v", err)
	}
}

func (p *configParser) overload(o *cobj) sinks.Thresholds {
	var th sinks.Thresholds
	o.int("async_threshold", &th.AsyncThreshold, sinks.Off)
	o.int("async_threshold_window", &th.AsyncThresholdWindow, 0)
	o.int("discard_threshold", &th.DiscardThreshold, 0)
	o.int("discard_threshold_window", &th.DiscardThresholdWindow, 0)
	o.int("killer_hwm", &th.KillerHWM, 0)
	o.dur("killer_reinstall_after", &th.KillerReinstallAfter)
	o.dur("sync_timeout", &th.SyncTimeout)
	return th
}

// consoleStyle is the file's top-level utc, colored and colors.
type consoleStyle struct {
	utc     bool
	colored string
	colors  *formatter.Colors
}

func (p *configParser) colors(o *cobj) *formatter.Colors {
	c := &formatter.Colors{Levels: map[core.Level]string{}, Reset: formatter.DefaultColors.Reset}
	for l, esc := range formatter.DefaultColors.Levels {
		c.Levels[l] = esc
	}
	for _, name := range o.keys() {
		var esc string
		if !o.str(name, &esc) {
			continue
		}
		l, err := core.ParseLevel(name)
		if err != nil {
			p.problem(o.at(name), "%v", err)
			continue
		}
		c.Levels[l] = esc
	}
	return c
}

func (p *configParser) handlers(o *cobj, key string, style consoleStyle) []actorlog.Handler {
	list := o.array(key)
	out := []actorlog.Handler{}
	for i, raw := range list {
		path := fmt.Sprintf("%s[%d]", o.at(key), i)
		h := p.object(path, raw)
		if h == nil {
			p.broken[path] = true
			out = append(out, actorlog.Handler{}) // a placeholder keeps the indexes
			continue
		}
		var typ string
		if !h.str("type", &typ) {
			p.problem(path+".type", "required: console, file, crash_log or a registered type")
			p.broken[path] = true
			out = append(out, actorlog.Handler{})
			continue
		}
		spec := actorlog.Handler{}
		h.str("id", &spec.Config.ID)
		p.levelExpr(h, "level", &spec.Config.Level)
		h.int("high_water_mark", &spec.Config.HighWaterMark, 0)
		if f, ok := h.take("formatter"); ok {
			spec.Config.Formatter = p.formatter(path+".formatter", f, style.utc)
		}
		switch typ {
		case "console":
			spec.Handler = p.console(h, style, &spec.Config)
		case "file":
			spec.Handler = p.file(h, style.utc, &spec.Config)
		case "crash_log":
			spec.Handler = &handlers.CrashLog{File: *p.file(h, style.utc, &spec.Config)}
		default:
			registry.Lock()
			f := registry.m[typ]
			registry.Unlock()
			opts, _ := h.take("options")
			if f == nil {
				p.problem(path+".type", "unknown handler type %q", typ)
				h.done()
				p.broken[path] = true
				out = append(out, actorlog.Handler{})
				continue
			}
			hd, err := f(opts)
			if err != nil {
				p.problem(path+".options", "%v", err)
			}
			spec.Handler = hd
		}
		h.done()
		if spec.Handler == nil {
			p.broken[path] = true
		}
		out = append(out, spec)
	}
	return out
}

func (p *configParser) formatter(path string, raw json.RawMessage, utc bool) formatter.Formatter {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		switch name {
		case "lager":
			return &formatter.Lager{Tokens: formatter.FileTokens("\n"), UTC: utc}
		case "json":
			return &formatter.JSON{UTC: utc}
		case "logfmt":
			return &formatter.Logfmt{UTC: utc}
		}
		p.problem(path, "unknown formatter %q (lager, json, logfmt, or {\"template\": …})", name)
		return nil
	}
	o := p.object(path, raw)
	if o == nil {
		return nil
	}
	defer o.done()
	var tmpl string
	if !o.str("template", &tmpl) {
		p.problem(path+".template", "required")
		return nil
	}
	t, err := formatter.ParseTemplate(tmpl)
	if err != nil {
		p.problem(path+".template", "%v", err)
		return nil
	}
	var meta []string
	for _, m := range o.array("metadata") {
		var k string
		if json.Unmarshal(m, &k) == nil {
			meta = append(meta, k)
		}
	}
	t.Metadata = meta
	return t
}

func (p *configParser) console(h *cobj, style consoleStyle, cfg *handlers.Config) *handlers.Console {
	c := &handlers.Console{Colors: style.colors}
	if cfg.ID == "" {
		cfg.ID = "console"
	}
	h.bool("use_stderr", &c.UseStderr)
	colored := style.colored
	h.str("colored", &colored)
	switch colored {
	case "", "auto":
	case "always", "true":
		c.Color = handlers.ColorAlways
	case "never", "false":
		c.Color = handlers.ColorNever
	default:
		p.problem(h.at("colored"), "must be auto, always or never, got %q", colored)
	}
	if style.utc && cfg.Formatter == nil {
		cfg.Formatter = &formatter.Lager{Tokens: formatter.ConsoleTokens("\n"), UTC: true}
	}
	return c
}

// file reads lager's file backend options.
func (p *configParser) file(h *cobj, utc bool, cfg *handlers.Config) *handlers.File {
	f := p.fileOptions(h, utc, cfg)
	if !h.str("file", &f.Path) || f.Path == "" {
		p.problem(h.at("file"), "required")
	}
	return f
}

// fileOptions reads lager's file backend options but the file.
func (p *configParser) fileOptions(h *cobj, utc bool, cfg *handlers.Config) *handlers.File {
	f := &handlers.File{}
	if cfg.Level == "" {
		cfg.Level = "info"
	}
	off := func(n int) int {
		if n == 0 {
			return handlers.Off
		}
		return n
	}
	size := -1
	if h.int("size", &size, 0) {
		f.Size = int64(off(size))
	}
	var date string
	if h.str("date", &date) {
		f.Date = date
		if date == "" {
			f.Date = handlers.DateNone
		}
	}
	count := -1
	if h.int("count", &count, 0) {
		f.Count = off(count)
	}
	h.bool("compress", &f.Compress)
	var d time.Duration
	if h.dur("sync_interval", &d) {
		f.SyncInterval = time.Duration(off(int(d)))
	}
	syncSize := -1
	if h.int("sync_size", &syncSize, 0) {
		f.SyncSize = off(syncSize)
	}
	if h.str("sync_on", &f.SyncOn) {
		if _, err := core.ParseMask(f.SyncOn); err != nil {
			p.problem(h.at("sync_on"), "%v", err)
		}
	}
	if raw, ok := h.m["check_interval"]; ok && string(bytes.TrimSpace(raw)) == `"always"` {
		h.used["check_interval"] = true
		f.CheckInterval = handlers.Off
	} else if h.dur("check_interval", &d) {
		f.CheckInterval = time.Duration(off(int(d)))
	}
	pending := -1
	if h.int("max_pending", &pending, 0) {
		f.MaxPending = off(pending)
	}
	var zoneUTC bool
	if h.bool("utc", &zoneUTC) && zoneUTC || utc {
		f.Location = time.UTC
	}
	if utc && cfg.Formatter == nil {
		cfg.Formatter = &formatter.Lager{Tokens: formatter.FileTokens("\n"), UTC: true}
	}
	return f
}

func (p *configParser) crashLog(raw json.RawMessage) *handlers.CrashLog {
	var enabled bool
	if json.Unmarshal(raw, &enabled) == nil {
		if enabled {
			return actorlog.DefaultCrashLog()
		}
		return nil
	}
	var path string
	if json.Unmarshal(raw, &path) == nil {
		return &handlers.CrashLog{File: handlers.File{Path: path}}
	}
	o := p.object("crash_log", raw)
	if o == nil {
		return nil
	}
	cfg := handlers.Config{}
	cl := &handlers.CrashLog{File: *p.file(o, false, &cfg)}
	size := -1
	if o.int("msg_size", &size, 0) {
		cl.MsgSize = size
	}
	o.done()
	return cl
}

func (p *configParser) traces(root *cobj) []actorlog.TraceConfig {
	var out []actorlog.TraceConfig
	for i, raw := range root.array("traces") {
		path := fmt.Sprintf("traces[%d]", i)
		o := p.object(path, raw)
		if o == nil {
			p.broken[path] = true
			out = append(out, actorlog.TraceConfig{}) // a placeholder keeps the indexes
			continue
		}
		tc := actorlog.TraceConfig{}
		o.str("sink", &tc.Sink)
		o.str("handler", &tc.Handler)
		o.str("file", &tc.File)
		o.str("level", &tc.Level)
		var q string
		if !o.str("query", &q) {
			p.problem(path+".query", "required")
		} else if query, err := core.ParseQuery(q); err != nil {
			var qe *core.QueryError
			if errors.As(err, &qe) {
				p.problem(path+".query", "at %d: %s", qe.Pos, qe.Msg)
			} else {
				p.problem(path+".query", "%v", err)
			}
		} else {
			tc.Query = query
		}
		if fo := o.object("file_options"); fo != nil {
			cfg := handlers.Config{}
			tc.FileOptions = p.fileOptions(fo, false, &cfg)
			fo.done()
		}
		o.done()
		out = append(out, tc)
	}
	return out
}

// blankComments turns // and /* */ comments outside strings into spaces,
// keeping line breaks, so that every offset into the result is the same
// offset into data. A comment left open is an error saying where it
// starts.
func blankComments(data []byte) ([]byte, error) {
	out := bytes.Clone(data)
	inString := false
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			end := bytes.Index(out[i+2:], []byte("*/"))
			if end < 0 {
				return nil, fmt.Errorf("%w: %s: unterminated comment", actorlog.ErrBadConfig, where(data, i))
			}
			for j := i; j < i+2+end+2; j++ {
				if out[j] != '\n' {
					out[j] = ' '
				}
			}
			i += 2 + end + 1
		}
	}
	return out, nil
}

// where returns the line and column (of bytes, from 1) of offset off.
func where(data []byte, off int) string {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
	return fmt.Sprintf("line %d, column %d", line, col)
}

// decodeOne reads the one JSON value of data; a syntax error, or anything
// after the value, is an error saying where.
func decodeOne(data []byte) (json.RawMessage, error) {
	var raw json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("%w: not JSON: %s: %w", actorlog.ErrBadConfig, where(data, int(se.Offset)-1), err)
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w: not JSON: %s: no value", actorlog.ErrBadConfig, where(data, len(data)))
		}
		return nil, fmt.Errorf("%w: not JSON: %s: %w", actorlog.ErrBadConfig, where(data, len(data)), err)
	}
	rest := int(dec.InputOffset())
	if n := len(bytes.TrimLeft(data[rest:], " \t\r\n")); n > 0 {
		return nil, fmt.Errorf("%w: not JSON: %s: more after the value", actorlog.ErrBadConfig, where(data, len(data)-n))
	}
	return raw, nil
}

// duplicates reports every key given twice in one object, with its path
// and where it is. data is valid JSON.
func (p *configParser) duplicates(data []byte) {
	type frame struct {
		object  bool
		path    string
		keys    map[string]bool
		key     string // the key whose value comes next
		wantKey bool
		n       int // the array's index of the next value
	}
	var stack []*frame
	child := func() string {
		if len(stack) == 0 {
			return ""
		}
		f := stack[len(stack)-1]
		if f.object {
			if f.path == "" {
				return f.key
			}
			return f.path + "." + f.key
		}
		return fmt.Sprintf("%s[%d]", f.path, f.n)
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.wantKey = true
		} else {
			f.n++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		start := int(dec.InputOffset())
		for start < len(data) && bytes.IndexByte([]byte(" \t\r\n,:"), data[start]) >= 0 {
			start++
		}
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if len(stack) > 0 {
			if f := stack[len(stack)-1]; f.object && f.wantKey {
				if key, ok := tok.(string); ok {
					if f.keys[key] {
						path := key
						if f.path != "" {
							path = f.path + "." + key
						}
						p.problem(path, "duplicate key (%s)", where(data, start))
					}
					f.keys[key], f.key, f.wantKey = true, key, false
					continue
				}
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, path: child(), keys: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{path: child()})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}
