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
	// translationFloor drops translations through the Vietnamese pivot
	// less likely than this. A language's own tables with Vietnamese
	// were pruned at 0.01 when learned, and keep that floor here:
	// dropping their translations below 0.05 as well was measured and not
	// kept (cross-language MRR 0.504 → 0.539 but Recall@10 0.802 → 0.781,
	// docs/retrieval.md).
	translationFloor = 0.05
	// boostTranslated discounts a match through a translation against
	// the word as written: a translation may be wrong.
	boostTranslated = 0.8
	// likelyFloor is the probability from which a translation stands for
	// the word: it covers the word's concept for the complete mark, and
	// counts for the second stage's adjacency. Below it a word has only
	// what EM spreads over the words around an unknown one (размыв →
	// 6.8, sập, xói, úng, kê at 0.04; date → 05, ctr, đu at 0.05): a
	// version holding one of those matches the word, and ranks by it, but
	// does not cover it.
	likelyFloor = 0.1
)

// psq is one search's query translation: the languages its words are
// translated from and, per word, the translations.
type psq struct {
	tr    Translator
	an    Analyzer
	from  []string
	words map[string]expansion
	// parts holds, for a word the analysis splits into several terms
	// (CJK and Thai bigrams, two stems), each term's own translations:
	// the word's translated side then needs half of them (see
	// translated), as its written side needs all its terms.
	parts map[string][]expansion
	// compound holds the parts of the words searched as compounds
	// (decompound): their translated side needs every part.
	compound map[string][]string
	order    []string
}

// expansion is a word's translations per language, best first.
type expansion []model.LangTranslations

func newPSQ(tr Translator, an Analyzer, from []string, ast query.Node) *psq {
	p := &psq{tr: tr, an: an, from: from, words: map[string]expansion{}, parts: map[string][]expansion{}, compound: map[string][]string{}}
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
// keeps each term's best translations, and each term's own apart (parts).
func (p *psq) expand(word string) expansion {
	if e, ok := p.words[word]; ok {
		return e
	}
	whole := map[string]map[string]float64{}
	byTerm := map[string]map[string]map[string]float64{}
	var terms []string
	for _, src := range p.from {
		for _, term := range p.terms(src, word) {
			if byTerm[term] == nil {
				byTerm[term] = map[string]map[string]float64{}
				terms = append(terms, term)
			}
			for _, to := range p.tr.Langs() {
				if to == src {
					continue
				}
				for _, t := range p.tr.Translate(term, src, to, perLang, translationFloor) {
					addBest(whole, to, t)
					addBest(byTerm[term], to, t)
				}
			}
		}
	}
	e := ranked(whole)
	p.words[word] = e
	p.order = append(p.order, word)
	if len(terms) > 1 {
		parts := make([]expansion, len(terms))
		for i, term := range terms {
			parts[i] = ranked(byTerm[term])
		}
		p.parts[word] = parts
	}
	return e
}

// terms are the index terms of word in src that are translated: its own,
// or, for a compound the tables do not know, its parts' (decompound),
// which the word's translated side then needs all of.
func (p *psq) terms(src, word string) []string {
	terms := p.an.Terms(src, word)
	if len(terms) != 1 || !compounds(src) || p.translates(src, terms[0], translationFloor) {
		return terms
	}
	if parts := p.decompound(src, word); parts != nil {
		p.compound[word] = parts
		return parts
	}
	return terms
}

// addBest records translation t into language to, keeping a term's
// highest probability.
func addBest(best map[string]map[string]float64, to string, t model.Translation) {
	if best[to] == nil {
		best[to] = map[string]float64{}
	}
	best[to][t.Term] = math.Max(best[to][t.Term], t.P)
}

// ranked is the expansion of best: per language (in order), its perLang
// most probable terms, best first.
func ranked(best map[string]map[string]float64) expansion {
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
		out = append(out, model.WordReading{Word: w, Parts: p.compound[w], To: p.words[w]})
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
//
// A word the analysis splits (a Thai or Chinese run written without
// spaces is several words, indexed as bigrams) is translated term by
// term. As written it needs every term; translated, half of the terms
// that have translations into the language (minShould): the union of
// every bigram's translations, the rule before, matched any report that
// shares one word with the query (แปรรูปแมคคาเดเมีย "macadamia
// processing" ranked its report 39th, under every report on processing).
func (b builder) translated(word, field string) []bq.Query {
	if b.psq == nil {
		return nil
	}
	parts := []index.Part{index.PartTitle, index.PartLead, index.PartBody}
	if field == query.FieldTitle {
		parts = parts[:1]
	}
	split := b.psq.parts[word]
	var out []bq.Query
	for _, lt := range b.psq.expand(word) {
		var q bq.Query
		if b.psq.compound[word] != nil || partsInto(split, lt.Lang) >= 3 || (b.allConcepts && len(split) >= 3) {
			q = b.splitInto(word, lt.Lang, parts)
		} else {
			// Half of one or two parts is one: the union, which the
			// word's best translations overall search more cheaply.
			q = b.translatedInto(lt, parts)
		}
		if q != nil {
			out = append(out, q)
		}
	}
	return out
}

// partsInto counts the terms of a split word with translations into
// lang.
func partsInto(split []expansion, lang string) int {
	n := 0
	for _, e := range split {
		for _, lt := range e {
			if lt.Lang == lang && len(lt.Terms) > 0 {
				n++
			}
		}
	}
	return n
}

// splitInto matches a split word's terms through their translations into
// lang: each term with translations is a group, of which half must match.
//
// In the coverage pass half of all the word's terms must be covered,
// those no table translates included, through their likely translations
// (translatedInto drops the others there). A word whose terms the tables
// mostly do not know (台风登陆藩切, "typhoon lands at Phan Thiết", of
// which only Phan Thiết's bigrams have translations) is then covered by
// no translation, where pass 1's half of the translated terms matched
// every report on Phan Thiết.
//
// A compound's parts are its concept's parts (Hängebrücke is a bridge
// that hangs): every one must match.
func (b builder) splitInto(word, lang string, parts []index.Part) bq.Query {
	split := b.psq.parts[word]
	var groups []bq.Query
	for _, e := range split {
		for _, lt := range e {
			if lt.Lang != lang {
				continue
			}
			if q := b.translatedInto(lt, parts); q != nil {
				groups = append(groups, q)
			}
		}
	}
	need := minShould(len(groups))
	switch {
	case b.psq.compound[word] != nil:
		need = len(split)
	case b.allConcepts:
		need = minShould(len(split))
	}
	switch {
	case len(groups) == 0 || len(groups) < need:
		return nil
	case len(groups) == 1:
		return groups[0]
	}
	d := bq.NewDisjunctionQuery(groups)
	d.SetMin(float64(need))
	return d
}

// translatedInto is the disjunction of lt's translations in its
// language's exact fields of the given parts, nil when there are none.
func (b builder) translatedInto(lt model.LangTranslations, parts []index.Part) bq.Query {
	var qs []bq.Query
	for _, f := range index.TextFields(lt.Lang, parts...) {
		if f.Folded() {
			continue
		}
		for _, t := range lt.Terms {
			if b.allConcepts && t.P < likelyFloor {
				continue // matched, not covered (likelyFloor)
			}
			if b.only != nil && !b.only[f.Lang()] {
				qs = append(qs, bq.NewMatchNoneQuery())
				continue
			}
			qs = append(qs, f.Term(t.Term, partBoosts[f.Part()][0]*t.P*boostTranslated))
		}
	}
	if len(qs) == 0 {
		return nil
	}
	return bq.NewDisjunctionQuery(qs)
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
