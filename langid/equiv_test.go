package langid

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"baoscope/model"
)

// The scanning, folding and counting in this package are written for speed
// (a rune class table, a folding table, one pass over a document). The
// tests below hold them to the plain code they replace, kept here as the
// reference: the answers must not depend on the shortcuts.

// referenceScanWords is scanWords straight from the Unicode tables.
func referenceScanWords(text string, fn func(w string, start int, s script)) {
	start, cur := -1, scriptOther
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r):
			s := scriptLatin
			if r >= 0x80 {
				s = lookUpScript(r)
			}
			if start >= 0 && s != cur {
				fn(text[start:i], start, cur)
				start = -1
			}
			if start < 0 {
				start, cur = i, s
			}
		case start >= 0 && (unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)):
		case start >= 0 && (r == '\'' || r == '’') && referenceLetterFollows(text[i+size:], cur):
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

func referenceLetterFollows(rest string, s script) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsLetter(r) {
		return false
	}
	if r < 0x80 {
		return s == scriptLatin
	}
	return lookUpScript(r) == s
}

// referenceViLetters is the map foldWord first used.
var referenceViLetters = func() map[rune]rune {
	m := map[rune]rune{}
	for base, letters := range map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ", 'e': "èéẻẽẹêềếểễệ", 'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ", 'u': "ùúủũụưừứửữự", 'y': "ỳýỷỹỵ", 'd': "đ",
	} {
		for _, r := range letters {
			m[r], m[unicode.ToUpper(r)] = base, base
		}
	}
	return m
}()

// referenceFoldWord is foldWord with maps, as first written.
func referenceFoldWord(w string) (string, bool, bool) {
	var b strings.Builder
	ok, marked := true, false
	for _, r := range w {
		if r == '\'' || r == '’' {
			ok = false
			b.WriteByte('\'')
			continue
		}
		if base, isVi := referenceViLetters[r]; isVi {
			if strings.ContainsRune(viOnlyLetters, unicode.ToLower(r)) {
				marked = true
			}
			b.WriteRune(base)
			continue
		}
		r = unicode.ToLower(r)
		switch {
		case r == 'f' || r == 'j' || r == 'w' || r == 'z':
			ok = false
		case r >= 'a' && r <= 'z':
		case unicode.Is(unicode.Mn, r):
			marked = true
			continue
		default:
			ok = false
		}
		b.WriteRune(r)
	}
	return b.String(), ok, marked
}

// referenceIsSyllable tries every onset.
func referenceIsSyllable(w string) bool {
	for _, on := range onsets {
		rime, found := strings.CutPrefix(w, on)
		if !found || !rimes[rime] {
			continue
		}
		front := rime != "" && strings.ContainsRune("eiy", rune(rime[0]))
		switch on {
		case "k", "gh", "ngh":
			if !front {
				continue
			}
		case "c", "ng":
			if front {
				continue
			}
		case "g":
			if front && rime[0] != 'i' {
				continue
			}
		}
		return true
	}
	return false
}

// referenceRule is vietnameseRule on the full count, without giving up
// early.
func referenceRule(words []string) (float64, bool) {
	e := countVietnamese(words)
	if e.words < viMinRuleWords {
		return 0, false
	}
	n := float64(e.words)
	syl := float64(e.syllables) / n
	ev := float64(e.evidence) / n
	if e.words >= viLongWords {
		if syl >= viLongSyllables && (float64(e.marked)/n >= viMarkedShareLong || ev >= viEvidenceShare) {
			return max(syl, ev), true
		}
		return 0, false
	}
	if syl >= viShortSyllables && ev >= viEvidenceShare && (e.distinctive > 0 || e.evidence >= viShortEvidence) {
		return ev, true
	}
	return 0, false
}

type scannedWord struct {
	w     string
	start int
	s     script
}

func scanAll(text string, scanner func(string, func(string, int, script))) []scannedWord {
	var out []scannedWord
	scanner(text, func(w string, start int, s script) { out = append(out, scannedWord{w, start, s}) })
	return out
}

