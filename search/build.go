package search

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/model"
	"baoscope/query"
)

// Boosts: a title match outweighs a body match; an exact Vietnamese
// spelling outweighs its folded twin; the neutral field (names and
// figures in every version) counts least, so that a version matching in
// its own language ranks above one matching only a name; fields of the
// query's detected language get a nudge.
const (
	boostTitle     = 2.0
	boostLead      = 1.3
	boostBody      = 1.0
	boostFolded    = 0.6
	boostNeutral   = 0.4
	boostQueryLang = 1.5
)

type builder struct {
	queryLang string
	// only, when set, restricts text matching to these field languages
	// (index.FieldSuffix values): pass 2 looks only at the languages of
	// the page's matching versions. The other languages' clauses become
	// match-none rather than disappear, so that Bleve's coordination
	// factor (matching clauses / clauses), and with it every score, is
	// the same as in pass 1.
	only map[string]bool
}

// textFields lists the fields a free-text term is matched against, with
// boosts; field "title" restricts to titles.
func (b builder) textFields(field, text string) []fieldBoost {
	var out []fieldBoost
	latin := latinOnly(text)
	ql := ""
	if b.queryLang != "" && b.queryLang != model.LangUnknown {
		ql = index.FieldSuffix(b.queryLang)
	}
	for _, l := range index.Langs() {
		if latin && l != "vi" && l != ql {
			continue
		}
		k := 1.0
		if l == b.queryLang {
			k = boostQueryLang
		}
		out = append(out, fieldBoost{index.TitleField(l), l, boostTitle * k})
		if l == "vi" {
			out = append(out, fieldBoost{index.TitleField(l) + index.FoldSuffix, l, boostTitle * boostFolded * k})
		}
		if field == "title" {
			continue
		}
		out = append(out,
			fieldBoost{index.LeadField(l), l, boostLead * k},
			fieldBoost{index.BodyField(l), l, boostBody * k})
		if l == "vi" {
			out = append(out,
				fieldBoost{index.LeadField(l) + index.FoldSuffix, l, boostLead * boostFolded * k},
				fieldBoost{index.BodyField(l) + index.FoldSuffix, l, boostBody * boostFolded * k})
		}
	}
	if field != "title" {
		out = append(out, fieldBoost{index.FieldNeutral, "", boostNeutral})
	}
	return out
}

type fieldBoost struct {
	name  string
	lang  string // the field's language; "" for the neutral field
	boost float64
}

