package server

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode"

	"baoscope/index"
	"baoscope/model"
	"baoscope/search"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The fixture: a real Bleve index built from a few documents, no crawl.
// Report 396102 has a Vietnamese original and Korean, Arabic and English
// versions (the Arabic one with fewer paragraphs, so the side-by-side view
// pads); 386800 a German version; 999001 crawled titles that try to inject
// markup; and one Korean page is linked to no report.
const (
	blog = "https://baolamdong.vn/"
	vnvn = "https://www.vietnam.vn/"
)

func published(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 30, 0, 0, model.Vietnam)
}

func fixtureDocs() []*model.Document {
	pub := published(2025, 10, 15)
	orig := blog + "xa-krong-no-396102.html"
	docs := []*model.Document{
		{
			URL: orig, Site: model.SiteBaoLamDong, ReportID: "396102", IsOriginal: true, Lang: "vi", DeclaredLang: "vi", LangConfidence: 1,
			Title:     "Xã Krông Nô ra mắt chính quyền hai cấp",
			Lead:      "Xã Krông Nô tổ chức lễ công bố nghị quyết thành lập.",
			Body:      []string{"Xã Krông Nô được thành lập trên cơ sở sáp nhập ba xã.", "Diện tích tự nhiên 1.481 km².", "Dân số hơn 48.880 người."},
			Published: pub, Section: "chinh-tri", Author: "Minh Anh",
		},
		{
			URL: vnvn + "ko/krong-no-commune", Site: model.SiteVietnamVN, ReportID: "396102", SourceURL: orig, Lang: "ko", DeclaredLang: "ko", LangConfidence: 1,
			Title:     "크롱노(Krong No) 코뮌, 2단계 정부 출범",
			Lead:      "크롱노 코뮌은 설립 결의 발표식을 개최했습니다.",
			Body:      []string{"크롱노(Krong No) 코뮌은 3개 코뮌을 합병하여 설립되었습니다.", "자연 면적은 1,481km²입니다.", "인구는 48,880명 이상입니다."},
			Published: pub, Section: "chinh-tri",
		},
		{
			URL: vnvn + "ar/krong-no-commune", Site: model.SiteVietnamVN, ReportID: "396102", SourceURL: orig, Lang: "ar", DeclaredLang: "ar", LangConfidence: 0.98,
			Title:     "بلدية كرونغ نو تطلق الحكومة ذات المستويين",
			Lead:      "نظمت بلدية كرونغ نو حفل إعلان قرار التأسيس.",
			Body:      []string{"تأسست بلدية كرونغ نو من دمج ثلاث بلديات.", "تبلغ مساحتها ١٤٨١ كيلومترًا مربعًا."},
			Published: pub, Section: "chinh-tri",
		},
		{
			URL: vnvn + "en/krong-no-commune", Site: model.SiteVietnamVN, ReportID: "396102", SourceURL: orig, Lang: "en", DeclaredLang: "en", LangConfidence: 0.99,
			Title:     "Krong No commune launches two-level government",
			Lead:      "Krong No commune held a ceremony announcing its establishment.",
			Body:      []string{"Krong No commune was formed by merging three communes.", "Its natural area is 1,481 km².", "Its population is over 48,880."},
			Published: pub, Section: "chinh-tri",
		},
		{
			URL: blog + "cu-jut-giam-ngheo-386800.html", Site: model.SiteBaoLamDong, ReportID: "386800", IsOriginal: true, Lang: "vi", DeclaredLang: "vi", LangConfidence: 1,
			Title:     "Cư Jút nỗ lực giảm nghèo bền vững",
			Body:      []string{"Xã Cư Jút có 50 thôn, bon với hơn 48.880 nhân khẩu."},
			Published: published(2025, 8, 9), Section: "chinh-tri",
		},
		{
			URL: vnvn + "de/cu-jut-armut", Site: model.SiteVietnamVN, ReportID: "386800", SourceURL: blog + "cu-jut-giam-ngheo-386800.html", Lang: "de", DeclaredLang: "de", LangConfidence: 0.97,
			Title:     "Gemeinde Cu Jut: Armutsreduzierung",
			Body:      []string{"Die Gemeinde Cu Jut besteht aus 50 dörflichen Einheiten."},
			Published: published(2025, 8, 9), Section: "chinh-tri",
		},
		{
			URL: blog + "xss-999001.html", Site: model.SiteBaoLamDong, ReportID: "999001", IsOriginal: true, Lang: "vi", DeclaredLang: "vi", LangConfidence: 1,
			Title:     `Đà Lạt <script>alert("xss")</script> mùa hoa <img src=x onerror=alert(1)>`,
			Lead:      `Lễ hội hoa Đà Lạt <b onmouseover="alert(2)">rực rỡ</b>`,
			Body:      []string{`Du khách đến Đà Lạt ngắm hoa </p><script>alert(3)</script>`, `Đà Lạt " onfocus="alert(4)`},
			Published: published(2025, 12, 20), Section: "van-hoa",
		},
		{
			URL: vnvn + "en/dalat-flowers", Site: model.SiteVietnamVN, ReportID: "999001", SourceURL: blog + "xss-999001.html", Lang: "en", DeclaredLang: "en", LangConfidence: 0.99,
			Title:     `Da Lat flower season <img src=x onerror=alert(5)>`,
			Body:      []string{`Visitors come to Da Lat <script>alert(6)</script> for the flowers.`},
			Published: published(2025, 12, 20), Section: "van-hoa",
		},
		{
			URL: vnvn + "ko/nghe-an", Site: model.SiteVietnamVN, Lang: "ko", DeclaredLang: "ko", LangConfidence: 1,
			Title:     "응에안성, 신농촌 건설 박차",
			Body:      []string{"응에안성은 신농촌 건설을 가속화하고 있습니다."},
			Published: published(2023, 8, 29),
		},
	}
	return docs
}

