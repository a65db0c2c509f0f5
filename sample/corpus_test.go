package sample

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadEmbedded(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	r, ok := c.Report("396102")
	if !ok {
		t.Fatal("report 396102 missing from the embedded corpus")
	}
	for _, lang := range []string{"vi", "ko", "ar"} {
		if !slices.Contains(r.Langs(), lang) {
			t.Errorf("396102 langs %v lack %s", r.Langs(), lang)
		}
	}
	if v, _ := r.Version("ko"); v.Seed != "ko-396102.txt" || v.SourceLabel != "출처" {
		t.Errorf("ko version: seed %q label %q, want the seed's", v.Seed, v.SourceLabel)
	}
	if len(c.Unlinked()) == 0 {
		t.Error("no unlinked pages; the Nghe An seed should be one")
	}
	if got := c.Sections(); len(got) != 5 || got[0].Slug != "chinh-tri" {
		t.Errorf("sections = %v", got)
	}
	// Reports come oldest first.
	for i := 1; i < c.Len(); i++ {
		if c.At(i).Published.Before(c.At(i - 1).Published) {
			t.Fatalf("report %d is older than report %d", i, i-1)
		}
	}
}

func TestLoadTestdata(t *testing.T) {
	c := testCorpus(t)
	if c.Len() != 8 {
		t.Errorf("Len = %d, want 8", c.Len())
	}
	if got, want := c.Pages(), 8+11+1; got != want { // originals, translations, Nghe An
		t.Errorf("Pages = %d, want %d", got, want)
	}
	r, _ := c.Report("396102")
	if got := r.Langs(); !slices.Equal(got, []string{"ar", "en", "ko", "vi"}) {
		t.Errorf("Langs = %v", got)
	}
	if r.Versions[0].Lang != "vi" {
		t.Errorf("first version is %s, want vi", r.Versions[0].Lang)
	}
	en, _ := r.Version("en")
	if en.SourceLabel != "Source" || en.SourceURL != r.URL() || en.Seed != "" {
		t.Errorf("en source = %q %q", en.SourceLabel, en.SourceURL)
	}
	if d := en.Published.Sub(r.Published); d < 60*60e9 || d > 3*60*60e9 {
		t.Errorf("en published %v after the original, want 1–3 h", d)
	}
	vi := r.Original()
	if !vi.Body[2].Caption || vi.Body[2].Text != "Phó Bí thư Tỉnh ủy Lưu Văn Trung phát biểu tại buổi làm việc. Ảnh: Hoàng Yến" {
		t.Errorf("[img] line not read as a caption: %+v", vi.Body[2])
	}
	if _, ok := c.Report("999"); ok {
		t.Error("Report(999) found")
	}
}

