package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"baoscope/model"
)

var update = flag.Bool("update", false, "rewrite golden files and generated testdata")

const (
	bld = model.SiteBaoLamDong
	vn  = model.SiteVietnamVN

	utf8Type = "text/html; charset=utf-8"

	url396102  = "https://baolamdong.vn/krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen-396102.html"
	url386800  = "https://baolamdong.vn/cu-jut-can-phan-dau-tro-thanh-la-co-dau-o-khu-vuc-phia-tay-tinh-lam-dong-386800.html"
	url386694  = "https://baolamdong.vn/pho-bi-thu-tinh-uy-lam-dong-bui-thang-kiem-tra-cong-toc-van-hanh-chinh-quyen-dia-phuong-hai-cap-tai-gia-hiep-va-di-linh-386694.html"
	slug396102 = "krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen"
)

// pageCase is one testdata page and what must come out of it.
type pageCase struct {
	file        string // under testdata/
	url, site   string
	contentType string

	wantErr error

	reportID    string
	original    bool
	lang        string // DeclaredLang
	title       string
	lead        string
	first       string // first body paragraph
	last        string // last body paragraph
	sourceURL   string
	section     string
	author      string
	published   string // RFC 3339
	tags        []string
	minParas    int
	viaFallback bool // body must come from the trafilatura fallback
}

