package langid

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"baoscope/model"
)

// A search query is a few words, and the words researchers type most are
// the names of places and people: "Krong No", "Cu Jut", "Lam Dong 2025".
// Every vietnam.vn translation writes these names the same way, without
// diacritics, so they say nothing about the language wanted; given to
// lingua-go they come out as Indonesian, Malay or English with a confidence
// that looks usable. DetectQuery therefore sets names aside before
// detecting, and a query made only of names and numbers is
// model.LangUnknown: search then weighs every language alike, which is what
// a name query wants. The query language is a boost, never a filter, so an
// "unknown" costs little and a wrong guess a lot.

// placeNames are places a query may name, folded and lower-cased, one per
// line: the communes and districts of Lâm Đồng (with the former Đắk Nông and
// Bình Thuận) that baolamdong.vn reports on, and the country's big names.
var placeNames = phrasesOf(`
lam dong
da lat
bao loc
bao lam
di linh
duc trong
lac duong
don duong
lam ha
dam rong
cat tien
da huoai
da teh
dak nong
gia nghia
dak mil
dak song
dak glong
dak r'lap
tuy duc
krong no
cu jut
binh thuan
phan thiet
la gi
tuy phong
bac binh
ham thuan bac
ham thuan nam
ham tan
duc linh
tanh linh
phu quy
gia hiep
tam bo
dak dro
tan thanh
dak mam
tam thang
truc son
nam ban
lien nghia
lang biang
tuyen lam
xuan huong
viet nam
ha noi
ho chi minh
sai gon
da nang
nghe an
tay nguyen
dak lak
buon ma thuot
khanh hoa
nha trang
`)

// highlandWords are syllables of the Mnong, K'ho, Ede and Churu place and
// ethnic names of the province. They are not Vietnamese syllables (so the
// Vietnamese rule would not keep them) and look to lingua-go like words of
// some other language.
var highlandWords = setOf(`
krong jut glong r'lap rlap k'nia t'ling dro dran biang liang langbiang
bidoup b'lao blao prenn datanla pongour dambri k'long k'ho m'nong mnong
churu m'drak ede ea bdap k'bang dak
`)