func TestParseSeed(t *testing.T) {
	tests := []struct {
		file           string
		label          string
		url            string
		first, last    string
		firstIsCaption bool
		captions       int
	}{
		{
			file: "ko-396102.txt", label: "출처",
			url:   "https://baolamdong.vn/krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen-396102.html",
			first: "크롱노 코뮌은 다크 드로 코뮌, 탄탄 코뮌, 다크 맘 타운(구 크롱노 지구)의 3개 행정 구역을 합병하여 설립되었습니다.",
			last:  "정치국의 57, 59, 66, 68... 등 획기적인 결의안을 이행하는 것과 관련하여, 지방에서는 초점과 핵심 사항을 명확히 파악하여 지도와 방향에 집중하고 실질적인 성과를 내야 한다고 제안했습니다.",
		},
		{
			file: "ar-396102.txt", label: "المصدر",
			url:   "https://baolamdong.vn/krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen-396102.html",
			first: "تأسست بلدية كرونج نو على أساس دمج ثلاث وحدات إدارية بما في ذلك بلدية داك درو، وتان ثانه، ومدينة داك مام (منطقة كرونج نو القديمة).",
		},
		{
			file: "de-386800.txt", label: "Quelle",
			url: "https://baolamdong.vn/cu-jut-can-phan-dau-tro-thanh-la-co-dau-o-khu-vuc-phia-tay-tinh-lam-dong-386800.html",
		},
		{
			file: "ru-386694.txt", label: "Source",
			url:   "https://baolamdong.vn/pho-bi-thu-tinh-uy-lam-dong-bui-thang-kiem-tra-cong-toc-van-hanh-chinh-quyen-dia-phuong-hai-cap-tai-gia-hiep-va-di-linh-386694.html",
			first: ".jpg)", firstIsCaption: true, captions: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/corpus/seeds/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			sb, err := parseSeed(string(data))
			if err != nil {
				t.Fatalf("parseSeed: %v", err)
			}
			if sb.sourceLabel != tt.label || sb.sourceURL != tt.url {
				t.Errorf("source = %q %q, want %q %q", sb.sourceLabel, sb.sourceURL, tt.label, tt.url)
			}
			if tt.first != "" && (sb.body[0].Text != tt.first || sb.body[0].Caption != tt.firstIsCaption) {
				t.Errorf("first paragraph = %+v, want %q", sb.body[0], tt.first)
			}
			if tt.last != "" && sb.body[len(sb.body)-1].Text != tt.last {
				t.Errorf("last paragraph = %q, want %q", sb.body[len(sb.body)-1].Text, tt.last)
			}
			captions := 0
			for _, p := range sb.body {
				if p.Text == "" {
					t.Error("empty paragraph")
				}
				if p.Caption {
					captions++
				}
				if strings.Contains(p.Text, "(0)") || strings.Contains(p.Text, "https://baolamdong.vn") {
					t.Errorf("chrome left in the body: %q", p.Text)
				}
			}
			if captions != tt.captions {
				t.Errorf("%d captions, want %d", captions, tt.captions)
			}
		})
	}
}

func TestParseUnlinkedSeed(t *testing.T) {
	c := testCorpus(t)
	pages := c.Unlinked()
	if len(pages) != 1 {
		t.Fatalf("%d unlinked pages, want 1", len(pages))
	}
	p := pages[0]
	if p.SourceLabel != "원천" {
		t.Errorf("source label = %q, want 원천", p.SourceLabel)
	}
	for _, b := range p.Body {
		switch {
		case b.Text == vietnamBrand, b.Text == p.Title, strings.Contains(b.Text, "29/08/2023"),
			b.Text == "원천", strings.Contains(b.Text, "댓글"), b.Text == "No data":
			t.Errorf("chrome left in the body: %q", b.Text)
		}
	}
	if got := p.Body[0]; !got.Caption || !strings.HasSuffix(got.Text, ".jpeg") {
		t.Errorf("first block = %+v, want the image debris as a caption", got)
	}
	var headings []string
	for _, r := range p.Related {
		headings = append(headings, r.Heading)
	}
	if want := []string{"같은 태그", "같은 카테고리", "같은 저자"}; !slices.Equal(headings[:3], want) {
		t.Errorf("related headings = %v, want %v first", headings, want)
	}
	if got := p.Related[1].Titles; len(got) != 4 || got[0] != "Quang Tri의 그림 같은 Mui Treo를 만나보세요" {
		t.Errorf("same-category titles = %q", got)
	}
}

// validCorpus is a minimal corpus that loads; the error cases break one
// thing each.
func validCorpus() fstest.MapFS {
	return fstest.MapFS{
		"sections.tsv":             {Data: []byte("chinh-tri\tChính trị\n")},
		"reports/123456/meta.json": {Data: []byte(`{"id":"123456","slug":"tin-thu","section":"chinh-tri","published":"2025-01-02T03:04:05+07:00","author":"A","tags":["t"]}`)},
		"reports/123456/vi.txt":    {Data: []byte("Tiêu đề\nSapo\n\nĐoạn một.\n")},
		"reports/123456/en.txt":    {Data: []byte("Title\n\n\nParagraph one.\n")},
		"seeds/ko-396102.txt":      {Data: mustRead("testdata/corpus/seeds/ko-396102.txt")},
	}
}

