package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"baoscope/index"
	"baoscope/model"
	"baoscope/query"
)

// TestWordPairs: the pairs the second stage looks for are consecutive
// free words; stop words and filters do not separate them, any other
// clause does.
func TestWordPairs(t *testing.T) {
	stop := func(w string) bool { return w == "the" || w == "of" }
	tests := []struct{ q, want string }{
		{"sea shore erosion", "[[sea shore] [shore erosion]]"},
		{"erosion of the sea shore", "[[erosion sea] [sea shore]]"},
		{"sea lang:vi shore", "[[sea shore]]"},
		{`sea "river bank" shore`, "[]"},
		{"sea -river shore", "[]"},
		{"sea OR ocean shore", "[]"},
		{"sea shore*", "[]"},
		{"title:sea shore", "[]"},
		{"shore", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			ast, err := query.Parse(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := builder{stop: stop}.wordPairs(ast)
			if s := fmt.Sprint(got); s != tt.want && !(len(got) == 0 && tt.want == "[]") {
				t.Errorf("pairs %s, want %s", s, tt.want)
			}
		})
	}
}

// adjacentTables translate the words of the second stage's tests; ufer
// has a tail of unlikely translations and welle only poor ones.
var adjacentTables = fakeTables{
	"de:meer": {"vi": {{Term: "biển", P: 0.6}}, "en": {{Term: "sea", P: 0.7}}},
	"de:ufer": {"vi": {{Term: "bờ", P: 0.5}, {Term: "sông", P: 0.2}, {Term: "và", P: 0.1}},
		"en": {{Term: "shore", P: 0.6}, {Term: "bank", P: 0.35}}},
	"de:well": {"vi": {{Term: "sóng", P: 0.08}, {Term: "gió", P: 0.07}}},
}

// TestAlternatives: a word stands, in a language, for itself when
// written in it and for its translations at least half as likely as
// the best and not below the floor.
func TestAlternatives(t *testing.T) {
	an, err := index.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	ast, err := query.Parse("Meer Ufer Welle")
	if err != nil {
		t.Fatal(err)
	}
	b := builder{queryLang: "de", an: an, psq: newPSQ(adjacentTables, an, []string{"de"}, ast)}
	tests := []struct{ word, lang, want string }{
		{"Ufer", "vi", "[bờ]"},
		{"Ufer", "en", "[shore bank]"},
		{"Ufer", "de", "[ufer]"},
		{"Meer", "vi", "[biển]"},
		{"Welle", "vi", "[]"},
		{"Ufer", "fr", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.word+"/"+tt.lang, func(t *testing.T) {
			if got := fmt.Sprint(b.alternatives(tt.word, tt.lang, b.writtenLangs())); got != tt.want {
				t.Errorf("alternatives %s, want %s", got, tt.want)
			}
		})
	}
}

// secondStageDocs: in each language, a report where the two words stand
// together (a, c) and one that uses them more often but apart (b, d),
// which a bag of words ranks first.
func secondStageDocs() []*model.Document {
	return []*model.Document{
		{URL: "https://www.vietnam.vn/en/a", Site: model.SiteVietnamVN, ReportID: "a", Lang: "en",
			Title: "Erosion at Phan Thiet", Body: []string{"The sea was calm at dawn, but the sea shore near the port had been eaten away by the waves overnight."}},
		{URL: "https://www.vietnam.vn/en/b", Site: model.SiteVietnamVN, ReportID: "b", Lang: "en",
			Title: "Wind at Phan Thiet", Body: []string{"The sea was calm at dawn; on the shore of the river, the sea wind blew over the shore all day."}},
		{URL: "https://baolamdong.vn/c-1.html", Site: model.SiteBaoLamDong, ReportID: "c", Lang: "vi", IsOriginal: true,
			Title: "Sạt lở ở Tuy Phong", Body: []string{"Biển lặng lúc sáng; sóng đánh sạt lở bờ biển gần cảng."}},
		{URL: "https://baolamdong.vn/d-1.html", Site: model.SiteBaoLamDong, ReportID: "d", Lang: "vi", IsOriginal: true,
			Title: "Gió ở Tuy Phong", Body: []string{"Biển lặng lúc sáng; trên bờ sông, gió biển thổi qua bờ ruộng."}},
	}
}

// TestSecondStage: a German query's words, translated, found side by
// side (in either order: Meer Ufer is "sea shore" in English, "bờ biển"
// in Vietnamese) lift their report above the one of its language using
// the words more often but apart. Without the second stage the order is the other one,
// so the case cannot pass without it.
func TestSecondStage(t *testing.T) {
	ix := newIndex(t, secondStageDocs()...)
	an, err := index.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	search := func(second bool, q string) []string {
		s := New(ix, Options{
			Language:      func(string) (string, float64) { return "de", 1 },
			Translations:  func() Translator { return adjacentTables },
			Analyzer:      an,
			CacheEntries:  -1,
			NoSecondStage: !second,
		})
		res, err := s.Search(context.Background(), model.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range res.Reports {
			got = append(got, r.ReportID)
		}
		return got
	}
	before := func(got []string, x, y string) bool {
		i, j := slices.Index(got, x), slices.Index(got, y)
		return i >= 0 && j >= 0 && i < j
	}
	without, with := search(false, "Meer Ufer"), search(true, "Meer Ufer")
	if !before(without, "b", "a") || !before(without, "d", "c") {
		t.Fatalf("without the second stage %v, want b before a and d before c (the case tests nothing otherwise)", without)
	}
	if !before(with, "a", "b") || !before(with, "c", "d") {
		t.Errorf("with the second stage %v, want a before b (sea shore) and c before d (bờ biển)", with)
	}
	// One word: no pair, the stage leaves the ranking alone.
	if with, without := search(true, "Meer"), search(false, "Meer"); !slices.Equal(with, without) {
		t.Errorf("one word: %v with the second stage, %v without", with, without)
	}
}
