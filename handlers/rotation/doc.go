// Package rotation holds the calendar side of lager's file rotation: the
// date spec grammar ("$D0" daily at midnight, "$W5D23" Fridays at 23:00,
// "$ML" on the last day of the month, "$H15" hourly at :15) and the time
// of the next rotation.
//
// [ParseDateSpec] reads every spec lager reads and rejects every one it
// rejects, without lager's crashes on single-digit hours ("$D5H30") and
// without taking "$MxD0" for day 72. [DateSpec.Next] returns the first
// instant strictly after now that matches the spec, in now's location —
// fixing lager's verified miscalculations ("$M5D12" on 15 January is
// 5 February, not 1 February; "$D12H30" at 12:10 is 12:30 the same day) —
// with a documented rule for days past a short month's end and for
// daylight-saving changes: a wall-clock time that occurs twice rotates at
// its first occurrence, and one the clocks skip rotates as far past the
// gap as it is past the gap's start. time.Date leaves both choices open;
// Next works them out from the zone's offsets around the instant.
//
// [Numbered] is lager's default rotator: name.0 the newest archive …
// name.(Count-1) the oldest, Count 0 to truncate only, and optional gzip.
//
// The file handler (handlers.File) rotates with it by size, by date spec
// and on demand.
package rotation
