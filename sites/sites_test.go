package sites

import (
	"strings"
	"testing"
)

func TestParseSourceLine(t *testing.T) {
	tests := []struct {
		in, url string
		ok      bool
	}{
		{"출처: https://baolamdong.vn/krong-no-396102.html", "https://baolamdong.vn/krong-no-396102.html", true},
		{"المصدر: https://baolamdong.vn/a-1234.html", "https://baolamdong.vn/a-1234.html", true},
		{"Quelle: https://baolamdong.vn/a-1234.html.", "https://baolamdong.vn/a-1234.html", true},
		{"Source : https://baodaknong.vn/x-12345.html", "https://baodaknong.vn/x-12345.html", true},
		{"原天 원천", "", false},
		{"원천", "", false},
		{"no label https://baolamdong.vn/a-1234.html", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, ok := ParseSourceLine(tt.in)
			if ok != tt.ok || u != tt.url {
				t.Errorf("ParseSourceLine(%q) = %q, %v; want %q, %v", tt.in, u, ok, tt.url, tt.ok)
			}
		})
	}
}

func TestReportIDFromSource(t *testing.T) {
	for in, want := range map[string]string{
		"https://baolamdong.vn/krong-no-kien-toan-396102.html": "396102",
		"https://www.baolamdong.vn/a-b-386800.html":            "386800",
		"https://baodaknong.vn/a-b-386800.html":                "",
		"https://baolamdong.vn/chinh-tri/":                     "",
	} {
		got, _ := ReportIDFromSource(in)
		if got != want {
			t.Errorf("ReportIDFromSource(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsSourceLabel(t *testing.T) {
	for in, want := range map[string]bool{"원천": true, "Source:": true, "Nguồn": true, "ប្រភព": true, "Comment": false, "": false} {
		if got := IsSourceLabel(in); got != want {
			t.Errorf("IsSourceLabel(%q) = %v", in, got)
		}
	}
}

func TestParsePaths(t *testing.T) {
	if a, ok := ParseArticlePath("/krong-no-kien-toan-396102.html"); !ok || a.ID != "396102" || a.Slug != "krong-no-kien-toan" {
		t.Errorf("current form: %+v %v", a, ok)
	}
	if a, ok := ParseArticlePath("/chinh-tri/202508/krong-no-kien-toan/"); !ok || a.Section != "chinh-tri" || a.Slug != "krong-no-kien-toan" {
		t.Errorf("older form: %+v %v", a, ok)
	}
	if lang, slug, ok := ParseTranslationPath("/ko/krong-no-kien-toan"); !ok || lang != "ko" || slug != "krong-no-kien-toan" {
		t.Errorf("translation: %s %s %v", lang, slug, ok)
	}
	for _, p := range []string{"/", "/rss/chinh-tri.rss", "/sitemap.xml", "/ko/"} {
		if _, ok := ParseArticlePath(p); ok {
			t.Errorf("%s parsed as an article", p)
		}
	}
}

// sourceTexts are inputs on both sides of ParseSourceLine's pre-check:
// source lines in every label language, labels without a URL, URLs
// without a label, and case variants the regexp's (?i) accepts.
func sourceTexts() []string {
	var out []string
	for _, ls := range sourceLabels {
		for _, l := range ls {
			out = append(out,
				l+": https://baolamdong.vn/krong-no-396102.html",
				l+" : https://baolamdong.vn/krong-no-396102.html.",
				l+"：https://baolamdong.vn/a-1234.html",
				l+":\thttp://baolamdong.vn/a-1234.html)",
				"Đoạn cuối. "+l+": https://baolamdong.vn/a-1234.html",
				strings.ToUpper(l)+": HTTPS://BAOLAMDONG.VN/A-1234.HTML",
				strings.ToLower(l)+": Https://baolamdong.vn/a-1234.html",
				l+": baolamdong.vn/a-1234.html",
				l+": https:/baolamdong.vn/a-1234.html",
				l+":",
				l,
				"x"+l+": https://baolamdong.vn/a-1234.html",
			)
		}
	}
	return append(out,
		"",
		"://",
		"https://baolamdong.vn/a-1234.html",
		"Xem https://baolamdong.vn/a-1234.html và Source: https://baodaknong.vn/x-1.html",
		"no label https://baolamdong.vn/a-1234.html",
		"ſource: https://baolamdong.vn/a-1234.html", // long s folds to s under (?i)
		"Source: ftp://baolamdong.vn/a-1234.html",
		"Source:https://",
		"Source: https://\u00a0x",
		"Đồng chí Lưu Văn Trung làm việc với xã Krông Nô.",
		"원천",
		"原天 원천",
		strings.Repeat("Lâm Đồng ", 80)+"Nguồn: https://baolamdong.vn/a-1234.html",
	)
}

func TestParseSourceLineFastPath(t *testing.T) {
	for _, in := range sourceTexts() {
		t.Run(in, func(t *testing.T) {
			u, ok := ParseSourceLine(in)
			wu, wok := parseSourceLineRe(in)
			if u != wu || ok != wok {
				t.Errorf("ParseSourceLine(%q) = %q, %v; the regexp alone says %q, %v", in, u, ok, wu, wok)
			}
		})
	}
}

func FuzzParseSourceLine(f *testing.F) {
	for _, in := range sourceTexts() {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		u, ok := ParseSourceLine(in)
		wu, wok := parseSourceLineRe(in)
		if u != wu || ok != wok {
			t.Fatalf("ParseSourceLine(%q) = %q, %v; the regexp alone says %q, %v", in, u, ok, wu, wok)
		}
	})
}

// BenchmarkParseSourceLine runs on what findSource gives it: the last
// paragraphs of translations, prose and the source line.
func BenchmarkParseSourceLine(b *testing.B) {
	paras := []string{
		"7월 1일 이후, 크롱노(Krong No) 자치구의 정치 시스템은 안정적으로 운영되어 국민과 기업을 위한 봉사 업무가 중단되지 않도록 보장하고 있습니다. 자치구 인민위원회는 2025년 하반기 동안 조직 구조, 사회경제 발전, 국방 및 안보, 그리고 투자에 관한 19개의 중요 결의안을 통과시켰습니다.",
		"منذ الأول من يوليو، يعمل النظام السياسي لبلدية كرونغ نو باستقرار، مما يضمن استمرارية مهامها في خدمة الشعب وقطاع الأعمال. وقد أصدر مجلس الشعب في البلدة 19 قرارًا هامًا بشأن الهيكل التنظيمي، والتنمية الاجتماعية والاقتصادية، والدفاع والأمن الوطنيين، والاستثمار خلال الأشهر الستة الأخيرة من عام 2025.",
		"Genossen: Tran Van Nam, stellvertretender Vorsitzender des Ständigen Ausschusses des Organisationsausschusses des Provinzparteikomitees; Le Trung Truong Vu, stellvertretender Direktor des Innenministeriums, war ebenfalls anwesend.",
		"출처: https://baolamdong.vn/krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen-396102.html",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paras {
			ParseSourceLine(p)
		}
	}
}

// TestSectionLabels: the table names every section the sample corpus
// uses, and an unknown slug is shown as itself.
func TestSectionLabels(t *testing.T) {
	tests := []struct{ slug, want string }{
		{"chinh-tri", "Chính trị (Politics)"},
		{" Kinh-Te ", "Kinh tế (Economy)"},
		{"xa-hoi", "Xã hội (Society)"},
		{"van-hoa", "Văn hóa (Culture)"},
		{"moi-truong", "Môi trường (Environment)"},
		{"the-thao", "Thể thao (Sports)"},
		{"chuyen-muc-moi", "chuyen-muc-moi"},
	}
	for _, tt := range tests {
		if got := SectionOf(tt.slug).Label(); got != tt.want {
			t.Errorf("SectionOf(%q).Label() = %q, want %q", tt.slug, got, tt.want)
		}
	}
	seen := map[string]bool{}
	for _, s := range Sections() {
		if seen[s.Slug] || s.Name == "" || s.English == "" {
			t.Errorf("section %+v repeated or unnamed", s)
		}
		seen[s.Slug] = true
	}
}