var pageCases = []pageCase{
	{
		file: "bld-article.html", url: url396102, site: bld, contentType: utf8Type,
		reportID: "396102", original: true, lang: "vi",
		title:     "Krông Nô: Kiện toàn tổ chức, nâng cao hiệu quả chính quyền",
		lead:      "Chiều 14/10, đoàn công tác của Ban Thường vụ Tỉnh ủy do đồng chí Lưu Văn Trung, Phó Bí thư Tỉnh ủy Lâm Đồng làm trưởng đoàn đã làm việc với Ban Thường vụ Đảng ủy xã Krông Nô về tình hình vận hành chính quyền địa phương hai cấp và việc triển khai Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2025 - 2030.",
		first:     "Xã Krông Nô được thành lập trên cơ sở sáp nhập 3 đơn vị hành chính",
		last:      "đồng chí đề nghị địa phương xác định rõ trọng tâm, trọng điểm để tập trung lãnh đạo, chỉ đạo, tạo ra kết quả thực chất.",
		section:   "chinh-tri",
		author:    "Hoàng Yến",
		published: "2025-10-15T08:30:00+07:00",
		tags:      []string{"Krông Nô", "chính quyền địa phương hai cấp", "Lưu Văn Trung"},
		minParas:  10,
	},
	{
		// The older URL form has no id; the canonical link has. No
		// breadcrumb: the section comes from the URL. JSON-LD in @graph with
		// array-shaped author, section and keywords.
		file: "bld-old-url.html", url: "https://baolamdong.vn/chinh-tri/202508/cu-jut-can-phan-dau-tro-thanh-la-co-dau-o-khu-vuc-phia-tay-tinh-lam-dong/", site: bld, contentType: utf8Type,
		reportID: "386800", original: true, lang: "vi",
		title:     "Cư Jút cần phấn đấu trở thành lá cờ đầu ở khu vực phía Tây tỉnh Lâm Đồng",
		first:     "Cùng dự buổi làm việc có các đồng chí: Trần Văn Nam",
		section:   "chinh-tri",
		author:    "Văn Báu",
		published: "2025-08-09T10:15:00+07:00",
		tags:      []string{"Cư Jút", "Lưu Văn Trung", "chính quyền địa phương hai cấp"},
		minParas:  10,
	},
	{file: "bld-listing.html", url: "https://baolamdong.vn/chinh-tri/?page=2", site: bld, wantErr: ErrNotArticle},
	{file: "bld-home.html", url: "https://baolamdong.vn/", site: bld, wantErr: ErrNotArticle},
	{
		file: "vn-ko-396102.html", url: "https://www.vietnam.vn/ko/" + slug396102, site: vn, contentType: utf8Type,
		reportID: "396102", lang: "ko",
		title:     "크롱노: 조직 정비, 지방 정부 효율성 제고",
		first:     "크롱노 코뮌은 다크 드로 코뮌, 탄탄 코뮌, 다크 맘 타운(구 크롱노 지구)의 3개 행정 구역을 합병하여 설립되었습니다.",
		last:      "정치국의 57, 59, 66, 68... 등 획기적인 결의안을 이행하는 것과 관련하여, 지방에서는 초점과 핵심 사항을 명확히 파악하여 지도와 방향에 집중하고 실질적인 성과를 내야 한다고 제안했습니다.",
		sourceURL: url396102,
		published: "2025-10-15T10:30:00+07:00",
		minParas:  15,
	},
	{
		file: "vn-ar-396102.html", url: "https://www.vietnam.vn/ar/" + slug396102, site: vn, contentType: utf8Type,
		reportID: "396102", lang: "ar",
		title:     "كرونغ نو: استكمال التنظيم وتحسين كفاءة الحكومة",
		first:     "تأسست بلدية كرونج نو على أساس دمج ثلاث وحدات إدارية",
		last:      "وفيما يتعلق بتنفيذ قرارات المكتب السياسي الرائدة مثل 57، 59، 66، 68...، اقترح أن تحدد المحليات بوضوح التركيز والنقاط الرئيسية للتركيز على القيادة والتوجيه، وتحقيق نتائج عملية.",
		sourceURL: url396102,
		published: "2025-10-15T11:00:00+07:00",
		minParas:  15,
	},
	{
		file: "vn-de-386800.html", url: "https://www.vietnam.vn/de/cu-jut-can-phan-dau-tro-thanh-la-co-dau-o-khu-vuc-phia-tay-tinh-lam-dong", site: vn, contentType: utf8Type,
		reportID: "386800", lang: "de",
		title:     "Cu Jut muss danach streben, zum Vorreiter im Westen der Provinz Lam Dong zu werden",
		first:     "Ziel der Arbeitssitzung war es, die Funktionsweise des zweistufigen lokalen Regierungsapparats",
		last:      "ihre Stärken zu fördern und die richtigen Rollen zu spielen.",
		sourceURL: url386800,
		published: "2025-08-09T12:15:00+07:00",
		minParas:  15,
	},
	{
		// Source line as a plain paragraph in English, image debris
		// (".jpg)") as paragraphs, as the seed shows.
		file: "vn-ru-386694.html", url: "https://www.vietnam.vn/ru/pho-bi-thu-tinh-uy-lam-dong-bui-thang-kiem-tra-cong-toc-van-hanh-chinh-quyen-dia-phuong-hai-cap-tai-gia-hiep-va-di-linh", site: vn, contentType: utf8Type,
		reportID: "386694", lang: "ru",
		first:     "В состав рабочей делегации также вошли представители Оргкомитета обкома партии",
		last:      "создавать импульс для устойчивого развития каждого населенного пункта.",
		sourceURL: url386694,
		published: "2025-08-08T18:00:00+07:00",
		minParas:  15,
	},
	{
		// Not a baolamdong report: bare "원천", Vietnamese chrome, Korean
		// footer blocks.
		file: "vn-ko-nghean.html", url: "https://www.vietnam.vn/ko/ban-thuong-vu-tinh-uy-nghe-an-giao-nghien-cuu-tham-muu-quy-dinh-thi-diem-tang-cuong-can-bo-cap-so-nganh-ve-xa", site: vn, contentType: utf8Type,
		lang:      "ko",
		title:     "도당위원회 상임위원회는 도당위원회 조직위원회에 부처 및 부문 간부를 동원하여 코뮌 차원의 강화에 관한 시범 규정 발행에 관한 연구 및 자문을 맡겼습니다.",
		first:     "6가지 핵심 과제",
		last:      "도당위원회 상무위원회는 도에서 기층까지 정치조직에 이 결론을 진지하게 이행할 것을 요구했습니다.",
		published: "2023-08-29T00:00:00+07:00",
		minParas:  20,
	},
	{
		file: "vn-ko-other-paper.html", url: "https://www.vietnam.vn/ko/dak-nong-phat-trien-ca-phe-ben-vung", site: vn, contentType: utf8Type,
		lang:      "ko",
		title:     "닥농, 지속 가능한 커피 개발",
		first:     "닥농성은 커피 재배 농가를 위한 지속 가능한 개발 프로그램을 시행하고 있습니다.",
		last:      "농가들은 국제 인증 기준에 따라 생산하도록 지원을 받고 있습니다.",
		sourceURL: "https://baodaknong.vn/dak-nong-phat-trien-ca-phe-ben-vung-12345.html",
		published: "2024-11-02T09:00:00+07:00",
		minParas:  3,
	},
	{
		file: "vn-en-no-source.html", url: "https://www.vietnam.vn/en/lam-dong-coffee-festival-2025", site: vn, contentType: utf8Type,
		lang:      "en",
		title:     "Lam Dong prepares for the 2025 coffee festival",
		first:     "Lam Dong province is preparing a week of events for the coffee festival in Bao Loc.",
		last:      "The festival will close with a night of music on the city square.",
		published: "2025-03-01T07:45:00+07:00",
		minParas:  3,
	},
	{
		// None of the known classes: the body must come from trafilatura,
		// the rest from JSON-LD and the <title>.
		file: "bld-redesigned.html", url: url386694, site: bld, contentType: utf8Type,
		reportID: "386694", original: true, lang: "vi",
		title: "Phó Bí thư Tỉnh ủy Lâm Đồng Bùi Thắng kiểm tra công tác vận hành chính quyền địa phương hai cấp tại Gia Hiệp và Di Linh",
		// Nothing marks the summary as the lead, so it opens the body.
		first:       "Ngày 7/8, đoàn công tác của Tỉnh ủy Lâm Đồng",
		last:        "tạo động lực phát triển bền vững cho từng địa phương.",
		section:     "chinh-tri", // from the breadcrumb-like "crumbs" links
		author:      "Khánh Phúc",
		published:   "2025-08-08T16:20:00+07:00",
		tags:        []string{"Bùi Thắng", "Gia Hiệp", "Di Linh"},
		minParas:    8,
		viaFallback: true,
	},
	{
		// A redesigned vietnam.vn page with its chrome as plain text and
		// the source line as a paragraph: the filters must clean the
		// fallback's output too.
		file: "vn-de-redesigned.html", url: "https://www.vietnam.vn/de/cu-jut-can-phan-dau-tro-thanh-la-co-dau-o-khu-vuc-phia-tay-tinh-lam-dong", site: vn, contentType: utf8Type,
		reportID: "386800", lang: "de",
		title:       "Cu Jut muss danach streben, zum Vorreiter im Westen der Provinz Lam Dong zu werden",
		first:       "Ziel der Arbeitssitzung war es",
		last:        "ihre Stärken zu fördern und die richtigen Rollen zu spielen.",
		sourceURL:   url386800,
		published:   "2025-08-09T00:00:00+07:00", // from the paper-name-and-date line
		minParas:    10,
		viaFallback: true,
	},
	{
		// Unclosed tags, junk, stray end tags, a truncated end.
		file: "broken.html", url: url386800, site: bld, contentType: "",
		reportID: "386800", original: true, lang: "vi",
		title:     "Cư Jút cần phấn đấu trở thành lá cờ đầu ở khu vực phía Tây tỉnh Lâm Đồng",
		lead:      "Ngày 8/8, đồng chí Lưu Văn Trung, Phó Bí thư Tỉnh ủy Lâm Đồng đã làm việc với Ban Thường vụ Đảng ủy xã Cư Jút về tình hình vận hành bộ máy chính quyền địa phương hai cấp và việc triển khai Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2025 - 2030.",
		first:     "Cùng dự buổi làm việc có các đồng chí: Trần Văn Nam",
		last:      "Đối với một số thủ tục liên thông chưa có quy định phối hợp cụ thể.",
		section:   "chinh-tri",
		author:    "Văn Báu",
		published: "2025-08-09T10:15:00+07:00",
		minParas:  5,
	},
}

