package langid

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// script is a writing system whose letters are counted. Scripts written by
// one language of the configured set decide the language without a model;
// the others (Latin, Cyrillic, Arabic, Devanagari) narrow lingua-go's choice
// to the languages written in them.
type script uint8

const (
	scriptOther script = iota // a letter of a script not tracked below
	scriptLatin
	scriptCyrillic
	scriptArabic
	scriptGreek
	scriptHebrew
	scriptArmenian
	scriptGeorgian
	scriptDevanagari
	scriptBengali
	scriptGurmukhi
	scriptGujarati
	scriptTamil
	scriptTelugu
	scriptThai
	scriptLao
	scriptKhmer
	scriptHangul
	scriptKana // Hiragana and Katakana
	scriptHan
	numScripts
)

var scriptNames = [numScripts]string{
	"other", "Latin", "Cyrillic", "Arabic", "Greek", "Hebrew", "Armenian",
	"Georgian", "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Tamil",
	"Telugu", "Thai", "Lao", "Khmer", "Hangul", "kana", "Han",
}

func (s script) String() string { return scriptNames[s] }

// scriptTables are tried in this order; Latin comes first because most
// letters the crawler sees are Latin.
var scriptTables = [...]struct {
	s     script
	table *unicode.RangeTable
}{
	{scriptLatin, unicode.Latin},
	{scriptHangul, unicode.Hangul},
	{scriptHan, unicode.Han},
	{scriptKana, unicode.Hiragana},
	{scriptKana, unicode.Katakana},
	{scriptCyrillic, unicode.Cyrillic},
	{scriptArabic, unicode.Arabic},
	{scriptThai, unicode.Thai},
	{scriptLao, unicode.Lao},
	{scriptKhmer, unicode.Khmer},
	{scriptGreek, unicode.Greek},
	{scriptHebrew, unicode.Hebrew},
	{scriptArmenian, unicode.Armenian},
	{scriptGeorgian, unicode.Georgian},
	{scriptDevanagari, unicode.Devanagari},
	{scriptBengali, unicode.Bengali},
	{scriptGurmukhi, unicode.Gurmukhi},
	{scriptGujarati, unicode.Gujarati},
	{scriptTamil, unicode.Tamil},
	{scriptTelugu, unicode.Telugu},
}

// scriptWeights say how much text one letter of a script stands for,
// relative to a Latin letter. A Hangul block is a whole syllable and a Han
// character a morpheme, so counting runes would let a few Latin names in
// parentheses outweigh the Korean or Chinese sentence around them.
var scriptWeights = [numScripts]float64{
	scriptHangul: 2.5,
	scriptHan:    3,
	scriptKana:   2,
}

func scriptWeight(s script) float64 {
	if w := scriptWeights[s]; w > 0 {
		return w
	}
	return 1
}

// scriptOf returns the script of a letter.
func scriptOf(r rune) script {
	if r < 0x80 {
		return scriptLatin // callers pass letters only
	}
	if r < 0x10000 {
		return script(runeClasses()[r] & classScript)
	}
	return lookUpScript(r)
}

// lookUpScript is scriptOf from the Unicode tables; runeClasses keeps its
// answers for the Basic Multilingual Plane.
func lookUpScript(r rune) script {
	if r == 'ー' { // the prolonged sound mark is "Common" but only written in Japanese
		return scriptKana
	}
	for _, t := range scriptTables {
		if unicode.Is(t.table, r) {
			return t.s
		}
	}
	return scriptOther
}

// runeClass is what scanning needs to know of a rune: its script (for
// letters), whether it is a letter or a combining mark, and whether NFC
// leaves it alone.
type runeClass uint8

const (
	classScript runeClass = 0x1f // the script, for letters
	classLetter runeClass = 1 << 5
	classMark   runeClass = 1 << 6 // Mn or Mc: belongs to the word it follows
	// classNFC: a starter that NFC neither changes nor combines with what
	// precedes it. A text made only of such runes is in NFC already, so
	// Detect can skip normalising it.
	classNFC runeClass = 1 << 7
)

// runeClasses classifies the runes of the Basic Multilingual Plane, where
// all the letters of the configured languages are. Looking a rune up in
// Go's Unicode tables costs a binary search per table, and scriptOf tries up
// to twenty of them: for Thai or Arabic text that was most of the time spent
// outside lingua-go. Built once, by the first New (about 7 ms), then
// read-only.
var runeClasses = sync.OnceValue(func() *[0x10000]runeClass {
	var t [0x10000]runeClass
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < 0x10000; r++ {
		t[r] = computeClass(r, buf[:0])
	}
	return &t
})

