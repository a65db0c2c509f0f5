package e2e

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"baoscope/crawler"
	"baoscope/extract"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/search"
	"baoscope/server"
)

// onlyEnglish is the report the cross-language world keeps in Vietnamese
// and English only: a dragon fruit report, a subject other reports carry
// in German, so that German words about it are learned elsewhere.
const onlyEnglish = "386946"

// crossWorld is the bundled corpus with onlyEnglish's other translations
// withheld, crawled, with translation tables learned, behind the API and
// the page as serve wires them.
type crossWorld struct {
	corpus *sample.Corpus
	pipe   *pipeline.Pipeline
	web    *httptest.Server
}

func newCrossWorld(t *testing.T) *crossWorld {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../sample/corpus")); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "reports", onlyEnglish, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if b := filepath.Base(f); b != "vi.txt" && b != "en.txt" {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	w := &crossWorld{}
	if w.corpus, err = sample.LoadFS(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if rep, _ := w.corpus.Report(onlyEnglish); !slices.Equal(rep.Langs(), []string{"en", "vi"}) {
		t.Fatalf("report %s has %v", onlyEnglish, rep.Langs())
	}
	sites, err := sample.Start(w.corpus, sample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sites.Close() })
	ctx := context.Background()
	w.pipe, err = pipeline.Open(ctx, pipeline.Options{
		DataDir: t.TempDir(), Extractor: extract.New(extract.Options{}), Detector: setup(t).det, Learn: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.pipe.Close() })
	blog, _ := url.Parse(sites.BaoLamDongURL)
	vnvn, _ := url.Parse(sites.VietnamVNURL)
	if _, err := w.pipe.Crawl(ctx, crawler.Config{BaoLamDong: blog, VietnamVN: vnvn, Parallel: 4}); err != nil {
		t.Fatal(err)
	}
	if w.pipe.Translations() == nil {
		t.Fatal("the crawl learned no translation tables")
	}
	w.web = httptest.NewServer(server.New(w.pipe.Searcher(search.Options{}), server.Options{Align: w.pipe.Align}))
	t.Cleanup(w.web.Close)
	return w
}

func (w *crossWorld) search(t *testing.T, q string, extra ...string) model.Result {
	t.Helper()
	path := "/api/v1/search?q=" + url.QueryEscape(q) + "&size=10"
	for _, e := range extra {
		path += "&" + e
	}
	return get[model.Result](t, &world{api: w.web}, path, http.StatusOK)
}

