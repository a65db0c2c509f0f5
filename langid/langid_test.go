package langid

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pemistahl/lingua-go"

	"baoscope/model"
)

// newDetector builds a default detector. lingua-go keeps its models in
// process-wide maps, so building one per test costs nothing after the
// first.
func newDetector(t testing.TB, opts Options) *Detector {
	t.Helper()
	d, err := New(opts)
	if err != nil {
		t.Fatalf("New(%+v): %v", opts, err)
	}
	return d
}

// TestSeeds checks the five real vietnam.vn pages of
// /work/shared/corpus/seeds (copied to testdata/seeds). They are whole page
// text: the Nghe An page starts with Vietnamese chrome lines, the Korean and
// Arabic ones are full of romanised names.
func TestSeeds(t *testing.T) {
	d := newDetector(t, Options{})
	f, err := os.Open("testdata/seeds/MANIFEST.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 2 {
			continue
		}
		file, want := cols[0], cols[1]
		n++
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata/seeds", file))
			if err != nil {
				t.Fatal(err)
			}
			got := d.Detect(string(b))
			t.Logf("%s: %s %.4f (%s) runner-ups %v", file, got.Lang, got.Confidence, got.Method, got.Candidates)
			if got.Lang != want {
				t.Errorf("Detect(%s) = %s %.3f, want %s", file, got.Lang, got.Confidence, want)
			}
			if got.Confidence < 0.9 {
				t.Errorf("Detect(%s) confidence %.3f, want ≥ 0.9", file, got.Confidence)
			}
			// As a document with the page's first line as title.
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			doc := &model.Document{Title: lines[0], Body: lines[1:], DeclaredLang: want}
			d.DetectDocument(doc)
			if doc.Lang != want || doc.LangMismatch {
				t.Errorf("DetectDocument(%s): lang %s mismatch %v, want %s and no mismatch", file, doc.Lang, doc.LangMismatch, want)
			}
		})
	}
	if n != 5 {
		t.Errorf("MANIFEST.tsv lists %d seeds, want 5", n)
	}
}

// TestDetectQuery covers the query cases of the issue. Names must never
// yield a language: "unknown" lets search weigh every language alike.
func TestDetectQuery(t *testing.T) {
	d := newDetector(t, Options{})
	tests := []struct {
		q, want string
	}{
		// Names and numbers only.
		{"Krong No", model.LangUnknown},
		{"Cu Jut", model.LangUnknown},
		{"Lam Dong 2025", model.LangUnknown},
		{"1.481", model.LangUnknown},
		{"krong no", model.LangUnknown},
		{"KRONG NO", model.LangUnknown},
		{"Dak R'lap", model.LangUnknown},
		{"Dak R’lap", model.LangUnknown},
		{"Tran Van Nam", model.LangUnknown},
		{"Da Lat", model.LangUnknown},
		{"Bao Loc Di Linh", model.LangUnknown},
		{"", model.LangUnknown},
		{"  ?! ", model.LangUnknown},
		// Scripts of one language.
		{"크롱노", "ko"},
		{"Krong No 크롱노", "ko"},
		{"Кронг Но", "ru"},
		{"クロンノ村の会議", "ja"},
		{"克隆诺乡", "zh"},
		{"ครงโน", "th"},
		{"ກຣົງໂນ", "lo"},
		{"ក្រុងណូ", "km"},
		{"كرونج نو", "ar"},
		// Words around the names decide.
		{"Kommunalverwaltung Cu Jut", "de"},
		{"the provincial party committee", "en"},
		{"gobierno local", "es"},
		{"kerajaan tempatan", "ms"},
		{"pemerintah daerah", "id"},
		// Vietnamese, with and without diacritics.
		{"chính quyền hai cấp", "vi"},
		{"chinh quyen hai cap", "vi"},
		{"Lâm Đồng", "vi"},
		{"xay dung nong thon moi", "vi"},
		{"nguoi dan Lam Dong", "vi"},
		// Too short or too ambiguous to boost anything.
		{"the man can", model.LangUnknown},
		{"no hay", model.LangUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := d.DetectQuery(tt.q)
			if got.Lang != tt.want {
				t.Errorf("DetectQuery(%q) = %s %.3f (%s) %v, want %s", tt.q, got.Lang, got.Confidence, got.Method, got.Candidates, tt.want)
			}
			if got.Candidates == nil {
				t.Errorf("DetectQuery(%q).Candidates is nil, want empty slice", tt.q)
			}
		})
	}
}

