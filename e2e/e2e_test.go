package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"baoscope/crawler"
	"baoscope/extract"
	"baoscope/langid"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/search"
	"baoscope/server"
)

// world is one crawl of the sample site, shared by the tests of this
// package: building the detector and crawling take seconds, and the tests
// only read.
type world struct {
	corpus *sample.Corpus
	sites  *sample.Servers
	det    *langid.Detector
	pipe   *pipeline.Pipeline
	sum    *pipeline.Summary
	api    *httptest.Server
	data   string
}

var (
	worldOnce sync.Once
	theWorld  *world
	worldErr  error
)

// setup crawls the sample site once per test binary. The data directory
// is removed by TestMain.
func setup(t *testing.T) *world {
	t.Helper()
	worldOnce.Do(func() { theWorld, worldErr = build() })
	if worldErr != nil {
		t.Fatal(worldErr)
	}
	return theWorld
}

func build() (*world, error) {
	w := &world{}
	var err error
	if w.corpus, err = sample.Load(); err != nil {
		return nil, err
	}
	if w.sites, err = sample.Start(w.corpus, sample.Options{}); err != nil {
		return nil, err
	}
	if w.det, err = langid.New(langid.Options{}); err != nil {
		return nil, err
	}
	w.data = tempDir()
	ctx := context.Background()
	w.pipe, err = pipeline.Open(ctx, pipeline.Options{
		DataDir: w.data, Extractor: extract.New(extract.Options{}), Detector: w.det,
	})
	if err != nil {
		return nil, err
	}
	blog, _ := url.Parse(w.sites.BaoLamDongURL)
	vnvn, _ := url.Parse(w.sites.VietnamVNURL)
	w.sum, err = w.pipe.Crawl(ctx, crawler.Config{BaoLamDong: blog, VietnamVN: vnvn, Parallel: 4})
	if err != nil {
		return nil, err
	}
	svc := search.New(w.pipe.Index(), search.Options{Language: func(s string) (string, float64) {
		d := w.det.DetectQuery(s)
		return d.Lang, d.Confidence
	}})
	w.api = httptest.NewServer(server.New(svc, server.Options{}))
	return w, nil
}

func (w *world) close() {
	if w == nil {
		return
	}
	if w.api != nil {
		w.api.Close()
	}
	if w.pipe != nil {
		w.pipe.Close()
	}
	if w.sites != nil {
		w.sites.Close()
	}
}

// get decodes a JSON response of the API.
func get[T any](t *testing.T, w *world, path string, wantStatus int) T {
	t.Helper()
	resp, err := http.Get(w.api.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d", path, resp.StatusCode, wantStatus)
	}
	var v T
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return v
}

func searchAPI(t *testing.T, w *world, q string, extra ...string) model.Result {
	t.Helper()
	path := "/api/v1/search?q=" + url.QueryEscape(q)
	for _, e := range extra {
		path += "&" + e
	}
	return get[model.Result](t, w, path, http.StatusOK)
}

func findReport(res model.Result, id string) (model.ReportHit, int) {
	for i, r := range res.Reports {
		if r.ReportID == id {
			return r, i
		}
	}
	return model.ReportHit{}, -1
}

func langsOf(vs []model.Version) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Lang)
	}
	slices.Sort(out)
	return out
}

func matchedLangs(ms []model.VersionHit) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Lang)
	}
	slices.Sort(out)
	return out
}

func TestKrongNoGroupsKoreanAndArabic(t *testing.T) {
	w := setup(t)
	res := searchAPI(t, w, "Krong No")
	r, i := findReport(res, "396102")
	if i < 0 {
		t.Fatalf("report 396102 not found for %q; got %d reports", "Krong No", len(res.Reports))
	}
	versions := langsOf(r.Versions)
	for _, l := range []string{"ko", "ar", "vi"} {
		if !slices.Contains(versions, l) {
			t.Errorf("report 396102 versions %v lack %s", versions, l)
		}
	}
	// The Korean version carries the Latin name ("크롱노(Krong No)") and
	// must match through the neutral field; the Arabic one spells it only
	// in Arabic script (كرونغ نو), so it is listed under the report without
	// matching.
	matched := matchedLangs(r.Matched)
	for _, l := range []string{"ko", "vi"} {
		if !slices.Contains(matched, l) {
			t.Errorf("report 396102: %s version did not match %q (matched %v)", l, "Krong No", matched)
		}
	}
	// Grouping: one result per report, never one per version.
	seen := map[string]bool{}
	for _, r := range res.Reports {
		if r.ReportID != "" && seen[r.ReportID] {
			t.Errorf("report %s listed twice", r.ReportID)
		}
		seen[r.ReportID] = true
	}
}