// checkEquivalent compares, on one text, every fast path with its
// reference.
func checkEquivalent(t *testing.T, text string) {
	t.Helper()
	if got, want := scanAll(text, scanWords), scanAll(text, referenceScanWords); !slices.Equal(got, want) {
		t.Fatalf("scanWords(%q) = %v, want %v", text, got, want)
	}
	if isNFC(text) && norm.NFC.String(text) != text {
		t.Fatalf("isNFC(%q) but NFC changes it", text)
	}
	p := newProfile(text)
	for s, ws := range p.words {
		letters := 0
		for _, w := range ws {
			for _, r := range w {
				if unicode.IsLetter(r) {
					letters++
				}
			}
		}
		if letters != p.letters[s] {
			t.Fatalf("%q: %d %v letters counted, words have %d", text, p.letters[s], script(s), letters)
		}
	}
	for _, w := range p.words[scriptLatin] {
		f, ok, marked := foldWord(w)
		rf, rok, rmarked := referenceFoldWord(w)
		if f != rf || ok != rok || marked != rmarked {
			t.Fatalf("foldWord(%q) = %q %v %v, want %q %v %v", w, f, ok, marked, rf, rok, rmarked)
		}
		if isSyllable(f) != referenceIsSyllable(f) {
			t.Fatalf("isSyllable(%q) = %v, reference says otherwise", f, isSyllable(f))
		}
	}
	conf, ok := vietnameseRule(p.words[scriptLatin])
	rconf, rok := referenceRule(p.words[scriptLatin])
	if ok != rok || conf != rconf {
		t.Fatalf("vietnameseRule(%q) = %v %v, want %v %v", text, conf, ok, rconf, rok)
	}
	// Names set aside without reading the text again.
	names, n := markNames(p.words[scriptLatin])
	rest, m := stripNames(text)
	if n != m {
		t.Fatalf("%q: markNames found %d names, stripNames %d", text, n, m)
	}
	if n > 0 {
		got, want := p.withoutLatin(names), newProfile(rest)
		if got.letters != want.letters || got.total != want.total || got.weight != want.weight {
			t.Fatalf("%q: withoutLatin counts %v, newProfile of the rest %v", text, got.letters, want.letters)
		}
		for s := range got.words {
			if !slices.Equal(got.words[s], want.words[s]) {
				t.Fatalf("%q: withoutLatin %v words %q, newProfile of the rest %q", text, script(s), got.words[s], want.words[s])
			}
		}
	}
}

// equivalenceTexts are texts of every kind the detector sees.
func equivalenceTexts(t *testing.T) []string {
	texts := []string{
		"Cư Jút, K'nia và Đắk R’lấp (Krong No) 크롱노'노 bna_2023년 Nam'",
		"Tran Van Nam 부위원장은 Cu Jut 코뮌과 Krong No 코뮌을 방문했습니다.",
		"Ngu\u031bo\u031b\u0300i da\u0302n Lâm Đồng", // decomposed
		"Ω Å ﬁ ｶﾞ 가\u11a8 e\u0301 \xff\xfe 😀 𠀋 ー コーヒー",
		"UBND tỉnh Lâm Đồng và HĐND huyện Krông Nô; COVID-19",
	}
	for _, c := range readLabelled(t) {
		texts = append(texts, c.text)
	}
	for _, c := range readQueries(t) {
		texts = append(texts, c.text)
	}
	for _, c := range corpusCases(t, 0) {
		texts = append(texts, c.doc.Text())
	}
	return texts
}

func TestFastPathsEquivalent(t *testing.T) {
	for _, text := range equivalenceTexts(t) {
		checkEquivalent(t, text)
	}
}

// TestRuneClasses checks the class table against the Unicode tables for
// every rune of the Basic Multilingual Plane.
func TestRuneClasses(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		c := classOf(r)
		if got, want := c&classLetter != 0, unicode.IsLetter(r); got != want {
			t.Fatalf("%U: letter %v, want %v", r, got, want)
		}
		if got, want := c&classMark != 0, unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r); got != want {
			t.Fatalf("%U: mark %v, want %v", r, got, want)
		}
		if unicode.IsLetter(r) && r >= 0x80 && scriptOf(r) != lookUpScript(r) {
			t.Fatalf("%U: script %v, want %v", r, scriptOf(r), lookUpScript(r))
		}
		if c&classNFC != 0 {
			// A rune NFC leaves alone stays alone after a starter and before
			// a combining mark that cannot attach to it.
			for _, s := range []string{string(r), "a" + string(r), string(r) + "a", "\u0915" + string(r), string(r) + string(r)} {
				if norm.NFC.String(s) != s {
					t.Fatalf("%U marked NFC-stable, but NFC changes %q", r, s)
				}
			}
		}
	}
}

