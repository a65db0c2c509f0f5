package index

import (
	"strings"
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"
)

// The queries other packages compose, in the terms of the schema rather
// than of field names: a text field of one language, the neutral field, a
// keyword, a date range. Search decides which to combine and how; this
// file decides which fields that means.

// Part is a part of a version's text.
type Part uint8

// Parts of a version's text, each indexed in its own fields.
const (
	PartTitle Part = iota
	PartLead
	PartBody
)

// TextField is a field free text is matched in: one part of a version's
// text in one field language, exact or diacritic-folded, or the
// language-neutral field that holds every version's Latin-script words and
// figures.
type TextField struct {
	name   string
	lang   string // field language (FieldSuffix); "" for the neutral field
	part   Part
	folded bool
}

// TextFields returns the fields of the given parts in field language lang
// (see FieldSuffix): the exact fields in the order of parts, then, for
// Vietnamese, their diacritic-folded twins in the same order.
func TextFields(lang string, parts ...Part) []TextField {
	lang = FieldSuffix(lang)
	out := make([]TextField, 0, 2*len(parts))
	for _, p := range parts {
		out = append(out, TextField{name: partField(p, lang), lang: lang, part: p})
	}
	if lang == "vi" {
		for _, p := range parts {
			out = append(out, TextField{name: partField(p, lang) + foldSuffix, lang: lang, part: p, folded: true})
		}
	}
	return out
}

func partField(p Part, lang string) string {
	switch p {
	case PartTitle:
		return titleField(lang)
	case PartLead:
		return leadField(lang)
	}
	return bodyField(lang)
}

// NeutralField is the field every version fills with its Latin-script
// words (folded) and its figures (normalised), title, lead and body alike.
func NeutralField() TextField { return TextField{name: fieldNeutral} }

// Lang is the field's language (a FieldSuffix value); "" for the neutral
// field.
func (f TextField) Lang() string { return f.lang }

// Part is the part of the text the field holds; the neutral field holds
// all of them and answers PartTitle.
func (f TextField) Part() Part { return f.part }

// Folded reports whether the field is a Vietnamese field's
// diacritic-folded twin.
func (f TextField) Folded() bool { return f.folded }

// Neutral reports whether this is the neutral field.
func (f TextField) Neutral() bool { return f.name == fieldNeutral }

// String is the field's name, for tests and logs.
func (f TextField) String() string { return f.name }

// Match matches text in the field, analysed as the field is: every word
// of it, or, for a phrase, its words in order. Queries against the neutral
// field also romanise Cyrillic, so that a name typed in Russian finds the
// versions spelling it in Latin.
func (f TextField) Match(text string, phrase bool, boost float64) bq.Query {
	if phrase {
		p := bq.NewMatchPhraseQuery(text)
		p.SetField(f.name)
		p.SetBoost(boost)
		if f.Neutral() {
			p.Analyzer = analyzerNeutralQuery
		}
		return p
	}
	m := bq.NewMatchQuery(text)
	m.SetField(f.name)
	m.SetBoost(boost)
	m.SetOperator(bq.MatchQueryOperatorAnd)
	if f.Neutral() {
		m.Analyzer = analyzerNeutralQuery
	}
	return m
}

// Prefix matches the words of the field that start with prefix, which
// is lower-cased and, in a diacritic-folded field or the neutral field,
// folded as those fields are (so Kro* finds Krông there). A stemmed
// field holds stems, which a short prefix of the word still starts.
// Han, kana and Hangul are indexed as overlapping bigrams, not words: a
// prefix in those scripts matches where all its bigrams occur, as the
// text it is (크롱노* finds 크롱노, and 크롱노 inside a longer run).
func (f TextField) Prefix(prefix string, boost float64) bq.Query {
	if strings.IndexFunc(prefix, bigramScript) >= 0 {
		return f.Match(prefix, false, boost)
	}
	p := strings.ToLower(prefix)
	if f.folded || f.Neutral() {
		p = fold(p)
	}
	q := bq.NewPrefixQuery(p)
	q.SetField(f.name)
	q.SetBoost(boost)
	return q
}

// Term matches one term as the index holds it, not analysed again: a
// translation learned from the index's own analysis (package translate).
func (f TextField) Term(term string, boost float64) bq.Query {
	t := bq.NewTermQuery(term)
	t.SetField(f.name)
	t.SetBoost(boost)
	return t
}

// Keyword is an attribute of a version matched exactly.
type Keyword uint8

// Keywords queries can filter on.
const (
	KeywordLang    Keyword = iota // the detected language, else the declared one
	KeywordSection                // the report's section
	KeywordSite                   // model.SiteBaoLamDong or model.SiteVietnamVN
	KeywordReport                 // the report id; none for an unlinked page
	KeywordURL
)

var keywordFields = [...]string{
	KeywordLang: fieldLang, KeywordSection: fieldSection, KeywordSite: fieldSite,
	KeywordReport: fieldReportID, KeywordURL: fieldURL,
}

// Is matches the versions whose keyword is value.
func (k Keyword) Is(value string) bq.Query {
	t := bq.NewTermQuery(value)
	t.SetField(keywordFields[k])
	return t
}

// IsOriginal matches the originals, or (false) the translations and
// unlinked pages.
func IsOriginal(original bool) bq.Query {
	b := bq.NewBoolFieldQuery(original)
	b.SetField(fieldOriginal)
	return b
}

// PublishedIn matches the versions published at or after from and before
// to; a zero bound is open.
func PublishedIn(from, to time.Time) bq.Query {
	inclusive, exclusive := true, false
	var fp, tp *bool
	if !from.IsZero() {
		fp = &inclusive
	}
	if !to.IsZero() {
		tp = &exclusive
	}
	q := bq.NewDateRangeInclusiveQuery(from, to, fp, tp)
	q.SetField(fieldPublished)
	return q
}

// IndexedBefore matches the versions last written to the index at or
// before t: search cursors leave out what a crawl added after their first
// page.
func IndexedBefore(t time.Time) bq.Query {
	inclusive := true
	r := bq.NewDateRangeInclusiveQuery(time.Time{}, t, nil, &inclusive)
	r.SetField(fieldIndexedAt)
	return r
}

// InGroups matches the documents of the given groups (search results'
// report keys): a second stage re-scores only the first reports.
func InGroups(groups []string) bq.Query {
	qs := make([]bq.Query, len(groups))
	for i, g := range groups {
		t := bq.NewTermQuery(g)
		t.SetField(fieldGroup)
		qs[i] = t
	}
	return bq.NewDisjunctionQuery(qs)
}