func mustRead(name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

func TestLoadFSErrors(t *testing.T) {
	if _, err := LoadFS(validCorpus()); err != nil {
		t.Fatalf("valid corpus: %v", err)
	}
	tests := []struct {
		name     string
		edit     func(fstest.MapFS)
		wantFile string // the error must name it
	}{
		{"unknown section", func(m fstest.MapFS) {
			m["reports/123456/meta.json"].Data = []byte(`{"id":"123456","slug":"tin-thu","section":"the-thao","published":"2025-01-02T03:04:05+07:00","author":"A"}`)
		}, "reports/123456/meta.json"},
		{"id mismatch", func(m fstest.MapFS) {
			m["reports/123456/meta.json"].Data = []byte(`{"id":"654321","slug":"tin-thu","section":"chinh-tri","published":"2025-01-02T03:04:05+07:00","author":"A"}`)
		}, "reports/123456/meta.json"},
		{"unknown field", func(m fstest.MapFS) {
			m["reports/123456/meta.json"].Data = []byte(`{"id":"123456","slug":"tin-thu","section":"chinh-tri","published":"2025-01-02T03:04:05+07:00","author":"A","sead":{}}`)
		}, "reports/123456/meta.json"},
		{"bad slug", func(m fstest.MapFS) {
			m["reports/123456/meta.json"].Data = []byte(`{"id":"123456","slug":"Tin Thu","section":"chinh-tri","published":"2025-01-02T03:04:05+07:00","author":"A"}`)
		}, "reports/123456/meta.json"},
		{"bad time", func(m fstest.MapFS) {
			m["reports/123456/meta.json"].Data = []byte(`{"id":"123456","slug":"tin-thu","section":"chinh-tri","published":"2/1/2025","author":"A"}`)
		}, "reports/123456/meta.json"},
		{"no vi.txt", func(m fstest.MapFS) { delete(m, "reports/123456/vi.txt") }, "reports/123456"},
		{"unknown language file", func(m fstest.MapFS) {
			m["reports/123456/xx.txt"] = &fstest.MapFile{Data: []byte("T\n\n\nP\n")}
		}, "reports/123456/xx.txt"},
		{"line 3 not empty", func(m fstest.MapFS) {
			m["reports/123456/vi.txt"].Data = []byte("Tiêu đề\nSapo\nĐoạn một.\n")
		}, "reports/123456/vi.txt"},
		{"translation without body", func(m fstest.MapFS) {
			m["reports/123456/en.txt"].Data = []byte("Title\n")
		}, "reports/123456/en.txt"},
		{"seed of another report", func(m fstest.MapFS) {
			m["reports/123456/meta.json"].Data = []byte(`{"id":"123456","slug":"tin-thu","section":"chinh-tri","published":"2025-01-02T03:04:05+07:00","author":"A","seeds":{"ko":"ko-396102.txt"}}`)
			m["reports/123456/ko.txt"] = &fstest.MapFile{Data: []byte("제목\n")}
		}, "seeds/ko-396102.txt"},
		{"seed without title file", func(m fstest.MapFS) {
			m["reports/123456/meta.json"].Data = []byte(`{"id":"123456","slug":"tin-thu","section":"chinh-tri","published":"2025-01-02T03:04:05+07:00","author":"A","seeds":{"ko":"ko-396102.txt"}}`)
		}, "reports/123456/meta.json"},
		{"duplicate slug", func(m fstest.MapFS) {
			m["reports/123457/meta.json"] = &fstest.MapFile{Data: []byte(`{"id":"123457","slug":"tin-thu","section":"chinh-tri","published":"2025-01-02T03:04:05+07:00","author":"A"}`)}
			m["reports/123457/vi.txt"] = &fstest.MapFile{Data: []byte("T\nS\n\nP\n")}
		}, "reports/123457/meta.json"},
		{"bad sections line", func(m fstest.MapFS) {
			m["sections.tsv"].Data = []byte("chinh-tri Chính trị\n")
		}, "sections.tsv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validCorpus()
			tt.edit(m)
			_, err := LoadFS(m)
			if !errors.Is(err, ErrInvalidCorpus) {
				t.Fatalf("err = %v, want ErrInvalidCorpus", err)
			}
			if !strings.Contains(err.Error(), tt.wantFile) {
				t.Errorf("err = %v, want it to name %s", err, tt.wantFile)
			}
		})
	}
}
