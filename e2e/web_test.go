package e2e

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"baoscope/index"
	"baoscope/model"
	"baoscope/search"
	"baoscope/server"
)

// getPage fetches one of the web pages.
func getPage(t *testing.T, base, path string) string {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%.500s", path, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	return string(b)
}

// TestWebPageKrongNo: the search page over the crawled sample groups the
// Krông Nô report with links to all its versions and side-by-side views.
func TestWebPageKrongNo(t *testing.T) {
	w := setup(t)
	body := getPage(t, w.api.URL, "/?q=Krong+No")
	if !strings.Contains(body, `href="/reports/396102"`) {
		t.Fatalf("no result for report 396102")
	}
	rep, _ := w.corpus.Report("396102")
	for _, l := range rep.Langs() {
		if l != "vi" && !strings.Contains(body, `href="/reports/396102?lang=`+l+`"`) {
			t.Errorf("no side-by-side link for %s", l)
		}
	}
	if n := strings.Count(body, `class="snippet"`); n == 0 || !strings.Contains(body, "<mark>") {
		t.Errorf("%d snippets, want highlighted ones", n)
	}
	if strings.Count(body, `href="/reports/396102"`) != 1 {
		t.Error("report 396102 listed more than once")
	}
}

// TestWebReportArabicBesideVietnamese: the Arabic version is aligned with
// the original paragraph by paragraph and laid out right to left.
func TestWebReportArabicBesideVietnamese(t *testing.T) {
	w := setup(t)
	body := getPage(t, w.api.URL, "/reports/396102?lang=ar")
	ar := regexp.MustCompile(`<div class="cell" lang="ar" dir="rtl">`).FindAllString(body, -1)
	vi := regexp.MustCompile(`<div class="cell" lang="vi" dir="ltr">`).FindAllString(body, -1)
	if len(ar) == 0 || len(ar) != len(vi) {
		t.Errorf("%d Arabic cells beside %d Vietnamese, want equal and non-zero", len(ar), len(vi))
	}
	if !strings.Contains(body, `aria-current="true"`) {
		t.Error("the switcher does not mark the current language")
	}
}

// TestExportEverything: the exports hold every matching report, however
// small the pages they are built from.
func TestExportEverything(t *testing.T) {
	w := setup(t)
	// A server whose pages hold 2 reports, so the export follows cursors.
	ts := httptest.NewServer(server.New(search.New(w.pipe.Index(), search.Options{}), server.Options{MaxPageSize: 2}))
	defer ts.Close()
	const q = "q=" + "Krong+OR+Jut+OR+Lat+OR+Dong"

	res := get[model.Result](t, w, "/api/v1/search?"+q+"&size=100", http.StatusOK)
	if res.TotalReports < 3 {
		t.Fatalf("only %d reports match; the test needs several pages", res.TotalReports)
	}
	wantVersions := 0
	for _, r := range res.Reports {
		wantVersions += len(r.Versions)
	}

	resp, err := http.Get(ts.URL + "/api/v1/search?" + q + "&format=jsonl")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	lines := 0
	for sc.Scan() {
		var h model.ReportHit
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatalf("line %d: %v", lines+1, err)
		}
		lines++
	}
	resp.Body.Close()
	if lines != res.TotalReports {
		t.Errorf("JSONL export: %d lines, want %d reports", lines, res.TotalReports)
	}

	resp, err = http.Get(ts.URL + "/api/v1/search?" + q + "&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != wantVersions {
		t.Errorf("CSV export: %d rows, want one per version (%d)", len(rows)-1, wantVersions)
	}
}

// TestCrawledMarkupShownAsText builds a real index (no crawl) whose
// crawled title carries <script> and <img onerror>, and checks that the
// API's snippets and both pages show it as text.
func TestCrawledMarkupShownAsText(t *testing.T) {
	ix, err := index.Create(filepath.Join(t.TempDir(), "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	pub := time.Date(2025, 12, 1, 8, 0, 0, 0, model.Vietnam)
	const orig = "https://baolamdong.vn/hoa-da-lat-999002.html"
	docs := []*model.Document{
		{URL: orig, Site: model.SiteBaoLamDong, ReportID: "999002", IsOriginal: true, Lang: "vi", Published: pub,
			Title: `Hoa Đà Lạt <script>alert('title')</script><img src=x onerror=alert(1)>`,
			Body:  []string{`Mùa hoa Đà Lạt <script>alert('body')</script>`, `<img src=x onerror=alert(2)> Đà Lạt`}},
		{URL: "https://www.vietnam.vn/en/dalat-flowers-999002", Site: model.SiteVietnamVN, ReportID: "999002", SourceURL: orig, Lang: "en", Published: pub,
			Title: `Da Lat flowers <img src=x onerror=alert(3)>`,
			Body:  []string{`Da Lat <script>alert('en')</script> in bloom.`}},
	}
	if err := ix.Upsert(docs...); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(search.New(ix, search.Options{}), server.Options{}))
	defer ts.Close()

	resp, err := http.Get(ts.URL + "/api/v1/search?q=" + url.QueryEscape("Đà Lạt"))
	if err != nil {
		t.Fatal(err)
	}
	var res model.Result
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || len(res.Reports) != 1 || len(res.Reports[0].Matched) == 0 {
		t.Fatalf("search: %v, %+v", err, res)
	}
	for _, m := range res.Reports[0].Matched {
		if strings.Contains(m.Snippet, "<script") || strings.Contains(m.Snippet, "<img") {
			t.Errorf("%s snippet carries markup: %q", m.Lang, m.Snippet)
		}
	}
	for _, path := range []string{"/?q=" + url.QueryEscape("Đà Lạt"), "/reports/999002", "/reports/999002?lang=en"} {
		body := getPage(t, ts.URL, path)
		if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
			t.Errorf("%s: crawled markup rendered as markup", path)
		}
		if !strings.Contains(body, "&lt;script&gt;") && !strings.Contains(body, "&lt;img src=x") {
			t.Errorf("%s: crawled markup not shown as text", path)
		}
	}
}
