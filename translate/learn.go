package translate

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"

	"baoscope/align"
)

// Source is the language of the originals every translation is aligned
// with, and the pivot between two other languages.
const Source = "vi"

// Analyzer turns a text in lang into the index's terms for that language.
type Analyzer func(lang, text string) []string

// Report is a report's versions, as learning reads them.
type Report struct {
	ID       string
	Versions []Version
}

// Version is one language version of a report, as learning reads it.
type Version struct {
	Lang  string
	Title string
	// Segments are align.Segments of the version's lead and body: what
	// align pairs, and what the report page shows side by side.
	Segments []string
}

// Options tune learning; the zero value means the defaults.
type Options struct {
	Iterations int     // EM rounds per pass; default 5
	Mass       float64 // pruning: cumulative probability kept per word; default 0.9
	TopK       int     // pruning: at most this many translations per word; default 10
	Floor      float64 // pruning: no translation below this probability; default 0.01
	// MaxDocs bounds the translations per language that EM learns from,
	// spread evenly over the corpus in report order; default
	// DefaultMaxDocs, negative for all. Learning's memory and time grow
	// with the co-occurring word pairs of the segments, about linearly in
	// the translations (docs/performance.md has the figures); every
	// translation is still aligned with its original for the report page.
	MaxDocs int
	// MaxShare leaves out translations into terms that more than this
	// share of their language's documents contain (see commonTerms);
	// default DefaultMaxShare, 1 or more keeps them all.
	MaxShare float64
	// Smoothing is the pseudo-count every word's translations start
	// from, spread evenly over the vocabulary translated into (see
	// model1); default DefaultSmoothing, negative for none.
	Smoothing float64
}

// DefaultSmoothing is Options.Smoothing's default: one pseudo-count per
// word. docs/retrieval.md has the figures of 0, 1, 2, 5 and 10: more
// lowers the no-answer queries' complete matches and raises the mate
// test, and loses queries about Vietnamese-only reports, whose words'
// rare translations it dilutes.
const DefaultSmoothing = 1

// DefaultMaxDocs is Options.MaxDocs' default: at 2,000 translations per
// language the bench's learning peaked at about 2.5 GiB.
const DefaultMaxDocs = 2000

func (o *Options) defaults() {
	if o.Iterations <= 0 {
		o.Iterations = 5
	}
	if o.Mass <= 0 {
		o.Mass = 0.9
	}
	if o.TopK <= 0 {
		o.TopK = 10
	}
	if o.Floor <= 0 {
		o.Floor = 0.01
	}
	if o.MaxDocs == 0 {
		o.MaxDocs = DefaultMaxDocs
	}
	if o.MaxShare <= 0 {
		o.MaxShare = DefaultMaxShare
	}
	switch {
	case o.Smoothing == 0:
		o.Smoothing = DefaultSmoothing
	case o.Smoothing < 0:
		o.Smoothing = 0
	}
}

// sampled says which of n translations EM learns from: all when there
// are at most max (or max is negative), else max of them at an even
// stride, so that every period of the corpus teaches.
func sampled(n, max int) func(i int) bool {
	if max < 0 || n <= max {
		return func(int) bool { return true }
	}
	return func(i int) bool { return (i+1)*max/n > i*max/n }
}

// Stats describe a learning run.
type Stats struct {
	Reports  int            `json:"reports"`  // reports with an original and at least one translation
	Pairs    map[string]int `json:"pairs"`    // aligned segment pairs per language, titles included
	Entries  int            `json:"entries"`  // translations kept after pruning, every direction
	Common   map[string]int `json:"common"`   // terms per language too common to be a translation (Options.MaxShare)
	Duration time.Duration  `json:"duration"` // wall time
}

// docPair is one translation beside its original, analysed.
type docPair struct {
	report   string
	src, tgt *analysed
}

// analysed is a version's text and terms.
type analysed struct {
	title    []int32
	segments []string
	terms    [][]int32
}

// corpus is everything learning holds: per language, the vocabularies and
// the translations beside their originals.
type corpus struct {
	vocabs map[string]*vocab
	docs   map[string][]docPair
}

// Learn learns translation tables from reports (the original, Source,
// among each one's versions; reports without one or without a
// translation teach nothing and are skipped), and keeps the final
// alignment of every translation with its original for the report page.
// Every long loop looks at ctx: when it ends (SIGINT), Learn stops within
// moments with ctx's error, wrapped, and no tables.
func Learn(ctx context.Context, reports iter.Seq[Report], analyze Analyzer, opts Options) (*Tables, *Stats, error) {
	opts.defaults()
	start := time.Now()
	c, n, err := gather(ctx, reports, analyze)
	if err != nil {
		return nil, nil, fmt.Errorf("learn translations: %w", err)
	}
	st := &Stats{Reports: n, Pairs: map[string]int{}, Common: map[string]int{}}
	common := c.commonTerms(opts.MaxShare)
	for l, cs := range common {
		st.Common[l] = countTrue(cs)
	}
	tabs := newTables()
	langs := make([]string, 0, len(c.docs))
	for l := range c.docs {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		pairs, err := c.learnLang(ctx, l, common[l], opts, tabs)
		if err != nil {
			return nil, nil, fmt.Errorf("learn translations: %s: %w", l, err)
		}
		st.Pairs[l] = pairs
	}
	st.Entries = tabs.entries()
	st.Duration = time.Since(start)
	return tabs, st, nil
}

