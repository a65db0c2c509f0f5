package langid

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pemistahl/lingua-go"
	"golang.org/x/text/unicode/norm"

	"baoscope/model"
)

// Methods say what decided a Detection.
const (
	// MethodScript: the letters' Unicode script names one configured
	// language (Hangul, Thai, Lao, Khmer, kana, Han, or Cyrillic when only
	// Russian is configured).
	MethodScript = "script"
	// MethodLingua: lingua-go's n-gram models chose among the configured
	// languages written in the dominant script.
	MethodLingua = "lingua"
	// MethodRule: a rule of this package decided — the Vietnamese syllable
	// rule, or, for queries, that only names and numbers were given.
	MethodRule = "rule"
	// MethodNone: the text has no letters.
	MethodNone = "none"
)

// DefaultQueryThreshold is the confidence a query's language needs when
// Options.QueryThreshold is 0, and DefaultLowAccuracyQueryThreshold the
// same in low-accuracy mode, whose guesses on short strings are worse.
// Both were chosen with TestQueryThresholdSweep over the short strings of
// testdata/labelled.tsv and testdata/queries.tsv as the lowest threshold
// with (almost) no wrong language: a wrong boost costs search more than
// none (see docs/langid.md).
const (
	DefaultQueryThreshold            = 0.5
	DefaultLowAccuracyQueryThreshold = 0.8
)

// Limits of what a Detection reports and reads.
const (
	maxCandidates = 5
	// minCandidate drops runner-ups too unlikely to be worth showing.
	minCandidate = 0.005
	// minChunkBytes and maxChunks bound what lingua-go reads of a long
	// text: it is cut into equal chunks of 200 to 400 bytes, and at most
	// three of them, spread over the text, are scored and averaged (see
	// linguaDist). lingua-go's cost per byte quadruples between 400 and 500
	// bytes of one input (its summed log-probabilities underflow float64
	// and it switches to arbitrary-precision decimals); below, its cost is
	// about proportional to what it reads (~2 µs a byte for the nine
	// Latin-script languages), so small chunks cost least. Its answer on a
	// whole article is a saturated 1.0 even for Indonesian against Malay:
	// paragraph-sized chunks, averaged, give a confidence that means
	// something, and three of them, spread over the text, decide as well as
	// the whole of it. 200 bytes keep a chunk above the 120 characters below
	// which lingua-go in high-accuracy mode also loads and uses its unigram
	// to fivegram models. Script counts still see every letter.
	minChunkBytes = 200
	maxChunks     = 3
	// minMinorityLetters: a script that is not the dominant one is only
	// analysed when it has this many letters. Less is names and labels,
	// not a language, and would make lingua-go load its short-text models
	// in a crawler that otherwise only needs trigrams.
	minMinorityLetters = 120
)

// Sentinel errors.
var (
	// ErrUnknownLanguage is returned by New for a language code that is
	// neither a lingua-go language nor one recognised by script.
	ErrUnknownLanguage = errors.New("langid: unknown language")
	// ErrNoLanguages is returned by New when Options.Languages is empty
	// but not nil.
	ErrNoLanguages = errors.New("langid: no languages")
	// ErrBadThreshold is returned by New for a QueryThreshold outside [0, 1].
	ErrBadThreshold = errors.New("langid: query threshold outside [0, 1]")
)

// Options configure a Detector.
type Options struct {
	// Languages are the ISO 639-1 codes the detector may answer with
	// (other spellings are normalised, see Normalize). nil means
	// DefaultLanguages().
	Languages []string
	// LowAccuracy uses lingua-go's trigram models only. Documents are
	// detected as well as in high-accuracy mode (lingua-go uses trigrams
	// only from 120 characters on anyway); short texts and queries are
	// worse. Saves most of the memory; see docs/langid.md.
	LowAccuracy bool
	// Preload loads every model when the detector is built (a few seconds
	// at server start) instead of on first use (a few seconds on the first
	// request that needs them).
	Preload bool
	// QueryThreshold is the confidence DetectQuery needs to name a
	// language; 0 means DefaultQueryThreshold, or
	// DefaultLowAccuracyQueryThreshold with LowAccuracy.
	QueryThreshold float64
	// Logger, if set, is told how long building and preloading took.
	Logger *slog.Logger
}

