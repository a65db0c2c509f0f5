package search

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/model"
)

// group is one report (or unlinked page) among the matching documents.
type group struct {
	key       string
	score     float64   // best matching version's score
	published time.Time // the original's date when it matched, else the earliest version's
	original  bool      // published comes from the original
	section   string
	langs     map[string]bool // languages of the matching versions
}

// groupSort is pass 1's sort: score, then the URL, which is unique and so
// makes the order total; the keys after it never decide anything and are
// there for their values. Bleve reads sort values from doc values, while
// asking for stored fields (SearchRequest.Fields) loads and decompresses
// each hit's whole stored document, text included: for up to MaxHits hits
// per query that was most of a query's time (docs/performance.md).
var groupSort = []string{"-_score", index.FieldURL, // the order
	index.FieldGroup, index.FieldLang, index.FieldSection, index.FieldPublished, index.FieldOriginal}

// Positions of the grouping values in a pass 1 hit's Sort.
const (
	sortGroup = iota + 2
	sortLang
	sortSection
	sortPublished
	sortOriginal
)

// sortValue is a keyword's sort value; a document without the field gets
// Bleve's placeholder, which means empty.
func sortValue(h *search.DocumentMatch, i int) string {
	if i >= len(h.Sort) {
		return ""
	}
	v := h.Sort[i]
	if v == search.HighTerm || v == search.LowTerm {
		return ""
	}
	return v
}

// sortTime decodes a date's sort value: the prefix-coded Unix nanoseconds
// Bleve indexes dates as.
func sortTime(h *search.DocumentMatch, i int) (time.Time, bool) {
	v := sortValue(h, i)
	if v == "" {
		return time.Time{}, false
	}
	n, err := numeric.PrefixCoded(v).Int64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, n), true
}

// collectGroups folds hits, sorted by groupSort, into groups in order of
// first appearance.
func collectGroups(hits search.DocumentMatchCollection) []*group {
	byKey := map[string]*group{}
	var out []*group
	for _, h := range hits {
		key := sortValue(h, sortGroup)
		if key == "" {
			continue
		}
		g := byKey[key]
		if g == nil {
			g = &group{key: key, score: h.Score, langs: map[string]bool{}}
			byKey[key] = g
			out = append(out, g)
		}
		g.score = max(g.score, h.Score)
		if l := sortValue(h, sortLang); l != "" {
			g.langs[l] = true
		}
		if sec := sortValue(h, sortSection); sec != "" && g.section == "" {
			g.section = sec
		}
		// Booleans are indexed as the terms "T" and "F".
		orig := sortValue(h, sortOriginal) == "T"
		if p, ok := sortTime(h, sortPublished); ok && !g.original {
			if orig || g.published.IsZero() || p.Before(g.published) {
				g.published = p.In(vnZone)
			}
			g.original = orig
		}
	}
	return out
}

// Cursor modes: the sort a cursor was made for.
const (
	cursorRelevance = "r"
	cursorDate      = "d"
)

// less orders groups for a sort mode; the group key breaks every tie, so
// the order is total and a cursor names one position in it.
func less(mode string, a, b *group) bool {
	if mode == cursorDate {
		if !a.published.Equal(b.published) {
			return a.published.After(b.published)
		}
	} else if ra, rb := rankScore(a.score), rankScore(b.score); ra != rb {
		return ra > rb
	}
	return a.key < b.key
}

// rankScore is the score reports are ordered by: rounded to float32.
// Bleve sums a document's clause scores in an order that depends on the
// segments it was read from, so two equally relevant versions can differ
// in the last bit of a float64; ordered on the raw value, equal reports
// swapped places from one search to the next and a cursor repeated or
// skipped them. Seven significant digits is finer than any difference
// relevance means, and rounding (unlike a tolerance) keeps the order
// total.
func rankScore(s float64) float32 { return float32(s) }

