package sample

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

// ErrBadOptions is wrapped by the errors Generate, New and Start return for
// options they cannot honour.
var ErrBadOptions = errors.New("sample: invalid options")

// GenerateOptions say what Generate synthesises.
type GenerateOptions struct {
	Reports int    // N, at least 1
	Langs   int    // L: the original plus L-1 translations per report; at least 1
	Seed    uint64 // the same seed gives the same corpus
	// From and To bound the publication times; reports are spread evenly
	// between them. Zero values mean 2024-05-01 to 2025-11-01 (ICT).
	From, To time.Time
	// FirstID is the id of the oldest report; ids count up from it.
	// Zero means 1000000, clear of the real site's ids.
	FirstID int
	// Text is the corpus whose vocabulary, sentence lengths, sections,
	// authors and tags the generator imitates. Nil means the embedded one.
	Text *Corpus
}

// Generate synthesises a corpus of opts.Reports reports, each in
// opts.Langs languages: Vietnamese plus translations into languages the
// text corpus has text for. Nothing is synthesised up front beyond the
// language models; a report is computed from its index and the seed each
// time it is asked for, so the mirror can serve millions of pages from a
// few megabytes.
//
// The text is for scale: a generated translation is sampled from its
// language's model independently of its original, so it bears no
// translation relation to it. Never learn translation tables from a
// generated corpus or judge retrieval on one.
func Generate(opts GenerateOptions) (*Corpus, error) {
	if opts.Reports < 1 || opts.Langs < 1 {
		return nil, fmt.Errorf("%w: need at least one report in at least one language, got %d × %d", ErrBadOptions, opts.Reports, opts.Langs)
	}
	if opts.From.IsZero() {
		opts.From = time.Date(2024, 5, 1, 0, 0, 0, 0, model.Vietnam)
	}
	if opts.To.IsZero() {
		opts.To = time.Date(2025, 11, 1, 0, 0, 0, 0, model.Vietnam)
	}
	if !opts.From.Before(opts.To) {
		return nil, fmt.Errorf("%w: From %s is not before To %s", ErrBadOptions, opts.From, opts.To)
	}
	if opts.FirstID == 0 {
		opts.FirstID = 1_000_000
	}
	if opts.FirstID < 100 {
		return nil, fmt.Errorf("%w: FirstID %d has fewer than three digits", ErrBadOptions, opts.FirstID)
	}
	text := opts.Text
	if text == nil {
		var err error
		if text, err = Load(); err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
	}
	if _, loaded := text.reports.(*memStore); !loaded {
		// Training on a generated corpus would synthesise all of it.
		return nil, fmt.Errorf("%w: Text must be a loaded corpus, not a generated one", ErrBadOptions)
	}
	g, err := newGenStore(opts, text)
	if err != nil {
		return nil, err
	}
	return &Corpus{sections: text.Sections(), reports: g}, nil
}

// genStore computes report i from (seed, i). Everything in it is read-only
// once built, so concurrent requests may share it.
type genStore struct {
	n, nLangs, firstID int
	seed               uint64
	from               time.Time
	step               time.Duration // time between consecutive reports
	sections           []Section
	secIndex           map[string]int
	models             map[string]*langModel
	transLangs         []string // languages with text to imitate, sorted
	authors, tags      []string
	code               []string // slug words that encode the report index
	codeIndex          map[string]int
	codeLen            int
	codeSpace          uint64 // len(code)^codeLen
	codeMul, codeInv   uint64 // scrambles indexes within the code space
	codeAdd            uint64
}

