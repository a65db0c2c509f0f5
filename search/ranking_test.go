package search

import (
	"context"
	"slices"
	"testing"

	"baoscope/index"
	"baoscope/model"
)

// fakeTables is a Translator over a fixed table: (from, term) → (to →
// translations, best first), as translate.Tables answers.
type fakeTables map[string]map[string][]model.Translation

func (f fakeTables) Translate(term, from, to string, k int, floor float64) []model.Translation {
	var out []model.Translation
	for _, t := range f[from+":"+term][to] {
		if t.P >= floor && len(out) < k {
			out = append(out, t)
		}
	}
	return out
}

func (f fakeTables) Langs() []string { return []string{"de", "en", "vi"} }

// rankingTables translate the German words of the ranking tests.
var rankingTables = fakeTables{
	"de:kaffe":   {"vi": {{Term: "cà", P: 0.4}, {Term: "phê", P: 0.4}}, "en": {{Term: "coffe", P: 0.8}}},
	"de:ernt":    {"vi": {{Term: "hoạch", P: 0.5}}, "en": {{Term: "harvest", P: 0.7}}},
	"de:preis":   {"vi": {{Term: "giá", P: 0.7}}, "en": {{Term: "price", P: 0.6}, {Term: "cost", P: 0.02}}},
	"de:reg":     {"vi": {{Term: "mưa", P: 0.8}}, "en": {{Term: "rain", P: 0.8}}},
	"de:durr":    {"vi": {{Term: "hạn", P: 0.6}}, "en": {{Term: "drought", P: 0.7}}},
	"de:teu":     {"en": {{Term: "price", P: 0.06}}}, // teuer (dear): only an unlikely translation
	"en:coffe":   {"vi": {{Term: "cà", P: 0.4}, {Term: "phê", P: 0.4}}, "de": {{Term: "kaffe", P: 0.8}}},
	"en:price":   {"vi": {{Term: "giá", P: 0.7}}, "de": {{Term: "preis", P: 0.6}}},
	"en:harvest": {"vi": {{Term: "hoạch", P: 0.5}}, "de": {{Term: "ernt", P: 0.7}}},
}

// translating is a searcher over a real index of docs that translates
// with tables, reading every query as *lang.
func translating(t *testing.T, tables Translator, lang *string, docs ...*model.Document) *Searcher {
	t.Helper()
	an, err := index.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	return New(newIndex(t, docs...), Options{
		Language:     func(string) (string, float64) { return *lang, 1 },
		Translations: func() Translator { return tables },
		Analyzer:     an,
		CacheEntries: -1,
	})
}

// rankingDocs are one-version reports, each about a mix of the words.
func rankingDocs() []*model.Document {
	doc := func(id, lang, title, body string) *model.Document {
		d := &model.Document{URL: "https://www.vietnam.vn/" + lang + "/r-" + id, Site: model.SiteVietnamVN, ReportID: id,
			Lang: lang, Title: title, Body: []string{body}}
		if lang == "vi" {
			d.URL, d.Site, d.IsOriginal = "https://baolamdong.vn/r-"+id+".html", model.SiteBaoLamDong, true
		}
		return d
	}
	return []*model.Document{
		doc("1", "en", "Coffee harvest", "The coffee harvest began and the price of coffee rose."),
		doc("2", "en", "Coffee prices", "The price of coffee fell this week."),
		doc("3", "en", "Harvest festival", "A harvest festival was held in the commune."),
		doc("4", "vi", "Thu hoạch cà phê", "Nông dân thu hoạch cà phê, giá cà phê tăng."),
		doc("5", "de", "Kaffeeernte", "Die Kaffee-Ernte beginnt, der Preis für Kaffee steigt."),
		doc("6", "en", "Rain and drought", "After the drought came the rain."),
		doc("7", "en", "The fruit of the dragon", "Farmers sell the fruit of the dragon tree."),
		doc("8", "en", "Dragon fruit", "Dragon fruit farmers sell dragon fruit at a low price."),
	}
}

