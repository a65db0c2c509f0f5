package search

import (
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/model"
	"baoscope/query"
)

// The second stage of a best match: the first reports are scored again
// with one more kind of evidence, two consecutive query words found side
// by side in a version, as written or through their translations (the
// ordered window of the sequential dependence model, Metzler & Croft
// 2005). A bag of words cannot tell "размыв морского берега" (erosion of
// the sea shore) from a report that says sea in one paragraph and river
// bank in another; in Vietnamese the two translations stand together,
// "bờ biển", and in the other order, which is why both orders count. A
// Vietnamese query is a run of syllables: "cáp treo" (cable car) is two
// query words, and their adjacency is what makes them the word.
//
// Only re-scoring: the reports found and their coverage mark stay pass
// 1's, and only the first reports are read again, their matched terms'
// positions. This is also where a neural re-ranker would plug in
// (docs/design.md).

// rerankDepth is how many reports the second stage scores again: the
// ten a researcher reads and the hundred the evaluation's MRR looks at.
const rerankDepth = 100

// wordPairs lists the consecutive free words of the query's top level,
// stop words left out (they are not searched, so they do not separate
// the words around them); filters do not separate words either, any
// other clause does.
func (b builder) wordPairs(ast query.Node) [][2]string {
	and, ok := ast.(*query.And)
	if !ok {
		return nil
	}
	var out [][2]string
	prev := ""
	for _, c := range b.withoutStopWords(and.Nodes) {
		switch c := c.(type) {
		case *query.Filter, *query.DateRange:
			continue
		case *query.Term:
			if !c.Phrase && !c.Prefix && c.Field == "" {
				if prev != "" {
					out = append(out, [2]string{prev, c.Text})
				}
				prev = c.Text
				continue
			}
		}
		prev = ""
	}
	return out
}

// adjacency is the second stage's evidence: the pairs of consecutive
// query words, each word as its alternatives in every language
// (alternatives), and the query that finds them, every alternative in
// its language's exact text fields. Whether a version has a pair side
// by side is read from the positions of the terms it matched
// (index.Hit.Adjacent): a phrase query per pair and language walked
// every co-occurrence of the two words in the index, where only the
// first reports' versions matter (it doubled the cost of some queries).
type adjacency struct {
	pairs [][2][]string
	query bq.Query
}

// maxPairs bounds the pairs a query's second stage looks for (a bit
// each in a mask); a query has one fewer than its words.
const maxPairs = 64

// adjacency returns nil when the query has no pair of words with
// alternatives in a common language.
func (b builder) adjacency(ast query.Node) *adjacency {
	a := &adjacency{}
	var qs []bq.Query
	seen := map[string]bool{}
	langs, written := b.adjacencyLangs(), b.writtenLangs()
	for _, p := range b.wordPairs(ast) {
		var pair [2][]string
		for _, l := range langs {
			x, y := b.alternatives(p[0], l, written), b.alternatives(p[1], l, written)
			if len(x) == 0 || len(y) == 0 {
				continue
			}
			pair[0], pair[1] = append(pair[0], x...), append(pair[1], y...)
			for _, f := range index.TextFields(l, index.PartTitle, index.PartLead, index.PartBody) {
				for _, t := range append(x, y...) {
					if k := f.String() + "\x00" + t; !f.Folded() && !seen[k] {
						seen[k] = true
						qs = append(qs, f.Term(t, 1))
					}
				}
			}
		}
		if len(pair[0]) > 0 && len(a.pairs) < maxPairs {
			a.pairs = append(a.pairs, pair)
		}
	}
	if len(a.pairs) == 0 {
		return nil
	}
	a.query = bq.NewDisjunctionQuery(qs)
	return a
}

// found returns the pairs hit has side by side, in either order, as a
// bit set.
func (a *adjacency) found(h index.Hit) uint64 {
	var mask uint64
	for i, p := range a.pairs {
		if h.Adjacent(p[0], p[1]) || h.Adjacent(p[1], p[0]) {
			mask |= 1 << i
		}
	}
	return mask
}