func TestGermanQueryListsEveryVersion(t *testing.T) {
	w := setup(t)
	res := searchAPI(t, w, "Gemeinde Cu Jut Armutsreduzierung")
	r, i := findReport(res, "386800")
	if i != 0 {
		t.Fatalf("report 386800 at position %d for the German query, want first; reports: %+v", i, res.Reports)
	}
	rep, ok := w.corpus.Report("386800")
	if !ok {
		t.Fatal("corpus lacks 386800")
	}
	if got, want := langsOf(r.Versions), rep.Langs(); !slices.Equal(got, want) {
		t.Errorf("versions of 386800 = %v, want every corpus version %v", got, want)
	}
	if !slices.Contains(matchedLangs(r.Matched), "de") {
		t.Errorf("the de version did not match: %v", matchedLangs(r.Matched))
	}
	if res.QueryLang != "de" {
		t.Errorf("query language = %q, want de", res.QueryLang)
	}
}

func TestNgheAnPageIsIndexedUnlinked(t *testing.T) {
	w := setup(t)
	res := searchAPI(t, w, "응에안성")
	var hits []model.ReportHit
	for _, r := range res.Reports {
		for _, v := range r.Versions {
			if strings.Contains(v.URL, "/ko/") && r.ReportID == "" {
				hits = append(hits, r)
			}
		}
	}
	if len(hits) != 1 {
		t.Fatalf("want the Nghe An page as one unlinked result, got %d (reports %+v)", len(hits), res.Reports)
	}
	if n := len(hits[0].Versions); n != 1 {
		t.Errorf("unlinked page grouped with %d versions, want 1", n)
	}
	st := get[model.Stats](t, w, "/api/v1/stats", http.StatusOK)
	if st.Unlinked != len(w.corpus.Unlinked()) {
		t.Errorf("stats: %d unlinked documents, want %d", st.Unlinked, len(w.corpus.Unlinked()))
	}
}

func TestSeedLanguagesDetected(t *testing.T) {
	w := setup(t)
	tests := []struct {
		report, lang string
	}{
		{"396102", "ko"}, {"396102", "ar"}, {"386800", "de"}, {"386694", "ru"},
	}
	for _, tt := range tests {
		t.Run(tt.report+"/"+tt.lang, func(t *testing.T) {
			rep := get[model.Report](t, w, "/api/v1/reports/"+tt.report, http.StatusOK)
			for _, d := range rep.Documents {
				if strings.Contains(d.URL, "/"+tt.lang+"/") {
					if d.Lang != tt.lang || d.LangMismatch {
						t.Errorf("%s: detected %q (confidence %.2f, mismatch %v), want %s", d.URL, d.Lang, d.LangConfidence, d.LangMismatch, tt.lang)
					}
					return
				}
			}
			t.Errorf("report %s has no %s document", tt.report, tt.lang)
		})
	}
	// The Nghe An seed: Korean, despite its Vietnamese chrome lines.
	res := searchAPI(t, w, "응에안성")
	for _, r := range res.Reports {
		if r.ReportID == "" {
			if r.Versions[0].Lang != "ko" {
				t.Errorf("Nghe An page detected as %q, want ko", r.Versions[0].Lang)
			}
		}
	}
}

func TestEveryCorpusVersionIndexed(t *testing.T) {
	w := setup(t)
	want := 0
	for rep := range w.corpus.All() {
		want += len(rep.Versions)
		got := get[model.Report](t, w, "/api/v1/reports/"+rep.ID, http.StatusOK)
		if g, c := langsOf(got.Versions), rep.Langs(); !slices.Equal(g, c) {
			t.Errorf("report %s: indexed versions %v, corpus %v", rep.ID, g, c)
		}
		for _, d := range got.Documents {
			if d.IsOriginal != (d.Lang == "vi") {
				t.Errorf("%s: is_original=%v for lang %s", d.URL, d.IsOriginal, d.Lang)
			}
		}
	}
	want += len(w.corpus.Unlinked())
	st := get[model.Stats](t, w, "/api/v1/stats", http.StatusOK)
	if st.Documents != want {
		t.Errorf("stats: %d documents, want %d", st.Documents, want)
	}
	if got := st.BySiteLang["baolamdong.vn"]["vi"]; got != w.corpus.Len() {
		t.Errorf("stats: %d Vietnamese documents on baolamdong.vn, want %d", got, w.corpus.Len())
	}
	if st.Reports != w.corpus.Len() {
		t.Errorf("stats: %d reports, want %d", st.Reports, w.corpus.Len())
	}
	if n := w.sum.Crawl.FailureCount("baolamdong.vn", "network") + w.sum.Crawl.FailureCount("vietnam.vn", "network"); n > 0 {
		t.Errorf("%d network failures crawling the loopback site", n)
	}
	// The bundled corpus as sample/corpus/README.md and docs/retrieval.md
	// describe it: 100 reports, 707 translations, one unlinked page (in
	// Korean: 69 Korean translations and it).
	wantLangs := map[string]int{"vi": 100, "en": 79, "zh": 71, "ko": 70, "ja": 64, "th": 62, "de": 61, "ru": 61, "fr": 61, "ar": 60, "id": 60, "es": 59}
	if st.Reports != 100 || st.Documents != 808 || st.Unlinked != 1 {
		t.Errorf("stats: %d reports, %d documents, %d unlinked; want 100, 808, 1", st.Reports, st.Documents, st.Unlinked)
	}
	for l, n := range wantLangs {
		if got := st.BySiteLang["baolamdong.vn"][l] + st.BySiteLang["vietnam.vn"][l]; got != n {
			t.Errorf("stats: %d %s documents, want %d", got, l, n)
		}
	}
}