// Candidate is one language a text may be in.
type Candidate struct {
	Lang       string  `json:"lang"`
	Confidence float64 `json:"confidence"`
}

// Detection is the outcome of detecting the language of one text.
//
// Confidence combines two shares: how much of the text (by letters,
// weighted so that one Hangul or Han character counts as a few Latin ones)
// is in the script the language is written in, times how sure the method is
// within that script (lingua-go's probability, 1 for a script that one
// language writes, the share of Vietnamese evidence for the rule). In a
// Korean or Arabic text, romanised names are set aside first (they are in
// every translation); what Latin remains, say "Vietnam Fatherland Front",
// lowers the confidence a little and may show up as a runner-up.
type Detection struct {
	Lang       string      `json:"lang"`       // ISO 639-1, or model.LangUnknown
	Confidence float64     `json:"confidence"` // 0..1; for unknown, the best guess's confidence or 0
	Candidates []Candidate `json:"candidates"` // runner-ups, best first, excluding Lang; never nil
	Method     string      `json:"method"`     // MethodScript, MethodLingua, MethodRule or MethodNone
}

// Detector detects languages. Build one with New at start-up and share it:
// it is immutable and safe for concurrent use (lingua-go's detectors are
// read-only values over models kept in sync.Maps).
type Detector struct {
	langs          []string
	lowAccuracy    bool
	queryThreshold float64
	vietnamese     bool // vi is configured: apply the Vietnamese rule
	groups         [numScripts]scriptGroup
}

// scriptGroup is what the detector knows about one script.
type scriptGroup struct {
	langs  []string                // configured languages written in it, in configuration order
	model  lingua.LanguageDetector // set when two or more of them are lingua-go languages
	codeOf map[lingua.Language]string
}

// New builds a detector for opts.Languages. It fails with ErrUnknownLanguage,
// naming the code, for a language it cannot detect.
func New(opts Options) (*Detector, error) {
	start := time.Now()
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	threshold := opts.QueryThreshold
	if threshold < 0 || threshold > 1 || math.IsNaN(threshold) {
		return nil, fmt.Errorf("%w: %v", ErrBadThreshold, threshold)
	}
	if threshold == 0 {
		threshold = DefaultQueryThreshold
		if opts.LowAccuracy {
			threshold = DefaultLowAccuracyQueryThreshold
		}
	}
	requested := opts.Languages
	if requested == nil {
		requested = DefaultLanguages()
	}
	if len(requested) == 0 {
		return nil, ErrNoLanguages
	}
	d := &Detector{lowAccuracy: opts.LowAccuracy, queryThreshold: threshold}
	for _, raw := range requested {
		code := Normalize(raw)
		s, ok := languageScripts[code]
		if !ok {
			return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownLanguage, raw, strings.Join(AllLanguages(), " "))
		}
		if slices.Contains(d.langs, code) {
			continue
		}
		d.langs = append(d.langs, code)
		d.groups[s].langs = append(d.groups[s].langs, code)
		if code == "vi" {
			d.vietnamese = true
		}
	}
	// Han without kana is Chinese; when only Japanese is configured it is
	// the best reading of it.
	if len(d.groups[scriptHan].langs) == 0 && len(d.groups[scriptKana].langs) > 0 {
		d.groups[scriptHan].langs = d.groups[scriptKana].langs
	}
	// Build the rune class table now rather than in the first request.
	runeClasses()
	models := 0
	for s := range d.groups {
		g := &d.groups[s]
		var ls []lingua.Language
		for _, code := range g.langs {
			if l, ok := linguaLanguage(code); ok {
				ls = append(ls, l)
			}
		}
		if len(ls) < 2 || script(s) == scriptHan || script(s) == scriptKana {
			continue // decided by script alone
		}
		b := lingua.NewLanguageDetectorBuilder().FromLanguages(ls...)
		if opts.LowAccuracy {
			b = b.WithLowAccuracyMode()
		}
		if opts.Preload {
			b = b.WithPreloadedLanguageModels()
		}
		g.model = b.Build()
		g.codeOf = make(map[lingua.Language]string, len(ls))
		for _, l := range ls {
			g.codeOf[l] = linguaCode(l)
		}
		models += len(ls)
	}
	logger.Info("language detector built",
		"languages", len(d.langs), "lingua_languages", models,
		"low_accuracy", opts.LowAccuracy, "preload", opts.Preload,
		"took", time.Since(start).Round(time.Millisecond))
	return d, nil
}

