package search

import (
	"maps"
	"math/bits"
	"slices"
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/model"
)

// group is one report (or unlinked page) among the matching documents.
type group struct {
	key       string
	whole     bool      // a version covers every concept of the query: ranks first
	score     float64   // best matching version's score
	published time.Time // the original's date when it matched, else the earliest version's
	original  bool      // published comes from the original
	section   string
	langs     uint64 // languages of the matching versions, as bits of the aggregation's langTable
}

// foldDate offers a matching version's date to the group: the
// original's date wins, else the earliest version's.
func (g *group) foldDate(p time.Time, orig bool) {
	if g.original {
		return
	}
	if orig || g.published.IsZero() || p.Before(g.published) {
		g.published = p
	}
	g.original = orig
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
	} else if a.whole != b.whole {
		return a.whole
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
func facets(gs []*group, langs *langTable) map[string][]model.FacetCount {
	lang, section, month := map[string]int{}, map[string]int{}, map[string]int{}
	var perBit [64]int
	for _, g := range gs {
		for b := g.langs; b != 0; b &= b - 1 {
			perBit[bits.TrailingZeros64(b)]++
		}
		if g.section != "" {
			section[g.section]++
		}
		if !g.published.IsZero() {
			month[g.published.Format("2006-01")]++
		}
	}
	for i, name := range langs.names {
		if perBit[i] > 0 && name != "" {
			lang[name] = perBit[i]
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

// indexedBefore restricts q to documents indexed at or before t.
func indexedBefore(q bq.Query, t time.Time) bq.Query {
	return bq.NewConjunctionQuery([]bq.Query{q, index.IndexedBefore(t)})
}
