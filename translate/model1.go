package translate

import (
	"context"
	"slices"
)

// null is the id of the empty word every source segment implicitly
// holds: target words that translate nothing (articles, particles,
// measure words) are explained by it instead of by a real word. Its
// probabilities are kept apart from the co-occurrences (model1's tNull);
// the id is reserved so that no term takes it.
const null = 0

// vocab interns the terms of one language; id null is the null word.
type vocab struct {
	ids   map[string]int32
	terms []string
}

func newVocab() *vocab { return &vocab{ids: map[string]int32{}, terms: []string{null: ""}} }

func (v *vocab) id(term string) int32 {
	if id, ok := v.ids[term]; ok {
		return id
	}
	id := int32(len(v.terms))
	v.ids[term] = id
	v.terms = append(v.terms, term)
	return id
}

func (v *vocab) ids32(terms []string) []int32 {
	out := make([]int32, len(terms))
	for i, t := range terms {
		out[i] = v.id(t)
	}
	return out
}

// pair is one aligned pair of segments, as term ids: E the conditioning
// side, F the side generated from it.
type pair struct{ E, F []int32 }

// maxSegment caps the terms a segment contributes: a merged page of
// hundreds of words would cost quadratic time for little evidence.
const maxSegment = 400

// table holds t(f|e) for every co-occurring (e, f), keyed e<<32|f.
type table struct {
	keys []uint64
	p    []float64
}

func key(e, f int32) uint64 { return uint64(uint32(e))<<32 | uint64(uint32(f)) }

// cooc is the co-occurrence structure of a set of pairs, shared by both
// directions of EM: every co-occurring (e, f) gets a slot once, and each
// pair is a matrix of slots, one row per distinct target word and one
// column per distinct source word. EM rounds are then array arithmetic.
type cooc struct {
	keys  []uint64 // slot → e<<32|f
	slots []int32  // per pair, nf×ne slots, row-major
	fs    []int32  // per pair, its distinct f ids
	es    []int32  // per pair, its distinct e ids
	pairs []coocPair
	maxE  int32 // largest e id + 1
	maxF  int32
}

type coocPair struct {
	slot, f, e int32 // offsets into slots, fs, es
	nf, ne     int32
}

func newCooc(ctx context.Context, pairs []pair) (*cooc, error) {
	c := &cooc{}
	index := map[uint64]int32{}
	for _, p := range pairs {
		// A pair is up to maxSegment² map updates: look at ctx for each.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		es, fs := unique(p.E), unique(p.F)
		if len(es) == 0 || len(fs) == 0 {
			continue
		}
		c.pairs = append(c.pairs, coocPair{int32(len(c.slots)), int32(len(c.fs)), int32(len(c.es)), int32(len(fs)), int32(len(es))})
		c.fs = append(c.fs, fs...)
		c.es = append(c.es, es...)
		for _, f := range fs {
			c.maxF = max(c.maxF, f+1)
			for _, e := range es {
				k := key(e, f)
				s, ok := index[k]
				if !ok {
					s = int32(len(c.keys))
					index[k] = s
					c.keys = append(c.keys, k)
				}
				c.slots = append(c.slots, s)
			}
		}
		for _, e := range es {
			c.maxE = max(c.maxE, e+1)
		}
	}
	return c, nil
}

// checkEvery is how many light items (a table's entries) a tight loop
// handles between two looks at its context: often enough to stop within
// milliseconds of a cancellation (SIGINT), rarely enough to cost nothing.
// Loops over heavy items (segment pairs, documents) look at every one.
const checkEvery = 1 << 12

// stopped is ctx's error at every checkEvery-th item i, from the first.
func stopped(ctx context.Context, i int) error {
	if i%checkEvery != 0 {
		return nil
	}
	return ctx.Err()
}

