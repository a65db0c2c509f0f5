package sample

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"baoscope/sites"
)

func TestGenerateDeterministic(t *testing.T) {
	text := testCorpus(t)
	opts := GenerateOptions{Reports: 50, Langs: 3, Seed: 42, Text: text}
	a, b := generate(t, opts), generate(t, opts)
	opts.Seed = 43
	other := generate(t, opts)
	for i := range a.Len() {
		if !reflect.DeepEqual(a.At(i), b.At(i)) {
			t.Fatalf("report %d differs between runs with the same seed", i)
		}
	}
	if reflect.DeepEqual(a.At(0).Versions, other.At(0).Versions) {
		t.Error("a different seed gives the same text")
	}
	// Pages, not only data, are the same.
	sa, sb := newSite(t, a, Options{}), newSite(t, b, Options{})
	r := a.At(17)
	for _, path := range []string{r.Path(), "/chinh-tri/?page=2", "/sitemap.xml"} {
		if get(t, sa.BaoLamDong(), testBaoHost, path) != get(t, sb.BaoLamDong(), testBaoHost, path) {
			t.Errorf("%s differs between runs", path)
		}
	}
	vpath := sites.TranslationPath(r.Versions[1].Lang, r.Slug)
	if get(t, sa.VietnamVN(), testVNHost, vpath) != get(t, sb.VietnamVN(), testVNHost, vpath) {
		t.Errorf("%s differs between runs", vpath)
	}
}

func TestGenerateShape(t *testing.T) {
	text := testCorpus(t)
	tests := []struct {
		reports, langs int
	}{
		{1, 1}, {7, 2}, {2000, 4}, {5, 8},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.reports)+"x"+strconv.Itoa(tt.langs), func(t *testing.T) {
			c := generate(t, GenerateOptions{Reports: tt.reports, Langs: tt.langs, Seed: 1, Text: text})
			if c.Len() != tt.reports || c.Pages() != tt.reports*tt.langs {
				t.Fatalf("Len %d Pages %d, want %d and %d", c.Len(), c.Pages(), tt.reports, tt.reports*tt.langs)
			}
			ids, slugs := map[string]bool{}, map[string]bool{}
			sections := map[string]int{}
			pages := 0
			var prev time.Time
			for r := range c.All() {
				if ids[r.ID] || slugs[r.Slug] {
					t.Fatalf("duplicate id %s or slug %s", r.ID, r.Slug)
				}
				ids[r.ID], slugs[r.Slug] = true, true
				if !slugRe.MatchString(r.Slug) {
					t.Fatalf("slug %q is malformed", r.Slug)
				}
				if a, ok := sites.ParseArticlePath(r.Path()); !ok || a.ID != r.ID || a.Slug != r.Slug {
					t.Fatalf("path %s does not parse back (%+v)", r.Path(), a)
				}
				if r.Published.Before(prev) {
					t.Fatal("reports not in publication order")
				}
				prev = r.Published
				sections[r.Section]++
				if len(r.Versions) != tt.langs || r.Versions[0].Lang != "vi" {
					t.Fatalf("versions %v", r.Langs())
				}
				for _, v := range r.Versions {
					pages++
					if v.Title == "" || len(v.Body) == 0 {
						t.Fatalf("%s/%s has no title or body", r.ID, v.Lang)
					}
				}
				// The store finds the report again from what URLs carry.
				if got, ok := c.Report(r.ID); !ok || got.Slug != r.Slug {
					t.Fatalf("Report(%s) lost", r.ID)
				}
				if i, ok := c.reports.bySlug(r.Slug); !ok || c.reports.brief(i).id != r.ID {
					t.Fatalf("bySlug(%s) lost", r.Slug)
				}
			}
			if pages != tt.reports*tt.langs {
				t.Errorf("%d pages, want %d", pages, tt.reports*tt.langs)
			}
			total := 0
			for _, sec := range c.Sections() {
				n := c.reports.sectionLen(sec.Slug)
				if n != sections[sec.Slug] {
					t.Errorf("sectionLen(%s) = %d, counted %d", sec.Slug, n, sections[sec.Slug])
				}
				for k := range n {
					i := c.reports.sectionAt(sec.Slug, k)
					if c.reports.sectionPos(i) != k || c.At(i).Section != sec.Slug {
						t.Fatalf("section index of %s broken at %d", sec.Slug, k)
					}
				}
				total += n
			}
			if total != tt.reports {
				t.Errorf("sections hold %d reports, want %d", total, tt.reports)
			}
			if tt.reports >= 1000 {
				first, last := c.At(0).Published, c.At(c.Len()-1).Published
				if last.Sub(first) < 300*24*time.Hour {
					t.Errorf("dates span %v, want months", last.Sub(first))
				}
				for _, sec := range c.Sections() {
					if sections[sec.Slug] < tt.reports/len(c.Sections())-1 {
						t.Errorf("section %s has %d reports", sec.Slug, sections[sec.Slug])
					}
				}
			}
		})
	}
}