// chromeStrings must appear in no body paragraph of any page.
var chromeStrings = []string{
	"Vietnam.vn", "Nền tảng quảng bá", "Báo Lâm ĐồngBáo Lâm Đồng", "Việt NamViệt Nam",
	"(0)", "Same tag", "같은 태그", "같은 카테고리", "같은 저자", "Tin liên quan",
	"Gleiches Tag", "Тот же тег", "نفس الوسم", "No data", "No videos",
	".jpg", ".jpeg", ".JPG", "사진:", "Ảnh:", "Photo:", "Source:", "출처", "Quelle:",
	"Источник:", "المصدر", "원천", "Trang chủ", "Chính trị Kinh tế", "댓글", "Kommentar (",
	"Комментарий (", "تعليق (", "Tin khác", "Tổng Biên tập",
	"https://", "Đọc nhiều", "Giấy phép",
}

// chromeParagraphs must not be a whole paragraph of any page; as
// substrings they are ordinary words ("1지역 1제품").
var chromeParagraphs = []string{"유산", "수치", "사업", "소식", "정치 체제", "현지의", "제품", "Báo Lâm Đồng", "Việt Nam"}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtractPages(t *testing.T) {
	ex := New(Options{})
	for _, tc := range pageCases {
		t.Run(strings.TrimSuffix(tc.file, ".html"), func(t *testing.T) {
			doc, err := ex.Extract(Page{URL: tc.url, Site: tc.site, ContentType: tc.contentType, Body: readTestdata(t, tc.file)})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, tc, doc)
			checkGolden(t, strings.TrimSuffix(tc.file, ".html"), doc)
		})
	}
}

