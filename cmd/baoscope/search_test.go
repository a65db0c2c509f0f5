package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"

	"baoscope/internal/validatetest"
	"baoscope/model"
	"baoscope/validate"
)

// TestSearchFlagsTable runs the validator's table through the search
// command's flags, as the server's tests run it through the API and the
// page: the same searches are refused, naming the same field as a flag,
// and the rest make the same query.
func TestSearchFlagsTable(t *testing.T) {
	for _, tt := range validatetest.Cases() {
		if tt.FormOnly {
			continue
		}
		t.Run(tt.Name, func(t *testing.T) {
			var args []string
			for _, k := range slices.Sorted(maps.Keys(tt.Params)) {
				if k != "q" {
					args = append(args, "--"+k+"="+strings.Join(tt.Params[k], ","))
				}
			}
			args = append(args, strings.Fields(tt.Params.Get("q"))...)
			fs := flag.NewFlagSet("search", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var sf searchFlags
			sf.register(fs)
			err := fs.Parse(args)
			if err == nil {
				_, err = sf.query(fs.Args(), validate.Limits{})
			}
			if tt.Field != "" {
				// The flag package refuses what is no number or boolean
				// itself ("-size"); the validator says "--size".
				if err == nil || !strings.Contains(err.Error(), "-"+tt.Field) {
					t.Fatalf("err = %v, want one naming -%s", err, tt.Field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			q, _ := sf.query(fs.Args(), validate.Limits{})
			if !reflect.DeepEqual(q, tt.Want) {
				t.Errorf("query\n %+v\nwant\n %+v", q, tt.Want)
			}
		})
	}
}

// TestSearchRefusesReversedDates: the command checks the range before it
// opens anything, as the API does (it used to search an empty range).
func TestSearchRefusesReversedDates(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"search", "--data", t.TempDir(), "--from", "2025-09-01", "--to", "2025-08-01", "Krong"},
		nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--to") || !strings.Contains(err.Error(), "before from") {
		t.Fatalf("err = %v, want one saying --to is before from", err)
	}
}

// goldenResult is a result with Korean, Chinese and Thai rows, whose
// characters take two columns (Hangul, Han) or none (Thai vowel and tone
// marks), a partial report and a reading with translations.
func goldenResult() *model.Result {
	v := func(lang string, orig bool) model.Version { return model.Version{Lang: lang, IsOriginal: orig} }
	return &model.Result{
		Query: "cà phê Krông Nô", QueryLang: "vi", TotalReports: 2, TotalDocuments: 5, TookMillis: 12.5,
		Reading: &model.QueryReading{
			Canonical: "cà phê Krông Nô", From: []string{"vi"},
			Words: []model.WordReading{
				{Word: "cà", To: []model.LangTranslations{
					{Lang: "ko", Terms: []model.Translation{{Term: "커피", P: 0.56}, {Term: "생두", P: 0.06}, {Term: "수확", P: 0.04}, {Term: "농가", P: 0.02}}},
					{Lang: "th", Terms: []model.Translation{{Term: "กาแฟ", P: 0.61}, {Term: "เมล็ด", P: 0.05}}},
					{Lang: "zh", Terms: []model.Translation{{Term: "咖啡", P: 0.61}, {Term: "啡园", P: 0.09}}},
				}},
				{Word: "Krông"},
			},
		},
		Reports: []model.ReportHit{
			{ReportID: "396102", Complete: true, Published: time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC), Section: "chinh-tri",
				Versions: []model.Version{v("vi", true), v("en", false), v("ko", false), v("th", false), v("zh", false)},
				Matched: []model.VersionHit{
					{Lang: "ko", URL: "http://vn.test/ko/krong-no", Title: "크롱노(Krong No): 조직 정비와 지방정부 효율성 제고를 위한 커피 농가 지원",
						Snippet: "크롱노 지역의 <mark>커피</mark> 농가는 올해 수확량이 늘었다고 밝혔습니다 &amp; 지방정부는 지원을 계속합니다"},
					{Lang: "zh", URL: "http://vn.test/zh/krong-no", Title: "克隆诺（Krong No）乡：公共行政服务中心运行两周后畅通无阻，咖啡农户受益",
						Snippet: "克隆诺乡<mark>咖啡</mark>农户表示，今年收成增加，地方政府继续提供支持。"},
					{Lang: "th", URL: "http://vn.test/th/krong-no", Title: "แม่น้ำกรงโนเอ่อล้น นาข้าวใกล้เก็บเกี่ยวกว่า 400 เฮกตาร์จมน้ำ และไร่กาแฟเสียหาย",
						Snippet: "เกษตรกรผู้ปลูก<mark>กาแฟ</mark>ในตำบลกรงโนกล่าวว่าผลผลิตปีนี้เพิ่มขึ้น"},
				}},
			{ReportID: "", Section: "kinh-te", Versions: []model.Version{v("ko", false)},
				Matched: []model.VersionHit{{Lang: "ko", URL: "http://vn.test/ko/coffee", Title: "람동성 커피", Snippet: "<mark>커피</mark>"}}},
		},
		NextCursor: "abc",
	}
}

// TestPrintResultGolden: the layout at two widths, with rows in scripts
// whose characters are not one column each; no line (URLs aside) is wider
// than asked, and every title starts in the same column.
func TestPrintResultGolden(t *testing.T) {
	cond := &runewidth.Condition{EastAsianWidth: false}
	for _, width := range []int{60, 100} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			var b strings.Builder
			p := resultPrinter{w: &b, width: width, cond: cond}
			p.print(goldenResult())
			golden(t, fmt.Sprintf("search-%d.golden", width), b.String())
			for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				if w := cond.StringWidth(l); w > width && !strings.Contains(l, "http://") {
					t.Errorf("%d columns, over %d: %q", w, width, l)
				}
			}
			if !strings.Contains(b.String(), "partial") || !strings.Contains(b.String(), "read as: cà phê Krông Nô") ||
				!strings.Contains(b.String(), "ko 커피 0.56 생두 0.06 수확 0.04") || strings.Contains(b.String(), "농가 0.02") {
				t.Errorf("partial mark, reading or its three translations missing:\n%s", b.String())
			}
		})
	}
}

