package search

import (
	"math"
	"slices"
	"strings"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/model"
	"baoscope/query"
)

// Translator is what query translation needs of the learned tables
// (translate.Tables): an index term's likely translations into another
// language, and the languages there are tables for.
type Translator interface {
	Translate(term, from, to string, k int, floor float64) []model.Translation
	Langs() []string
}

// Analyzer gives the index's terms for a text in a language
// (index.Analyzer): a query word is translated as the terms the index
// would have made of it.
type Analyzer interface {
	Terms(lang, text string) []string
}

// Query translation, as Probabilistic Structured Queries do it: each
// free word of the query becomes a weighted disjunction of itself and its
// learned translations in every language, each translation weighted by
// its probability.
const (
	// perLang is how many translations of a word are searched per
	// language: the pruned tables keep 10, the first few carry the mass.
	perLang = 5
	// translationFloor drops translations less likely than this.
	translationFloor = 0.05
	// boostTranslated discounts a match through a translation against
	// the word as written: a translation may be wrong.
	boostTranslated = 0.8
)

// psq is one search's query translation: the languages its words are
// translated from and, per word, the translations.
type psq struct {
	tr    Translator
	an    Analyzer
	from  []string
	words map[string]expansion
	order []string
}

// expansion is a word's translations per language, best first.
type expansion []model.LangTranslations

func newPSQ(tr Translator, an Analyzer, from []string, ast query.Node) *psq {
	p := &psq{tr: tr, an: an, from: from, words: map[string]expansion{}}
	for _, t := range query.Terms(ast) {
		if !t.Phrase && !t.Prefix && t.Field == "" {
			p.expand(t.Text)
		}
	}
	return p
}

// expand translates word from each source language into every other
// language the tables know, keeping per target language the perLang most
// probable terms. A word the analysis splits (Korean bigrams, two stems)
// keeps each term's best translations.
func (p *psq) expand(word string) expansion {
	if e, ok := p.words[word]; ok {
		return e
	}
	best := map[string]map[string]float64{}
	for _, src := range p.from {
		terms := p.an.Terms(src, word)
		for _, to := range p.tr.Langs() {
			if to == src {
				continue
			}
			for _, term := range terms {
				for _, t := range p.tr.Translate(term, src, to, perLang, translationFloor) {
					if best[to] == nil {
						best[to] = map[string]float64{}
					}
					best[to][t.Term] = math.Max(best[to][t.Term], t.P)
				}
			}
		}
	}
	var e expansion
	for _, to := range slicesSorted(best) {
		ts := make([]model.Translation, 0, len(best[to]))
		for term, pr := range best[to] {
			ts = append(ts, model.Translation{Term: term, P: pr})
		}
		slices.SortFunc(ts, func(a, b model.Translation) int {
			if a.P != b.P {
				if a.P > b.P {
					return -1
				}
				return 1
			}
			return strings.Compare(a.Term, b.Term)
		})
		e = append(e, model.LangTranslations{Lang: to, Terms: ts[:min(perLang, len(ts))]})
	}
	p.words[word] = e
	p.order = append(p.order, word)
	return e
}

func slicesSorted(m map[string]map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// reading is what the response shows of the translation.
func (p *psq) reading() []model.WordReading {
	if p == nil {
		return nil
	}
	out := make([]model.WordReading, 0, len(p.order))
	for _, w := range p.order {
		out = append(out, model.WordReading{Word: w, To: p.words[w]})
	}
	return out
}

// translated matches word through its translations: per language, a
// disjunction of each translation in that language's exact fields
// (titles only for a title: term), weighted by its probability. Nested
// per language because Bleve scales a disjunction by the share of its
// clauses that match (its coordination factor): a version matches only
// its own language's clauses, and flat they would all count against it.
// Languages left out (builder.only) match nothing, so that the clause
// counts, and with them the ranking, stay what they were.
func (b builder) translated(word, field string) []bq.Query {
	if b.psq == nil {
		return nil
	}
	parts := []index.Part{index.PartTitle, index.PartLead, index.PartBody}
	if field == query.FieldTitle {
		parts = parts[:1]
	}
	var out []bq.Query
	for _, lt := range b.psq.expand(word) {
		var qs []bq.Query
		for _, f := range index.TextFields(lt.Lang, parts...) {
			if f.Folded() {
				continue
			}
			for _, t := range lt.Terms {
				if b.only != nil && !b.only[f.Lang()] {
					qs = append(qs, bq.NewMatchNoneQuery())
					continue
				}
				qs = append(qs, f.Term(t.Term, partBoosts[f.Part()][0]*t.P*boostTranslated))
			}
		}
		if len(qs) > 0 {
			out = append(out, bq.NewDisjunctionQuery(qs))
		}
	}
	return out
}

// minShould is how many of n optional concepts (free words, OR groups) a
// version must match when nothing is required: half of them, rounded up.
// Reports covering every concept rank first (markWhole), the others by
// score, which Bleve's coordination factor scales by the share covered;
// a report matching one word of a long query is not a result. Two in
// three, the rule before, lost reports whose versions happen not to use
// one of a query's four words (docs/retrieval.md has both figures).
func minShould(n int) int {
	return (n + 1) / 2
}