func checkDoc(t *testing.T, tc pageCase, doc *model.Document) {
	t.Helper()
	eq := func(field, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	eq("ReportID", doc.ReportID, tc.reportID)
	eq("DeclaredLang", doc.DeclaredLang, tc.lang)
	eq("SourceURL", doc.SourceURL, tc.sourceURL)
	eq("Section", doc.Section, tc.section)
	eq("Site", doc.Site, tc.site)
	eq("URL", doc.URL, tc.url)
	if doc.IsOriginal != tc.original {
		t.Errorf("IsOriginal = %v, want %v", doc.IsOriginal, tc.original)
	}
	if tc.title != "" {
		eq("Title", doc.Title, tc.title)
	}
	if tc.lead != "" {
		eq("Lead", doc.Lead, tc.lead)
	}
	if !tc.original && doc.Lead != "" {
		t.Errorf("translation Lead = %q, want empty", doc.Lead)
	}
	if tc.author != "" {
		eq("Author", doc.Author, tc.author)
	}
	if tc.published != "" {
		eq("Published", doc.Published.Format(time.RFC3339), tc.published)
	}
	if tc.tags != nil {
		eq("Tags", strings.Join(doc.Tags, "|"), strings.Join(tc.tags, "|"))
	}
	if len(doc.Body) < tc.minParas {
		t.Fatalf("%d paragraphs, want at least %d: %q", len(doc.Body), tc.minParas, doc.Body)
	}
	if tc.first != "" && !strings.HasPrefix(doc.Body[0], tc.first) {
		t.Errorf("first paragraph = %q, want prefix %q", doc.Body[0], tc.first)
	}
	if tc.last != "" && !strings.HasSuffix(doc.Body[len(doc.Body)-1], tc.last) {
		t.Errorf("last paragraph = %q, want suffix %q", doc.Body[len(doc.Body)-1], tc.last)
	}
	for i, p := range doc.Body {
		for _, c := range chromeStrings {
			if strings.Contains(p, c) {
				t.Errorf("chrome %q in paragraph %d: %q", c, i, p)
			}
		}
		if p == doc.Title {
			t.Errorf("title repeated as paragraph %d", i)
		}
		if slices.Contains(chromeParagraphs, p) {
			t.Errorf("chrome paragraph %d: %q", i, p)
		}
	}
	if doc.ContentHash != ContentHash(doc) || len(doc.ContentHash) != 64 {
		t.Errorf("ContentHash = %q", doc.ContentHash)
	}
	if doc.CanonicalURL == "" && !tc.viaFallback && tc.file != "broken.html" {
		t.Errorf("no CanonicalURL")
	}
}

// checkGolden compares the document with testdata/golden/<name>.json, or
// rewrites it with -update.
func checkGolden(t *testing.T, name string, doc *model.Document) {
	t.Helper()
	got, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./extract -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("document differs from %s (run go test ./extract -update and review the diff):\n%s", path, got)
	}
}

func TestBackendUsed(t *testing.T) {
	// Without the fallback, the redesigned pages have no body: proof that
	// the tests above exercise trafilatura.
	ex := New(Options{DisableTrafilatura: true})
	for _, tc := range pageCases {
		if !tc.viaFallback {
			continue
		}
		t.Run(tc.file, func(t *testing.T) {
			doc, err := ex.Extract(Page{URL: tc.url, Site: tc.site, Body: readTestdata(t, tc.file)})
			if !errors.Is(err, ErrNoContent) {
				t.Fatalf("without fallback: doc %+v, err %v; want ErrNoContent", doc, err)
			}
		})
	}
}