// TestRankingRules runs the ranking rules as a table, on a real index
// with query translation: best match for free words, strict operators,
// translations of the query's words found in every language, below
// the words as written.
func TestRankingRules(t *testing.T) {
	var lang string // the query language of the case being run
	s := translating(t, rankingTables, &lang, rankingDocs()...)
	tests := []struct {
		name, q, lang string
		noTranslate   bool
		// first: the reports expected first, in any order among
		// themselves; then: the reports after them, in any order; none:
		// reports that must not be results.
		first, then, none []string
	}{
		{name: "more of the words ranks first", q: "coffee harvest price", lang: "en",
			first: []string{"1"}, then: []string{"2", "4", "5"}, none: []string{"6", "7"}},
		{name: "covering every word beats a stronger partial match", q: "coffee harvest", lang: "en",
			first: []string{"1", "4", "5"}, then: []string{"2", "3"}},
		{name: "one word of three is no result", q: "coffee drought festival", lang: "en",
			none: []string{"1", "2", "3", "4", "5", "6"}},
		{name: "one word of two is", q: "harvest festival", lang: "en",
			first: []string{"3"}, then: []string{"1", "4", "5"}},
		{name: "stop words are never required", q: "the harvest of the coffee", lang: "en",
			first: []string{"1", "4", "5"}, then: []string{"2", "3"}, none: []string{"7"}},
		{name: "+word is required", q: "coffee +festival", lang: "en", first: []string{}, none: []string{"1", "2", "4", "5"}},
		{name: "AND requires both", q: "coffee AND price", lang: "en", first: []string{"1", "2", "4", "5"}, none: []string{"3"}},
		{name: "a phrase is strict", q: `"dragon fruit"`, lang: "en", first: []string{"8"}, none: []string{"7"}},
		{name: "- excludes", q: "coffee -price", lang: "en", none: []string{"1", "2", "4", "5"}},
		{name: "words as written rank above translations", q: "coffee price", lang: "en",
			first: []string{"1", "2"}, then: []string{"4", "5"}},
		{name: "a German query finds every language", q: "Kaffee Ernte Preis", lang: "de",
			first: []string{"1", "4", "5"}, then: []string{"2"}, none: []string{"3", "6", "7", "8"}},
		{name: "translate=false: as written only", q: "Kaffee Ernte Preis", lang: "de", noTranslate: true,
			first: []string{"5"}, none: []string{"1", "2", "4"}},
		{name: "an untranslated word is searched as written", q: "dragon Regen", lang: "de",
			first: []string{"6", "7", "8"}},
		// One word the analysis splits in three: translated, half of its
		// parts (two) are needed, as written all three; the union of the
		// parts' translations would take report 3 (harvest only).
		{name: "a split word needs half of its parts translated", q: "Kaffee-Ernte-Preis", lang: "de",
			first: []string{"1", "4", "5"}, then: []string{"2"}, none: []string{"3", "6", "7", "8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lang = tt.lang
			res, err := s.Search(context.Background(), model.Query{Text: tt.q, NoTranslate: tt.noTranslate})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Reports {
				got = append(got, r.ReportID)
			}
			checkRanking(t, got, tt.first, tt.then, tt.none)
		})
	}
}

// checkRanking checks got against the expected groups: first's reports
// lead in any order, then's follow, none's are absent.
func checkRanking(t *testing.T, got, first, then, none []string) {
	t.Helper()
	if len(got) < len(first)+len(then) {
		t.Fatalf("ranking %v, want %v then %v", got, first, then)
	}
	if head := slices.Sorted(slices.Values(got[:len(first)])); !slices.Equal(head, slices.Sorted(slices.Values(first))) {
		t.Errorf("ranking %v, want %v first", got, first)
	}
	rest := got[len(first) : len(first)+len(then)]
	for _, id := range then {
		if !slices.Contains(rest, id) {
			t.Errorf("ranking %v, want %v after %v", got, then, first)
			break
		}
	}
	for _, id := range none {
		if slices.Contains(got, id) {
			t.Errorf("ranking %v holds %s", got, id)
		}
	}
}

// TestCoverageNeedsLikelyTranslation: a word matched only through a
// translation below likelyFloor is matched (the report is a result) but
// not covered (it is not complete); through a likely one, it is. A word
// the analysis splits in three or more terms is covered through half of
// all its terms, those without translations included.
func TestCoverageNeedsLikelyTranslation(t *testing.T) {
	lang := "de"
	s := translating(t, rankingTables, &lang, rankingDocs()...)
	tests := []struct {
		q              string
		complete, part []string
	}{
		// price is teuer's only translation, at 0.06.
		{"Kaffee teuer", nil, []string{"1", "2", "4", "5", "8"}},
		// price is Preis's, at 0.6; Vietnamese giá at 0.7.
		{"Kaffee Preis", []string{"1", "2", "4", "5"}, []string{"8"}},
		// One word split in three terms, of which only kaffe has
		// translations: it matches the reports on coffee, which cover
		// one term in three (half would be two). Before the coverage pass
		// ran for one-word queries, every match of one was complete.
		{"Kaffee-Festival-Fest", nil, []string{"1", "2", "4"}},
		// Two of three translated: half of them, covered.
		{"Kaffee-Ernte-Fest", []string{"1", "4"}, []string{"2", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := s.Search(context.Background(), model.Query{Text: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			var complete, part []string
			for _, r := range res.Reports {
				if r.Complete {
					complete = append(complete, r.ReportID)
				} else {
					part = append(part, r.ReportID)
				}
			}
			slices.Sort(complete)
			slices.Sort(part)
			if !slices.Equal(complete, tt.complete) || !slices.Equal(part, tt.part) {
				t.Errorf("complete %v, partial %v; want %v, %v", complete, part, tt.complete, tt.part)
			}
		})
	}
}