func sortGroups(gs []*group, mode string) {
	slices.SortStableFunc(gs, func(a, b *group) int {
		switch {
		case less(mode, a, b):
			return -1
		case less(mode, b, a):
			return 1
		}
		return 0
	})
}

// facets counts reports per language of a matching version, per section
// and per month of publication.
func facets(gs []*group) map[string][]model.FacetCount {
	lang, section, month := map[string]int{}, map[string]int{}, map[string]int{}
	for _, g := range gs {
		for l := range g.langs {
			lang[l]++
		}
		if g.section != "" {
			section[g.section]++
		}
		if !g.published.IsZero() {
			month[g.published.Format("2006-01")]++
		}
	}
	byCount := func(m map[string]int) []model.FacetCount {
		out := make([]model.FacetCount, 0, len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out = append(out, model.FacetCount{Value: k, Count: m[k]})
		}
		slices.SortStableFunc(out, func(a, b model.FacetCount) int { return b.Count - a.Count })
		return out
	}
	months := make([]model.FacetCount, 0, len(month))
	for _, k := range slices.Sorted(maps.Keys(month)) {
		months = append(months, model.FacetCount{Value: k, Count: month[k]})
	}
	return map[string][]model.FacetCount{"lang": byCount(lang), "section": byCount(section), "month": months}
}

// cursor is the position after the last report of a page (search_after),
// plus the instant of the first page: later pages ignore documents
// indexed after it.
type cursor struct {
	Mode  string  `json:"m"`
	Score float64 `json:"s,omitempty"`
	Date  int64   `json:"d,omitempty"` // unix nanoseconds of the report's date
	Key   string  `json:"k"`
	N     int     `json:"n"` // reports before and on the page that ended here
	AsOf  int64   `json:"t"` // unix nanoseconds
}

func (c *cursor) asOf() time.Time { return time.Unix(0, c.AsOf).UTC() }

// start returns the index in gs (sorted for the cursor's mode) of the
// first report after the cursor.
//
// By date the position is a value and exact. By relevance it is not:
// documents added since the first page are filtered out, but they still
// change every score through the collection statistics, so the old score
// would skip or repeat reports. The set of reports is the same, and so,
// in practice, is their order: resume after the last report shown, found
// by key; if it is gone (deleted), after as many reports as were shown.
func (c *cursor) start(gs []*group) (int, error) {
	if c.Mode == cursorDate {
		last := &group{key: c.Key}
		if c.Date != 0 {
			last.published = time.Unix(0, c.Date)
		}
		return sort.Search(len(gs), func(i int) bool { return less(c.Mode, last, gs[i]) }), nil
	}
	for i, g := range gs {
		if g.key == c.Key {
			return i + 1, nil
		}
	}
	if c.N > len(gs) {
		// Not a cursor this search handed out: a forged or stale position
		// past the end is the client's error, not an empty page.
		return 0, errors.New("cursor points past the end of the results")
	}
	return c.N, nil
}

func encodeCursor(mode string, g *group, n int, asOf time.Time) string {
	c := cursor{Mode: mode, Key: g.key, N: n, AsOf: asOf.UnixNano()}
	if mode == cursorDate {
		if !g.published.IsZero() {
			c.Date = g.published.UnixNano()
		}
	} else {
		c.Score = g.score
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns nil for an empty cursor.
func decodeCursor(s, mode string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 2048 {
		return nil, errors.New("cursor too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, ErrBadCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Key == "" || c.AsOf <= 0 {
		return nil, ErrBadCursor
	}
	if c.Mode != mode {
		return nil, errors.New("cursor was made for another sort order")
	}
	return &c, nil
}

// indexedBefore matches documents indexed at or before t.
func indexedBefore(t time.Time) bq.Query {
	inclusive := true
	q := bq.NewDateRangeInclusiveQuery(time.Time{}, t, nil, &inclusive)
	q.SetField(index.FieldIndexedAt)
	return q
}
