package search

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

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

// aggregator folds the hits of one Bleve collector (one shard). It reads
// a hit's grouping values from the index's columns for the snapshot the
// search reads when they are built (index.Columns: an array index per
// value), else from Bleve's doc values.
type aggregator struct {
	langs  *langTable
	docs   int
	groups []*group // in the order first met

	// Column path.
	cols     *index.Columns
	byID     []*group // by index into cols.Groups
	langMask []uint64 // by cols.Lang value

	// Doc-value path (and the column path's fallback for a document the
	// columns do not cover, which should not happen).
	reader bindex.IndexReader
	dvr    bindex.DocValueReader
	byKey  map[string]*group
	hit    hitValues
	// fromDocValues counts the hits read from doc values.
	fromDocValues int
	visit         bindex.DocValueVisitor
}

// hitValues are one document's grouping values read from doc values.
type hitValues struct {
	group, lang, section string
	published            int64
	original             bool
}

// groupFields are the fields pass 1 reads for every match.
var groupFields = []string{index.FieldGroup, index.FieldLang, index.FieldSection, index.FieldPublished, index.FieldOriginal}

func newAggregator(r bindex.IndexReader, cols *index.Columns) *aggregator {
	a := &aggregator{langs: newLangTable(), reader: r, cols: cols, byKey: map[string]*group{}}
	if cols != nil {
		a.byID = make([]*group, len(cols.Groups))
		a.langMask = make([]uint64, len(cols.Langs)+1)
		for i, l := range cols.Langs {
			a.langMask[i+1] = a.langs.mask(l)
		}
	}
	a.visit = func(field string, term []byte) {
		switch field {
		case index.FieldGroup:
			a.hit.group = string(term)
		case index.FieldLang:
			a.hit.lang = string(term)
		case index.FieldSection:
			a.hit.section = string(term)
		case index.FieldPublished:
			// Dates are indexed at several precisions; the full one has
			// shift 0.
			p := numeric.PrefixCoded(term)
			if shift, err := p.Shift(); err == nil && shift == 0 {
				if v, err := p.Int64(); err == nil {
					a.hit.published = v
				}
			}
		case index.FieldOriginal:
			// Booleans are indexed as the terms "T" and "F".
			a.hit.original = len(term) == 1 && term[0] == 'T'
		}
	}
	return a
}

func (a *aggregator) add(h *search.DocumentMatch) error {
	if a.cols != nil {
		if d, ok := index.DocNum(h.IndexInternalID); ok && a.cols.Has(d) {
			a.addColumns(h, d)
			return nil
		}
	}
	return a.addDocValues(h)
}

func (a *aggregator) addColumns(h *search.DocumentMatch, d uint64) {
	c := a.cols
	gi := c.Group[d]
	if gi < 0 {
		return
	}
	a.docs++
	g := a.byID[gi]
	if g == nil {
		g = &group{key: c.Groups[gi], score: h.Score}
		a.byID[gi] = g
		a.groups = append(a.groups, g)
	}
	g.score = max(g.score, h.Score)
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

func (a *aggregator) addDocValues(h *search.DocumentMatch) error {
	a.fromDocValues++
	if a.dvr == nil {
		dvr, err := a.reader.DocValueReader(groupFields)
		if err != nil {
			return err
		}
		a.dvr = dvr
	}
	a.hit = hitValues{published: index.NoDate}
	if err := a.dvr.VisitDocValues(h.IndexInternalID, a.visit); err != nil {
		return err
	}
	v := &a.hit
	if v.group == "" {
		return nil
	}
	a.docs++
	g := a.byKey[v.group]
	if g == nil {
		g = &group{key: v.group, score: h.Score}
		a.byKey[v.group] = g
		a.groups = append(a.groups, g)
	}
	g.score = max(g.score, h.Score)
	g.langs |= a.langs.mask(v.lang)
	if v.section != "" && g.section == "" {
		g.section = v.section
	}
	if v.published != index.NoDate {
		g.foldDate(time.Unix(0, v.published).In(vnZone), v.original)
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
// every matching document anyway; a document match handler, Bleve's hook
// for custom collection, folds each into its report there instead of
// into a heap. A sharded index calls the handler maker once per shard, in
// parallel, each with its shard's snapshot.
func (s *Searcher) aggregate(ctx context.Context, q bq.Query, score bool) (*aggregate, error) {
	var (
		mu   sync.Mutex
		aggs []*aggregator
	)
	maker := search.MakeDocumentMatchHandler(func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		a := newAggregator(sctx.IndexReader, s.ix.GroupColumns(sctx.IndexReader))
		mu.Lock()
		aggs = append(aggs, a)
		mu.Unlock()
		return func(h *search.DocumentMatch) error {
			if h == nil { // end of the shard's hits
				return nil
			}
			err := a.add(h)
			sctx.DocumentMatchPool.Put(h)
			return err
		}, false, nil
	})
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	if !score {
		req.Score = "none"
	}
	if _, err := s.ix.Bleve().SearchInContext(context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker), req); err != nil {
		return nil, fmt.Errorf("group matches: %w", err)
	}
	if len(aggs) == 0 {
		return &aggregate{langs: newLangTable()}, nil
	}
	columns := true
	for _, a := range aggs {
		columns = columns && a.cols != nil && a.fromDocValues == 0
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
