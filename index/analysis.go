package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Names of the analysis components this package registers with Bleve.
// Bleve's registry is process-wide by design; registration happens once,
// in init, and the components are pure functions.
const (
	tokenizerBigram = "baoscope_bigram"   // unicode words + script bigrams
	filterFold      = "baoscope_fold"     // strip diacritics, đ→d
	filterNumber    = "baoscope_number"   // 1.481 / 1,481 → 1481; 99,8 → 99.8
	filterLatinOnly = "baoscope_latin"    // keep Latin-script words and numbers
	filterCyrillic  = "baoscope_cyrillic" // romanise Cyrillic (queries only)
	filterNonLatin  = "baoscope_nonlatin" // drop words with letters of other scripts
)

func init() {
	must(registry.RegisterTokenizer(tokenizerBigram, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return bigramTokenizer{words: analysisUnicode()}, nil
	}))
	must(registry.RegisterTokenFilter(filterFold, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(filterNumber, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return numberFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(filterCyrillic, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return cyrillicFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(filterLatinOnly, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return latinFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(filterNonLatin, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return nonLatinFilter{}, nil
	}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// bigramScript reports whether r belongs to a script that is indexed as
// overlapping character bigrams: Han, kana and Hangul (where Bleve's cjk
// analyzer keeps Korean words whole, so 정부는 would never match 정부) and
// Thai, Lao and Khmer (which Bleve's tokenizers drop entirely).
func bigramScript(r rune) bool {
	// The prolonged sound mark and iteration marks are script Common but
	// live inside Japanese words (サービス).
	if r == 'ー' || r == 'ｰ' || r == '々' || r == 'ゝ' || r == 'ヽ' {
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Hangul, unicode.Thai, unicode.Lao, unicode.Khmer)
}

// bigramTokenizer emits Bleve's unicode word tokens for ordinary text and
// overlapping bigrams for runs of bigramScript letters (a run of one letter
// becomes a unigram). Combining marks stay with their base letter's run.
// Byte offsets point into the original text so highlighting works.
type bigramTokenizer struct {
	words analysis.Tokenizer
}

func (t bigramTokenizer) Tokenize(input []byte) analysis.TokenStream {
	var out analysis.TokenStream
	pos := 1
	emitWords := func(start, end int) {
		if start >= end {
			return
		}
		for _, tok := range t.words.Tokenize(input[start:end]) {
			tok.Start += start
			tok.End += start
			tok.Position = pos
			pos++
			out = append(out, tok)
		}
	}
	plain := 0 // start of the pending non-bigram stretch
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		if !bigramScript(r) {
			i += size
			continue
		}
		emitWords(plain, i)
		// Collect the run as rune boundaries, marks attached to their base.
		var bounds []int
		j := i
		for j < len(input) {
			r2, s2 := utf8.DecodeRune(input[j:])
			if bigramScript(r2) && !unicode.Is(unicode.Mn, r2) {
				bounds = append(bounds, j)
			} else if !(unicode.Is(unicode.Mn, r2) || unicode.Is(unicode.Mc, r2)) {
				break
			}
			j += s2
		}
		bounds = append(bounds, j)
		n := len(bounds) - 1
		if n == 1 {
			out = append(out, &analysis.Token{Term: input[bounds[0]:bounds[1]], Start: bounds[0], End: bounds[1], Position: pos, Type: analysis.Ideographic})
			pos++
		}
		for k := 0; k+2 <= n; k++ {
			out = append(out, &analysis.Token{Term: input[bounds[k]:bounds[k+2]], Start: bounds[k], End: bounds[k+2], Position: pos, Type: analysis.Double})
			pos++
		}
		i, plain = j, j
	}
	emitWords(plain, len(input))
	return out
}

// fold removes diacritics (NFD, then drop non-spacing marks) and maps
// đ/Đ, which Unicode does not decompose, to d. It works on a term, so
// token offsets keep pointing at the original text.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldSlow(s)
}

// Latin letters with diacritics, Vietnamese's among them, live in two
// blocks: Latin-1 Supplement to Latin Extended-B, and Latin Extended
// Additional.
const (
	latinLo, latinHi       = 0x80, 0x250
	latinAddLo, latinAddHi = 0x1E00, 0x1F00
)

// latinFolds is foldSlow of every rune of the Latin blocks, computed once:
// folding a Vietnamese word rune by rune through it gives what foldSlow
// gives, without normalising the word twice (which was the most
// allocation-heavy part of indexing, see docs/performance.md). An empty
// entry marks a rune the table does not vouch for.
var latinFolds = buildLatinFolds()

func buildLatinFolds() []string {
	t := make([]string, (latinHi-latinLo)+(latinAddHi-latinAddLo))
	add := func(i int, r rune) {
		f := foldSlow(string(r))
		// Only folds that cannot combine with a neighbour are safe to
		// apply rune by rune: no combining marks, and nothing that NFC
		// would change.
		for _, fr := range f {
			if unicode.In(fr, unicode.Mn, unicode.Mc, unicode.Me) {
				return
			}
		}
		if f != "" && norm.NFC.IsNormalString(f) && norm.NFD.IsNormalString(f) {
			t[i] = f
		}
	}
	for r := rune(latinLo); r < latinHi; r++ {
		add(int(r-latinLo), r)
	}
	for r := rune(latinAddLo); r < latinAddHi; r++ {
		add(int(r-latinAddLo)+(latinHi-latinLo), r)
	}
	return t
}

// foldLatin folds s rune by rune when every rune is ASCII or in
// latinFolds; ok is false otherwise (other scripts, combining marks).
func foldLatin(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		var f string
		switch {
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
			continue
		case r >= latinLo && r < latinHi:
			f = latinFolds[r-latinLo]
		case r >= latinAddLo && r < latinAddHi:
			f = latinFolds[int(r-latinAddLo)+(latinHi-latinLo)]
		}
		if f == "" {
			return "", false
		}
		b = append(b, f...)
	}
	return string(b), true
}

// foldSlow is fold by definition: NFD, drop non-spacing marks, đ → d, NFC.
func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		if f := fold(string(tok.Term)); f != string(tok.Term) {
			tok.Term = []byte(f)
		}
	}
	return in
}

