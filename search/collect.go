package search

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
)

// aggregate is pass 1's outcome: every matching document folded into its
// report.
type aggregate struct {
	docs   int
	groups []*group // in no particular order
	langs  *langTable
}

// langTable numbers the languages met in one aggregation, so that a group
// keeps its matching languages in a bit set rather than a map (a map per
// report was a third of pass 1's allocations at 1M documents). Languages
// past the 64th are not counted in the language facet; the index knows
// about twenty.
type langTable struct {
	bit   map[string]uint8
	names []string
}

func newLangTable() *langTable { return &langTable{bit: map[string]uint8{}} }

// fieldLangs returns the field languages (index.FieldSuffix) of the
// languages in mask.
func (t *langTable) fieldLangs(mask uint64) map[string]bool {
	out := map[string]bool{}
	for i, name := range t.names {
		if mask&(1<<i) != 0 {
			out[index.FieldSuffix(name)] = true
		}
	}
	return out
}

// mask returns lang's bit, adding lang to the table if there is room.
func (t *langTable) mask(lang string) uint64 {
	if b, ok := t.bit[lang]; ok {
		return 1 << b
	}
	if len(t.names) == 64 {
		return 0
	}
	b := uint8(len(t.names))
	t.bit[lang] = b
	t.names = append(t.names, lang)
	return 1 << b
}

// aggregator folds the hits of one Bleve collector (one shard).
type aggregator struct {
	byKey map[string]*group
	langs *langTable
	docs  int
}

func newAggregator() *aggregator {
	return &aggregator{byKey: map[string]*group{}, langs: newLangTable()}
}

func (a *aggregator) add(h *search.DocumentMatch) {
	key := sortValue(h, sortGroup)
	if key == "" {
		return
	}
	a.docs++
	g := a.byKey[key]
	if g == nil {
		g = &group{key: key, score: h.Score}
		a.byKey[key] = g
	}
	g.score = max(g.score, h.Score)
	// A document without a language still has one for pass 2 (its
	// fields are index.OtherLang's); the language facet skips it.
	g.langs |= a.langs.mask(sortValue(h, sortLang))
	if sec := sortValue(h, sortSection); sec != "" && g.section == "" {
		g.section = sec
	}
	// Booleans are indexed as the terms "T" and "F".
	orig := sortValue(h, sortOriginal) == "T"
	if p, ok := sortTime(h, sortPublished); ok {
		g.foldDate(p.In(vnZone), orig)
	}
}

// merge folds b (another shard's aggregation) into a. A report lives in
// one shard, so merging groups is rare; languages are renumbered.
func (a *aggregator) merge(b *aggregator) {
	a.docs += b.docs
	for key, bg := range b.byKey {
		var langs uint64
		for i, name := range b.langs.names {
			if bg.langs&(1<<i) != 0 {
				langs |= a.langs.mask(name)
			}
		}
		g := a.byKey[key]
		if g == nil {
			bg.langs = langs
			a.byKey[key] = bg
			continue
		}
		g.score = max(g.score, bg.score)
		g.langs |= langs
		if g.section == "" {
			g.section = bg.section
		}
		if !bg.published.IsZero() {
			g.foldDate(bg.published, bg.original)
		}
	}
}

// aggregate runs pass 1: every document matching q, folded into groups.
//
// Bleve has no collapse, and a top-N request is no substitute: at 1M
// documents a frequent name matches 200,000 of them, a 10,000-hit window
// makes totals and facets guesses, and keeping that window sorted by score
// and URL (to make it total) cost most of the query's time. Bleve visits
// every matching document anyway, scoring it and reading the sort keys'
// doc values; a document match handler, Bleve's hook for custom
// collection, folds each into its report there instead of into a heap.
// A sharded index calls the handler maker once per shard, in parallel.
func (s *Searcher) aggregate(ctx context.Context, q bq.Query) (*aggregate, error) {
	var (
		mu   sync.Mutex
		aggs []*aggregator
	)
	maker := search.MakeDocumentMatchHandler(func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		a := newAggregator()
		mu.Lock()
		aggs = append(aggs, a)
		mu.Unlock()
		return func(h *search.DocumentMatch) error {
			if h == nil { // end of the shard's hits
				return nil
			}
			a.add(h)
			sctx.DocumentMatchPool.Put(h)
			return nil
		}, false, nil
	})
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	req.SortBy(groupSort)
	if _, err := s.ix.Bleve().SearchInContext(context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker), req); err != nil {
		return nil, fmt.Errorf("group matches: %w", err)
	}
	if len(aggs) == 0 {
		return &aggregate{langs: newLangTable()}, nil
	}
	all := aggs[0]
	for _, b := range aggs[1:] {
		all.merge(b)
	}
	out := &aggregate{docs: all.docs, langs: all.langs, groups: make([]*group, 0, len(all.byKey))}
	for _, g := range all.byKey {
		out.groups = append(out.groups, g)
	}
	return out, nil
}

// top returns the n first groups in mode's order, sorted; all of them
// when n >= len(gs). A bounded heap costs O(len·log n), against
// O(len·log len) for sorting 200,000 reports to show 20.
func top(gs []*group, mode string, n int) []*group {
	if n >= len(gs) {
		out := slices.Clone(gs)
		sortGroups(out, mode)
		return out
	}
	if n <= 0 {
		return nil
	}
	h := &worstFirst{mode: mode, gs: make([]*group, 0, n)}
	for _, g := range gs {
		if len(h.gs) < n {
			heap.Push(h, g)
			continue
		}
		if less(mode, g, h.gs[0]) {
			h.gs[0] = g
			heap.Fix(h, 0)
		}
	}
	out := h.gs
	sortGroups(out, mode)
	return out
}

// worstFirst is a heap whose root is the group that ranks last.
type worstFirst struct {
	mode string
	gs   []*group
}

func (h *worstFirst) Len() int           { return len(h.gs) }
func (h *worstFirst) Less(i, j int) bool { return less(h.mode, h.gs[j], h.gs[i]) }
func (h *worstFirst) Swap(i, j int)      { h.gs[i], h.gs[j] = h.gs[j], h.gs[i] }
func (h *worstFirst) Push(x any)         { h.gs = append(h.gs, x.(*group)) }
func (h *worstFirst) Pop() any {
	g := h.gs[len(h.gs)-1]
	h.gs = h.gs[:len(h.gs)-1]
	return g
}
