package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding"
	"golang.org/x/text/unicode/norm"
)

// cleanTextRef is cleanText as it was before its fast paths: the
// definition the fast version must keep to.
func cleanTextRef(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case r == '\u200b' || r == '\ufeff' || r == '\u00ad' || r == '\u2060':
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// isDateLineRef is isDateLine without the "/" pre-check.
func isDateLineRef(p string) bool {
	m := dateTailRe.FindStringSubmatch(p)
	if m == nil {
		_, ok := ParseVietnameseTime(p)
		return ok && len(strings.Fields(p)) <= 6 && !strings.ContainsAny(p, ".!?")
	}
	prefix := m[1]
	if utf8.RuneCountInString(prefix) > 60 || strings.ContainsAny(prefix, ".!?…") {
		return false
	}
	return len(strings.Fields(prefix)) <= 8
}

// scanUTF8Ref is scanUTF8 as it was, without the ASCII skipping and the
// inert flag.
func scanUTF8Ref(b []byte) utf8Stats {
	var s utf8Stats
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			if len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				break
			}
			s.invalid++
			i++
			continue
		}
		s.multibyte++
		i += n
	}
	return s
}

// finishUTF8Ref is finish for UTF-8 as it was: repair, drop the BOM,
// normalise.
func finishUTF8Ref(body []byte) string {
	s := string(body)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return norm.NFC.String(strings.TrimPrefix(s, "\uFEFF"))
}

// checkDecodeHelpers holds scanUTF8 and finish to their references.
func checkDecodeHelpers(t *testing.T, s string) {
	t.Helper()
	b := []byte(s)
	st := scanUTF8(b)
	ref := scanUTF8Ref(b)
	if st.invalid != ref.invalid || st.multibyte != ref.multibyte {
		t.Fatalf("scanUTF8(%+q) = %+v, want %+v", s, st, ref)
	}
	if want := utf8.Valid(b) && isNFCQuick(s, nfcInertTable()); st.inert != want {
		t.Fatalf("scanUTF8(%+q).inert = %v, want %v", s, st.inert, want)
	}
	want := finishUTF8Ref(b)
	for _, p := range []*utf8Stats{&st, nil} {
		got, _, err := finish(b, encoding.Nop, "utf-8", p)
		if err != nil || got != want {
			t.Fatalf("finish(%+q, scanned %v) = %+q, %v; want %+q", s, p != nil, got, err, want)
		}
	}
}

// trickyTexts are inputs on both sides of every fast path: already clean
// NFC text in the sites' scripts, and text that needs cleaning or
// normalising in every way cleanText does either.
var trickyTexts = []string{
	"",
	" ",
	"Lâm Đồng",
	"Krông Nô: Kiện toàn tổ chức, nâng cao hiệu quả chính quyền",
	norm.NFD.String("Krông Nô: Kiện toàn tổ chức, nâng cao hiệu quả chính quyền"), // decomposed Vietnamese
	"Lo\u0302\u0300ng",            // ô written as o + two marks
	"Lô\u0300ng",                  // ô + grave, as windows-1258 writes it
	"Đo\u0302\u0300ng chí",        // mark after a precomposed-able base mid-word
	"a\u0301",                     // mark after ASCII
	"\u0301 leading mark",         // mark with nothing before
	"e\u0323\u0302",               // marks out of canonical order
	"e\u0302\u0323",               // the same, in order
	"  Lâm   Đồng  ",              // spaces to collapse and trim
	"\tLâm\nĐồng\r\n",             // ASCII white space
	"Lâm\u00a0Đồng",               // no-break space
	"Lâm\u3000Đồng",               // ideographic space
	"Lâm\u2003\u2009Đồng",         // em and thin space
	"Lâm\u1680Đồng",               // ogham space mark
	"Lâm\u200bĐồng",               // zero width space
	"Lâm\u00adĐồng",               // soft hyphen
	"\ufeffLâm Đồng",              // byte order mark
	"Lâm\u2060Đồng",               // word joiner
	"Lâm \u200b Đồng",             // dropped rune between spaces
	"Lâm\u200b Đồng",              // dropped rune before a space
	"Lâm \u200bĐồng",              // dropped rune after a space
	"\u200b\u200bLâm",             // dropped runes first
	"Lâm\u200b",                   // dropped rune last
	"Lâm\x00Đồng\x7f\u0085\u009f", // controls, NEL
	"Lâm\u200dĐồng\u200c",         // joiners are kept
	"L\xe2m \xd0\xf4\xccng",       // invalid UTF-8
	"\xff",                        // only an invalid byte
	" \xff ",                      // invalid byte in spaces
	"a\xcc",                       // truncated sequence
	"a\xcc\x81",                   // the same, complete: a + acute
	"\xed\xa0\x80",                // encoded surrogate
	"\xe0\x80\xaf",                // overlong
	"a\ufffdb",                    // a real replacement character
	"출처: https://baolamdong.vn/krong-no-396102.html",
	"\u1100\u1161\u11a8", // Hangul jamo that compose to 각
	"각\u11a8",            // LV syllable + trailing jamo
	"가\u11a8",            // LV syllable + trailing jamo that composes
	"المصدر: الْعَرَبِيَّة",          // Arabic with harakat
	"ที่มา: ข่าว",                    // Thai
	"ប្រភព: ព័ត៌មាន",                 // Khmer
	"ແຫຼ່ງຂໍ້ມູນ",                    // Lao
	"Источник: Й й",                  // Cyrillic
	norm.NFD.String("Источник: Й й"), // decomposed Cyrillic
	"来源：新闻。图：K.Phuc",                 // CJK, full-width colon
	"\uf900\u2126\u212a\u212b",       // singletons NFC replaces
	"\u0344\u0f73",                   // NFC_QC=No non-starter decompositions
	"\u0958",                         // Devanagari composition exclusion
	"\u0b47\u0b3e",                   // Oriya vowel that composes with its predecessor
	"😀 Lâm 𝐀 Đồng",                   // outside the BMP
	"\U0001d15e",                     // supplementary composition exclusion
	strings.Repeat("Lâm Đồng ", 200),
	"\ufeff<p>Lâm Đồng</p>",
	"<html><head><title>Krông Nô</title></head><body><p>Kiện toàn</p></body></html>",
	"<p>12345678 Đồng\xe2\x80</p>", // truncated at the end, after an ASCII run
	"12345678\xe2",
}