// Languages returns the configured languages, normalised, in the order
// given. The result is a fresh slice.
func (d *Detector) Languages() []string { return slices.Clone(d.langs) }

// LowAccuracy reports whether the detector uses lingua-go's low-accuracy
// mode.
func (d *Detector) LowAccuracy() bool { return d.lowAccuracy }

// QueryThreshold is the confidence DetectQuery needs to name a language.
func (d *Detector) QueryThreshold() float64 { return d.queryThreshold }

// Detect detects the language of a text such as a document's title and
// body. It answers model.LangUnknown only for text without letters of a
// configured language. Pass extracted text, not page chrome: navigation
// in another language dilutes the confidence (though, being short, it
// seldom changes the answer).
func (d *Detector) Detect(text string) Detection {
	return d.detect(blankURLs(toNFC(text)), true)
}

// toNFC is norm.NFC.String without its cost for text already in NFC.
func toNFC(text string) string {
	if isNFC(text) {
		return text
	}
	return norm.NFC.String(text)
}

// DetectDocument detects the language of doc from its title, lead and body
// only, and records it in doc.Lang and doc.LangConfidence. doc.LangMismatch
// is set when the declared language (doc.DeclaredLang, normalised) and the
// detected one are both known and differ; an empty declaration or an
// unknown detection is never a mismatch.
func (d *Detector) DetectDocument(doc *model.Document) {
	if doc == nil {
		return
	}
	// The candidates are not stored, so scripts that cannot change the
	// language or its confidence are not analysed (see detect).
	det := d.detect(blankURLs(toNFC(doc.Text())), false)
	doc.Lang = det.Lang
	doc.LangConfidence = det.Confidence
	doc.LangMismatch = Mismatch(doc.DeclaredLang, det.Lang)
}

// Mismatch reports whether a declared language tag and a detected code
// disagree: both known and different after Normalize ("zh-CN" agrees with
// "zh").
func Mismatch(declared, detected string) bool {
	decl := Normalize(declared)
	return decl != "" && detected != "" && detected != model.LangUnknown && decl != Normalize(detected)
}

// detect is Detect on NFC text. Without candidates, it leaves out the
// minority scripts that cannot change the answer: Detection.Lang and
// Confidence are the same, Candidates only has what was analysed.
func (d *Detector) detect(text string, candidates bool) Detection {
	p := newProfile(text)
	if p.letters[scriptLatin] > 0 && p.weight[scriptLatin] < p.total {
		// Latin words in a Korean, Arabic or Russian text are mostly
		// romanised Vietnamese names ("Tran Van Nam", "Cu Jut"), which every
		// translation carries and which say nothing of its language; in a
		// short sentence they could outweigh the rest. Set them aside as for
		// queries. Latin-only text keeps them: there they are surrounded by
		// the words that do tell.
		if names, n := markNames(p.words[scriptLatin]); n > 0 {
			if q := p.withoutLatin(names); q.total > 0 {
				p = q
			}
		}
	}
	if p.total == 0 {
		return Detection{Lang: model.LangUnknown, Candidates: []Candidate{}, Method: MethodNone}
	}
	order := make([]script, 0, 4)
	for s := script(0); s < numScripts; s++ {
		if p.letters[s] > 0 {
			order = append(order, s)
		}
	}
	slices.SortStableFunc(order, func(a, b script) int { return cmp.Compare(p.weight[b], p.weight[a]) })
	// Minority scripts with too few letters are not analysed (see
	// minMinorityLetters).
	analysed := make([]script, 1, len(order))
	analysed[0] = order[0]
	for _, s := range order[1:] {
		if p.letters[s] >= minMinorityLetters {
			analysed = append(analysed, s)
		}
	}

	scores := make(map[string]float64, 8)
	methods := make(map[string]string, 8)
	dominantMethod := MethodScript
	for i, s := range analysed {
		if i > 0 && !candidates && d.settled(scores, analysed[i:], p) {
			break
		}
		share := p.weight[s] / p.total
		// lingua-go may stop early on a long text once its answer is
		// settled, which only holds when no other script competes.
		dist, method := d.judge(s, p.words[s], len(analysed) == 1)
		if i == 0 {
			dominantMethod = method
		}
		for _, c := range dist {
			scores[c.Lang] += share * c.Confidence
			if _, ok := methods[c.Lang]; !ok {
				methods[c.Lang] = method
			}
		}
	}
	ranked := make([]Candidate, 0, len(scores))
	for lang, conf := range scores {
		ranked = append(ranked, Candidate{Lang: lang, Confidence: conf})
	}
	sortCandidates(ranked)
	if len(ranked) == 0 || ranked[0].Confidence <= 0 {
		// Letters, but of no configured language (Lao when lo is not
		// configured), or none that lingua-go could score.
		return Detection{Lang: model.LangUnknown, Candidates: []Candidate{}, Method: dominantMethod}
	}
	best := ranked[0]
	return Detection{
		Lang:       best.Lang,
		Confidence: round(best.Confidence),
		Candidates: runnerUps(ranked[1:]),
		Method:     methods[best.Lang],
	}
}

