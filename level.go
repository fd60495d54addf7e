package actorlog

import "github.com/actorlog/actorlog/core"

// Level is a log level: lager's eight levels on slog's scale (see
// core.Level).
type Level = core.Level

// Mask is a set of levels, lager's bitmask (see core.Mask).
type Mask = core.Mask

// Event is one log event (see core.Event).
type Event = core.Event

// lager's levels, with none above them and OTP's all below them.
// LevelDebug, LevelInfo, LevelWarning and LevelError equal slog's
// LevelDebug, LevelInfo, LevelWarn and LevelError.
const (
	LevelDebug     = core.LevelDebug
	LevelInfo      = core.LevelInfo
	LevelNotice    = core.LevelNotice
	LevelWarning   = core.LevelWarning
	LevelError     = core.LevelError
	LevelCritical  = core.LevelCritical
	LevelAlert     = core.LevelAlert
	LevelEmergency = core.LevelEmergency
	LevelNone      = core.LevelNone
	LevelAll       = core.LevelAll
)

// The empty mask and the mask of every level.
const (
	MaskNone = core.MaskNone
	MaskAll  = core.MaskAll
)

// ParseLevel parses a level name (see core.ParseLevel).
func ParseLevel(s string) (Level, error) { return core.ParseLevel(s) }

// ParseMask parses a lager level expression (see core.ParseMask).
func ParseMask(s string) (Mask, error) { return core.ParseMask(s) }