// TestDetectQueryNeverWrongOnNames runs name-only queries through every
// spelling variant; whatever else happens, no language may be claimed.
func TestDetectQueryNeverWrongOnNames(t *testing.T) {
	d := newDetector(t, Options{})
	for _, p := range placeNames {
		name := strings.Join(p, " ")
		for _, q := range []string{name, strings.ToUpper(name), titleCase(name), titleCase(name) + " 2025"} {
			if got := d.DetectQuery(q); got.Lang != model.LangUnknown {
				t.Errorf("DetectQuery(%q) = %s %.3f (%s), want unknown", q, got.Lang, got.Confidence, got.Method)
			}
		}
	}
}

func titleCase(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(f, " ")
}

func TestDetectMixedScripts(t *testing.T) {
	d := newDetector(t, Options{})
	tests := []struct {
		name, text, want string
	}{
		{"vi header then ko body", "Vietnam.vn - Nền tảng quảng bá Việt Nam\nViệt NamViệt Nam29/08/2023\n도당위원회 상임위원회는 도당위원회 조직위원회에 부처 및 부문 간부를 동원하여 코뮌 차원의 강화에 관한 시범 규정 발행에 관한 연구 및 자문을 맡겼습니다.", "ko"},
		{"ko with latin names", "Tran Van Nam 부위원장은 Cu Jut 코뮌과 Krong No 코뮌을 방문했습니다.", "ko"},
		{"ar with latin names", "التقى Tran Van Nam بممثلي بلدية Cu Jut في Lam Dong.", "ar"},
		{"kanji and kana is ja", "林同省は二層制の地方行政を導入した。", "ja"},
		{"han alone is zh", "林同省实行两级地方政府模式。", "zh"},
		{"thai", "จังหวัดลัมดงจัดการประชุม", "th"},
		{"lao", "ແຂວງລຳດົ່ງ ໄດ້ຈັດກອງປະຊຸມ", "lo"},
		{"khmer", "ខេត្តឡាំដុង បានរៀបចំកិច្ចប្រជុំ", "km"},
		{"en with a korean word", "The delegation visited Krong No, written 크롱노 in Korean, and met farmers there to discuss coffee prices.", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.Detect(tt.text)
			if got.Lang != tt.want {
				t.Errorf("Detect = %s %.3f (%s) %v, want %s", got.Lang, got.Confidence, got.Method, got.Candidates, tt.want)
			}
		})
	}
}

func TestDetectNoLetters(t *testing.T) {
	d := newDetector(t, Options{})
	for _, s := range []string{"", "   \n\t", "1.481 — 99,8% (2025)", "😀 👍"} {
		got := d.Detect(s)
		if got.Lang != model.LangUnknown || got.Method != MethodNone || got.Confidence != 0 {
			t.Errorf("Detect(%q) = %+v, want unknown/none/0", s, got)
		}
	}
}

func TestDetectDocument(t *testing.T) {
	d := newDetector(t, Options{})
	const koTitle = "크롱노 코뮌, 조직 강화로 정부 효율성 제고"
	const koBody = "크롱노 코뮌은 다크 드로 코뮌, 탄탄 코뮌, 다크 맘 타운의 3개 행정 구역을 합병하여 설립되었습니다."
	const viChrome = "Trang chủ Thời sự Chính trị Kinh tế Văn hóa Xã hội Thể thao Du lịch Liên hệ Đăng nhập Tìm kiếm Bản quyền thuộc về Báo Lâm Đồng"
	tests := []struct {
		name         string
		doc          model.Document
		wantLang     string
		wantMismatch bool
	}{
		{"declared matches", model.Document{Title: koTitle, Body: []string{koBody}, DeclaredLang: "ko"}, "ko", false},
		{"declared with region", model.Document{Title: koTitle, Body: []string{koBody}, DeclaredLang: "ko-KR"}, "ko", false},
		{"declared wrong", model.Document{Title: koTitle, Body: []string{koBody}, DeclaredLang: "vi"}, "ko", true},
		{"declared empty", model.Document{Title: koTitle, Body: []string{koBody}}, "ko", false},
		{"zh-CN agrees with zh", model.Document{Title: "林同省", Lead: "林同省实行两级地方政府模式。", DeclaredLang: "zh-CN"}, "zh", false},
		{"nothing to detect", model.Document{DeclaredLang: "ko"}, model.LangUnknown, false},
		// Fields other than title, lead and body are page furniture and
		// must not be read, however much Vietnamese they hold.
		{"only title lead body", model.Document{
			Title: koTitle, Body: []string{koBody}, DeclaredLang: "ko",
			Author: viChrome, Section: viChrome, Tags: []string{viChrome, viChrome, viChrome, viChrome},
		}, "ko", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc
			d.DetectDocument(&doc)
			if doc.Lang != tt.wantLang || doc.LangMismatch != tt.wantMismatch {
				t.Errorf("got lang %s (%.3f) mismatch %v, want %s mismatch %v", doc.Lang, doc.LangConfidence, doc.LangMismatch, tt.wantLang, tt.wantMismatch)
			}
			if doc.Lang != model.LangUnknown && doc.LangConfidence <= 0.5 {
				t.Errorf("confidence %.3f, want > 0.5", doc.LangConfidence)
			}
		})
	}
	d.DetectDocument(nil) // must not panic
}