// adjacencyLangs are the field languages a pair can be found in: those
// the words are written in (the query's language, the languages they are
// translated from) and those they are translated into, less those the
// search is restricted away from (builder.only).
func (b builder) adjacencyLangs() []string {
	var out []string
	add := func(l string) {
		f := index.FieldSuffix(l)
		if l == "" || (b.only != nil && !b.only[f]) || slices.Contains(out, f) {
			return
		}
		out = append(out, f)
	}
	for _, l := range b.writtenLangs() {
		add(l)
	}
	if b.psq != nil {
		for _, l := range b.psq.tr.Langs() {
			add(l)
		}
	}
	slices.Sort(out)
	return out
}

// writtenLangs are the languages the query's words are written in.
func (b builder) writtenLangs() []string {
	var out []string
	if b.queryLang != "" && b.queryLang != model.LangUnknown {
		out = append(out, index.FieldSuffix(b.queryLang))
	}
	if b.psq != nil {
		for _, l := range b.psq.from {
			out = append(out, index.FieldSuffix(l))
		}
	}
	return out
}

// alternatives are the index terms word stands for in field language
// lang: itself, when written in lang (one of written, writtenLangs) and
// analysed into one term, and its likeliest translations into lang (of
// those the query searches, psq.expand; see adjacentShare).
func (b builder) alternatives(word, lang string, written []string) []string {
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if b.an != nil && slices.Contains(written, lang) {
		if ts := b.an.Terms(lang, word); len(ts) == 1 {
			add(ts[0])
		}
	}
	if b.psq != nil {
		for _, lt := range b.psq.expand(word) {
			if index.FieldSuffix(lt.Lang) != lang || len(lt.Terms) == 0 {
				continue
			}
			for _, t := range lt.Terms {
				if t.P >= max(lt.Terms[0].P*adjacentShare, likelyFloor) {
					add(t.Term)
				}
			}
		}
	}
	return out
}

// adjacentShare keeps, of a word's translations into a language, those
// at least half as likely as the best one (and likelyFloor those not
// unlikely: a word the tables hardly know has five translations at
// 0.03, народа → h'yến, sợ, đứa, đội, thấy). Adjacency weighs each
// alternative alike, so the tail a word's disjunction discounts by its
// probability (phone → bán, vào, trên at 0.02–0.05, beside thoại 0.4
// and điện 0.3) would count as much as the best translation, and two
// common syllables side by side ("giá bán", "điện vào") would pass for
// two query words together.
const adjacentShare = 0.5

// adjacencyWeight is what a report gains when some version of it has
// every pair of the query's consecutive words side by side: its score
// times 1 + adjacencyWeight, in proportion for some of the pairs.
// Multiplying keeps the second stage on pass 1's scale, which Bleve's
// scores of two differently nested queries would not (a phrase clause
// nested less deeply than a word's translations outscored them a
// hundredfold); half again is evidence that reorders reports of close
// scores without lifting one that matched a word through a poor
// translation over one matching it well.
const adjacencyWeight = 0.5

// rerank is the second stage: of the first rerankDepth groups in pass
// 1's order, those with a version where consecutive query words stand
// side by side gain score (adjacencyWeight). Scores only rise, and the
// others' are below the least of them, so the first stay first.
func (s *Searcher) rerank(ctx context.Context, q model.Query, after *cursor, asOf time.Time, adj *adjacency, gs []*group) error {
	if adj == nil || len(gs) == 0 {
		return nil
	}
	first := top(gs, cursorRelevance, rerankDepth)
	keys := make([]string, len(first))
	for i, g := range first {
		keys[i] = g.key
	}
	must := []bq.Query{withFilters(adj.query, q), index.InGroups(keys)}
	if after != nil {
		must = append(must, index.IndexedBefore(asOf))
	}
	// No aggregation slot (acquire): the visit reads the versions of at
	// most rerankDepth reports and holds a bit set for each.
	var mu sync.Mutex
	found := make(map[string]uint64, len(first))
	err := s.ix.VisitPositions(ctx, bq.NewConjunctionQuery(must), func(shard *index.Shard) func(index.Hit) error {
		return func(h index.Hit) error {
			mask := adj.found(h)
			if mask == 0 {
				return nil
			}
			key, err := shard.Group(h)
			mu.Lock()
			found[key] |= mask
			mu.Unlock()
			return err
		}
	})
	if err != nil {
		return fmt.Errorf("second stage: %w", err)
	}
	for _, g := range first {
		share := float64(bits.OnesCount64(found[g.key])) / float64(len(adj.pairs))
		g.score *= 1 + adjacencyWeight*share
	}
	return nil
}
