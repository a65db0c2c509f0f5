package search

import (
	"context"
	"slices"
	"testing"

	"baoscope/index"
	"baoscope/model"
)

// compoundTables know the German parts of the compound tests, one of
// them (bruck) only unlikely.
var compoundTables = func() fakeTables {
	t := fakeTables{
		"de:hang":  {"vi": {{Term: "treo", P: 0.3}}},
		"de:bruck": {"vi": {{Term: "cầu", P: 0.04}}},
		"de:sand":  {"vi": {{Term: "cát", P: 0.5}}},
		"de:abbau": {"en": {{Term: "mine", P: 0.4}}},
	}
	for k, v := range rankingTables {
		t[k] = v
	}
	return t
}()

func TestDecompound(t *testing.T) {
	an, err := index.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	p := &psq{tr: compoundTables, an: an}
	tests := []struct {
		word string
		want []string
	}{
		{"Kaffeepreis", []string{"kaffe", "preis"}},
		{"Kaffeepreise", []string{"kaffe", "preis"}},             // the stem drops the plural
		{"Kaffeeerntepreis", []string{"kaffe", "ernt", "preis"}}, // three parts
		{"Sandabbau", []string{"sand", "abbau"}},                 // a part known in English only
		{"Hängebrücke", nil},                                     // brücke only through an unlikely translation
		{"Kaffeehaus", nil},                                      // haus unknown
		{"Regenzeit", nil},                                       // zeit unknown
		{"Preis", nil},                                           // too short to be two parts
		{"Kaffee", nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := p.decompound("de", tt.word); !slices.Equal(got, tt.want) {
				t.Errorf("decompound(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

// TestCompoundSearch: a German compound the tables do not know finds,
// through its parts, the versions in other languages holding both, and
// not those holding one; the reading names the parts. Read as English,
// which does not compound, the same word matches nothing.
func TestCompoundSearch(t *testing.T) {
	var lang string
	s := translating(t, compoundTables, &lang, rankingDocs()...)
	tests := []struct {
		lang  string
		want  []string
		parts []string
	}{
		// 1, 2 (coffee and price), 4 (cà phê, giá); not 8 (price only)
		// nor 3 (neither).
		{"de", []string{"1", "2", "4"}, []string{"kaffe", "preis"}},
		{"en", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			lang = tt.lang
			res, err := s.Search(context.Background(), model.Query{Text: "Kaffeepreis"})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Reports {
				got = append(got, r.ReportID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("reports %v, want %v", got, tt.want)
			}
			var parts []string
			if res.Reading != nil && len(res.Reading.Words) == 1 {
				parts = res.Reading.Words[0].Parts
			}
			if !slices.Equal(parts, tt.parts) {
				t.Errorf("reading's parts %q, want %q", parts, tt.parts)
			}
		})
	}
}
