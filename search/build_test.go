package search

import (
	"context"
	"slices"
	"strings"
	"testing"

	"baoscope/model"
	"baoscope/query"
)

// A Latin-script term is looked up in the Vietnamese fields, the query
// language's and the neutral field only; a term in another script in
// every language's fields.
func TestTermFieldsByScript(t *testing.T) {
	tests := []struct {
		lang, text string
		has        []string
		hasNot     []string
	}{
		{"vi", "Krông Nô", []string{"body_vi", "body_vi_fold", "title_vi", "neutral"}, []string{"body_en", "body_ko", "body_de"}},
		{"de", "Regierung", []string{"body_de", "title_de", "body_vi", "neutral"}, []string{"body_en", "body_fr"}},
		{model.LangUnknown, "Krong No", []string{"body_vi", "neutral"}, []string{"body_en", "body_xx"}},
		{"ko", "크롱노", []string{"body_ko", "body_ja", "body_zh", "body_vi", "neutral"}, nil},
		{"ru", "Ламдонг", []string{"body_ru", "body_en", "neutral"}, nil},
		{"unknown", "1.481", []string{"body_ko", "body_en", "neutral"}, nil}, // no letters: every field
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.text, func(t *testing.T) {
			var names []string
			for _, f := range (builder{queryLang: tt.lang}).textFields("", tt.text) {
				names = append(names, f.field.String())
			}
			for _, f := range tt.has {
				if !slices.Contains(names, f) {
					t.Errorf("%s missing from %v", f, names)
				}
			}
			for _, f := range tt.hasNot {
				if slices.Contains(names, f) {
					t.Errorf("%s in %v", f, names)
				}
			}
		})
	}
}

// What the restriction must not lose: a Latin name inside a version in
// another script (found through the neutral field), an inflected word in
// the query's own language (its stemmer), diacritics typed or not.
func TestRestrictedFieldsFindEveryVersion(t *testing.T) {
	docs := []*model.Document{
		{URL: "https://baolamdong.vn/a-1.html", Site: model.SiteBaoLamDong, ReportID: "1", IsOriginal: true, Lang: "vi",
			Title: "Xã Krông Nô", Body: []string{"Chính quyền xã Krông Nô."}},
		{URL: "https://www.vietnam.vn/ko/a", Site: model.SiteVietnamVN, ReportID: "1", Lang: "ko",
			Title: "크롱노 사", Body: []string{"크롱노(Krong No) 사 정부는"}},
		{URL: "https://www.vietnam.vn/de/b", Site: model.SiteVietnamVN, ReportID: "2", Lang: "de",
			Title: "Regierungen der Provinz", Body: []string{"Die Regierungen der Gemeinden arbeiten."}},
	}
	ix := newIndex(t, docs...)
	lang := map[string]string{"Krong No": model.LangUnknown, "Krông Nô": "vi", "Regierung": "de", "크롱노": "ko"}
	s := New(ix, Options{Language: func(text string) (string, float64) { return lang[text], 1 }})
	tests := []struct {
		q        string
		report   string
		versions []string
	}{
		{"Krong No", "1", []string{"ko", "vi"}},
		{"Krông Nô", "1", []string{"ko", "vi"}},
		{"Regierung", "2", []string{"de"}},
		{"크롱노", "1", []string{"ko"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := s.Search(context.Background(), model.Query{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Reports) != 1 || res.Reports[0].ReportID != tt.report {
				t.Fatalf("reports %+v, want only %s", res.Reports, tt.report)
			}
			if got := matchedLangs(res.Reports[0]); !slices.Equal(got, tt.versions) {
				t.Errorf("matched versions %v, want %v", got, tt.versions)
			}
		})
	}
}

// A version matched only in a Vietnamese folded twin or in the neutral
// field gets its match highlighted in its own text, with its own spelling
// (the twins keep the original text's offsets).
func TestSnippetsOfUnstoredFields(t *testing.T) {
	docs := []*model.Document{
		{URL: "https://baolamdong.vn/a-1.html", Site: model.SiteBaoLamDong, ReportID: "1", IsOriginal: true, Lang: "vi",
			Title: "Tin địa phương", Lead: "Tóm tắt.", Body: []string{"Chính quyền xã Krông Nô họp ở Đà Lạt."}},
		{URL: "https://www.vietnam.vn/ko/a", Site: model.SiteVietnamVN, ReportID: "1", Lang: "ko",
			Title: "지역 소식", Body: []string{"크롱노(Krong No) 사 정부는 회의를 열었다."}},
	}
	ix := newIndex(t, docs...)
	s := New(ix, Options{Language: func(string) (string, float64) { return model.LangUnknown, 0 }})
	tests := []struct {
		q    string
		lang string
		want string
	}{
		{"Krong No", "vi", "<mark>Krông</mark> <mark>Nô</mark>"},   // folded twin: the original spelling is marked
		{"Krong No", "ko", "(<mark>Krong</mark> <mark>No</mark>)"}, // neutral field
		{"Da Lat", "vi", "<mark>Đà</mark> <mark>Lạt</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.q+"/"+tt.lang, func(t *testing.T) {
			res, err := s.Search(context.Background(), model.Query{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Reports) != 1 {
				t.Fatalf("%d reports", len(res.Reports))
			}
			for _, v := range res.Reports[0].Matched {
				if v.Lang != tt.lang {
					continue
				}
				if !strings.Contains(v.Snippet, tt.want) {
					t.Errorf("snippet %q, want it to contain %q", v.Snippet, tt.want)
				}
				return
			}
			t.Errorf("no %s version matched: %+v", tt.lang, res.Reports[0].Matched)
		})
	}
}

// TestBuildRequired: +word and an explicit AND parse to Must nodes, which
// search as the plain clause (every clause is required).
func TestBuildRequired(t *testing.T) {
	for _, q := range []string{"+Krông", "Krông AND Nô", "+(mưa OR bão) -lũ"} {
		n, err := query.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := (builder{}).build(n); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}
