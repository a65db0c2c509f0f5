package langid

import (
	"unicode"
	"unicode/utf8"
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
	scanWords(text, func(w string, _ int, s script) {
		p.words[s] = append(p.words[s], w)
		for _, r := range w {
			if unicode.IsLetter(r) {
				p.letters[s]++
			}
		}
	})
	han, kana := p.letters[scriptHan], p.letters[scriptKana]
	if kana > 0 && float64(kana) >= kanaShareForJapanese*float64(kana+han) {
		p.letters[scriptKana] += han
		p.letters[scriptHan] = 0
		p.words[scriptKana] = append(p.words[scriptKana], p.words[scriptHan]...)
		p.words[scriptHan] = nil
	}
	for s := script(0); s < numScripts; s++ {
		p.weight[s] = float64(p.letters[s]) * scriptWeight(s)
		p.total += p.weight[s]
	}
	return p
}

// scanWords calls fn for every word of text with its byte offset and
// script. A word is a run of letters of one script; combining marks (Thai,
// Lao and Khmer vowel signs, decomposed diacritics) belong to the word they
// follow, and an apostrophe between two letters joins them, as in the
// highland names "K'nia" and "Đắk R'lấp".
func scanWords(text string, fn func(w string, start int, s script)) {
	start, cur := -1, scriptOther
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r):
			s := scriptOf(r)
			if start >= 0 && s != cur {
				fn(text[start:i], start, cur)
				start = -1
			}
			if start < 0 {
				start, cur = i, s
			}
		case start >= 0 && (unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)):
		case start >= 0 && (r == '\'' || r == '’') && letterFollows(text[i+size:], cur):
		default:
			if start >= 0 {
				fn(text[start:i], start, cur)
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		fn(text[start:], start, cur)
	}
}

// letterFollows reports whether rest starts with a letter of script s.
func letterFollows(rest string, s script) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsLetter(r) && scriptOf(r) == s
}