func TestCleanTextMatchesReference(t *testing.T) {
	for _, s := range trickyTexts {
		t.Run(strings.ToValidUTF8(s, "?"), func(t *testing.T) {
			if got, want := cleanText(s), cleanTextRef(s); got != want {
				t.Errorf("cleanText(%+q) = %+q, want %+q", s, got, want)
			}
			if got, want := nfcString(s), norm.NFC.String(s); got != want {
				t.Errorf("nfcString(%+q) = %+q, want %+q", s, got, want)
			}
			checkDecodeHelpers(t, s)
		})
	}
}

// TestCleanTextEveryRune puts every rune into the positions that matter to
// the fast paths: alone, between letters, after a space, before a
// combining mark.
func TestCleanTextEveryRune(t *testing.T) {
	last := rune(unicode.MaxRune)
	if testing.Short() {
		last = 0xFFFF // the tables cover the BMP; beyond it is the rule
	}
	for r := rune(0); r <= last; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		c := string(r)
		for _, s := range []string{c, "a" + c + "b", "Lâm " + c + " Đồng", c + "\u0301", "ô" + c, " " + c} {
			if got, want := cleanText(s), cleanTextRef(s); got != want {
				t.Fatalf("U+%04X: cleanText(%+q) = %+q, want %+q", r, s, got, want)
			}
		}
	}
}

