package sample

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// langModel is a Markov sampler for one language, trained on the corpus
// text of that language. Words are the unit for languages written with
// spaces (for Thai, Lao and Khmer the space-separated phrases); Chinese and
// Japanese are modelled character by character with two characters of
// context, which keeps the character n-grams a language detector looks at
// close to the real text.
type langModel struct {
	lang   string
	sep    string // joins units: " " for words, "" for characters
	end    string // closes a sentence that stopped without punctuation
	tokens []string
	ends   []bool               // whether each unit closes a sentence
	next   [][]int32            // successors of each unit, repeated by frequency
	next2  map[[2]int32][]int32 // successors of a pair of units (character models)
	starts []int32              // sentence-initial units

	sentLens  []int // empirical sentence lengths, in units
	titleLens []int // empirical title lengths, in units
	paraSents []int // empirical sentences per paragraph
	docParas  []int // empirical paragraphs per document
	leads     int   // documents with a lead, out of docs
	docs      int
}

// trainer builds a langModel; the intern map is only needed while training.
type trainer struct {
	m      *langModel
	intern map[string]int32
}

func newTrainer(lang string) *trainer {
	li := languageInfo(lang)
	m := &langModel{lang: lang, sep: " ", end: li.sentenceEnd}
	if li.charUnits {
		m.sep = ""
		m.next2 = map[[2]int32][]int32{}
	}
	return &trainer{m: m, intern: map[string]int32{}}
}

func (t *trainer) id(tok string) int32 {
	if id, ok := t.intern[tok]; ok {
		return id
	}
	id := int32(len(t.m.tokens))
	t.intern[tok] = id
	t.m.tokens = append(t.m.tokens, tok)
	t.m.ends = append(t.m.ends, endsSentence(tok))
	t.m.next = append(t.m.next, nil)
	return id
}

// units splits text into the model's units.
func (t *trainer) units(text string) []string {
	if t.m.sep == " " {
		return strings.Fields(text)
	}
	out := make([]string, 0, len(text)/3)
	for _, r := range text {
		out = append(out, string(r))
	}
	return out
}

// endsSentence reports whether a unit closes a sentence.
func endsSentence(tok string) bool {
	r, _ := utf8.DecodeLastRuneInString(tok)
	return strings.ContainsRune(".!?…。！？។", r)
}

// addDoc trains on one document: its title, lead and body paragraphs
// (captions are left out, they are not running text).
func (t *trainer) addDoc(title, lead string, body []Paragraph) {
	m := t.m
	m.docs++
	if title != "" {
		m.titleLens = append(m.titleLens, len(t.units(title)))
	}
	paras := 0
	if lead != "" {
		m.leads++
		t.addParagraph(lead)
	}
	for _, p := range body {
		if !p.Caption {
			t.addParagraph(p.Text)
			paras++
		}
	}
	if paras > 0 {
		m.docParas = append(m.docParas, paras)
	}
}

func (t *trainer) addParagraph(text string) {
	m := t.m
	units := t.units(text)
	sentences := 0
	start := 0
	for i, u := range units {
		if !endsSentence(u) && i != len(units)-1 {
			continue
		}
		ids := make([]int32, 0, i+1-start)
		for _, s := range units[start : i+1] {
			if s != " " || len(ids) > 0 {
				ids = append(ids, t.id(s))
			}
		}
		start = i + 1
		if len(ids) == 0 {
			continue
		}
		m.starts = append(m.starts, ids[0])
		m.sentLens = append(m.sentLens, len(ids))
		for j := 1; j < len(ids); j++ {
			m.next[ids[j-1]] = append(m.next[ids[j-1]], ids[j])
			if m.next2 != nil && j >= 2 {
				k := [2]int32{ids[j-2], ids[j-1]}
				m.next2[k] = append(m.next2[k], ids[j])
			}
		}
		sentences++
	}
	if sentences > 0 {
		m.paraSents = append(m.paraSents, sentences)
	}
}

// usable reports whether the model has seen enough text to produce any.
func (m *langModel) usable() bool {
	return len(m.starts) > 0 && len(m.tokens) >= 30 && len(m.docParas) > 0
}

// pick returns a random element of an empirical distribution, or def when
// it is empty.
func pick(rng *rand.Rand, dist []int, def int) int {
	if len(dist) == 0 {
		return def
	}
	return dist[rng.IntN(len(dist))]
}

// successor samples the unit after prev, cur.
func (m *langModel) successor(rng *rand.Rand, prev, cur int32) (int32, bool) {
	if m.next2 != nil && prev >= 0 {
		if succ := m.next2[[2]int32{prev, cur}]; len(succ) > 0 {
			return succ[rng.IntN(len(succ))], true
		}
	}
	if succ := m.next[cur]; len(succ) > 0 {
		return succ[rng.IntN(len(succ))], true
	}
	return 0, false
}

// sentence samples a sentence of about target units. It follows the chain
// from a sentence-initial unit and stops at sentence-final punctuation once
// at least half the target is reached; a dead end before that restarts
// from another initial unit, and a run that never finds an end is closed
// by force.
func (m *langModel) sentence(rng *rand.Rand, target int) string {
	target = max(target, 2)
	var b strings.Builder
	b.Grow(target * 12)
	prev, tok := int32(-1), m.starts[rng.IntN(len(m.starts))]
	n := 0
	for {
		if n > 0 {
			b.WriteString(m.sep)
		}
		b.WriteString(m.tokens[tok])
		n++
		done := m.ends[tok]
		if done && n >= target/2 {
			return b.String()
		}
		if n >= target*3/2+2 {
			if done {
				return b.String()
			}
			out := strings.TrimRightFunc(b.String(), func(r rune) bool { return strings.ContainsRune(",;:，；： ", r) })
			return strings.TrimSpace(out + m.end)
		}
		next, ok := m.successor(rng, prev, tok)
		if !ok {
			next = m.starts[rng.IntN(len(m.starts))]
		}
		prev, tok = tok, next
	}
}

// title samples a headline: a sentence of title length without the final
// punctuation.
func (m *langModel) title(rng *rand.Rand) string {
	s := m.sentence(rng, pick(rng, m.titleLens, 12))
	return strings.TrimRightFunc(s, func(r rune) bool { return strings.ContainsRune(".,;:!?…。，；：！？។ ", r) })
}

// paragraph samples a paragraph with an empirical number of sentences.
func (m *langModel) paragraph(rng *rand.Rand) string {
	k := pick(rng, m.paraSents, 2)
	var b strings.Builder
	for i := range k {
		if i > 0 {
			b.WriteString(m.sentenceGap())
		}
		b.WriteString(m.sentence(rng, pick(rng, m.sentLens, 20)))
	}
	return b.String()
}

// lead samples a lead paragraph of one or two sentences.
func (m *langModel) lead(rng *rand.Rand) string {
	s := m.sentence(rng, pick(rng, m.sentLens, 25))
	if rng.IntN(2) == 0 {
		s += m.sentenceGap() + m.sentence(rng, pick(rng, m.sentLens, 25))
	}
	return s
}

// sentenceGap separates sentences: a space, except in Chinese and Japanese.
func (m *langModel) sentenceGap() string {
	if m.sep == "" {
		return ""
	}
	return " "
}

// hasLead decides, with the frequency seen in training, whether a document
// gets a lead.
func (m *langModel) hasLead(rng *rand.Rand) bool {
	return m.docs > 0 && rng.IntN(m.docs) < m.leads
}