// TestOutputWidth: --width wins, a buffer is no terminal, and the width
// has a floor.
func TestOutputWidth(t *testing.T) {
	for _, tt := range []struct{ flag, want int }{{0, defaultWidth}, {72, 72}, {10, minWidth}} {
		if got := outputWidth(tt.flag, &bytes.Buffer{}); got != tt.want {
			t.Errorf("outputWidth(%d) = %d, want %d", tt.flag, got, tt.want)
		}
	}
}

// TestSearchLanguagesHere: --lang and --qlang name languages searched
// here, as serve's API checks them (the validator's one rule): the
// detector's (--detect-langs) and those of the index, whose report is in
// five. Any other code is an error listing them; it used to be checked
// for form only, and a mistyped code searched for nothing.
func TestSearchLanguagesHere(t *testing.T) {
	_, data := crawlSubset(t, []string{"386120"}, "--learn=false")
	for _, tt := range []struct {
		name string
		args []string
		want []string // in the error; none: the search runs
	}{
		{"detector's", []string{"--lang", "en"}, nil},
		{"the index's only", []string{"--lang", "TH,zh"}, nil},
		{"unknown", []string{"--lang", "unknown"}, nil},
		{"query language of the index", []string{"--qlang", "ko"}, nil},
		{"mistyped", []string{"--lang", "xx"}, []string{"--lang", `"xx"`, "vi", "en", "ko", "th", "zh", "unknown"}},
		{"three letters", []string{"--lang", "en,vie"}, []string{"--lang", "did you mean vi?"}},
		{"query language not here", []string{"--qlang", "de"}, []string{"--qlang", `"de"`, "vi, en"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"search", "--data", data, "--low-accuracy", "--detect-langs", "vi,en"}, tt.args...)
			err := run(context.Background(), append(args, "Krong"), nil, &out, &errb)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("err = %v\n%s", err, errb.String())
				}
				if !strings.Contains(out.String(), "reports") {
					t.Errorf("no result printed:\n%s", out.String())
				}
				return
			}
			if err == nil {
				t.Fatalf("searched:\n%s", out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to name %q", err, w)
				}
			}
		})
	}
}