// learnLang learns both directions between Source and lang into tabs
// and returns the number of aligned segment pairs. Translations into
// lang's common terms are left out. Vietnamese keeps its own: its terms
// are syllables, and a syllable in half of the reports is as often part
// of the words that matter (đồng of hội đồng and Lâm Đồng, dân of nhân
// dân) as it is a particle; and every pair of other languages pivots
// through them.
func (c *corpus) learnLang(ctx context.Context, lang string, common []bool, opts Options, tabs *Tables) (int, error) {
	fwd, back, pairs, err := c.train(ctx, lang, opts.Iterations, opts, tabs)
	if err != nil {
		return 0, err
	}
	pf, pb, err := pruneBoth(ctx, withoutTargets(fwd, common), back, opts)
	if err != nil {
		return 0, err
	}
	tabs.add(Source, lang, c.vocabs[Source], c.vocabs[lang], pf)
	tabs.add(lang, Source, c.vocabs[lang], c.vocabs[Source], pb)
	return pairs, nil
}

// gather analyses every report and keeps, per language, its translations
// beside their originals.
func gather(ctx context.Context, reports iter.Seq[Report], analyze Analyzer) (*corpus, int, error) {
	c := &corpus{vocabs: map[string]*vocab{Source: newVocab()}, docs: map[string][]docPair{}}
	n := 0
	for r := range reports {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		vs := r.Versions
		i := slices.IndexFunc(vs, func(v Version) bool { return v.Lang == Source })
		if i < 0 || len(vs) < 2 {
			continue
		}
		src := c.analyse(vs[i], analyze)
		for _, v := range vs {
			if v.Lang == Source || v.Lang == "" {
				continue
			}
			c.docs[v.Lang] = append(c.docs[v.Lang], docPair{report: r.ID, src: src, tgt: c.analyse(v, analyze)})
		}
		n++
	}
	return c, n, nil
}

func (c *corpus) analyse(v Version, analyze Analyzer) *analysed {
	voc := c.vocabs[v.Lang]
	if voc == nil {
		voc = newVocab()
		c.vocabs[v.Lang] = voc
	}
	a := &analysed{title: voc.ids32(analyze(v.Lang, v.Title)), segments: v.Segments}
	for _, s := range v.Segments {
		a.terms = append(a.terms, voc.ids32(analyze(v.Lang, s)))
	}
	return a
}

// train learns both directions between Source and lang in two passes:
// paragraphs aligned by length and anchors, then realigned with the
// first pass's tables; the second alignment is recorded in tabs. It
// returns t(lang|vi), t(vi|lang) and the number of segment pairs of the
// second pass.
func (c *corpus) train(ctx context.Context, lang string, iters int, o Options, tabs *Tables) (fwd, back table, pairs int, err error) {
	docs := c.docs[lang]
	use := sampled(len(docs), o.MaxDocs)
	ps, err := alignAll(ctx, docs, nil, nil, use, nil)
	if err != nil {
		return table{}, table{}, 0, err
	}
	if fwd, back, err = bothWays(ctx, ps, iters, o.Smoothing); err != nil {
		return table{}, table{}, 0, err
	}
	pf, pb, err := pruneBoth(ctx, fwd, back, o)
	if err != nil {
		return table{}, table{}, 0, err
	}
	ps, err = alignAll(ctx, docs, lexicon(pf), lexicon(pb), use, func(d docPair, bs []align.Bead) {
		tabs.setAlignment(d.report, lang, len(d.src.segments), len(d.tgt.segments), bs)
	})
	if err != nil {
		return table{}, table{}, 0, err
	}
	fwd, back, err = bothWays(ctx, ps, iters, o.Smoothing)
	return fwd, back, len(ps), err
}

// bothWays estimates t(f|e) and t(e|f) over the aligned pairs ps.
func bothWays(ctx context.Context, ps []pair, iters int, smooth float64) (fwd, back table, err error) {
	co, err := newCooc(ctx, ps)
	if err != nil {
		return table{}, table{}, err
	}
	if fwd, err = co.model1(ctx, iters, false, smooth); err != nil {
		return table{}, table{}, err
	}
	back, err = co.model1(ctx, iters, true, smooth)
	return fwd, back, err
}