func newGenStore(opts GenerateOptions, text *Corpus) (*genStore, error) {
	g := &genStore{
		n: opts.Reports, nLangs: opts.Langs, firstID: opts.FirstID, seed: opts.Seed,
		from:     opts.From,
		step:     opts.To.Sub(opts.From) / time.Duration(opts.Reports),
		sections: text.Sections(),
		secIndex: map[string]int{},
		models:   map[string]*langModel{},
	}
	for i, s := range g.sections {
		g.secIndex[s.Slug] = i
	}
	trainers := map[string]*trainer{}
	train := func(lang string) *trainer {
		if trainers[lang] == nil {
			trainers[lang] = newTrainer(lang)
		}
		return trainers[lang]
	}
	authors, tags := map[string]bool{}, map[string]bool{}
	for r := range text.All() {
		authors[r.Author] = true
		for _, t := range r.Tags {
			tags[t] = true
		}
		for _, v := range r.Versions {
			train(v.Lang).addDoc(v.Title, v.Lead, v.Body)
		}
	}
	for _, p := range text.unlinked {
		train(p.Lang).addDoc(p.Title, "", p.Body)
	}
	for lang, t := range trainers {
		if t.m.usable() && (lang == "vi" || knownLang(lang)) {
			g.models[lang] = t.m
			if lang != "vi" {
				g.transLangs = append(g.transLangs, lang)
			}
		}
	}
	slices.Sort(g.transLangs)
	if g.models["vi"] == nil {
		return nil, fmt.Errorf("%w: the text corpus has no Vietnamese text to imitate", ErrBadOptions)
	}
	if g.nLangs-1 > len(g.transLangs) {
		return nil, fmt.Errorf("%w: %d languages asked for, the text corpus has text in vi and %d others (%s)",
			ErrBadOptions, g.nLangs, len(g.transLangs), strings.Join(g.transLangs, ", "))
	}
	g.authors = sortedKeys(authors)
	g.tags = sortedKeys(tags)

	// Slugs end with words that spell the report index in base len(code),
	// which makes them unique and lets a vietnam.vn path (which has no id)
	// be mapped back to its report without an index of every slug.
	words := map[string]bool{}
	for _, tok := range g.models["vi"].tokens {
		if w := slugify(tok); len(w) >= 2 && len(w) <= 7 && strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") == "" {
			words[w] = true
		}
	}
	g.code = sortedKeys(words)
	if len(g.code) < 2 {
		return nil, fmt.Errorf("%w: the text corpus has too few Vietnamese words for slugs", ErrBadOptions)
	}
	g.codeIndex = make(map[string]int, len(g.code))
	for i, w := range g.code {
		g.codeIndex[w] = i
	}
	g.codeLen, g.codeSpace = 1, uint64(len(g.code))
	for g.codeSpace < uint64(g.n) {
		g.codeLen++
		g.codeSpace *= uint64(len(g.code))
	}
	// An affine bijection of the code space scatters consecutive indexes,
	// so neighbouring reports do not share their last slug words.
	space := new(big.Int).SetUint64(g.codeSpace)
	a := max(uint64(float64(g.codeSpace)*0.6180339887), 1)
	for new(big.Int).GCD(nil, nil, new(big.Int).SetUint64(a), space).Cmp(big.NewInt(1)) != 0 {
		a++
	}
	g.codeMul = a
	g.codeInv = new(big.Int).ModInverse(new(big.Int).SetUint64(a), space).Uint64()
	g.codeAdd = opts.Seed % g.codeSpace
	return g, nil
}

// mulMod is a*b mod m without overflow.
func mulMod(a, b, m uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return bits.Rem64(hi, lo, m)
}

// encodeIndex and decodeIndex map a report index to the number its slug
// spells and back.
func (g *genStore) encodeIndex(i int) uint64 {
	return (mulMod(uint64(i), g.codeMul, g.codeSpace) + g.codeAdd) % g.codeSpace
}

func (g *genStore) decodeIndex(x uint64) uint64 {
	return mulMod((x+g.codeSpace-g.codeAdd)%g.codeSpace, g.codeInv, g.codeSpace)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Random streams: each (report, language, purpose) gets its own, so a
// report's title does not change when its body is or is not generated.
const (
	streamMeta uint64 = iota + 1
	streamLangs
	streamSections
	streamPublished
	streamTitle
	streamLead
	streamBody
)

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func langKey(lang string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(lang))
	return h.Sum64()
}

func (g *genStore) rng(i int, stream, lang uint64) *rand.Rand {
	h := splitmix(g.seed ^ splitmix(uint64(i)) ^ splitmix(stream<<56|lang>>8))
	return rand.New(rand.NewPCG(g.seed, h))
}

func (g *genStore) len() int   { return g.n }
func (g *genStore) pages() int { return g.n * g.nLangs }

// published spreads reports evenly over the range with some jitter inside
// each report's slot, so that index order is publication order.
func (g *genStore) published(i int) time.Time {
	t := g.from.Add(g.step * time.Duration(i))
	if g.step > 0 {
		t = t.Add(time.Duration(g.rng(i, streamPublished, 0).Int64N(int64(g.step))))
	}
	return t.Truncate(time.Second).In(model.Vietnam)
}

// Sections are dealt in blocks of len(sections) consecutive reports, each
// block a seeded permutation: the spread looks random, yet the k-th
// report of a section is found in block k without an index.
func (g *genStore) perm(block int) []int {
	return g.rng(block, streamSections, 0).Perm(len(g.sections))
}

func (g *genStore) sectionOf(i int) int {
	s := len(g.sections)
	return g.perm(i / s)[i%s]
}

func (g *genStore) sectionLen(sec string) int {
	si, ok := g.secIndex[sec]
	if !ok {
		return 0
	}
	s := len(g.sections)
	full, rem := g.n/s, g.n%s
	if rem > 0 && slices.Index(g.perm(full), si) < rem {
		return full + 1
	}
	return full
}

func (g *genStore) sectionAt(sec string, k int) int {
	s := len(g.sections)
	return k*s + slices.Index(g.perm(k), g.secIndex[sec])
}

func (g *genStore) sectionPos(i int) int { return i / len(g.sections) }

func (g *genStore) byID(id string) (int, bool) {
	n, err := strconv.Atoi(id)
	if err != nil || strconv.Itoa(n) != id {
		return 0, false
	}
	i := n - g.firstID
	return i, i >= 0 && i < g.n
}

