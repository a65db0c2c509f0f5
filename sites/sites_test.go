package sites

import "testing"

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