// settled reports whether the scripts still to analyse (rest) can change
// neither the leading language of scores nor its score: none of them is
// written in it, and together they weigh less than its lead. A Korean page
// quoting a few English sentences is then Korean without asking lingua-go
// about the English.
func (d *Detector) settled(scores map[string]float64, rest []script, p *profile) bool {
	leader, lead, second := leading(scores)
	if leader == "" {
		return false
	}
	remaining := 0.0
	for _, s := range rest {
		if slices.Contains(d.groups[s].langs, leader) || s == scriptLatin && d.vietnamese && leader == "vi" {
			return false
		}
		remaining += p.weight[s] / p.total
	}
	// The margin absorbs rounding: a script adds at most its share.
	return lead-second > remaining*(1+1e-9)
}

// leading returns the language with the highest score, its score and the
// second highest; "" when no score is positive. A tie leaves lead ==
// second.
func leading(scores map[string]float64) (leader string, lead, second float64) {
	for lang, s := range scores {
		switch {
		case s > lead:
			second = lead
			leader, lead = lang, s
		case s > second:
			second = s
		}
	}
	return leader, lead, second
}

// judge returns the languages the words of one script are in, with
// probabilities within that script, and the method that decided. alone
// says that no other script is analysed, so that only the first language
// and its probability matter (see linguaDist).
func (d *Detector) judge(s script, words []string, alone bool) ([]Candidate, string) {
	g := &d.groups[s]
	if s == scriptLatin && d.vietnamese {
		if conf, ok := vietnameseRule(words); ok {
			return []Candidate{{Lang: "vi", Confidence: conf}}, MethodRule
		}
	}
	switch {
	case len(g.langs) == 0:
		return nil, MethodScript
	case g.model == nil:
		// One language writes this script (of those configured), or the
		// script is Han/kana, settled in newProfile.
		return []Candidate{{Lang: g.langs[0], Confidence: 1}}, MethodScript
	}
	out := g.linguaDist(words, alone)
	if s == scriptLatin && splitLookalikes(out, words) {
		return out, MethodRule
	}
	return out, MethodLingua
}

// blankURLs replaces web addresses with spaces: a source line's
// "https://baolamdong.vn/krong-no-kien-toan-…" is a Vietnamese slug inside
// a page of any language.
func blankURLs(text string) string {
	if !strings.Contains(text, "://") && !strings.Contains(text, "www.") {
		return text
	}
	b := []byte(text)
	for _, marker := range []string{"https://", "http://", "www."} {
		for from := 0; ; {
			i := bytes.Index(b[from:], []byte(marker))
			if i < 0 {
				break
			}
			i += from
			j := i
			for j < len(b) && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != ')' && b[j] != '"' {
				b[j] = ' '
				j++
			}
			from = j
		}
	}
	return string(b)
}