// computeClass classifies r from the Unicode and normalisation tables.
func computeClass(r rune, buf []byte) runeClass {
	var c runeClass
	switch {
	case unicode.IsLetter(r):
		c = classLetter | runeClass(lookUpScript(r))
		if r < 0x80 {
			c = classLetter | runeClass(scriptLatin)
		}
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
		c = classMark
	}
	if r < 0x80 {
		return c | classNFC
	}
	if !utf8.ValidRune(r) {
		return c
	}
	b := utf8.AppendRune(buf, r)
	// A starter that does not combine backwards and that NFC keeps as it is
	// (QuickSpan covers it) cannot change in any context: the quick check
	// of a string of such runes succeeds rune by rune.
	if p := norm.NFC.Properties(b); p.BoundaryBefore() && norm.NFC.QuickSpan(b) == len(b) {
		c |= classNFC
	}
	return c
}

// classOf returns the class of any rune.
func classOf(r rune) runeClass {
	if r < 0x10000 {
		return runeClasses()[r]
	}
	var buf [utf8.UTFMax]byte
	return computeClass(r, buf[:0])
}

// isNFC reports whether text is certainly in NFC: valid UTF-8 made of runes
// NFC leaves alone. Most crawled text is; norm.NFC.String would check the
// same at several times the cost.
func isNFC(text string) bool {
	classes := runeClasses()
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r >= 0x10000 || (r == utf8.RuneError && size == 1) || classes[r]&classNFC == 0 {
			return false
		}
		i += size
	}
	return true
}

// kanaShareForJapanese is the share of kana among Han and kana characters
// from which Han characters are read as Japanese. Japanese prose is about
// a third kana; Chinese has none, so a little kana is already decisive
// while a stray katakana brand name in Chinese text is not.
const kanaShareForJapanese = 0.05

// profile is the letter count of a text by script, with its words grouped by
// script so that each group can be given to the right detector.
type profile struct {
	letters [numScripts]int     // letters per script
	weight  [numScripts]float64 // letters times scriptWeight
	total   float64             // sum of weight
	words   [numScripts][]string
}

// newProfile counts the letters of text by script and groups its words
// (see scanWords) by script, so that each group can be given to the right
// detector.
func newProfile(text string) *profile {
	p := &profile{}
	scan(text, func(w string, _, letters int, s script) {
		p.words[s] = append(p.words[s], w)
		p.letters[s] += letters
	})
	han, kana := p.letters[scriptHan], p.letters[scriptKana]
	if kana > 0 && float64(kana) >= kanaShareForJapanese*float64(kana+han) {
		p.letters[scriptKana] += han
		p.letters[scriptHan] = 0
		p.words[scriptKana] = append(p.words[scriptKana], p.words[scriptHan]...)
		p.words[scriptHan] = nil
	}
	p.weigh()
	return p
}

// weigh sets weight and total from letters.
func (p *profile) weigh() {
	p.total = 0
	for s := script(0); s < numScripts; s++ {
		p.weight[s] = float64(p.letters[s]) * scriptWeight(s)
		p.total += p.weight[s]
	}
}

// withoutLatin returns the profile of the text with the Latin words marked
// in drop blanked out — what newProfile would count on that text, without
// reading it again: blanking a word splits or joins no other word, and
// Latin words play no part in reading Han as Japanese.
func (p *profile) withoutLatin(drop []bool) *profile {
	q := &profile{letters: p.letters, words: p.words}
	kept := make([]string, 0, len(p.words[scriptLatin]))
	for i, w := range p.words[scriptLatin] {
		if !drop[i] {
			kept = append(kept, w)
			continue
		}
		for _, r := range w {
			if classOf(r)&classLetter != 0 {
				q.letters[scriptLatin]--
			}
		}
	}
	q.words[scriptLatin] = kept
	q.weigh()
	return q
}

// scanWords calls fn for every word of text with its byte offset and
// script. A word is a run of letters of one script; combining marks (Thai,
// Lao and Khmer vowel signs, decomposed diacritics) belong to the word they
// follow, and an apostrophe between two letters joins them, as in the
// highland names "K'nia" and "Đắk R'lấp".
func scanWords(text string, fn func(w string, start int, s script)) {
	scan(text, func(w string, start, _ int, s script) { fn(w, start, s) })
}

// scan is scanWords that also counts the letters of each word.
func scan(text string, fn func(w string, start, letters int, s script)) {
	classes := runeClasses()
	start, letters, cur := -1, 0, scriptOther
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		var c runeClass
		if r < 0x10000 {
			c = classes[r]
		} else {
			c = classOf(r)
		}
		switch {
		case c&classLetter != 0:
			s := script(c & classScript)
			if start >= 0 && s != cur {
				fn(text[start:i], start, letters, cur)
				start = -1
			}
			if start < 0 {
				start, letters, cur = i, 0, s
			}
			letters++
		case start >= 0 && c&classMark != 0:
		case start >= 0 && (r == '\'' || r == '’') && letterFollows(text[i+size:], cur):
		default:
			if start >= 0 {
				fn(text[start:i], start, letters, cur)
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		fn(text[start:], start, letters, cur)
	}
}

// letterFollows reports whether rest starts with a letter of script s.
func letterFollows(rest string, s script) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	c := classOf(r)
	return c&classLetter != 0 && script(c&classScript) == s
}
