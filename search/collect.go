package search

import (
	"container/heap"
	"context"
	"slices"
	"sync"
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
)

// aggregate is pass 1's outcome: every matching document folded into its
// report.
type aggregate struct {
	docs   int
	groups []*group // in no particular order
	langs  *langTable
	// columns is true when every hit was read from index.Columns.
	columns bool
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

// aggregator folds the hits of one shard. It reads a hit's grouping
// values from the index's columns for the snapshot the search reads when
// they are built (index.Columns: an array index per value), else from
// doc values.
type aggregator struct {
	langs  *langTable
	docs   int
	groups []*group // in the order first met
	shard  *index.Shard

	// Column path.
	cols     *index.Columns
	byID     []*group // by index into cols.Groups
	langMask []uint64 // by cols.Lang value

	// Doc-value path (and the column path's fallback for a document the
	// columns do not cover, which should not happen).
	byKey map[string]*group
}

// newAggregator folds the hits of shard; one without a shard only merges.
func newAggregator(shard *index.Shard) *aggregator {
	a := &aggregator{langs: newLangTable(), shard: shard, byKey: map[string]*group{}}
	if shard != nil {
		a.cols = shard.Columns()
	}
	if a.cols != nil {
		a.byID = make([]*group, len(a.cols.Groups))
		a.langMask = make([]uint64, len(a.cols.Langs)+1)
		for i, l := range a.cols.Langs {
			a.langMask[i+1] = a.langs.mask(l)
		}
	}
	return a
}

func (a *aggregator) add(h index.Hit) error {
	if d, ok := a.shard.Column(h); ok {
		a.addColumns(h.Score, d)
		return nil
	}
	return a.addDocValues(h)
}

func (a *aggregator) addColumns(score float64, d uint64) {
	c := a.cols
	gi := c.Group[d]
	if gi < 0 {
		return
	}
	a.docs++
	g := a.byID[gi]
	if g == nil {
		g = &group{key: c.Groups[gi], score: score}
		a.byID[gi] = g
		a.groups = append(a.groups, g)
	}
	g.score = max(g.score, score)
	// A document without a language still has one for pass 2 (its
	// fields are index.OtherLang's); the language facet skips it.
	g.langs |= a.langMask[c.Lang[d]]
	if sec := c.Section[d]; sec != 0 && g.section == "" {
		g.section = c.Sections[sec-1]
	}
	if p := c.Published[d]; p != index.NoDate {
		g.foldDate(time.Unix(0, p).In(vnZone), c.Original[d])
	}
}

func (a *aggregator) addDocValues(h index.Hit) error {
	v, err := a.shard.Values(h)
	if err != nil {
		return err
	}
	if len(v.Group) == 0 {
		return nil
	}
	a.docs++
	g := a.byKey[string(v.Group)]
	if g == nil {
		g = &group{key: string(v.Group), score: h.Score}
		a.byKey[g.key] = g
		a.groups = append(a.groups, g)
	}
	g.score = max(g.score, h.Score)
	g.langs |= a.langs.mask(string(v.Lang))
	if len(v.Section) > 0 && g.section == "" {
		g.section = string(v.Section)
	}
	if v.Published != index.NoDate {
		g.foldDate(time.Unix(0, v.Published).In(vnZone), v.Original)
	}
	return nil
}

// merge folds b (another shard's aggregation) into a. A report lives in
// one shard, so merging groups is rare; languages are renumbered.
func (a *aggregator) merge(b *aggregator) {
	if len(a.byKey) != len(a.groups) {
		// The column path does not keep groups by key.
		a.byKey = make(map[string]*group, len(a.groups)+len(b.groups))
		for _, g := range a.groups {
			a.byKey[g.key] = g
		}
	}
	a.docs += b.docs
	for _, bg := range b.groups {
		var langs uint64
		for i, name := range b.langs.names {
			if bg.langs&(1<<i) != 0 {
				langs |= a.langs.mask(name)
			}
		}
		g := a.byKey[bg.key]
		if g == nil {
			bg.langs = langs
			a.byKey[bg.key] = bg
			a.groups = append(a.groups, bg)
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
// Without scores (score false: the date order needs none) Bleve skips
// scoring every clause of every match.
//
// Bleve has no collapse, and a top-N request is no substitute: at 1M
// documents a frequent name matches 200,000 of them, a 10,000-hit window
// makes totals and facets guesses, and keeping that window sorted by score
// and URL (to make it total) cost most of the query's time. Bleve visits
// every matching document anyway (index.VisitMatches), and each is folded
// into its report there instead of into a heap: one aggregator per shard,
// the shards in parallel, merged at the end.
func (s *Searcher) aggregate(ctx context.Context, q bq.Query, score bool) (*aggregate, error) {
	var (
		mu   sync.Mutex
		aggs []*aggregator
	)
	forShard := func(shard *index.Shard) func(index.Hit) error {
		a := newAggregator(shard)
		mu.Lock()
		aggs = append(aggs, a)
		mu.Unlock()
		return a.add
	}
	if err := s.ix.VisitMatches(ctx, q, score, forShard); err != nil {
		return nil, err
	}
	if len(aggs) == 0 {
		return &aggregate{langs: newLangTable()}, nil
	}
	columns := true
	for _, a := range aggs {
		columns = columns && a.cols != nil && a.shard.FromDocValues() == 0
	}
	all := aggs[0]
	for _, b := range aggs[1:] {
		all.merge(b)
	}
	return &aggregate{docs: all.docs, langs: all.langs, groups: all.groups, columns: columns}, nil
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