// TestCrossLanguage: a German query finds a report published only in
// Vietnamese and English, through its words' learned translations; the
// response says how it translated them; translate=false finds it no
// more; and the report page sets each translation's lead beside the
// original's, also where the translation carries it as a body paragraph.
func TestCrossLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the sample site and learns translation tables")
	}
	w := newCrossWorld(t)
	const query = "Drachenfrucht Preise Bauern"

	t.Run("German query, Vietnamese and English report", func(t *testing.T) {
		res := w.search(t, query)
		r, i := findReport(res, onlyEnglish)
		if i < 0 {
			t.Fatalf("report %s not in the first 10 of %d: %+v", onlyEnglish, res.TotalReports, res.Reports)
		}
		if len(r.Matched) == 0 || slices.ContainsFunc(r.Matched, func(m model.VersionHit) bool { return m.Lang == "de" }) {
			t.Errorf("matched versions %v, want some of vi and en only", matchedLangs(r.Matched))
		}
		if res.Reading == nil || !slices.Equal(res.Reading.From, []string{"de"}) {
			t.Fatalf("reading %+v, want words translated from de", res.Reading)
		}
		if !translatesTo(res.Reading, "Drachenfrucht", "vi") || !translatesTo(res.Reading, "Preise", "en") {
			t.Errorf("reading %+v lacks the translations searched", res.Reading)
		}
	})
	t.Run("translate=false", func(t *testing.T) {
		res := w.search(t, query, "translate=false")
		if _, i := findReport(res, onlyEnglish); i >= 0 {
			t.Errorf("report %s found at %d with the words as written only", onlyEnglish, i)
		}
		if res.Reading == nil || len(res.Reading.From) > 0 || len(res.Reading.Words) > 0 {
			t.Errorf("reading %+v, want no translation", res.Reading)
		}
	})
	t.Run("the page says how it read the query", func(t *testing.T) {
		body := getPage(t, w.web.URL, "/?q="+url.QueryEscape(query))
		for _, want := range []string{`<details class="reading">`, "words translated from German", "translate=off"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	// Translations whose lead is their first body paragraph (the corpus
	// writes a few so).
	for _, tc := range []struct{ report, lang string }{{"386800", "de"}, {"392070", "ko"}, {"396062", "de"}} {
		t.Run("lead beside lead/"+tc.report+"/"+tc.lang, func(t *testing.T) {
			w.leadBesideLead(t, tc.report, tc.lang)
		})
	}
	// The real Korean page of 396102 has no lead and splits the first
	// paragraph in two: the lead sits beside nothing, the first
	// paragraph beside both halves.
	t.Run("seed 396102/ko", func(t *testing.T) {
		ko := w.documents(t, "396102")["ko"]
		if ko == nil || ko.Lead != "" || len(ko.Body) < 2 {
			t.Fatalf("the Korean seed: %+v", ko)
		}
		body := getPage(t, w.web.URL, "/reports/396102?lang=ko")
		if lead := rowCells(t, body, 0); strings.TrimSpace(textIn(lead[1])) != "" {
			t.Errorf("the lead's row holds %q on the Korean side", textIn(lead[1]))
		}
		first := rowCells(t, body, 1)
		for _, p := range ko.Body[:2] {
			if !strings.Contains(textIn(first[1]), prefix(p)) {
				t.Errorf("the first paragraph's row %q lacks %q", textIn(first[1]), prefix(p))
			}
		}
	})
}

// translatesTo reports whether the reading translated word into lang.
func translatesTo(r *model.QueryReading, word, lang string) bool {
	for _, wr := range r.Words {
		if wr.Word == word {
			return slices.ContainsFunc(wr.To, func(lt model.LangTranslations) bool { return lt.Lang == lang && len(lt.Terms) > 0 })
		}
	}
	return false
}

// leadBesideLead checks the report page's first row: the original's
// lead on the left, the translation's on the right, whichever paragraph
// of the translation holds it.
func (w *crossWorld) leadBesideLead(t *testing.T, report, lang string) {
	t.Helper()
	docs := w.documents(t, report)
	vi, tr := docs["vi"], docs[lang]
	if vi == nil || tr == nil || vi.Lead == "" {
		t.Fatalf("report %s lacks a vi lead or a %s version", report, lang)
	}
	// The translation's lead: its lead field, or its first paragraph.
	trLead := tr.Lead
	if trLead == "" {
		trLead = tr.Body[0]
	}
	cells := rowCells(t, getPage(t, w.web.URL, "/reports/"+report+"?lang="+lang), 0)
	if !strings.Contains(textIn(cells[0]), prefix(vi.Lead)) {
		t.Errorf("left cell %q lacks the original's lead %q", textIn(cells[0]), prefix(vi.Lead))
	}
	if !strings.Contains(textIn(cells[1]), prefix(trLead)) {
		t.Errorf("right cell %q lacks the translation's lead %q", textIn(cells[1]), prefix(trLead))
	}
}

// rowCells cuts row n of the report page's side-by-side view (0: the
// lead's) into its two cells' markup.
func rowCells(t *testing.T, body string, n int) [2]string {
	t.Helper()
	rows := strings.Split(body, `<div class="pair `)
	if len(rows) < n+3 { // before the first, the head, then the rows
		t.Fatalf("the page has %d rows, want row %d", len(rows)-2, n)
	}
	cells := strings.Split(rows[n+2], `<div class="cell"`)
	if len(cells) != 3 {
		t.Fatalf("row %d %q, want two cells", n, rows[n+2])
	}
	return [2]string{cells[1], cells[2]}
}

// textIn is a cell's markup (from its attributes on) as text: tags
// become spaces, entities are decoded.
func textIn(cell string) string {
	cell = cell[strings.Index(cell, ">")+1:]
	return html.UnescapeString(tagRe.ReplaceAllString(cell, " "))
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// documents are a report's stored documents by language.
func (w *crossWorld) documents(t *testing.T, report string) map[string]*model.Document {
	t.Helper()
	rep := get[model.Report](t, &world{api: w.web}, "/api/v1/reports/"+report, http.StatusOK)
	out := map[string]*model.Document{}
	for i := range rep.Documents {
		out[rep.Documents[i].Lang] = &rep.Documents[i]
	}
	return out
}

func prefix(s string) string {
	r := []rune(s)
	return string(r[:min(40, len(r))])
}
