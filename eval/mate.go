package eval

import (
	"context"
	"slices"

	"baoscope/model"
	"baoscope/query"
)

// Title is one version's title, the mate test's query.
type Title struct {
	ReportID string
	Lang     string
	Title    string
}

// MateReport scores the mate test: per version language, how well a
// version's title finds its own report when that language is excluded.
type MateReport struct {
	All    Row   `json:"all"`
	ByLang []Row `json:"by_lang"`
	// Skipped counts versions whose report has no version in another
	// language, which the test cannot find by construction.
	Skipped int `json:"skipped"`
	// outcomes are the titles' outcomes, for Pool.
	outcomes []Outcome
}

// Mate runs the mate test over titles, grouped by report through
// ReportID. Versions whose report exists in one language only are
// skipped.
func Mate(ctx context.Context, s Searcher, titles []Title, opts Options) (*MateReport, error) {
	langs := map[string]map[string]bool{}
	for _, t := range titles {
		if langs[t.ReportID] == nil {
			langs[t.ReportID] = map[string]bool{}
		}
		langs[t.ReportID][t.Lang] = true
	}
	rep := &MateReport{}
	var outs []Outcome
	for _, t := range titles {
		if len(langs[t.ReportID]) < 2 {
			rep.Skipped++
			continue
		}
		q := Judged{ID: t.ReportID + "/" + t.Lang, Query: MateQuery(t.Title, t.Lang), Lang: t.Lang, Type: Cross, Relevant: []string{t.ReportID}}
		o, err := runOne(ctx, s, q, opts)
		if err != nil {
			return nil, err
		}
		outs = append(outs, o)
	}
	rep.score(outs)
	return rep, nil
}

// score sets the rows of the outcomes outs.
func (rep *MateReport) score(outs []Outcome) {
	rep.outcomes = outs
	rep.All = Row{Key: "all"}
	for _, o := range outs {
		rep.All.add(o)
	}
	rep.All.finish()
	rep.ByLang = rows(outs, func(o Outcome) []string { return []string{o.Lang} })
}

// poolMates is one mate test of several runs' (Pool).
func poolMates(ms []*MateReport) *MateReport {
	out := &MateReport{}
	var outs []Outcome
	for _, m := range ms {
		outs = append(outs, m.outcomes...)
		out.Skipped += m.Skipped
	}
	out.score(outs)
	return out
}

// MateQuery is a title as a query that must find the title's report in
// another language: its words, each taken literally (query.Words: a
// title's colon, dash, "OR" or "№" is not query syntax), and -lang:lang.
func MateQuery(title, lang string) string {
	not := &query.Not{Node: &query.Filter{Field: query.FieldLang, Values: []string{lang}}}
	return (&query.And{Nodes: append(query.Words(title), not)}).String()
}

// Corpus is what an evaluation needs to know of the searched documents:
// every report's languages (for Check and the cross/vi-only class) and
// every version's title (for the mate test). Fill it with Add, one
// document at a time, so a large data directory is never held whole.
type Corpus struct {
	Versions Versions
	Titles   []Title
}

// Add records d; pages linked to no report are not judged and are left
// out.
func (c *Corpus) Add(d *model.Document) {
	if d.ReportID == "" {
		return
	}
	if c.Versions == nil {
		c.Versions = Versions{}
	}
	if !slices.Contains(c.Versions[d.ReportID], d.Lang) {
		c.Versions[d.ReportID] = append(c.Versions[d.ReportID], d.Lang)
	}
	if d.Title != "" {
		c.Titles = append(c.Titles, Title{ReportID: d.ReportID, Lang: d.Lang, Title: d.Title})
	}
}
