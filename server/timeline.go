package server

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"time"

	"baoscope/model"
)

// The timeline's drawing box, in SVG user units. The SVG scales to its
// container's width (viewBox); the box is the size of the facet column on
// a desktop, so that its 10-unit labels stay readable there.
const (
	tlWidth    = 256.0
	tlHeight   = 100.0
	tlTop      = 14.0 // room for the counts above the bars
	tlBottom   = 16.0 // room for the tick labels
	tlMaxBar   = 28.0
	tlLabelGap = 40.0 // the least distance between two tick labels
	tlMaxSpan  = 600  // months; a longer span draws only the months with data
)

// timelineView is a bar chart of matching reports per month, drawn on the
// server as SVG: no script, no library, and every bar a link that narrows
// the search to its month.
type timelineView struct {
	Width, Height, Baseline, TickY string
	First, Last                    string // "2025-08"
	Bars                           []tlBar
	Ticks                          []tlTick
}

type tlBar struct {
	X, Y, W, H, Mid, CountY string
	Count                   int
	Label                   string // "August 2025: 3 reports"
	Href                    string
	ShowCount               bool
}

type tlTick struct {
	X, Text, Anchor string
}

// newTimeline draws the month facet ("YYYY-MM" values) from the first
// month to the last, months without reports included so that gaps show.
// It returns nil when there is nothing to draw.
func newTimeline(facet []model.FacetCount, v url.Values) *timelineView {
	counts := map[time.Time]int{}
	for _, f := range facet {
		if len(f.Value) < 7 {
			continue
		}
		t, err := time.Parse("2006-01", f.Value[:7])
		if err != nil || f.Count <= 0 {
			continue
		}
		counts[t] += f.Count
	}
	if len(counts) == 0 {
		return nil
	}
	months := slices.SortedFunc(maps.Keys(counts), func(a, b time.Time) int { return a.Compare(b) })
	first, last := months[0], months[len(months)-1]
	if span := monthsBetween(first, last) + 1; span <= tlMaxSpan {
		months = months[:0]
		for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
			months = append(months, m)
		}
	}
	maxCount := 0
	for _, c := range counts {
		maxCount = max(maxCount, c)
	}

	n := float64(len(months))
	slot := tlWidth / n
	baseline := tlHeight - tlBottom
	area := baseline - tlTop
	tv := &timelineView{
		Width: num(tlWidth), Height: num(tlHeight), Baseline: num(baseline), TickY: num(tlHeight - 5),
		First: first.Format("2006-01"), Last: last.Format("2006-01"),
	}
	for i, m := range months {
		c := counts[m]
		h := 0.0
		if c > 0 {
			h = max(1, float64(c)/float64(maxCount)*area)
		}
		x := float64(i) * slot
		// A few months would make slabs: bars are at most tlMaxBar wide,
		// centred in their slot.
		w := max(min(slot*0.8, tlMaxBar), 0.5)
		end := m.AddDate(0, 1, -1)
		label := m.Format("January 2006") + ": " + strconv.Itoa(c) + " reports"
		if c == 1 {
			label = m.Format("January 2006") + ": 1 report"
		}
		tv.Bars = append(tv.Bars, tlBar{
			X: num(x + (slot-w)/2), W: num(w), Y: num(baseline - h), H: num(h),
			Mid: num(x + slot/2), CountY: num(baseline - h - 3),
			Count: c, Label: label,
			Href:      pageURL(v, map[string][]string{"from": {m.Format("2006-01-02")}, "to": {end.Format("2006-01-02")}}),
			ShowCount: c > 0 && slot >= 14, // room for two digits
		})
	}
	tv.Ticks = ticks(months, slot)
	return tv
}

// ticks labels the first and the last month (YYYY-MM) and each January
// between them (YYYY) that has room.
func ticks(months []time.Time, slot float64) []tlTick {
	first := tlTick{X: num(0), Text: months[0].Format("2006-01"), Anchor: "start"}
	if len(months) == 1 {
		first.X, first.Anchor = num(slot/2), "middle"
		return []tlTick{first}
	}
	out := []tlTick{first}
	for i, m := range months {
		x := float64(i)*slot + slot/2
		if m.Month() == time.January && x >= 1.5*tlLabelGap && x <= tlWidth-1.5*tlLabelGap {
			out = append(out, tlTick{X: num(x), Text: m.Format("2006"), Anchor: "middle"})
		}
	}
	return append(out, tlTick{X: num(tlWidth), Text: months[len(months)-1].Format("2006-01"), Anchor: "end"})
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// num formats a coordinate with one decimal, enough on a 720-unit box.
func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
