package query

import (
	"strings"
	"time"
)

// parseDateValue reads the value of published: (runes v; at maps an offset
// in v to a query position) into a half-open range [from, to); a zero bound is open.
//
//	2025  2025-08  2025-08-01        the whole year, month or day
//	A..B  A..  ..B                   from the start of A to the end of B
//	>=A  >A  <=A  <A                 relative to the start or end of A
func parseDateValue(v []rune, at func(int) int, loc *time.Location) (from, to time.Time, err error) {
	s := string(v)
	switch {
	case strings.HasPrefix(s, ">="):
		from, _, err = parseDay(v[2:], shift(at, 2), loc)
		return from, to, err
	case strings.HasPrefix(s, "<="):
		_, to, err = parseDay(v[2:], shift(at, 2), loc)
		return from, to, err
	case strings.HasPrefix(s, ">"):
		_, from, err = parseDay(v[1:], shift(at, 1), loc)
		if err == nil && from.Year() > 9999 {
			err = errorf(at(0), "published: nothing can be published after 9999")
		}
		return from, to, err
	case strings.HasPrefix(s, "<"):
		to, _, err = parseDay(v[1:], shift(at, 1), loc)
		if err == nil && to.Equal(time.Date(1000, 1, 1, 0, 0, 0, 0, loc)) {
			err = errorf(at(0), "published: nothing can be published before 1000")
		}
		return from, to, err
	}
	i := strings.Index(s, "..")
	if i < 0 {
		return parseDay(v, at, loc)
	}
	na := len([]rune(s[:i]))
	a, b := v[:na], v[na+2:]
	if len(a) == 0 && len(b) == 0 {
		return from, to, errorf(at(0), "published: a range needs a date on at least one side of ..")
	}
	if len(a) > 0 {
		if from, _, err = parseDay(a, at, loc); err != nil {
			return from, to, err
		}
	}
	if len(b) > 0 {
		if _, to, err = parseDay(b, shift(at, na+2), loc); err != nil {
			return from, to, err
		}
	}
	if len(a) > 0 && len(b) > 0 && !from.Before(to) {
		return from, to, errorf(at(na+2), "published: the range ends before it starts")
	}
	return from, to, nil
}

// parseDay reads YYYY, YYYY-MM or YYYY-MM-DD (month and day may have one
// digit) and returns the start of that period and the start of the next.
func parseDay(v []rune, at func(int) int, loc *time.Location) (start, end time.Time, err error) {
	if len(v) == 0 {
		return start, end, errorf(at(0), "published: needs a date such as 2025, 2025-08 or 2025-08-01")
	}
	var parts, off [3]int // values and offsets of year, month, day
	n := 0                // parts read
	for i := 0; ; {
		j := i
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		width := j - i
		if width == 0 || (n == 0 && width != 4) || (n > 0 && width > 2) {
			return start, end, errorf(at(i), "published: %q is not a date such as 2025, 2025-08 or 2025-08-01", string(v))
		}
		for _, r := range v[i:j] {
			parts[n] = parts[n]*10 + int(r-'0')
		}
		off[n] = i
		n++
		if j == len(v) {
			break
		}
		if v[j] != '-' || n == 3 {
			return start, end, errorf(at(j), "published: %q is not a date such as 2025, 2025-08 or 2025-08-01", string(v))
		}
		i = j + 1
	}
	year, month, day := parts[0], parts[1], parts[2]
	monthPos, dayPos := at(off[1]), at(off[2])
	// Four-digit years keep every bound expressible in the syntax, which
	// the canonical rendering relies on.
	if year < 1000 {
		return start, end, errorf(at(0), "published: year %04d is out of range (1000-9999)", year)
	}
	switch n {
	case 1:
		start = time.Date(year, 1, 1, 0, 0, 0, 0, loc)
		return start, start.AddDate(1, 0, 0), nil
	}
	if month < 1 || month > 12 {
		return start, end, errorf(monthPos, "published: month %d does not exist", month)
	}
	if n == 2 {
		start = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, loc)
		return start, start.AddDate(0, 1, 0), nil
	}
	last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, loc).Day()
	if day < 1 || day > last {
		return start, end, errorf(dayPos, "published: %04d-%02d has no day %d", year, month, day)
	}
	start = time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 0, 1), nil
}

// shift returns a position mapper for a suffix of the value that starts at
// offset by.
func shift(at func(int) int, by int) func(int) int {
	return func(k int) int { return at(k + by) }
}
