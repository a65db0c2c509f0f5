package model

import "time"

// VietnamOffset is Vietnam's offset from UTC, in seconds. The country has
// kept +07:00 without daylight saving since 1975, so a fixed zone gives
// the same instants as Asia/Ho_Chi_Minh for every date the archive
// covers, without depending on the host's tzdata.
const VietnamOffset = 7 * 60 * 60

// Vietnam is the zone both sites date their pages in (Indochina Time),
// and the one in which a date a user types is read: "2025-08-01" starts
// at midnight there. It is one value so that every time parsed or shown
// carries the same *time.Location, whichever package made it.
var Vietnam = time.FixedZone("ICT", VietnamOffset)
