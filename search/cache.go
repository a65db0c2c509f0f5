package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"baoscope/model"
)

// resultSet is pass 1 made reusable: the ranked reports of one query at
// one instant, with the totals and facets of all of them. Searches keep
// recent ones (resultCache), the way Solr's queryResultCache keeps ranked
// windows: the next page of a query, the same query from another
// researcher, or the page reloaded cost passes 2 and 3 only, and a cursor
// pages through the order its first page saw, exactly.
type resultSet struct {
	gen  uint64    // index generation it was computed at
	asOf time.Time // documents indexed after it are not in it
	// fresh is false when the set was computed for a cursor, with the
	// as-of filter: it may lack documents indexed since, so a new search
	// must not use it.
	fresh   bool
	docs    int
	reports int
	facets  map[string][]model.FacetCount
	langs   *langTable // names the bits of the groups' langs
	// ranked holds reports offset to offset+len(ranked)-1 of the order:
	// the first ones for a first page, a window after a cursor deep in
	// the results, all of them when offset is 0 and len(ranked) == reports.
	ranked []*group
	offset int
}

func (rs *resultSet) complete() bool { return rs.offset == 0 && len(rs.ranked) == rs.reports }

// page returns the reports after the cursor (from the start without
// one), and how many reports precede them. ok is false when the set's
// window does not cover that page; err is a cursor this set can tell is
// wrong.
func (rs *resultSet) page(mode string, c *cursor, size int) (page []*group, first int, ok bool, err error) {
	if c != nil {
		first = -1
		// Resume after the last report shown, found by key: exact for a
		// set computed at the cursor's instant. Otherwise scores have
		// moved with the statistics of documents added since (they are
		// filtered out, but count in every score): the set of reports is
		// the same and, in practice, so is their order.
		for i, g := range rs.ranked {
			if g.key == c.Key {
				first = rs.offset + i + 1
				break
			}
		}
		if first < 0 {
			if !rs.complete() {
				return nil, 0, false, nil
			}
			if first, err = lostCursor(rs.ranked, mode, c); err != nil {
				return nil, 0, false, err
			}
		}
	}
	last := min(first+size, rs.reports)
	if first < rs.offset || last-rs.offset > len(rs.ranked) {
		return nil, 0, false, nil
	}
	return rs.ranked[first-rs.offset : last-rs.offset], first, true, nil
}

// lostCursor places a cursor whose last report is gone (deleted) in the
// complete order gs: by date the position is a value; by relevance, after
// as many reports as were shown.
func lostCursor(gs []*group, mode string, c *cursor) (int, error) {
	if mode == cursorDate {
		last := &group{key: c.Key}
		if c.Date != 0 {
			last.published = time.Unix(0, c.Date)
		}
		return sort.Search(len(gs), func(i int) bool { return less(mode, last, gs[i]) }), nil
	}
	if c.N > len(gs) {
		// Not a cursor this search handed out: a forged or stale position
		// past the end is the client's error, not an empty page.
		return 0, errors.New("cursor points past the end of the results")
	}
	return c.N, nil
}

// rank fills rs.ranked from every group for the page after c: the first
// window reports; past them (a researcher deep in the results, an export
// walking every page), the window after the cursor's report, so that a
// walk through 100,000 reports computes pass 1 once per window rather
// than once per page, and each set stays small enough to cache; all of
// them when the cursor's report is gone.
func (rs *resultSet) rank(gs []*group, mode string, c *cursor, size, window int) {
	rs.offset, rs.ranked = 0, top(gs, mode, max(window, size))
	if _, _, ok, err := rs.page(mode, c, size); ok || err != nil || c == nil {
		return
	}
	for _, g := range gs {
		if g.key != c.Key {
			continue
		}
		after := make([]*group, 0, len(gs))
		for _, o := range gs {
			if less(mode, g, o) {
				after = append(after, o)
			}
		}
		// The window starts with the cursor's report, which is how the
		// next page finds its place in it.
		rs.offset = len(gs) - len(after) - 1
		rs.ranked = append([]*group{g}, top(after, mode, size+window)...)
		return
	}
	rs.offset, rs.ranked = 0, top(gs, mode, len(gs))
}

// resultCache holds recent result sets by query. Entries are bounded in
// number and each in size (a set ranking more than maxRanked reports is
// not kept): a ranked report is about 100 bytes, so the defaults (256
// sets, windows of 1,000, at most 4,000 kept) hold about 25 MiB, 100 MiB
// at worst.
type resultCache struct {
	lru       *lru.Cache[string, *resultSet]
	maxRanked int
}

// newResultCache returns nil (no caching) for entries <= 0.
func newResultCache(entries, maxRanked int) *resultCache {
	if entries <= 0 {
		return nil
	}
	c, err := lru.New[string, *resultSet](entries)
	if err != nil { // only for a size <= 0
		panic(err)
	}
	return &resultCache{lru: c, maxRanked: maxRanked}
}

func (c *resultCache) get(key string) *resultSet {
	if c == nil {
		return nil
	}
	rs, _ := c.lru.Get(key)
	return rs
}

func (c *resultCache) put(key string, rs *resultSet) {
	if c == nil || len(rs.ranked) > c.maxRanked {
		return
	}
	c.lru.Add(key, rs)
}

// cacheKey identifies a query's result set: everything but the page.
func cacheKey(q model.Query, queryLang string, from []string, tables Translator) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	q.Size, q.Cursor = 0, ""
	// model.Query is plain data; encoding cannot fail. The tables are
	// named by their address: tables learned again are another set.
	_ = enc.Encode(struct {
		Q      model.Query
		Lang   string
		From   []string
		Tables string
	}{q, queryLang, from, fmt.Sprintf("%p", tables)})
	return b.String()
}
