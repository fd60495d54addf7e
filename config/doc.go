// Package config reads actorlog's config files: JSON with // and /* */
// comments, whose keys are lager's application environment (handlers,
// log_root, crash_log, async_threshold, extra_sinks, traces, …) and
// LoggerBackends' options, into an [actorlog.Config]:
//
//	cfg, err := config.Load("actorlog.jsonc")
//	if err != nil {
//		return err // every problem of the file, each with its path
//	}
//	sys, err := actorlog.Start(cfg)
//
// The shipped example, examples/quickstart/actorlog.jsonc, shows every
// key with a comment.
//
// Validation is strict, and the result is checked as [actorlog.Start]
// checks it ([actorlog.Config.Check]): every problem the reader or the
// check finds — an unknown key, a key given twice, a wrong type, a bad
// level expression, date spec or query, two handlers writing one file —
// is listed in one [*actorlog.ConfigError] with its path in the file. A
// file that is not JSON is an error giving the line and column where
// reading stopped. Every error wraps [actorlog.ErrBadConfig].
//
// Handler types beyond the built-in console, file and crash_log are
// made by the factories given to [RegisterHandler].
package config
