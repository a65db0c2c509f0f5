package search

import (
	"context"
	"maps"
	"math"
	"slices"
	"testing"

	"baoscope/index"
	"baoscope/model"
	"baoscope/query"
)

// TestFilteredLangs: the request's languages and the query's top-level
// lang: filters narrow each other; a lang: filter inside an OR or a NOT
// restricts nothing; a language without fields of its own is searched in
// the fields of the others (index.OtherLang).
func TestFilteredLangs(t *testing.T) {
	tests := []struct {
		name, q string
		langs   []string
		want    map[string]bool
	}{
		{name: "no filter", q: "Kaffee Preis"},
		{name: "query filter", q: "Kaffee lang:en", want: map[string]bool{"en": true}},
		{name: "several values", q: "Kaffee lang:en,vi", want: map[string]bool{"en": true, "vi": true}},
		{name: "request languages", q: "Kaffee", langs: []string{"de", "vi"}, want: map[string]bool{"de": true, "vi": true}},
		{name: "both narrow", q: "Kaffee lang:vi,en", langs: []string{"de", "vi"}, want: map[string]bool{"vi": true}},
		{name: "disjoint: nothing", q: "Kaffee lang:en", langs: []string{"de"}, want: map[string]bool{}},
		{name: "a filter alone", q: "lang:ko", want: map[string]bool{"ko": true}},
		{name: "inside OR", q: "Kaffee (lang:en OR Preis)"},
		{name: "excluded", q: "Kaffee -lang:en"},
		{name: "no fields of its own", q: "Kaffee lang:unknown", want: map[string]bool{index.OtherLang: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ast, err := query.Parse(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := filteredLangs(ast, model.Query{Text: tt.q, Langs: tt.langs})
			if (got == nil) != (tt.want == nil) || !maps.Equal(got, tt.want) {
				t.Errorf("filteredLangs(%q, %v) = %v, want %v", tt.q, tt.langs, got, tt.want)
			}
		})
	}
}

// TestFilteredLangsKeepRanking: leaving the other languages' clauses out
// of a filtered search (match-none) finds the same reports and scales
// every score by one factor (Bleve's query norm, the root of the summed
// squared weights of the clauses left), so that the ranking is the same.
func TestFilteredLangsKeepRanking(t *testing.T) {
	ix := newIndex(t, rankingDocs()...)
	an, err := index.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	s := New(ix, Options{CacheEntries: -1})
	for _, q := range []model.Query{
		{Text: "Kaffee Ernte Preis lang:en"},
		{Text: "Kaffee Preis", Langs: []string{"vi", "de"}},
		{Text: "coffee harvest lang:vi"},
	} {
		t.Run(q.Text, func(t *testing.T) {
			ast, err := query.Parse(q.Text)
			if err != nil {
				t.Fatal(err)
			}
			scores := func(only map[string]bool) map[string]float64 {
				b := builder{queryLang: "de", only: only, psq: newPSQ(rankingTables, an, []string{"de", "en"}, ast)}
				main, err := b.build(ast)
				if err != nil {
					t.Fatal(err)
				}
				agg, err := s.aggregate(context.Background(), withFilters(main, q), true)
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]float64{}
				for _, g := range agg.groups {
					out[g.key] = g.score
				}
				return out
			}
			all, filtered := scores(nil), scores(filteredLangs(ast, q))
			if len(all) == 0 {
				t.Fatal("the query finds nothing: the comparison would prove nothing")
			}
			if !slices.Equal(slices.Sorted(maps.Keys(all)), slices.Sorted(maps.Keys(filtered))) {
				t.Fatalf("reports with every language's clauses %v, with the filtered languages' only %v", all, filtered)
			}
			var factor float64
			for k, v := range all {
				f := filtered[k] / v
				if factor == 0 {
					factor = f
				}
				if math.Abs(f-factor) > 1e-9*factor {
					t.Errorf("report %s: score %g with every clause, %g filtered: factor %g, others %g", k, v, filtered[k], f, factor)
				}
			}
		})
	}
}
