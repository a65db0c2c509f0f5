package search

import (
	"encoding/json"
	"errors"
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
	// ranked is the first len(ranked) reports in order; all of them when
	// len(ranked) == reports.
	ranked []*group
}

func (rs *resultSet) complete() bool { return len(rs.ranked) == rs.reports }

// page returns the reports after the cursor (from the start without
// one), and how many reports precede them. ok is false when the set's
// window does not reach that far; err is a cursor this set can tell is
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
				first = i + 1
				break
			}
		}
		if first < 0 {
			if !rs.complete() {
				return nil, 0, false, nil
			}
			// The last report shown is gone (deleted): by date the
			// position is a value; by relevance, as many reports as were
			// shown.
			if mode == cursorDate {
				last := &group{key: c.Key}
				if c.Date != 0 {
					last.published = time.Unix(0, c.Date)
				}
				first = sort.Search(len(rs.ranked), func(i int) bool { return less(mode, last, rs.ranked[i]) })
			} else {
				if c.N > rs.reports {
					// Not a cursor this search handed out: a forged or
					// stale position past the end is the client's error,
					// not an empty page.
					return nil, 0, false, errors.New("cursor points past the end of the results")
				}
				first = c.N
			}
		}
	}
	last := min(first+size, rs.reports)
	if last > len(rs.ranked) {
		return nil, 0, false, nil
	}
	return rs.ranked[first:last], first, true, nil
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
func cacheKey(q model.Query, queryLang string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	q.Size, q.Cursor = 0, ""
	// model.Query is plain data; encoding cannot fail.
	_ = enc.Encode(struct {
		Q    model.Query
		Lang string
	}{q, queryLang})
	return b.String()
}
