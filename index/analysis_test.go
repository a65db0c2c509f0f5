package index

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// terms analyses text with the named analyzer of a fresh mapping.
func terms(t *testing.T, analyzer, text string) []string {
	t.Helper()
	m, err := buildMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		t.Fatalf("no analyzer %q", analyzer)
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}

func TestAnalyzers(t *testing.T) {
	tests := []struct {
		name, analyzer, text string
		want                 []string
	}{
		{"vi exact keeps diacritics", analyzerVi, "Krông Nô kiện toàn", []string{"krông", "nô", "kiện", "toàn"}},
		{"vi fold", analyzerViFold, "Krông Nô Đắk Mâm", []string{"krong", "no", "dak", "mam"}},
		{"vi fold đ lowercase", analyzerViFold, "đường", []string{"duong"}},
		{"vi fold plain ascii", analyzerViFold, "krong no", []string{"krong", "no"}},
		{"vi numbers", analyzerVi, "1.481 hồ sơ, 99,8%", []string{"1481", "hồ", "sơ", "99.8"}},
		{"korean bigrams", analyzerBigram, "정부는", []string{"정부", "부는"}},
		{"korean latin inside", analyzerBigram, "크롱노(Krong No) 1,481건", []string{"크롱", "롱노", "krong", "no", "1481", "건"}},
		{"korean single syllable", analyzerBigram, "시", []string{"시"}},
		{"thai bigrams", analyzerBigram, "ลำดง", []string{"ลำ", "ำด", "ดง"}},
		{"japanese", analyzerBigram, "行政サービス", []string{"行政", "政サ", "サー", "ービ", "ビス"}},
		{"neutral keeps latin and numbers only", analyzerNeutral, "크롱노(Krông Nô) 1.481 đơn", []string{"krong", "no", "1481", "don"}},
		{"neutral eastern arabic digits", analyzerNeutral, "١٠٠٪ 2025", []string{"100", "2025"}},
		{"neutral cyrillic dropped", analyzerNeutral, "Кронг Но Lam Dong", []string{"lam", "dong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := terms(t, tt.analyzer, tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s(%q) = %q, want %q", tt.analyzer, tt.text, got, tt.want)
			}
		})
	}
}

func TestStemmingAnalyzers(t *testing.T) {
	// Bleve's own analyzers: the same stem for inflected forms.
	tests := []struct{ lang, a, b string }{
		{"de", "Gemeinden", "Gemeinde"},
		{"ru", "коммуны", "коммуна"},
		{"en", "communes", "commune"},
		{"ar", "والبلدية", "البلدية"},
		// Arabic normalisation: diacritics (tashkeel) and hamza forms.
		{"ar", "يُنفَّذ", "ينفذ"},
		{"ar", "أهداف", "اهداف"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			a, b := terms(t, AnalyzerFor(tt.lang), tt.a), terms(t, AnalyzerFor(tt.lang), tt.b)
			if len(a) != 1 || !slices.Equal(a, b) {
				t.Errorf("%s: %q → %q, %q → %q; want one equal stem", tt.lang, tt.a, a, tt.b, b)
			}
		})
	}
}

func TestBigramOffsets(t *testing.T) {
	text := "Vietnam 크롱노 ลำดง"
	tok := bigramTokenizer{words: analysisUnicode()}
	for _, tk := range tok.Tokenize([]byte(text)) {
		if got := text[tk.Start:tk.End]; got != string(tk.Term) {
			t.Errorf("token %q has offsets [%d,%d) = %q", tk.Term, tk.Start, tk.End, got)
		}
	}
}

func TestNormalizeNumber(t *testing.T) {
	for in, want := range map[string]string{
		"1.481": "1481", "1,481": "1481", "1481": "1481", "48.880": "48880",
		"99,8": "99.8", "99.8": "99.8", "21 462": "21 462", "2025": "2025",
		"1.234.567": "1234567", "324,43": "324.43", "abc": "abc", "1..2": "1..2",
	} {
		if got := NormalizeNumber(in); got != want {
			t.Errorf("NormalizeNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpenRefusesOtherMappingVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	ix, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.idx.SetInternal([]byte(internalMappingVersion), []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := Open(path); err == nil {
		t.Fatal("Open accepted an index of another mapping version")
	}
}

var _ analysis.Tokenizer = bigramTokenizer{}

// The table-driven fold must agree with the definition on every rune it
// covers, alone and next to any other, and fall back for the rest.
func TestFoldLatinMatchesSlow(t *testing.T) {
	var runes []rune
	for r := rune(0x20); r < 0x7f; r++ {
		runes = append(runes, r)
	}
	for r := rune(latinLo); r < latinHi; r++ {
		runes = append(runes, r)
	}
	for r := rune(latinAddLo); r < latinAddHi; r++ {
		runes = append(runes, r)
	}
	for _, a := range runes {
		for _, b := range runes {
			s := string([]rune{a, b})
			if got, want := fold(s), foldSlow(s); got != want {
				t.Fatalf("fold(%q) = %q, foldSlow = %q", s, got, want)
			}
		}
	}
	tests := []struct{ in, want string }{
		{"Krông", "Krong"},
		{"Đắk", "dak"},     // đ does not decompose
		{"Nô\u0301", "No"}, // a combining mark: the slow path
		{"Кронг", "Кронг"}, // another script: unchanged
		{"й", "и"},         // whose decomposition still folds
		{"크롱노", "크롱노"},     // Hangul recomposes
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := fold(tt.in); got != tt.want || got != foldSlow(tt.in) {
				t.Errorf("fold(%q) = %q, want %q (foldSlow %q)", tt.in, got, tt.want, foldSlow(tt.in))
			}
		})
	}
}

// Dropping other scripts' words before folding must not change what the
// neutral field indexes: compare with the chain without the early drop on
// the sample corpus's seeds (Korean, Arabic, Russian, German) plus mixed
// and decomposed text.
func TestNeutralEarlyDropChangesNothing(t *testing.T) {
	m, err := buildMapping()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AddCustomAnalyzer("neutral_reference", map[string]any{
		"type": "custom", "tokenizer": "unicode",
		"token_filters": []any{"to_lower", filterFold, filterNumber, filterLatinOnly},
	}); err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"크롱노(Krông Nô) 1.481 đơn Кронг Но й ά Đắk Nô\u0301ng ١٠٠٪ ฿ ๑๒๓ 林同省 Lâm Đồng",
	}
	seeds, err := filepath.Glob("../sample/corpus/seeds/*.txt")
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	fast, ref := m.AnalyzerNamed(analyzerNeutral), m.AnalyzerNamed("neutral_reference")
	for i, text := range texts {
		a, b := fast.Analyze([]byte(text)), ref.Analyze([]byte(text))
		if len(a) != len(b) {
			t.Fatalf("text %d: %d tokens, reference %d", i, len(a), len(b))
		}
		for k := range a {
			if string(a[k].Term) != string(b[k].Term) || a[k].Start != b[k].Start || a[k].Position != b[k].Position {
				t.Fatalf("text %d token %d: %q@%d, reference %q@%d", i, k, a[k].Term, a[k].Start, b[k].Term, b[k].Start)
			}
		}
	}
}