// hangulQuery is the fixture's stand-in for the language detector: the
// server only shows what search reports, and the real detector is
// exercised end to end in package e2e.
func hangulQuery(text string) (string, float64) {
	for _, r := range text {
		if unicode.Is(unicode.Hangul, r) {
			return "ko", 1
		}
	}
	return model.LangUnknown, 0
}

// newFixtureService builds the fixture index in a temporary directory.
func newFixtureService(t testing.TB) search.Service {
	t.Helper()
	ix, err := index.Create(filepath.Join(t.TempDir(), "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Upsert(fixtureDocs()...); err != nil {
		t.Fatal(err)
	}
	return search.New(ix, search.Options{Language: hangulQuery})
}

// fixtureCrawl is what the stats report about the last crawl.
func fixtureCrawl() *CrawlInfo {
	return &CrawlInfo{
		Started: time.Date(2026, 3, 20, 1, 0, 0, 0, time.UTC), Finished: time.Date(2026, 3, 20, 1, 5, 0, 0, time.UTC), Fetches: 120,
		Sites: map[string]SiteCrawl{
			"baolamdong.vn": {Counts: map[string]int{"fetched": 40, "not_found": 1}},
			"vietnam.vn":    {Counts: map[string]int{"fetched": 78}, Failures: map[string]int{"network": 1}},
		},
		Documents: map[string]map[string]int{"vi": {"new": 3}},
	}
}

// newTestServer serves the fixture through httptest with opts.
func newTestServer(t testing.TB, svc search.Service, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.LastCrawl == nil {
		opts.LastCrawl = func(context.Context) (*CrawlInfo, error) { return fixtureCrawl(), nil }
	}
	if opts.IndexSize == nil {
		opts.IndexSize = func() (int64, error) { return 4096, nil }
	}
	s := New(svc, opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./server/ -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (go test ./server/ -update to accept):\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func mustGet(t *testing.T, url string) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}