// pruneBoth prunes both directions as o says.
func pruneBoth(ctx context.Context, fwd, back table, o Options) (pf, pb map[int32][]entry, err error) {
	if pf, err = prune(ctx, fwd, o.Mass, o.TopK, o.Floor); err != nil {
		return nil, nil, err
	}
	pb, err = prune(ctx, back, o.Mass, o.TopK, o.Floor)
	return pf, pb, err
}

// lexicon is a pruned table: each source word's likely translations.
type lexicon map[int32][]entry

// alignAll pairs the segments of the translations use selects with
// their original's, with lexical scores from fwd and back when given, and
// adds the titles; keep, when not nil, is handed the alignment of every
// translation, selected or not.
func alignAll(ctx context.Context, docs []docPair, fwd, back lexicon, use func(int) bool, keep func(docPair, []align.Bead)) ([]pair, error) {
	var out []pair
	for i, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !use(i) && keep == nil {
			continue
		}
		var lex align.Lexical
		if fwd != nil {
			lex = newScorer(d.src.terms, d.tgt.terms, fwd, back).score
		}
		bs := align.Align(d.src.segments, d.tgt.segments, lex)
		if keep != nil {
			keep(d, bs)
		}
		if !use(i) {
			continue
		}
		out = append(out, pair{E: capped(d.src.title), F: capped(d.tgt.title)})
		for _, b := range bs {
			if len(b.Left) == 0 || len(b.Right) == 0 {
				continue
			}
			out = append(out, pair{E: join(d.src.terms, b.Left), F: join(d.tgt.terms, b.Right)})
		}
	}
	return out, nil
}

// scorer answers align's lexical question for one translation: how well
// spans of segments translate each other. It precomputes, for every pair
// of single segments, each word's best translation probability given the
// other segment, so that a span's score is a few maxima and a mean.
type scorer struct {
	fwd  [][][]float64 // [i][j]: per distinct word of target segment j, the best p(f|e) over e in source segment i
	back [][][]float64 // [j][i]: the same, the other way
	// fw and bw weigh each distinct word of a target (source) segment by
	// the inverse of the number of segments of its document holding it:
	// the report's subject words (its place, its crop) are in every
	// paragraph and say little about which paragraphs pair.
	fw, bw [][]float64
}

func newScorer(src, tgt [][]int32, fwd, back lexicon) *scorer {
	return &scorer{fwd: bestOf(src, tgt, fwd), back: bestOf(tgt, src, back), fw: rarity(tgt), bw: rarity(src)}
}

func rarity(segs [][]int32) [][]float64 {
	df := map[int32]int{}
	words := make([][]int32, len(segs))
	for j, s := range segs {
		words[j] = unique(s)
		for _, w := range words[j] {
			df[w]++
		}
	}
	out := make([][]float64, len(segs))
	for j, ws := range words {
		out[j] = make([]float64, len(ws))
		for k, w := range ws {
			out[j][k] = 1 / float64(df[w])
		}
	}
	return out
}

func bestOf(from, to [][]int32, lex lexicon) [][][]float64 {
	words := make([][]int32, len(to))
	for j, seg := range to {
		words[j] = unique(seg)
	}
	out := make([][][]float64, len(from))
	for i, seg := range from {
		best := map[int32]float64{}
		for _, e := range unique(seg) {
			for _, x := range lex[e] {
				best[x.f] = max(best[x.f], x.p)
			}
		}
		out[i] = make([][]float64, len(to))
		for j, ws := range words {
			row := make([]float64, len(ws))
			for k, f := range ws {
				row[k] = best[f]
			}
			out[i][j] = row
		}
	}
	return out
}

// score is the evidence, summed over the words of both sides, that the
// spans translate each other: each word's best translation probability
// given the other side, less what chance gives. Long paragraphs that
// translate each other thus outweigh the shape priors that favour
// one-to-one pairings. A span with no counterpart (li or ri empty) pays
// chance for each of its words, so every word of both documents pays it
// once whatever the alignment, and only what the pairings explain
// decides.
func (s *scorer) score(li, ri []int) float64 {
	return coverage(s.fwd, s.fw, li, ri) + coverage(s.back, s.bw, ri, li)
}

func coverage(best [][][]float64, weight [][]float64, from, to []int) float64 {
	sum := 0.0
	for _, j := range to {
		for k := range weight[j] {
			m := 0.0
			for _, i := range from {
				m = max(m, best[i][j][k])
			}
			sum += weight[j][k] * (m - lexBase)
		}
	}
	return lexWeight * sum
}

// lexWeight puts word evidence on the scale of the shape priors.
const lexWeight = 8.0

// lexBase is the translation probability a word finds by chance in an
// unrelated paragraph of the same report; words explained better than
// that are evidence for a pairing, words explained worse against it.
const lexBase = 0.1

func join(terms [][]int32, idx []int) []int32 {
	var out []int32
	for _, i := range idx {
		out = append(out, terms[i]...)
	}
	return capped(out)
}

func capped(ts []int32) []int32 { return ts[:min(len(ts), maxSegment)] }