func phrasesOf(lines string) [][]string {
	var out [][]string
	for _, l := range strings.Split(lines, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// DetectQuery detects the language of a search query. Names and numbers
// are set aside first (see above); below the detector's query threshold the
// answer is model.LangUnknown, with the guesses kept as candidates.
// Vietnamese written with diacritics is Vietnamese even when it is a name
// ("Lâm Đồng"): whoever types the accents is writing Vietnamese.
func (d *Detector) DetectQuery(q string) Detection {
	q = blankURLs(toNFC(q))
	rest, names := stripNames(q)
	det := d.detect(rest, true)
	switch {
	case det.Lang == model.LangUnknown:
		if names > 0 {
			det.Method = MethodRule
		}
		return det
	case det.Confidence < d.queryThreshold:
		det.Candidates = append([]Candidate{{Lang: det.Lang, Confidence: det.Confidence}}, det.Candidates...)
		det.Lang = model.LangUnknown
		if len(det.Candidates) > maxCandidates {
			det.Candidates = det.Candidates[:maxCandidates]
		}
	}
	return det
}

// queryWord is a Latin word of a query and what is known of it.
type queryWord struct {
	word   string
	folded string // lower case, diacritics removed
	marked bool   // written with diacritics
	title  bool   // starts with a capital
	name   bool
}

// stripNames blanks out the Latin words of q that are names (see
// markNames). It returns the rest of q and how many words it removed.
func stripNames(q string) (string, int) {
	var words []string
	var starts []int
	scanWords(q, func(w string, start int, s script) {
		if s == scriptLatin {
			words = append(words, w)
			starts = append(starts, start)
		}
	})
	names, removed := markNames(words)
	if removed == 0 {
		return q, 0
	}
	b := []byte(q)
	for i, w := range words {
		if names[i] {
			for k := starts[i]; k < starts[i]+len(w); k++ {
				b[k] = ' '
			}
		}
	}
	return string(b), removed
}

// markNames tells which of a text's Latin words are names: known places
// (as folded word sequences), highland syllables, capitalised words
// without diacritics that are Vietnamese syllables (people's names, "Tran
// Van Nam") unless they are a common word of another language ("La",
// "The"), and acronyms. It returns a flag per word and how many are set.
func markNames(ws []string) ([]bool, int) {
	words := make([]queryWord, len(ws))
	for i, w := range ws {
		f, _, _ := foldWord(w)
		first, _ := utf8.DecodeRuneInString(w)
		words[i] = queryWord{
			word:   w,
			folded: f,
			marked: f != strings.ToLower(strings.ReplaceAll(w, "’", "'")), title: unicode.IsUpper(first),
		}
	}
	for i := 0; i < len(words); i++ {
		if words[i].marked {
			continue
		}
		if n := placeAt(words[i:]); n > 0 {
			for j := i; j < i+n; j++ {
				words[j].name = true
			}
			i += n - 1
			continue
		}
		w := &words[i]
		if highlandWords[w.folded] || highlandWords[strings.ReplaceAll(w.folded, "'", "")] {
			w.name = true
			continue
		}
		if w.title && isSyllable(w.folded) && !foreignFunctionWords[w.folded] {
			w.name = true
			continue
		}
		if isAcronym(w.word, w.folded) {
			w.name = true
		}
	}
	names := make([]bool, len(words))
	n := 0
	for i, w := range words {
		if w.name {
			names[i] = true
			n++
		}
	}
	return names, n
}

// isAcronym reports whether a word is an acronym such as UBND, OCOP or
// HĐND: two to six capitals that do not spell a syllable. A search for an
// acronym wants it in any language.
func isAcronym(w, folded string) bool {
	n := utf8.RuneCountInString(w)
	return n >= 2 && n <= 6 && isUpperWord(w) && !isSyllable(folded)
}

// placesByFirstWord indexes placeNames by their first word, longest
// first: placeAt runs for every Latin word of a mixed-script document.
var placesByFirstWord = func() map[string][][]string {
	m := make(map[string][][]string)
	for _, p := range placeNames {
		m[p[0]] = append(m[p[0]], p)
	}
	for _, ps := range m {
		slices.SortStableFunc(ps, func(a, b []string) int { return len(b) - len(a) })
	}
	return m
}()

// placeAt returns the length in words of the longest place name starting at
// words[0], or 0.
func placeAt(words []queryWord) int {
	for _, p := range placesByFirstWord[words[0].folded] {
		if len(p) > len(words) {
			continue
		}
		match := true
		for k, part := range p {
			if words[k].marked || words[k].folded != part {
				match = false
				break
			}
		}
		if match {
			return len(p)
		}
	}
	return 0
}

// closeLangs are languages a query of a few words is easily taken for
// each other: they share most short words (es/pt, id/ms). Kanji-only
// Japanese and Chinese are handled by hanOnly.
var closeLangs = map[string]string{"es": "pt", "pt": "es", "id": "ms", "ms": "id"}

// QuerySources are the languages a query's words may be written in, to
// translate them from: the detected language and, when a few words
// cannot tell it from a close one (es/pt, id/ms, Japanese and Chinese
// written in Han characters only), that one too; when detection is
// unsure, its two likeliest guesses. A query of names and figures only
// has none: names are searched as written in every language.
func (d *Detector) QuerySources(q string) []string {
	det := d.DetectQuery(q)
	var out []string
	add := func(l string) {
		if l != "" && l != model.LangUnknown && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	guesses := []string{det.Lang}
	if det.Lang == model.LangUnknown {
		guesses = nil
		for _, c := range det.Candidates[:min(2, len(det.Candidates))] {
			guesses = append(guesses, c.Lang)
		}
	}
	han := hanOnly(q)
	for _, l := range guesses {
		add(l)
		if han && (l == "ja" || l == "zh") {
			add(map[string]string{"ja": "zh", "zh": "ja"}[l])
		}
		add(closeLangs[l])
	}
	return out
}

// hanOnly reports whether q has Han characters and no kana, the script
// that tells Japanese from Chinese.
func hanOnly(q string) bool {
	han := false
	for _, r := range q {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			return false
		case unicode.Is(unicode.Han, r):
			han = true
		}
	}
	return han
}