// model1 estimates t(f|e) by iters rounds of EM over the co-occurrences
// (reverse: t(e|f), the other direction, on the same slots). Starting
// from uniform probabilities, the first round's counts are co-occurrence
// counts; later rounds let each word's probability mass flow to the
// words that explain it best; the null word explains what nothing
// translates. Words count once per segment. Pairs are visited in order
// and sums kept in float64, so the result is deterministic. The returned
// table is keyed (conditioning word, generated word) in both directions.
//
// Each round's estimate adds smooth pseudo-counts to every conditioning
// word's, spread evenly over the generated vocabulary (Moore 2004,
// "Improving IBM Word-Alignment Model 1"). Without them a word seen in
// one or two segments takes most of its probability from whatever
// shares them, since nothing else competes for it (Betrug, "fraud",
// learned as "request" at 0.17): the rare word collects the mass the
// frequent words of its segment leave unexplained. The pseudo-counts
// weigh little against a frequent word's thousands of counts and much
// against a rare word's few.
func (c *cooc) model1(ctx context.Context, iters int, reverse bool, smooth float64) (table, error) {
	nCond, nGen := c.maxE, c.maxF
	if reverse {
		nCond, nGen = c.maxF, c.maxE
	}
	t := make([]float64, len(c.keys))
	tNull := make([]float64, nGen)
	for i := range t {
		t[i] = 1
	}
	for i := range tNull {
		tNull[i] = 1
	}
	count := make([]float64, len(t))
	countNull := make([]float64, nGen)
	total := make([]float64, nCond)
	spread := smooth / float64(nGen) // each generated word's share of the pseudo-counts
	for range iters {
		clear(count)
		clear(countNull)
		for _, p := range c.pairs {
			if err := ctx.Err(); err != nil {
				return table{}, err
			}
			c.expect(p, reverse, t, tNull, count, countNull)
		}
		clear(total)
		for i, n := range count {
			total[c.cond(i, reverse)] += n
		}
		nullTotal := 0.0
		for _, n := range countNull {
			nullTotal += n
		}
		for i, n := range count {
			if tot := total[c.cond(i, reverse)]; tot > 0 {
				t[i] = (n + spread) / (tot + smooth)
			}
		}
		for i, n := range countNull {
			if nullTotal > 0 {
				tNull[i] = n / nullTotal
			}
		}
	}
	out := table{keys: make([]uint64, len(c.keys)), p: t}
	for i, k := range c.keys {
		if reverse {
			k = k<<32 | k>>32
		}
		out.keys[i] = k
	}
	return out, nil
}

// cond is the conditioning word of slot i.
func (c *cooc) cond(i int, reverse bool) int32 {
	if reverse {
		return int32(uint32(c.keys[i]))
	}
	return int32(c.keys[i] >> 32)
}

// expect adds one pair's expected counts: each generated word's unit of
// mass shared among the conditioning words (and the null word) in
// proportion to the current probabilities.
func (c *cooc) expect(p coocPair, reverse bool, t, tNull, count, countNull []float64) {
	rows, cols := p.nf, p.ne
	gen := c.fs[p.f : p.f+p.nf]
	if reverse {
		rows, cols = p.ne, p.nf
		gen = c.es[p.e : p.e+p.ne]
	}
	for r := range rows {
		slot := func(k int32) int32 {
			if reverse {
				return c.slots[p.slot+k*p.ne+r]
			}
			return c.slots[p.slot+r*p.ne+k]
		}
		g := gen[r]
		sum := tNull[g]
		for k := range cols {
			sum += t[slot(k)]
		}
		if sum == 0 {
			continue
		}
		countNull[g] += tNull[g] / sum
		for k := range cols {
			s := slot(k)
			count[s] += t[s] / sum
		}
	}
}

// unique returns the distinct ids of ts in first-seen order.
func unique(ts []int32) []int32 {
	out := make([]int32, 0, len(ts))
	seen := make(map[int32]struct{}, len(ts))
	for _, t := range ts {
		if _, ok := seen[t]; !ok {
			seen[t] = struct{}{}
			out = append(out, t)
		}
	}
	return out
}

// entry is one pruned translation.
type entry struct {
	f int32
	p float64
}

// prune keeps, for every conditioning word, its most probable
// translations: in order of probability until their sum reaches mass, at
// most k, none below floor. Ties break on the id, so pruning is
// deterministic. It stops with ctx's error when ctx ends: a table holds
// millions of pairs.
func prune(ctx context.Context, t table, mass float64, k int, floor float64) (map[int32][]entry, error) {
	by := map[int32][]entry{}
	for i, kk := range t.keys {
		if err := stopped(ctx, i); err != nil {
			return nil, err
		}
		if p := t.p[i]; p >= floor {
			e := int32(kk >> 32)
			by[e] = append(by[e], entry{int32(uint32(kk)), p})
		}
	}
	i := 0
	for e, es := range by {
		if err := stopped(ctx, i); err != nil {
			return nil, err
		}
		i++
		slices.SortFunc(es, func(a, b entry) int {
			switch {
			case a.p > b.p:
				return -1
			case a.p < b.p:
				return 1
			}
			return int(a.f - b.f)
		})
		sum, n := 0.0, 0
		for n < len(es) && n < k && sum < mass {
			sum += es[n].p
			n++
		}
		by[e] = slices.Clip(es[:n])
	}
	return by, nil
}