func TestRecrawlAddsNothing(t *testing.T) {
	w := setup(t)
	before, _ := w.pipe.Index().Count()
	blog, _ := url.Parse(w.sites.BaoLamDongURL)
	vnvn, _ := url.Parse(w.sites.VietnamVNURL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sum, err := w.pipe.Crawl(ctx, crawler.Config{BaoLamDong: blog, VietnamVN: vnvn, Parallel: 4})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := w.pipe.Index().Count()
	if after != before {
		t.Errorf("recrawl changed the index from %d to %d documents", before, after)
	}
	if got := sum.Crawl.Count(model.SiteBaoLamDong, crawler.CountFetched); got != 0 {
		t.Errorf("recrawl refetched %d stored originals", got)
	}
	for lang, m := range sum.Langs {
		if m[string(crawler.CountNew)] > 0 {
			t.Errorf("recrawl added %d new %s documents", m[string(crawler.CountNew)], lang)
		}
	}
}

func TestBadQueryIs400WithPosition(t *testing.T) {
	w := setup(t)
	body := get[struct {
		Error struct {
			Code     string `json:"code"`
			Message  string `json:"message"`
			Position *int   `json:"position"`
		} `json:"error"`
	}](t, w, "/api/v1/search?q="+url.QueryEscape(`Krong "No`), http.StatusBadRequest)
	if body.Error.Position == nil || body.Error.Code != "bad_query" {
		t.Errorf("error body %+v, want code bad_query with a position", body.Error)
	}
}

func TestQueryVariantsFindKrongNo(t *testing.T) {
	w := setup(t)
	tests := []struct {
		q, lang string // lang: a version that must be among the matched
	}{
		{"krong no", "vi"},
		{"Krông Nô", "vi"},
		{"KRONG NO", "ko"},
		{"크롱노", "ko"},
		{"1481", "ar"},
		{"1,481", "ko"},
		{"1.481", "vi"},
		{`"Krong No" lang:ko`, "ko"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res := searchAPI(t, w, tt.q)
			r, i := findReport(res, "396102")
			if i < 0 {
				t.Fatalf("%q does not find 396102 (%d reports)", tt.q, len(res.Reports))
			}
			if !slices.Contains(matchedLangs(r.Matched), tt.lang) {
				t.Errorf("%q: %s version not matched (matched %v)", tt.q, tt.lang, matchedLangs(r.Matched))
			}
			for _, m := range r.Matched {
				if !strings.Contains(m.Snippet, "<mark>") {
					t.Errorf("%q: %s snippet has no highlight: %q", tt.q, m.Lang, m.Snippet)
				}
			}
		})
	}
}

func TestFoldedMatchHighlightsOriginalSpelling(t *testing.T) {
	w := setup(t)
	res := searchAPI(t, w, "krong no", "lang=vi")
	r, i := findReport(res, "396102")
	if i < 0 || len(r.Matched) == 0 {
		t.Fatalf("krong no lang=vi: 396102 not matched")
	}
	if sn := r.Matched[0].Snippet; !strings.Contains(sn, "<mark>Krông</mark>") {
		t.Errorf("snippet %q should mark the original spelling Krông", sn)
	}
	for _, v := range r.Matched {
		if v.Lang != "vi" {
			t.Errorf("lang=vi matched a %s version", v.Lang)
		}
	}
	if r.Published.Format("-07:00") != "+07:00" {
		t.Errorf("published %v is not in Vietnam time", r.Published)
	}
}

// TestLanguageDisagreementsVisible: every version carries its declared and
// detected language; on the sample corpus they agree everywhere, and the
// stats say so.
func TestLanguageDisagreementsVisible(t *testing.T) {
	w := setup(t)
	res := searchAPI(t, w, everything, "size=100")
	n := 0
	for _, r := range res.Reports {
		for _, v := range r.Versions {
			n++
			if v.DeclaredLang == "" {
				t.Errorf("%s: no declared language", v.URL)
			}
			if v.LangMismatch || v.DeclaredLang != v.Lang {
				t.Errorf("%s: declared %q, detected %q, mismatch %v", v.URL, v.DeclaredLang, v.Lang, v.LangMismatch)
			}
		}
	}
	if n == 0 {
		t.Fatal("no versions listed")
	}
	st := get[model.Stats](t, w, "/api/v1/stats", http.StatusOK)
	if st.LangMismatches != 0 {
		t.Errorf("stats: %d language mismatches on the sample corpus, want 0", st.LangMismatches)
	}
}