func (g *genStore) bySlug(slug string) (int, bool) {
	parts := strings.Split(slug, "-")
	if len(parts) <= g.codeLen {
		return 0, false
	}
	var x uint64
	for _, w := range parts[len(parts)-g.codeLen:] {
		d, ok := g.codeIndex[w]
		if !ok {
			return 0, false
		}
		x = x*uint64(len(g.code)) + uint64(d)
	}
	u := g.decodeIndex(x)
	if u >= uint64(g.n) {
		return 0, false
	}
	i := int(u)
	if g.slug(i) != slug {
		return 0, false
	}
	return i, true
}

func (g *genStore) title(i int, lang string) string {
	return g.models[lang].title(g.rng(i, streamTitle, langKey(lang)))
}

// slug is the first words of the Vietnamese title, folded, followed by the
// index spelt in code words.
func (g *genStore) slugFor(i int, viTitle string) string {
	words := strings.Split(slugify(viTitle), "-")
	if words[0] == "" {
		words = []string{"tin"}
	}
	words = words[:min(len(words), 8)]
	digits := make([]string, g.codeLen)
	for k, rest := g.codeLen-1, g.encodeIndex(i); k >= 0; k-- {
		digits[k] = g.code[rest%uint64(len(g.code))]
		rest /= uint64(len(g.code))
	}
	return strings.Join(append(words, digits...), "-")
}

// genMeta is what a report's meta stream decides.
type genMeta struct {
	author string
	tags   []string
	langs  []string // "vi" first, then sorted
	paras  int      // paragraphs per version
	figure int      // index of the paragraph an image precedes, or -1
}

func (g *genStore) meta(i int) genMeta {
	rng := g.rng(i, streamMeta, 0)
	m := genMeta{author: "Phóng viên", figure: -1, langs: g.langsOf(i)}
	if len(g.authors) > 0 {
		m.author = g.authors[rng.IntN(len(g.authors))]
	}
	if len(g.tags) > 0 {
		k := 1 + rng.IntN(min(3, len(g.tags)))
		for len(m.tags) < k {
			if t := g.tags[rng.IntN(len(g.tags))]; !slices.Contains(m.tags, t) {
				m.tags = append(m.tags, t)
			}
		}
	}
	// Translations mirror the original's structure: same number of
	// paragraphs, an image at the same place.
	m.paras = pick(rng, g.models["vi"].docParas, 8)
	if rng.IntN(3) > 0 {
		m.figure = rng.IntN(max(m.paras, 1))
	}
	return m
}

// langsOf picks the report's translation languages from a stream of its
// own: the vietnam.vn sitemaps need them for every report, so they must
// come cheap.
func (g *genStore) langsOf(i int) []string {
	k := g.nLangs - 1
	idx := make([]int, len(g.transLangs))
	for j := range idx {
		idx[j] = j
	}
	rng := g.rng(i, streamLangs, 0)
	for j := range k { // partial Fisher–Yates
		r := j + rng.IntN(len(idx)-j)
		idx[j], idx[r] = idx[r], idx[j]
	}
	idx = idx[:k]
	slices.Sort(idx) // transLangs is sorted, so this sorts the languages
	out := make([]string, 1, g.nLangs)
	out[0] = "vi"
	for _, j := range idx {
		out = append(out, g.transLangs[j])
	}
	return out
}

func (g *genStore) id(i int) string { return strconv.Itoa(g.firstID + i) }

func (g *genStore) brief(i int) brief {
	m := g.meta(i)
	return brief{id: g.id(i), section: g.sections[g.sectionOf(i)].Slug, published: g.published(i), tags: m.tags, langs: m.langs}
}

func (g *genStore) slug(i int) string { return g.slugFor(i, g.title(i, "vi")) }

// at synthesises report i. Bodies are the costly part, so only the
// versions asked for get one.
func (g *genStore) at(i int, bodies string) *Report {
	meta := g.meta(i)
	r := &Report{
		ID:        g.id(i),
		Section:   g.sections[g.sectionOf(i)].Slug,
		Published: g.published(i),
		Author:    meta.author,
		Tags:      meta.tags,
	}
	for _, lang := range meta.langs {
		m := g.models[lang]
		v := Version{Lang: lang, Title: g.title(i, lang), Published: r.Published}
		if bodies == allLangs || bodies == lang || lang == "vi" {
			lead := g.rng(i, streamLead, langKey(lang))
			if lang == "vi" || m.hasLead(lead) {
				v.Lead = m.lead(lead)
			}
		}
		if bodies == allLangs || bodies == lang {
			body := g.rng(i, streamBody, langKey(lang))
			for p := range meta.paras {
				if p == meta.figure {
					v.Body = append(v.Body, Paragraph{Text: m.title(body), Caption: true})
				}
				v.Body = append(v.Body, Paragraph{Text: m.paragraph(body)})
			}
		}
		r.Versions = append(r.Versions, v)
	}
	r.Slug = g.slugFor(i, r.Versions[0].Title)
	for k := range r.Versions[1:] {
		v := &r.Versions[k+1]
		v.Published = translationTime(r.Published, r.ID, v.Lang)
		v.SourceLabel = sites.SourceLabel(v.Lang)
		v.SourceURL = r.URL()
	}
	return r
}