// NormalizeNumber rewrites a figure so that the ways languages write it
// compare equal: groups of three after a dot or comma are thousands
// (1.481, 1,481 → 1481; 48.880 → 48880), any other single separator is a
// decimal point (99,8 → 99.8). Non-numbers are returned unchanged.
func NormalizeNumber(s string) string {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return s
	}
	var groups []string
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' || c == ',':
			groups = append(groups, s[start:i])
			start = i + 1
		default:
			return s
		}
	}
	groups = append(groups, s[start:])
	if len(groups) == 1 {
		return s
	}
	for _, g := range groups {
		if g == "" {
			return s
		}
	}
	thousands := len(groups[0]) <= 3
	for _, g := range groups[1:] {
		if len(g) != 3 {
			thousands = false
		}
	}
	if thousands {
		return strings.Join(groups, "")
	}
	if len(groups) == 2 {
		return groups[0] + "." + groups[1]
	}
	return s
}

type numberFilter struct{}

// asciiDigits maps the decimal digits of any script (the Arabic seed mixes
// ١٠٠ and 100) to ASCII; other runes are kept.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= utf8.RuneSelf && unicode.IsDigit(r) }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= utf8.RuneSelf && unicode.IsDigit(r) {
			// Unicode decimal digits come in contiguous runs of ten.
			for z := r; z > r-10; z-- {
				if !unicode.IsDigit(z - 1) {
					return '0' + (r - z)
				}
			}
		}
		return r
	}, s)
}

func (numberFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		if tok.Type == analysis.Numeric {
			if a := asciiDigits(string(tok.Term)); a != string(tok.Term) {
				tok.Term = []byte(a)
			}
		}
		if len(tok.Term) > 0 && tok.Term[0] >= '0' && tok.Term[0] <= '9' {
			if n := NormalizeNumber(string(tok.Term)); n != string(tok.Term) {
				tok.Term = []byte(n)
			}
		}
	}
	return in
}

// latinFilter keeps tokens made of Latin letters and digits only: the
// neutral field carries names and figures, not each language's words in
// every script.
type latinFilter struct{}

func (latinFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, tok := range in {
		keep := len(tok.Term) > 0
		for _, r := range string(tok.Term) {
			if !(r < utf8.RuneSelf || unicode.Is(unicode.Latin, r) || unicode.IsDigit(r)) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, tok)
		}
	}
	return out
}

// nonLatinFilter drops words containing a letter of a script other than
// Latin. Placed before folding in the neutral analyzer it drops early, and
// cheaply, words that latinFilter would drop after folding anyway:
// folding keeps a letter's script (й → и), so it never makes such a word
// Latin. Korean, Arabic, Russian and Thai text otherwise spent most of its
// neutral-field analysis being normalised for nothing.
type nonLatinFilter struct{}

func (nonLatinFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, tok := range in {
		keep := true
		for _, r := range string(tok.Term) {
			if r >= utf8.RuneSelf && unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, tok)
		}
	}
	return out
}

// analysisUnicode is the word tokenizer the bigram tokenizer delegates to.
func analysisUnicode() analysis.Tokenizer { return unicodetok.NewUnicodeTokenizer() }

// cyrillicLatin romanises Russian letters the way Vietnamese names come
// back from Russian (Кронг Но → krong no, Зя Хьеп → zya kh'ep is close
// enough to be useless, but Лам Донг → lam dong and Ди Линь → di lin'
// work). It is applied to queries only: indexing Russian prose in Latin
// letters would make Russian words collide with Latin names.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya",
}

type cyrillicFilter struct{}

func (cyrillicFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		s := string(tok.Term)
		if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			continue
		}
		var b strings.Builder
		for _, r := range s {
			if l, ok := cyrillicLatin[unicode.ToLower(r)]; ok {
				b.WriteString(l)
			} else {
				b.WriteRune(r)
			}
		}
		tok.Term = []byte(b.String())
	}
	return in
}