// linguaDist asks lingua-go about words, a chunk at a time, and averages
// the answers weighted by chunk length.
//
// The chunks are scored first, last, middle, so that the first two come
// from different parts of the text. With early set, scoring stops as soon
// as the chunks left cannot change the first language: its lead over the
// second exceeds their weight. On a text in one language that is after two
// chunks of three, a third less of lingua-go's time, and the average of
// the two is the confidence. Not when the leader is one of a look-alike
// pair (Indonesian and Malay, Spanish and Portuguese): splitLookalikes
// shares out the pair's probability, which every chunk changes.
func (g *scriptGroup) linguaDist(words []string, early bool) []Candidate {
	chunks := linguaChunks(words)
	left := 0.0
	for _, c := range chunks {
		left += float64(len(c))
	}
	sum := make(map[string]float64, len(g.codeOf))
	weight := 0.0
	for k, i := range scoringOrder(len(chunks)) {
		chunk := chunks[i]
		w := float64(len(chunk))
		weight += w
		left -= w
		for _, v := range g.model.ComputeLanguageConfidenceValues(chunk) {
			if v.Value() <= 0 {
				break
			}
			sum[g.codeOf[v.Language()]] += w * v.Value()
		}
		if early && k < len(chunks)-1 && decided(sum, left) {
			break
		}
	}
	out := make([]Candidate, 0, len(sum))
	for lang, s := range sum {
		out = append(out, Candidate{Lang: lang, Confidence: s / weight})
	}
	sortCandidates(out)
	return out
}

// decided reports whether the weighted sums of chunk probabilities have a
// leader that left more bytes of chunks could not overtake (each adds at
// most its length to any language) and that is not one of a look-alike
// pair.
func decided(sum map[string]float64, left float64) bool {
	leader, lead, second := leading(sum)
	if leader == "" || isLookalike(leader) {
		return false
	}
	return lead-second > left*(1+1e-9)
}

// scoringOrder is the order in which linguaDist scores n chunks: first,
// last, then those in between.
func scoringOrder(n int) []int {
	order := make([]int, 0, n)
	if n > 0 {
		order = append(order, 0)
	}
	if n > 1 {
		order = append(order, n-1)
	}
	for i := 1; i < n-1; i++ {
		order = append(order, i)
	}
	return order
}

// linguaChunks cuts words into the chunks linguaDist may score: equal
// chunks of at least minChunkBytes (a shorter text is one chunk), at most
// maxChunks of them, spread over the text.
func linguaChunks(words []string) []string {
	total := -1
	for _, w := range words {
		total += len(w) + 1
	}
	if total <= 0 {
		return nil
	}
	n := max(1, total/minChunkBytes)
	return chunkWords(words, (total+n-1)/n, maxChunks)
}

// chunkWords joins words with spaces into chunks of at most about limit
// bytes, all of about the same size, and keeps at most max of them, evenly
// spread over the text. Equal chunks rather than full ones and a remainder:
// a chunk under 120 characters would make lingua-go in high-accuracy mode
// load and use its unigram to fivegram models too.
func chunkWords(words []string, limit, max int) []string {
	total := -1
	for _, w := range words {
		total += len(w) + 1
	}
	if total <= 0 {
		return nil
	}
	n := (total + limit - 1) / limit
	target := (total + n - 1) / n
	chunks := make([]string, 0, n)
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 && b.Len()+1+len(w) > target && len(chunks) < n-1 {
			chunks = append(chunks, b.String())
			b.Reset()
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	chunks = append(chunks, b.String())
	if len(chunks) <= max {
		return chunks
	}
	picked := make([]string, max)
	for i := range picked {
		picked[i] = chunks[i*len(chunks)/max]
	}
	return picked
}

// sortCandidates orders by confidence, then code for a stable output.
func sortCandidates(cs []Candidate) {
	slices.SortFunc(cs, func(a, b Candidate) int {
		if c := cmp.Compare(b.Confidence, a.Confidence); c != 0 {
			return c
		}
		return cmp.Compare(a.Lang, b.Lang)
	})
}

// runnerUps keeps the candidates worth showing.
func runnerUps(ranked []Candidate) []Candidate {
	out := make([]Candidate, 0, min(len(ranked), maxCandidates))
	for _, c := range ranked {
		if len(out) == maxCandidates || c.Confidence < minCandidate {
			break
		}
		out = append(out, Candidate{Lang: c.Lang, Confidence: round(c.Confidence)})
	}
	return out
}

// round keeps four decimals: more is noise to a reader and to JSON.
func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }
