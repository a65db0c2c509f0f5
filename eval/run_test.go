package eval

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"baoscope/model"
	"baoscope/query"
)

// fixed answers each query text with a fixed ranking: these tests are
// about scoring and grouping; the real search service is measured in the
// cmd tests, on a crawled corpus.
type fixed map[string][]string

func (f fixed) Search(ctx context.Context, q model.Query) (*model.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if q.Text == "bad(" {
		return nil, errors.New("unbalanced parenthesis")
	}
	res := &model.Result{}
	for i, id := range f[q.Text] {
		res.Reports = append(res.Reports, model.ReportHit{ReportID: id, Score: float64(10 - i)})
	}
	res.TotalReports = len(res.Reports)
	return res, nil
}

func TestRun(t *testing.T) {
	v := Versions{"1": {"vi", "en"}, "2": {"vi"}, "3": {"vi", "de"}}
	s := fixed{"durian": {"1", "3"}, "Sầu riêng": {"9", "2"}, "nothing": nil, "noise": {"3"}}
	qs := []Judged{
		{ID: "t", Query: "durian", Lang: "en", Type: Topical, Relevant: []string{"1"}},
		{ID: "c", Query: "Sầu riêng", Lang: "de", Type: Cross, Relevant: []string{"2"}},
		{ID: "n1", Query: "nothing", Lang: "en", Type: NoAnswer},
		{ID: "n2", Query: "noise", Lang: "ko", Type: NoAnswer},
		{ID: "e", Query: "bad(", Lang: "en", Type: Topical, Relevant: []string{"1"}},
	}
	rep, err := Run(context.Background(), s, qs, v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Row{}
	for _, r := range append(append(rep.ByType, rep.ByLang...), rep.ByTypeLang...) {
		got[r.Key] = r
	}
	want := map[string]Row{
		"topical":       {Key: "topical", N: 2, Recall: 0.5, MRR: 0.5, NDCG: 0.5, Errors: 1},
		"cross":         {Key: "cross", N: 1, Recall: 1, MRR: 0.5, NDCG: 1 / 1.584962500721156},
		"cross/vi-only": {Key: "cross/vi-only", N: 1, Recall: 1, MRR: 0.5, NDCG: 1 / 1.584962500721156},
		"none":          {Key: "none", N: 2, NoAnswer: 2, Empty: 1},
		"en":            {Key: "en", N: 3, Recall: 0.5, MRR: 0.5, NDCG: 0.5, NoAnswer: 1, Empty: 1, Errors: 1},
		"none/ko":       {Key: "none/ko", N: 1, NoAnswer: 1},
	}
	for k, w := range want {
		g := got[k]
		if g.N != w.N || g.NoAnswer != w.NoAnswer || g.Empty != w.Empty || g.Errors != w.Errors ||
			!near(g.Recall, w.Recall) || !near(g.MRR, w.MRR) || !near(g.NDCG, w.NDCG) {
			t.Errorf("%s: got %+v, want %+v", k, g, w)
		}
	}
	if o := rep.Queries[4]; o.Error == "" || o.Class != "topical" {
		t.Errorf("refused query: %+v", o)
	}
	if rep.ByType[0].Key != "topical" || rep.ByType[len(rep.ByType)-1].Key != "none" {
		t.Errorf("rows out of type order: %+v", rep.ByType)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"cross/vi-only", `n2 [none ko] "noise": 1 reports`, `e [topical en] "bad(": error: unbalanced`} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, b.String())
		}
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, fixed{}, []Judged{{ID: "t", Query: "x", Lang: "en", Type: Topical, Relevant: []string{"1"}}}, nil, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestMateQuery(t *testing.T) {
	tests := []struct {
		title, lang string
		words       []string
	}{
		{"Cư Jút: Sầu riêng được mùa, được giá", "vi", []string{"Cư", "Jút", "Sầu", "riêng", "được", "mùa", "giá"}},
		{"Cao tốc Tân Phú - Bảo Lộc", "vi", []string{"Cao", "tốc", "Tân", "Phú", "Bảo", "Lộc"}},
		{"Coffee OR tea (prices) \"up\"", "en", []string{"Coffee", "OR", "tea", "prices", "up"}},
		{"크롱노(Krong No) 코뮌", "ko", []string{"크롱노", "Krong", "No", "코뮌"}},
		{"title:lang:de -x", "en", []string{"title", "lang", "de", "x"}},
		// The bundled corpus's title whose "№" alone made an empty phrase.
		{"Оползень на перевале Баолок национальном шоссе \"№\" 20 почти шесть часов стояла пробка", "ru", []string{"Оползень", "на", "перевале", "Баолок", "национальном", "шоссе", "20", "почти", "шесть", "часов", "стояла", "пробка"}},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			q := MateQuery(tt.title, tt.lang)
			n, err := query.Parse(q)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			var words []string
			for _, term := range query.Terms(n) {
				words = append(words, term.Text)
			}
			if strings.Join(words, "|") != strings.Join(tt.words, "|") {
				t.Errorf("%q: words %q, want %q", q, words, tt.words)
			}
			if !strings.HasSuffix(q, " -lang:"+tt.lang) {
				t.Errorf("%q does not exclude %s", q, tt.lang)
			}
		})
	}
}

func TestMate(t *testing.T) {
	var c Corpus
	for _, d := range []model.Document{
		{ReportID: "1", Lang: "vi", Title: "Sầu riêng"},
		{ReportID: "1", Lang: "en", Title: "Durian"},
		{ReportID: "2", Lang: "vi", Title: "Cà phê"},
		{URL: "u", Lang: "ko", Title: "unlinked"},
	} {
		c.Add(&d)
	}
	s := fixed{MateQuery("Sầu riêng", "vi"): {"1"}, MateQuery("Durian", "en"): {"2", "1"}}
	rep, err := Mate(context.Background(), s, c.Titles, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 1 || rep.All.N != 2 || !near(rep.All.MRR, 0.75) || !near(rep.All.Recall, 1) {
		t.Errorf("%+v", rep)
	}
	if len(c.Versions) != 2 || len(c.Versions["1"]) != 2 {
		t.Errorf("versions %v", c.Versions)
	}
}

// readAs answers each query text with how the search read it: the
// detected language and, unless translation is off, the languages it
// translated from.
type readAs map[string][]string

func (r readAs) Search(ctx context.Context, q model.Query) (*model.Result, error) {
	res := &model.Result{QueryLang: r[q.Text][0]}
	if !q.NoTranslate {
		res.Reading = &model.QueryReading{From: r[q.Text][1:]}
	}
	return res, nil
}

func TestDetection(t *testing.T) {
	s := readAs{
		"right":   {"de", "de"},
		"close":   {"pt", "pt", "es"},
		"unsure":  {model.LangUnknown, "es", "pt"},
		"unknown": {model.LangUnknown, "en", "de"},
		"other":   {"it", "it"},
	}
	var qs []Judged
	for _, text := range []string{"right", "close", "unsure", "unknown", "other"} {
		qs = append(qs, Judged{ID: text, Query: text, Lang: "es", Type: Topical, Relevant: []string{"1"}})
	}
	qs[0].Lang = "de"
	qs = append(qs, Judged{ID: "name", Query: "unknown", Lang: "es", Type: Name, Relevant: []string{"1"}})
	tests := []struct {
		name   string
		opts   Options
		es     DetectionRow
		header string
	}{
		{"translated", Options{}, DetectionRow{Lang: "es", N: 4, Covered: 2, Wrong: 2}, "translated from it too"},
		// Without translation nothing is translated from, so an unsure
		// reading is unsure, not wrong.
		{"words as written", Options{NoTranslate: true}, DetectionRow{Lang: "es", N: 4, Unsure: 2, Wrong: 2}, "translation off: detection only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Run(context.Background(), s, qs, nil, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			all := tt.es
			all.Lang, all.N, all.Right = "all", all.N+1, all.Right+1
			de := DetectionRow{Lang: "de", N: 1, Right: 1}
			if want := []DetectionRow{all, de, tt.es}; !slices.Equal(rep.Detection, want) {
				t.Errorf("detection %+v, want %+v", rep.Detection, want)
			}
			var b strings.Builder
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.header) {
				t.Errorf("text report lacks %q:\n%s", tt.header, b.String())
			}
			if tt.opts.NoTranslate && strings.Contains(b.String(), "translated from it too") {
				t.Errorf("text report without translation speaks of translation sources:\n%s", b.String())
			}
		})
	}
}

// TestPool pools two folds' runs: a row is the mean over the pooled
// queries (one query at rank 1 in a fold, three missed in the other:
// 0.25, where the mean of the folds' means would be 0.5), and the mate
// tests are pooled the same way.
func TestPool(t *testing.T) {
	s := fixed{"a": {"1"}, "b": {"9"}, MateQuery("Durian", "en"): {"2", "1"}, MateQuery("Coffee", "en"): {"3"}}
	run := func(v Versions, qs []Judged, titles []Title) *Report {
		rep, err := Run(context.Background(), s, qs, v, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Mate, err = Mate(context.Background(), s, titles, Options{}); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	one := run(Versions{"1": {"vi", "en"}}, []Judged{
		{ID: "a", Query: "a", Lang: "en", Type: Topical, Relevant: []string{"1"}},
	}, []Title{{ReportID: "1", Lang: "en", Title: "Durian"}, {ReportID: "1", Lang: "vi", Title: "Sầu riêng"}})
	two := run(Versions{"2": {"vi", "en"}, "3": {"vi", "en"}}, []Judged{
		{ID: "b1", Query: "b", Lang: "en", Type: Topical, Relevant: []string{"2"}},
		{ID: "b2", Query: "b", Lang: "en", Type: Topical, Relevant: []string{"3"}},
		{ID: "b3", Query: "b", Lang: "en", Type: Topical, Relevant: []string{"2", "3"}},
		{ID: "n", Query: "b", Lang: "en", Type: NoAnswer},
	}, []Title{{ReportID: "3", Lang: "en", Title: "Coffee"}, {ReportID: "3", Lang: "vi", Title: "Cà phê"}, {ReportID: "4", Lang: "vi", Title: "alone"}})
	p := Pool(one, two)
	if len(p.Queries) != 5 {
		t.Errorf("%d queries pooled, want 5", len(p.Queries))
	}
	rows := map[string]Row{}
	for _, r := range append(p.ByType, p.ByLang...) {
		rows[r.Key] = r
	}
	if r := rows["topical"]; r.N != 4 || !near(r.MRR, 0.25) || !near(r.Recall, 0.25) {
		t.Errorf("topical %+v, want 4 queries, MRR and Recall 0.25", r)
	}
	if r := rows["en"]; r.N != 5 || r.NoAnswer != 1 || !near(r.MRR, 0.25) {
		t.Errorf("en %+v, want 5 queries of which 1 no-answer, MRR 0.25", r)
	}
	// Mate: Durian 2nd (0.5), Coffee 1st (1), the two Vietnamese titles
	// nowhere (0): 1.5 / 4; report 4 has one version only.
	if m := p.Mate; m == nil || m.All.N != 4 || m.Skipped != 1 || !near(m.All.MRR, 1.5/4) || len(m.ByLang) != 2 {
		t.Errorf("mate %+v, want 4 titles, 1 skipped, MRR 0.375, 2 languages", m)
	}
}
