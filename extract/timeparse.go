package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
)

// maxTimeLen bounds the strings ParseVietnameseTime looks at: a date line
// is short, and anything longer is prose that happens to contain digits.
const maxTimeLen = 120

var (
	// isoRe is ISO 8601 / RFC 3339 as the sites and JSON-LD write it:
	// "2025-08-20", "2025-08-20 09:15", "2025-08-20T09:15:00.000+07:00".
	isoRe = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$`)
	// dmyRe is the Vietnamese day/month/year order, "19/03/2026" or
	// "20/8/2025", anywhere in the string.
	dmyRe = regexp.MustCompile(`(?:^|[^\d])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[^\d]|$)`)
	// dmyWordsRe is the spelled-out form, "ngày 20 tháng 8 năm 2025".
	dmyWordsRe = regexp.MustCompile(`(?i)(?:^|[^\d])(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*,?\s*năm\s+|\s*[,/]\s*|\s+)(\d{4})(?:[^\d]|$)`)
	// hmRe is a time of day, "17:58", "17:58:05" or "17h58".
	hmRe = regexp.MustCompile(`(?:^|[^\d:])(\d{1,2})[:hH](\d{2})(?::(\d{2}))?(?:[^\d:]|$)`)
	// gmtRe is an explicit offset such as "(GMT+7)" or "UTC+07:00".
	gmtRe = regexp.MustCompile(`(?i)(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?`)
)

// ParseVietnameseTime parses the dates and times the two sites print:
// "Thứ năm, 19/03/2026 - 17:58", "19/03/2026 17:58", "29/08/2023",
// "20/8/2025", "ngày 20 tháng 8 năm 2025", ISO 8601 / RFC 3339 with or
// without an offset ("2025-08-20T09:15:00+07:00", "2025-08-20 09:15") and
// RFC 1123. A time without a zone is Asia/Ho_Chi_Minh (UTC+7). The weekday
// name is ignored: pages get it wrong more often than the date.
func ParseVietnameseTime(s string) (time.Time, bool) {
	t, _, ok := parseTime(s)
	return t, ok
}

// parseTime is ParseVietnameseTime that also says whether the string had a
// time of day, so that a full timestamp can win over a bare date.
func parseTime(s string) (t time.Time, clock, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxTimeLen {
		return time.Time{}, false, false
	}
	if m := isoRe.FindStringSubmatch(s); m != nil {
		loc := model.Vietnam
		if m[7] != "" {
			off, ok := parseOffset(m[7])
			if !ok {
				return time.Time{}, false, false
			}
			loc = zoneFor(off)
		}
		return build(m[1], m[2], m[3], m[4], m[5], m[6], loc)
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123, time.RFC850} {
		if pt, err := time.Parse(layout, s); err == nil {
			// time.Parse accepts any two-digit hour in a numeric zone
			// (+1700); no place on Earth is more than 14 hours from UTC.
			_, off := pt.Zone()
			if off < -14*3600 || off > 14*3600 {
				return time.Time{}, false, false
			}
			pt = pt.In(zoneFor(off))
			if !validYear(pt.Year()) {
				return time.Time{}, false, false
			}
			return pt, true, true
		}
	}

	var day, month, year string
	rest := s
	if m := dmyRe.FindStringSubmatchIndex(s); m != nil {
		day, month, year = s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]
		rest = s[:m[2]] + " " + s[m[7]:]
	} else if m := dmyWordsRe.FindStringSubmatchIndex(s); m != nil {
		day, month, year = s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]
		rest = s[:m[2]] + " " + s[m[7]:]
	} else {
		return time.Time{}, false, false
	}
	loc := model.Vietnam
	if m := gmtRe.FindStringSubmatchIndex(rest); m != nil {
		h, _ := strconv.Atoi(rest[m[4]:m[5]])
		mins := 0
		if m[6] >= 0 {
			mins, _ = strconv.Atoi(rest[m[6]:m[7]])
		}
		if h > 14 || mins > 59 {
			return time.Time{}, false, false
		}
		off := h*3600 + mins*60
		if rest[m[2]:m[3]] == "-" {
			off = -off
		}
		loc = zoneFor(off)
		rest = rest[:m[0]] + " " + rest[m[1]:]
	}
	var hh, mm, ss string
	if m := hmRe.FindStringSubmatch(rest); m != nil {
		hh, mm, ss = m[1], m[2], m[3]
	}
	return build(year, month, day, hh, mm, ss, loc)
}

// build validates the fields and makes the time; time.Date would silently
// normalise 31/02 into March.
func build(ys, mos, ds, hs, mis, ss string, loc *time.Location) (time.Time, bool, bool) {
	y, _ := strconv.Atoi(ys)
	mo, _ := strconv.Atoi(mos)
	d, _ := strconv.Atoi(ds)
	if !validYear(y) || mo < 1 || mo > 12 || d < 1 || d > daysIn(time.Month(mo), y) {
		return time.Time{}, false, false
	}
	clock := hs != ""
	var h, mi, sec int
	if clock {
		h, _ = strconv.Atoi(hs)
		mi, _ = strconv.Atoi(mis)
		if ss != "" {
			sec, _ = strconv.Atoi(ss)
		}
		if h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, false, false
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc), clock, true
}

// validYear rejects years no news page is dated with, which are junk that
// happens to look like a date.
func validYear(y int) bool { return y >= 1900 && y < 2200 }

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseOffset reads "Z", "+07", "+0700" or "+07:00".
func parseOffset(s string) (int, bool) {
	if s == "Z" || s == "z" {
		return 0, true
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	s = strings.ReplaceAll(s[1:], ":", "")
	h, err := strconv.Atoi(s[:2])
	if err != nil {
		return 0, false
	}
	m := 0
	if len(s) > 2 {
		if m, err = strconv.Atoi(s[2:]); err != nil {
			return 0, false
		}
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// zoneFor returns model.Vietnam for +07:00 so that every timestamp of
// the sites carries the same location, UTC for 0, and a fixed zone
// otherwise.
func zoneFor(off int) *time.Location {
	switch off {
	case model.VietnamOffset:
		return model.Vietnam
	case 0:
		return time.UTC
	}
	return time.FixedZone("", off)
}