// build translates the parsed query.
func (b builder) build(n query.Node) (bq.Query, error) {
	switch n := n.(type) {
	case *query.And:
		var must, not []bq.Query
		for _, c := range n.Nodes {
			if neg, ok := c.(*query.Not); ok {
				q, err := b.build(neg.Node)
				if err != nil {
					return nil, err
				}
				not = append(not, q)
				continue
			}
			q, err := b.build(c)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		return boolQuery(must, not), nil
	case *query.Or:
		qs := make([]bq.Query, 0, len(n.Nodes))
		for _, c := range n.Nodes {
			q, err := b.build(c)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		return bq.NewDisjunctionQuery(qs), nil
	case *query.Not:
		q, err := b.build(n.Node)
		if err != nil {
			return nil, err
		}
		return boolQuery(nil, []bq.Query{q}), nil
	case *query.Term:
		return b.term(n), nil
	case *query.Filter:
		return filterQuery(n.Field, n.Values)
	case *query.DateRange:
		return dateQuery(n.From, n.To), nil
	}
	return nil, fmt.Errorf("search: unsupported query node %T", n)
}

// boolQuery requires every must and none of not. With no positive part it
// means "everything except", which the parser only allows inside a larger
// query.
func boolQuery(must, not []bq.Query) bq.Query {
	if len(not) == 0 && len(must) == 1 {
		return must[0]
	}
	bqy := bq.NewBooleanQuery(nil, nil, nil)
	if len(must) > 0 {
		bqy.AddMust(must...)
	} else {
		bqy.AddMust(bq.NewMatchAllQuery())
	}
	if len(not) > 0 {
		bqy.AddMustNot(not...)
	}
	return bqy
}

// term matches a word or phrase in any language's fields. Within one
// field every token of the term must match (a Korean word analysed into
// bigrams needs all its bigrams), so words are AND-ed match queries.
func (b builder) term(t *query.Term) bq.Query {
	fields := b.textFields(t.Field, t.Text)
	qs := make([]bq.Query, 0, len(fields))
	for _, f := range fields {
		if b.only != nil && f.lang != "" && !b.only[f.lang] {
			qs = append(qs, bq.NewMatchNoneQuery())
			continue
		}
		// Queries against the neutral field romanise Cyrillic, so that a
		// name typed in Russian finds the versions spelling it in Latin.
		neutral := f.name == index.FieldNeutral
		if t.Phrase {
			p := bq.NewMatchPhraseQuery(t.Text)
			p.SetField(f.name)
			p.SetBoost(f.boost)
			if neutral {
				p.Analyzer = index.AnalyzerNeutralQuery
			}
			qs = append(qs, p)
			continue
		}
		m := bq.NewMatchQuery(t.Text)
		m.SetField(f.name)
		m.SetBoost(f.boost)
		m.SetOperator(bq.MatchQueryOperatorAnd)
		if neutral {
			m.Analyzer = index.AnalyzerNeutralQuery
		}
		qs = append(qs, m)
	}
	return bq.NewDisjunctionQuery(qs)
}

// filterQuery matches keyword fields exactly; several values are OR-ed.
func filterQuery(field string, values []string) (bq.Query, error) {
	name := map[string]string{
		"lang": index.FieldLang, "section": index.FieldSection, "site": index.FieldSite,
		"id": index.FieldReportID, "url": index.FieldURL, "original": index.FieldOriginal,
	}[field]
	if name == "" {
		return nil, &QueryError{Param: "q", Position: -1, Reason: "unknown filter " + field}
	}
	qs := make([]bq.Query, 0, len(values))
	for _, v := range values {
		if name == index.FieldOriginal {
			b := bq.NewBoolFieldQuery(strings.EqualFold(v, "true") || v == "1" || strings.EqualFold(v, "yes"))
			b.SetField(name)
			qs = append(qs, b)
			continue
		}
		t := bq.NewTermQuery(v)
		t.SetField(name)
		qs = append(qs, t)
	}
	if len(qs) == 1 {
		return qs[0], nil
	}
	return bq.NewDisjunctionQuery(qs), nil
}

func dateQuery(from, to time.Time) bq.Query {
	inclusive, exclusive := true, false
	var fp, tp *bool
	if !from.IsZero() {
		fp = &inclusive
	}
	if !to.IsZero() {
		tp = &exclusive
	}
	q := bq.NewDateRangeInclusiveQuery(from, to, fp, tp)
	q.SetField(index.FieldPublished)
	return q
}

// withFilters adds the structured filters of the request (as opposed to
// those written in the query text).
func withFilters(q bq.Query, mq model.Query) bq.Query {
	must := []bq.Query{q}
	if len(mq.Langs) > 0 {
		f, _ := filterQuery("lang", mq.Langs)
		must = append(must, f)
	}
	if mq.Section != "" {
		f, _ := filterQuery("section", []string{mq.Section})
		must = append(must, f)
	}
	if mq.OriginalsOnly {
		f, _ := filterQuery("original", []string{"true"})
		must = append(must, f)
	}
	if !mq.From.IsZero() || !mq.To.IsZero() {
		must = append(must, dateQuery(mq.From, mq.To))
	}
	if len(must) == 1 {
		return q
	}
	return bq.NewConjunctionQuery(must)
}

// latinOnly reports whether every letter of s is in the Latin script
// (digits, punctuation and spaces do not count); a string without
// letters is not, so that a bare figure keeps every field.
func latinOnly(s string) bool {
	letters := false
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if !unicode.Is(unicode.Latin, r) {
			return false
		}
		letters = true
	}
	return letters
}