// TestNFCInertMatchesNorm checks the claim nfc.go rests on, that text made
// of inert starters is NFC, for every inert rune in several contexts and
// for random strings of them.
func TestNFCInertMatchesNorm(t *testing.T) {
	inert := nfcInertTable()
	var runes []rune
	for r := rune(0x80); r < 0x10000; r++ {
		if inert.has(r) {
			runes = append(runes, r)
		}
	}
	if len(runes) < 40000 {
		t.Fatalf("only %d inert runes in the BMP", len(runes))
	}
	// Neighbours chosen to combine with as much as possible: a Latin base,
	// a Hangul LV syllable, an L jamo, a Vietnamese letter with marks.
	nb := []string{"a", "e", "가", "\u1100", "ô", "ế", "\u0915", "\u0b47", "Й"}
	for _, r := range runes {
		c := string(r)
		for _, x := range nb {
			for _, s := range []string{c, x + c, c + x, c + c} {
				if isNFCQuick(s, inert) && !norm.NFC.IsNormalString(s) {
					t.Fatalf("%+q passes the quick check but is not NFC", s)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 20000 {
		b.Reset()
		for range 1 + rng.IntN(12) {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		if s := b.String(); !norm.NFC.IsNormalString(s) {
			t.Fatalf("%+q: inert runes but not NFC", s)
		}
	}
	// The point of the table: the sites' text is inert, but for the
	// scripts whose vowel and tone marks are non-starters (Thai, Lao,
	// Khmer, vocalised Arabic), which still go through norm.
	for _, s := range []string{
		"Krông Nô: Kiện toàn tổ chức, nâng cao hiệu quả chính quyền Đảng ủy ữ ỹ",
		"출처 원천 같은 태그", "المصدر نفس الوسم", "Источник Тот же тег", "来源 出典 ソース",
		"Quelle: Größe", "Fuente: categoría", "\u00a0\u3000\ufffd",
	} {
		if !isNFCQuick(s, inert) {
			t.Errorf("%q is not inert", s)
		}
	}
	for _, s := range []string{"ที่มา", "ប្រភព", "ແຫຼ່ງຂໍ້ມູນ", "الْعَرَبِيَّة"} {
		if isNFCQuick(s, inert) {
			t.Errorf("%q is inert", s)
		}
	}
}

// TestCleanTextNoCopy keeps the point of the fast path: clean text, the
// common case, is returned without allocating.
func TestCleanTextNoCopy(t *testing.T) {
	s := strings.Repeat("Krông Nô: kiện toàn tổ chức, nâng cao hiệu quả. ", 20) + "Hết"
	cleanText(s) // build the tables
	if n := testing.AllocsPerRun(100, func() { cleanText(s) }); n != 0 {
		t.Errorf("cleanText of clean text: %v allocations", n)
	}
	if got := cleanText(" \n" + s + "\u200b "); got != s {
		t.Errorf("trimmed text changed: %q", got)
	}
}

func TestLastColon(t *testing.T) {
	for _, s := range []string{
		"", ":", "：", "a:b", "a：b", "a:b：c", "a：b:c", "Ảnh: Hoàng Yến", "图：K.Phuc",
		"\xef\xbc", "\xbc\x9a", "\xef\xbc\x9a\xbc", "\xef\xef\xbc\x9a", "\xf0\xef\xbc\x9a",
		"\xef\xbc\x9a\x9a", "x\xbc\x9a:", ":\xe3\xbc\x9a", "\x9a", "a\x80:\x80",
		strings.Repeat("Lâm Đồng ", 100),
	} {
		t.Run(strings.ToValidUTF8(s, "?"), func(t *testing.T) {
			if got, want := lastColon(s), strings.LastIndexAny(s, ":："); got != want {
				t.Errorf("lastColon(%+q) = %d, want %d", s, got, want)
			}
		})
	}
}

func TestIsDateLineMatchesReference(t *testing.T) {
	for _, s := range []string{
		"", "20/08/2025", "Thứ tư, 20/08/2025 - 09:15", "Việt NamViệt Nam29/08/2023",
		"Báo Lâm ĐồngBáo Lâm Đồng20/08/2025", "2025-08-20", "2025-08-20 09:15",
		"ngày 20 tháng 8 năm 2025", "20.08.2025", "20-08-2025", "Wed, 20 Aug 2025 09:15:00 +0700",
		"Đồng chí Lưu Văn Trung làm việc.", "Ngày 20/08/2025", "a/b/c",
	} {
		t.Run(s, func(t *testing.T) {
			if got, want := isDateLine(s), isDateLineRef(s); got != want {
				t.Errorf("isDateLine(%q) = %v, want %v", s, got, want)
			}
		})
	}
}

// FuzzTextHelpers holds the fast paths of cleanText, nfcString, lastColon,
// isDateLine, scanUTF8 and finish to their straightforward definitions.
func FuzzTextHelpers(f *testing.F) {
	for _, s := range trickyTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cleanText(s), cleanTextRef(s); got != want {
			t.Fatalf("cleanText(%+q) = %+q, want %+q", s, got, want)
		}
		if got, want := nfcString(s), norm.NFC.String(s); got != want {
			t.Fatalf("nfcString(%+q) = %+q, want %+q", s, got, want)
		}
		if got, want := lastColon(s), strings.LastIndexAny(s, ":："); got != want {
			t.Fatalf("lastColon(%+q) = %d, want %d", s, got, want)
		}
		if got, want := isDateLine(s), isDateLineRef(s); got != want {
			t.Fatalf("isDateLine(%+q) = %v, want %v", s, got, want)
		}
		checkDecodeHelpers(t, s)
	})
}

func TestDecodeHelpersOnPages(t *testing.T) {
	bodies, _ := testdataPages(t)
	for _, b := range bodies {
		checkDecodeHelpers(t, string(b))
		checkDecodeHelpers(t, norm.NFD.String(string(b)))
	}
}

// textNodes returns the text of every text node of the testdata pages,
// what cleanText sees most.
func textNodes(b *testing.B) []string {
	bodies, _ := testdataPages(b)
	var out []string
	for _, body := range bodies {
		s, err := Decode(body, "")
		if err != nil {
			b.Fatal(err)
		}
		root, err := html.Parse(strings.NewReader(s))
		if err != nil {
			b.Fatal(err)
		}
		for n := range root.Descendants() {
			if n.Type == html.TextNode {
				out = append(out, n.Data)
			}
		}
	}
	return out
}

func BenchmarkCleanText(b *testing.B) {
	texts := textNodes(b)
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			cleanText(t)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	body := readTestdata(b, "bld-article.html")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(body, ""); err != nil {
			b.Fatal(err)
		}
	}
}