// TestGeneratedText checks that each language's text is written in the
// language's script and that sentence lengths stay in the corpus's range.
func TestGeneratedText(t *testing.T) {
	c := generate(t, GenerateOptions{Reports: 60, Langs: 8, Seed: 5, Text: testCorpus(t)})
	scripts := map[string]*unicode.RangeTable{
		"ko": unicode.Hangul, "ar": unicode.Arabic, "ru": unicode.Cyrillic,
		"zh": unicode.Han, "th": unicode.Thai, "vi": unicode.Latin, "en": unicode.Latin,
	}
	seen := map[string]bool{}
	for r := range c.All() {
		for _, v := range r.Versions {
			seen[v.Lang] = true
			table, ok := scripts[v.Lang]
			if !ok {
				continue
			}
			var in, letters int
			for _, p := range v.Body {
				for _, ch := range p.Text {
					if unicode.IsLetter(ch) {
						letters++
						if unicode.Is(table, ch) {
							in++
						}
					}
				}
			}
			if letters == 0 || float64(in)/float64(letters) < 0.6 {
				t.Errorf("%s/%s: %d of %d letters in the script", r.ID, v.Lang, in, letters)
			}
		}
	}
	for _, lang := range []string{"vi", "ko", "ar", "de", "ru", "en", "zh"} { // fr, ja and th have little text in testdata
		if !seen[lang] {
			t.Errorf("no %s version among 60 reports", lang)
		}
	}
	vi := c.At(0).Original()
	if strings.ContainsAny(vi.Title[len(vi.Title)-1:], ".,;:") {
		t.Errorf("title ends in punctuation: %q", vi.Title)
	}
}

func TestGeneratedPages(t *testing.T) {
	c := generate(t, GenerateOptions{Reports: 200, Langs: 3, Seed: 9, Text: testCorpus(t)})
	s := newSite(t, c, Options{})
	r := c.At(123)
	p := parsePage(t, get(t, s.BaoLamDong(), testBaoHost, r.Path()))
	if got := text(p.find("h1", "article-title")[0]); got != r.Original().Title {
		t.Errorf("title = %q, want %q", got, r.Original().Title)
	}
	if got := len(p.find("div", "article-content")[0].Attr); got == 0 {
		t.Error("no content")
	}
	v := r.Versions[2]
	vp := parsePage(t, get(t, s.VietnamVN(), testVNHost, sites.TranslationPath(v.Lang, r.Slug)))
	if got := text(vp.find("h1", "post-title")[0]); got != v.Title {
		t.Errorf("translation title = %q, want %q", got, v.Title)
	}
	if u, ok := sites.ParseSourceLine(text(vp.find("p", "post-source")[0])); !ok || u != r.URL() {
		t.Errorf("source line names %q, want %s", u, r.URL())
	}
	if r := fetch(t, s.VietnamVN(), "GET", testVNHost, "/"+missingLang(r)+"/"+r.Slug); r.status != 404 {
		t.Errorf("missing language: status %d", r.status)
	}
	if r := fetch(t, s.VietnamVN(), "GET", testVNHost, "/en/"+r.Slug+"-x"); r.status != 404 {
		t.Errorf("mangled slug: status %d", r.status)
	}
	if r := fetch(t, s.BaoLamDong(), "GET", testBaoHost, "/tin-"+strconv.Itoa(1_000_000+200)+".html"); r.status != 404 {
		t.Errorf("id past the end: status %d", r.status)
	}
}

func missingLang(r *Report) string {
	for _, l := range sites.TranslationLangs() {
		if _, ok := r.Version(l); !ok {
			return l
		}
	}
	return "xx"
}

func TestGenerateErrors(t *testing.T) {
	text := testCorpus(t)
	for _, opts := range []GenerateOptions{
		{Reports: 0, Langs: 1, Text: text},
		{Reports: 10, Langs: 0, Text: text},
		{Reports: 10, Langs: 40, Text: text},
		{Reports: 10, Langs: 2, Text: text, FirstID: 12},
		{Reports: 10, Langs: 2, Text: text, From: time.Now(), To: time.Now().Add(-time.Hour)},
		{Reports: 10, Langs: 2, Text: generate(t, GenerateOptions{Reports: 3, Langs: 1, Text: text})},
	} {
		if _, err := Generate(opts); !errors.Is(err, ErrBadOptions) {
			t.Errorf("Generate(%+v) = %v, want ErrBadOptions", opts, err)
		}
	}
}

func TestGenerateFromEmbedded(t *testing.T) {
	c, err := Generate(GenerateOptions{Reports: 10, Langs: 4, Seed: 1})
	if err != nil {
		t.Fatalf("Generate with the embedded corpus: %v", err)
	}
	if c.Pages() != 40 {
		t.Errorf("Pages = %d", c.Pages())
	}
}

func BenchmarkGenerate(b *testing.B) {
	text := testCorpus(b)
	b.Run("corpus-1M", func(b *testing.B) {
		for b.Loop() {
			if _, err := Generate(GenerateOptions{Reports: 1_000_000, Langs: 5, Seed: 1, Text: text}); err != nil {
				b.Fatal(err)
			}
		}
	})
	c, err := Generate(GenerateOptions{Reports: 1_000_000, Langs: 5, Seed: 1, Text: text})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("report", func(b *testing.B) {
		i := 0
		for b.Loop() {
			c.At(i % c.Len())
			i += 7919
		}
	})
	b.Run("report-without-bodies", func(b *testing.B) {
		i := 0
		for b.Loop() {
			c.reports.at(i%c.Len(), "")
			i += 7919
		}
	})
	s := newSite(b, c, Options{})
	b.Run("article-page", func(b *testing.B) {
		i := 0
		for b.Loop() {
			fetch(b, s.BaoLamDong(), "GET", testBaoHost, c.reports.at(i%c.Len(), "").Path())
			i += 7919
		}
	})
	b.Run("translation-page", func(b *testing.B) {
		i := 0
		for b.Loop() {
			r := c.reports.at(i%c.Len(), "")
			fetch(b, s.VietnamVN(), "GET", testVNHost, sites.TranslationPath(r.Versions[1].Lang, r.Slug))
			i += 7919
		}
	})
}
