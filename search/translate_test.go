package search

import (
	"fmt"
	"strings"
	"testing"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/query"
)

// buildTables hold a word with more translations than a query searches,
// one below the floor, and a word two source languages translate
// differently.
var buildTables = fakeTables{
	"de:preis": {
		"en": {{Term: "price", P: 0.5}, {Term: "cost", P: 0.2}, {Term: "fee", P: 0.1}, {Term: "tariff", P: 0.08},
			{Term: "rate", P: 0.07}, {Term: "charge", P: 0.06}, {Term: "valu", P: 0.03}},
		"vi": {{Term: "giá", P: 0.9}},
	},
	"de:reg":   {"vi": {{Term: "mưa", P: 0.8}}},
	"en:regen": {"vi": {{Term: "tái", P: 0.3}, {Term: "mưa", P: 0.1}}, "de": {{Term: "erneuer", P: 0.6}}},
}

func newTestPSQ(t *testing.T, from []string, q string) *psq {
	t.Helper()
	an, err := index.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	ast, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return newPSQ(buildTables, an, from, ast)
}

// render writes an expansion as "lang: term p, …; …" for comparison.
func render(e expansion) string {
	var b strings.Builder
	for i, lt := range e {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(lt.Lang + ":")
		for _, t := range lt.Terms {
			fmt.Fprintf(&b, " %s %.2f", t.Term, t.P)
		}
	}
	return b.String()
}

// TestExpand: a word becomes, per target language, its most probable
// translations from every source language (the best probability when
// two sources agree), at most perLang of them and none below the floor;
// the source language itself is not a target; phrases and fielded words
// are searched as written only.
func TestExpand(t *testing.T) {
	tests := []struct {
		name  string
		from  []string
		query string
		word  string
		want  string
	}{
		{"cut to perLang, floor applied", []string{"de"}, "Preise", "Preise",
			"en: price 0.50 cost 0.20 fee 0.10 tariff 0.08 rate 0.07; vi: giá 0.90"},
		{"one source", []string{"de"}, "Regen", "Regen", "vi: mưa 0.80"},
		{"two sources merged, best probability kept", []string{"de", "en"}, "Regen", "Regen",
			"de: erneuer 0.60; vi: mưa 0.80 tái 0.30"},
		{"no translation: searched as written only", []string{"de"}, "Drachenfrucht", "Drachenfrucht", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPSQ(t, tt.from, tt.query)
			if got := render(p.words[tt.word]); got != tt.want {
				t.Errorf("expansion of %q from %v:\n got %s\nwant %s", tt.word, tt.from, got, tt.want)
			}
		})
	}
	for _, q := range []string{`"Preise"`, `title:"Preise Regen"`, `section:Preise`} {
		if p := newTestPSQ(t, []string{"de"}, q); len(p.reading()) != 0 {
			t.Errorf("%s: phrase or field words translated: %+v", q, p.reading())
		}
	}
}

// TestTranslatedClauses: a word's translations are one disjunction per
// target language over that language's exact fields (titles only for a
// title: word), each term weighted by part boost × probability ×
// boostTranslated; languages left out by pass 2 become match-none so
// that the clause counts stay those of pass 1.
func TestTranslatedClauses(t *testing.T) {
	p := newTestPSQ(t, []string{"de"}, "Preise")
	tests := []struct {
		name  string
		field string
		only  map[string]bool
		want  []string // per language clause: field=term^boost, …
	}{
		{"every part", "", nil, []string{
			clauses("en", []string{"price", "cost", "fee", "tariff", "rate"}, []float64{.5, .2, .1, .08, .07}, index.PartTitle, index.PartLead, index.PartBody),
			clauses("vi", []string{"giá"}, []float64{.9}, index.PartTitle, index.PartLead, index.PartBody),
		}},
		{"title only", query.FieldTitle, nil, []string{
			clauses("en", []string{"price", "cost", "fee", "tariff", "rate"}, []float64{.5, .2, .1, .08, .07}, index.PartTitle),
			clauses("vi", []string{"giá"}, []float64{.9}, index.PartTitle),
		}},
		{"pass 2 looks at English only", query.FieldTitle, map[string]bool{"en": true}, []string{
			clauses("en", []string{"price", "cost", "fee", "tariff", "rate"}, []float64{.5, .2, .1, .08, .07}, index.PartTitle),
			"none",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := builder{queryLang: "de", psq: p, only: tt.only}
			got := b.translated("Preise", tt.field)
			if len(got) != len(tt.want) {
				t.Fatalf("%d language clauses, want %d", len(got), len(tt.want))
			}
			for i, q := range got {
				if s := describe(t, q); s != tt.want[i] {
					t.Errorf("clause %d:\n got %s\nwant %s", i, s, tt.want[i])
				}
			}
		})
	}
}

// clauses is the expected description of one language's disjunction.
func clauses(lang string, terms []string, ps []float64, parts ...index.Part) string {
	var out []string
	for _, f := range index.TextFields(lang, parts...) {
		if f.Folded() {
			continue
		}
		for i, term := range terms {
			out = append(out, fmt.Sprintf("%s=%s^%.4f", f, term, partBoosts[f.Part()][0]*ps[i]*boostTranslated))
		}
	}
	return strings.Join(out, " ")
}

// describe writes a language's disjunction in clauses' form;
// "none" when pass 2 left the language out.
func describe(t *testing.T, q bq.Query) string {
	t.Helper()
	d, ok := q.(*bq.DisjunctionQuery)
	if !ok {
		t.Fatalf("clause is %T, want a disjunction", q)
	}
	var out []string
	none := 0
	for _, c := range d.Disjuncts {
		switch c := c.(type) {
		case *bq.TermQuery:
			out = append(out, fmt.Sprintf("%s=%s^%.4f", c.FieldVal, c.Term, c.Boost()))
		case *bq.MatchNoneQuery:
			none++
		default:
			t.Fatalf("disjunct %T", c)
		}
	}
	if none == len(d.Disjuncts) {
		return "none"
	}
	return strings.Join(out, " ")
}

// TestMinShould: half of a free-text query's concepts, rounded up, must
// match.
func TestMinShould(t *testing.T) {
	for n, want := range map[int]int{1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4} {
		if got := minShould(n); got != want {
			t.Errorf("minShould(%d) = %d, want %d", n, got, want)
		}
	}
}