func TestMismatch(t *testing.T) {
	tests := []struct {
		declared, detected string
		want               bool
	}{
		{"ko", "ko", false},
		{"ko-KR", "ko", false},
		{"zh-CN", "zh", false},
		{"ZH_tw", "zh", false},
		{"vi", "ko", true},
		{"", "ko", false},
		{"ko", model.LangUnknown, false},
		{"und", "ko", false},
	}
	for _, tt := range tests {
		if got := Mismatch(tt.declared, tt.detected); got != tt.want {
			t.Errorf("Mismatch(%q, %q) = %v, want %v", tt.declared, tt.detected, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ko-KR", "ko"},
		{"ZH_cn", "zh"},
		{"zh-Hant-TW", "zh"},
		{"vie", "vi"},
		{"VI", "vi"},
		{" en ", "en"},
		{"pt-BR", "pt"},
		{"kor", "ko"},
		{"lao", "lo"},
		{"khm", "km"},
		{"ger", "de"},
		{"zsm", "ms"},
		{"iw", "he"},
		{"vn", "vi"},
		{"und", ""},
		{"", ""},
		{"xx-YY", "xx"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNew(t *testing.T) {
	t.Run("unknown code", func(t *testing.T) {
		_, err := New(Options{Languages: []string{"vi", "xx"}})
		if !errors.Is(err, ErrUnknownLanguage) || !strings.Contains(err.Error(), `"xx"`) {
			t.Fatalf("err = %v, want ErrUnknownLanguage naming \"xx\"", err)
		}
	})
	t.Run("empty list", func(t *testing.T) {
		if _, err := New(Options{Languages: []string{}}); !errors.Is(err, ErrNoLanguages) {
			t.Fatalf("err = %v, want ErrNoLanguages", err)
		}
	})
	t.Run("bad threshold", func(t *testing.T) {
		if _, err := New(Options{QueryThreshold: 1.5}); !errors.Is(err, ErrBadThreshold) {
			t.Fatalf("err = %v, want ErrBadThreshold", err)
		}
	})
	t.Run("defaults", func(t *testing.T) {
		d := newDetector(t, Options{})
		want := []string{"vi", "en", "fr", "de", "es", "pt", "it", "ru", "zh", "ja", "ko", "th", "lo", "km", "id", "ms", "ar"}
		if got := d.Languages(); !slices.Equal(got, want) {
			t.Errorf("Languages() = %v, want %v", got, want)
		}
		if d.QueryThreshold() != DefaultQueryThreshold {
			t.Errorf("QueryThreshold() = %v, want %v", d.QueryThreshold(), DefaultQueryThreshold)
		}
	})
	t.Run("normalised and deduplicated", func(t *testing.T) {
		d := newDetector(t, Options{Languages: []string{"vi-VN", "vie", "ko-KR", "lao"}})
		if got, want := d.Languages(), []string{"vi", "ko", "lo"}; !slices.Equal(got, want) {
			t.Errorf("Languages() = %v, want %v", got, want)
		}
	})
	t.Run("all languages", func(t *testing.T) {
		if n := len(AllLanguages()); n != 77 {
			t.Errorf("AllLanguages() has %d, want 75 lingua-go languages + lo + km", n)
		}
	})
}

// TestConfiguredLanguagesOnly: a detector answers only with languages it
// was built for, and says unknown for a script none of them writes.
func TestConfiguredLanguagesOnly(t *testing.T) {
	tests := []struct {
		name  string
		langs []string
		text  string
		want  string
	}{
		{"korean not configured", []string{"vi", "en"}, "크롱노 코뮌은 3개 행정 구역을 합병하여 설립되었습니다.", model.LangUnknown},
		{"lao not configured", []string{"vi", "th"}, "ແຂວງລຳດົ່ງ ໄດ້ຈັດກອງປະຊຸມ", model.LangUnknown},
		{"han read as ja without zh", []string{"en", "ja"}, "林同省实行两级地方政府模式。", "ja"},
		{"one latin language", []string{"de", "ko"}, "Die Gemeinde Cu Jut entstand durch den Zusammenschluss.", "de"},
		{"cyrillic chosen by lingua", []string{"ru", "uk", "en"}, "Громада Кронгно утворена шляхом об'єднання трьох адміністративних одиниць.", "uk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDetector(t, Options{Languages: tt.langs})
			got := d.Detect(tt.text)
			if got.Lang != tt.want {
				t.Errorf("Detect = %s %.3f (%s), want %s", got.Lang, got.Confidence, got.Method, tt.want)
			}
			for _, c := range got.Candidates {
				if !slices.Contains(d.Languages(), c.Lang) {
					t.Errorf("candidate %s is not configured", c.Lang)
				}
			}
		})
	}
}

// TestConcurrent runs the labelled set from several goroutines and
// compares with a sequential run (go test -race checks the rest).
func TestConcurrent(t *testing.T) {
	d := newDetector(t, Options{})
	cases := readLabelled(t)
	want := make([]Detection, len(cases))
	for i, c := range cases {
		want[i] = d.Detect(c.text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, len(cases))
	for g := range 4 {
		wg.Go(func() {
			for i := range cases {
				i := (i + g*len(cases)/4) % len(cases)
				got := d.Detect(cases[i].text)
				q := d.DetectQuery(cases[i].text)
				if got.Lang != want[i].Lang || got.Confidence != want[i].Confidence || q.Method == "" {
					errs <- cases[i].text
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent result differs for %q", clip(e, 60))
	}
}

// TestLanguageScripts keeps the script table in step with lingua-go: every
// lingua-go language is listed, under the script lingua-go files it under.
func TestLanguageScripts(t *testing.T) {
	byScript := map[script][]lingua.Language{
		scriptLatin:      lingua.AllLanguagesWithLatinScript(),
		scriptCyrillic:   lingua.AllLanguagesWithCyrillicScript(),
		scriptArabic:     lingua.AllLanguagesWithArabicScript(),
		scriptDevanagari: lingua.AllLanguagesWithDevanagariScript(),
	}
	for s, ls := range byScript {
		for _, l := range ls {
			if got := languageScripts[linguaCode(l)]; got != s {
				t.Errorf("%s (%s): script %v, lingua-go says %v", l, linguaCode(l), got, s)
			}
		}
	}
	for _, l := range lingua.AllLanguages() {
		if _, ok := languageScripts[linguaCode(l)]; !ok {
			t.Errorf("%s (%s) missing from languageScripts", l, linguaCode(l))
		}
	}
	for _, code := range []string{"lo", "km"} {
		if _, ok := linguaLanguage(code); ok {
			t.Errorf("lingua-go now knows %s: let it detect it", code)
		}
	}
}

// TestQuerySources: the languages a query's words are translated from
// include the one it is written in, also when a few words cannot tell it
// from a close language, and only the detected one when they can.
func TestQuerySources(t *testing.T) {
	d := newDetector(t, Options{})
	tests := []struct {
		name, q string
		must    []string // among the sources
		mustNot []string
		exactly []string // when set, the sources in order
	}{
		{"Spanish taken for Portuguese", "3.412 casos de dengue", []string{"es", "pt"}, nil, nil},
		{"Indonesian taken for Malay", "kebakaran pasar Da Lat", []string{"id", "ms"}, nil, nil},
		{"kanji only", "偽造 土地権利証 詐欺", []string{"ja", "zh"}, nil, nil},
		{"Chinese", "林同省 咖啡 出口", []string{"zh", "ja"}, nil, nil},
		{"kana tells Japanese", "ドリアンの輸出", nil, []string{"zh"}, []string{"ja"}},
		{"Hangul", "람동성 커피", nil, nil, []string{"ko"}},
		{"German", "Nierentransplantation im Krankenhaus", nil, nil, []string{"de"}},
		{"names only", "Krong No", nil, nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.QuerySources(tt.q)
			if tt.exactly != nil && !slices.Equal(got, tt.exactly) && !(len(got) == 0 && len(tt.exactly) == 0) {
				t.Fatalf("QuerySources(%q) = %q, want %q", tt.q, got, tt.exactly)
			}
			for _, l := range tt.must {
				if !slices.Contains(got, l) {
					t.Errorf("QuerySources(%q) = %q, want %s among them", tt.q, got, l)
				}
			}
			for _, l := range tt.mustNot {
				if slices.Contains(got, l) {
					t.Errorf("QuerySources(%q) = %q, want no %s", tt.q, got, l)
				}
			}
		})
	}
}