func TestContentHashStable(t *testing.T) {
	ex := New(Options{})
	body := readTestdata(t, "bld-article.html")
	a, err := ex.Extract(Page{URL: url396102, Site: bld, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	// Chrome and metadata changes do not change the hash; text does.
	changed := bytes.Replace(body, []byte("<h3>Tin liên quan</h3>"), []byte("<h3>Tin liên quan</h3><p>x</p>"), 1)
	b, err := ex.Extract(Page{URL: "https://127.0.0.1:8080/x-396102.html", Site: bld, Body: changed})
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentHash != b.ContentHash {
		t.Errorf("hash changed with chrome: %s vs %s", a.ContentHash, b.ContentHash)
	}
	edited := bytes.Replace(body, []byte("Krông Nô được thành lập"), []byte("Krông Nô đã được thành lập"), 1)
	c, err := ex.Extract(Page{URL: url396102, Site: bld, Body: edited})
	if err != nil {
		t.Fatal(err)
	}
	if a.ContentHash == c.ContentHash {
		t.Error("hash unchanged after an edit of the body")
	}
}

func TestSiteAndErrors(t *testing.T) {
	ex := New(Options{})
	article := readTestdata(t, "bld-article.html")
	tests := []struct {
		name    string
		page    Page
		wantErr error
		site    string
	}{
		{"site from host", Page{URL: url396102, Body: article}, nil, bld},
		{"mirror host with site", Page{URL: "http://127.0.0.1:43210/krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen-396102.html", Site: bld, Body: article}, nil, bld},
		{"unknown host", Page{URL: "http://127.0.0.1:43210/x-396102.html", Body: article}, ErrUnknownSite, ""},
		{"unknown site", Page{URL: url396102, Site: "example.com", Body: article}, ErrUnknownSite, ""},
		{"empty body", Page{URL: url396102, Site: bld}, ErrNoContent, ""},
		{"binary body", Page{URL: url396102, Site: bld, Body: append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)}, ErrNotText, ""},
		{"article url, empty article", Page{URL: url396102, Site: bld, Body: []byte(`<html><body><article class="article-detail"><h1 class="article-title">T</h1></article></body></html>`)}, ErrNoContent, ""},
		{"tag page", Page{URL: "https://baolamdong.vn/tag/krong-no", Site: bld, Body: []byte(`<html><body><ul class="article-list"><li><a href="/a-123.html">A</a></li></ul></body></html>`)}, ErrNotArticle, ""},
		{"vietnam.vn home", Page{URL: "https://www.vietnam.vn/", Site: vn, Body: []byte(`<html lang="vi"><body><header class="vnvn-header">Vietnam.vn</header><p>Trang chủ</p></body></html>`)}, ErrNotArticle, ""},
		{"bad url", Page{URL: "http://[::1", Site: bld, Body: article}, nil, "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ex.Extract(tc.page)
			switch {
			case tc.site == "error":
				if err == nil {
					t.Fatal("no error")
				}
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if doc.Site != tc.site || doc.ReportID != "396102" {
					t.Errorf("site %q report %q", doc.Site, doc.ReportID)
				}
			}
		})
	}
}

// TestConcurrentExtract runs every page at once on one Extractor and
// requires the sequential results (run with -race).
func TestConcurrentExtract(t *testing.T) {
	ex := New(Options{})
	want := make([]string, len(pageCases))
	for i, tc := range pageCases {
		want[i] = extractJSON(t, ex, tc)
	}
	var wg sync.WaitGroup
	got := make([]string, len(pageCases))
	for round := 0; round < 3; round++ {
		for i, tc := range pageCases {
			wg.Go(func() { got[i] = extractJSON(t, ex, tc) })
		}
		wg.Wait()
		for i := range pageCases {
			if got[i] != want[i] {
				t.Errorf("%s: concurrent result differs", pageCases[i].file)
			}
		}
	}
}

func extractJSON(t *testing.T, ex *Extractor, tc pageCase) string {
	doc, err := ex.Extract(Page{URL: tc.url, Site: tc.site, ContentType: tc.contentType, Body: readTestdata(t, tc.file)})
	b, _ := json.Marshal(doc)
	return fmt.Sprint(string(b), err)
}

func TestFallbackIsLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ex := New(Options{Logger: log})
	if _, err := ex.Extract(Page{URL: url386694, Site: bld, Body: readTestdata(t, "bld-redesigned.html")}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "trafilatura fallback") || !strings.Contains(buf.String(), "386694") {
		t.Errorf("no fallback record: %q", buf.String())
	}
	buf.Reset()
	if _, err := ex.Extract(Page{URL: url396102, Site: bld, Body: readTestdata(t, "bld-article.html")}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("logged without fallback: %q", buf.String())
	}
}

// TestFallbackLeavesTreeAlone: the site functions read the tree (tags,
// breadcrumb, date lines) after the fallback ran, which is only right if
// trafilatura works on a copy.
func TestFallbackLeavesTreeAlone(t *testing.T) {
	ex := New(Options{})
	for _, f := range []string{"bld-redesigned.html", "vn-de-redesigned.html", "bld-article.html"} {
		root, err := parseHTML(string(readTestdata(t, f)))
		if err != nil {
			t.Fatal(err)
		}
		var before, after bytes.Buffer
		if err := html.Render(&before, root); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(url396102)
		res, err := ex.fallback(newPageInfo(root, u))
		if err != nil || res == nil {
			t.Fatalf("%s: fallback %v, %v", f, res, err)
		}
		if err := html.Render(&after, root); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before.Bytes(), after.Bytes()) {
			t.Errorf("%s: fallback changed the tree", f)
		}
	}
}