// TestEarlyStopSameLanguage: stopping lingua-go once the leader is settled
// gives the language that scoring every chunk gives, on every long
// Latin-script document of the sample corpus, and a confidence that
// differs only where a skipped chunk disagreed.
func TestEarlyStopSameLanguage(t *testing.T) {
	d := newDetector(t, Options{})
	g := &d.groups[scriptLatin]
	n := 0
	for _, c := range corpusCases(t, 30) {
		p := newProfile(c.doc.Text())
		words := p.words[scriptLatin]
		if p.weight[scriptLatin] < p.total/2 || len(linguaChunks(words)) < 3 {
			continue
		}
		if _, ok := vietnameseRule(words); ok {
			continue
		}
		n++
		early, all := g.linguaDist(words, true), g.linguaDist(words, false)
		if early[0].Lang != all[0].Lang {
			t.Errorf("%s: early stop says %s, all chunks %s", c.name, early[0].Lang, all[0].Lang)
		}
		if diff := math.Abs(early[0].Confidence - all[0].Confidence); diff > 0.01 {
			t.Errorf("%s: early stop confidence %.4f, all chunks %.4f", c.name, early[0].Confidence, all[0].Confidence)
		}
	}
	t.Logf("%d long Latin-script documents", n)
	if n < 100 {
		t.Errorf("only %d long Latin-script documents", n)
	}
}

// TestDocumentSkipsSettledScripts: a Korean page quoting an English
// paragraph is Korean; DetectDocument does not analyse the English (no
// candidate for it), and reports what Detect reports.
func TestDocumentSkipsSettledScripts(t *testing.T) {
	d := newDetector(t, Options{})
	doc := &model.Document{
		Title: "크롱노 코뮌, 조직 강화로 정부 효율성 제고",
		Body: []string{
			strings.Repeat("크롱노 코뮌은 다크 드로 코뮌, 탄탄 코뮌, 다크 맘 타운의 3개 행정 구역을 합병하여 설립되었습니다. ", 6),
			"The delegation said that the merger of the three administrative units had made the local government closer to the people and faster to respond to their requests.",
		},
	}
	full := d.Detect(doc.Text())
	if full.Lang != "ko" || len(full.Candidates) == 0 || full.Candidates[0].Lang != "en" {
		t.Fatalf("Detect = %s %.4f %v, want ko with an English runner-up", full.Lang, full.Confidence, full.Candidates)
	}
	fast := d.detect(blankURLs(toNFC(doc.Text())), false)
	if fast.Lang != full.Lang || fast.Confidence != full.Confidence || len(fast.Candidates) != 0 {
		t.Errorf("without candidates: %s %.4f %v, want %s %.4f and no candidates", fast.Lang, fast.Confidence, fast.Candidates, full.Lang, full.Confidence)
	}
	d.DetectDocument(doc)
	if doc.Lang != full.Lang || doc.LangConfidence != full.Confidence {
		t.Errorf("DetectDocument = %s %.4f, Detect %s %.4f", doc.Lang, doc.LangConfidence, full.Lang, full.Confidence)
	}
}

func FuzzFastPaths(f *testing.F) {
	for _, s := range []string{
		"Cư Jút, K'nia và Đắk R’lấp (Krong No) 크롱노'노 bna_2023년 Nam'",
		"Tran Van Nam 부위원장은 Cu Jut 코뮌과 Krong No 코뮌을 방문했습니다.",
		"Ngu\u031bo\u031b\u0300i da\u0302n Lâm Đồng",
		"Ω Å ﬁ ｶﾞ 가\u11a8 e\u0301 \xff 😀 ー",
		"chinh quyen hai cap o xa Krong No, UBND tinh Lam Dong",
		"林同省は二層制の地方行政を導入した。Lam Dong",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkEquivalent(t, text)
	})
}
