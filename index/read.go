package index

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/model"
)

// maxVersions bounds the versions read per group: a report has one per
// language the translator offers, about twenty.
const maxVersions = 64

// MatchingVersions returns, by group key, the documents of the groups
// that match q, best first, each with a snippet of its own text where q
// matched (HTML: the crawled text escaped, matches in <mark>).
func (ix *Index) MatchingVersions(ctx context.Context, q bq.Query, groups []string) (map[string][]model.VersionHit, error) {
	req := bleve.NewSearchRequestOptions(bq.NewConjunctionQuery([]bq.Query{q, InGroups(groups)}), len(groups)*maxVersions, 0, false)
	req.Fields = []string{fieldGroup, fieldLang, fieldURL, fieldTitle}
	for _, l := range Langs() {
		// For the fallback snippet when only an unstored field matched.
		req.Fields = append(req.Fields, bodyField(l))
	}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.SortBy([]string{"-_score", fieldURL})
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("matched versions: %w", err)
	}
	out := map[string][]model.VersionHit{}
	for _, h := range res.Hits {
		g, _ := h.Fields[fieldGroup].(string)
		lang, _ := h.Fields[fieldLang].(string)
		v := model.VersionHit{
			Lang:  lang,
			URL:   str(h.Fields[fieldURL]),
			Title: str(h.Fields[fieldTitle]),
			Score: h.Score,
		}
		v.Snippet = snippet(h.Fragments, lang)
		if v.Snippet == "" {
			v.Snippet = plainSnippet(str(h.Fields[bodyField(lang)]), 240)
		}
		out[g] = append(out[g], v)
	}
	return out, nil
}

// snippet picks the best highlighted fragment of the version's own text
// fields: body, then lead, then title, exact before folded. Fragments of
// keyword fields (the group filter's term) are never snippets. Bleve's
// html formatter escapes the text around each <mark>.
func snippet(frags map[string][]string, lang string) string {
	for _, f := range []string{bodyField(lang), bodyField(lang) + foldSuffix,
		leadField(lang), leadField(lang) + foldSuffix,
		titleField(lang), titleField(lang) + foldSuffix, fieldNeutral} {
		if fs := frags[f]; len(fs) > 0 {
			return fieldBreaks(fs[0])
		}
	}
	return ""
}

// SnippetSeparator stands in a snippet for a line break of the text: between
// the title, lead and body (the neutral field holds all three) and
// between paragraphs, which would otherwise run into one another
// ("…government On the afternoon…").
const SnippetSeparator = " · "

// fieldBreaks replaces each run of line breaks, with the spaces around
// it, by SnippetSeparator, and trims the ends.
func fieldBreaks(s string) string {
	if !strings.Contains(s, "\n") {
		return strings.TrimSpace(s)
	}
	parts := strings.Split(s, "\n")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, SnippetSeparator)
}

// plainSnippet is the fallback when nothing was highlighted (a match in
// the folded or neutral fields only): the start of the text, escaped.
func plainSnippet(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n]) + "…"
	}
	return html.EscapeString(fieldBreaks(s))
}

// Reports returns, by group key, every version of the groups (original
// first, then by language and URL) with the group's date and section: the
// original's when it has them. Dates are in UTC. A group without
// documents is absent.
func (ix *Index) Reports(ctx context.Context, groups []string) (map[string]*model.Report, error) {
	req := bleve.NewSearchRequestOptions(InGroups(groups), len(groups)*maxVersions, 0, false)
	req.Fields = slices.Clone(versionFields)
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("all versions: %w", err)
	}
	out := map[string]*model.Report{}
	for _, h := range res.Hits {
		g := str(h.Fields[fieldGroup])
		v := versionOf(h.Fields)
		rep, ok := out[g]
		if !ok {
			rep = &model.Report{ID: model.ReportIDOf(g)}
			out[g] = rep
		}
		rep.Versions = append(rep.Versions, v)
		// A report's date and section are the original's when known; a
		// translation's empty section does not hide another's.
		if !ok || v.IsOriginal || rep.Published.IsZero() {
			section := str(h.Fields[fieldSection])
			if ok && !v.IsOriginal && section == "" {
				section = rep.Section
			}
			rep.Published, rep.Section = v.Published, section
		}
	}
	for _, rep := range out {
		sortVersions(rep.Versions)
	}
	return out, nil
}

// Report returns every version of a group with its document, as far as
// the index keeps it (see documentOf): the original first, then by
// language. Dates are in UTC. A group without documents gives a report
// without versions.
func (ix *Index) Report(ctx context.Context, group string) (*model.Report, error) {
	// More than any report has, with room to spare.
	hits, err := ix.stored(ctx, fieldGroup, group, 256)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", group, err)
	}
	rep := &model.Report{ID: group}
	for _, h := range hits {
		d := documentOf(h.Fields)
		rep.Versions = append(rep.Versions, versionOf(h.Fields))
		rep.Documents = append(rep.Documents, d)
		if d.IsOriginal || rep.Published.IsZero() {
			rep.Published, rep.Section = d.Published, d.Section
		}
	}
	sortVersions(rep.Versions)
	slices.SortFunc(rep.Documents, func(a, b model.Document) int {
		if a.IsOriginal != b.IsOriginal {
			if a.IsOriginal {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Lang, b.Lang)
	})
	return rep, nil
}

// Document returns the document indexed under url, as far as the index
// keeps it (see documentOf), or nil. Dates are in UTC.
func (ix *Index) Document(ctx context.Context, url string) (*model.Document, error) {
	hits, err := ix.stored(ctx, fieldURL, url, 1)
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", url, err)
	}
	if len(hits) == 0 {
		return nil, nil
	}
	d := documentOf(hits[0].Fields)
	return &d, nil
}

// stored returns up to n documents whose keyword field is term, with
// every stored field.
func (ix *Index) stored(ctx context.Context, field, term string, n int) (search.DocumentMatchCollection, error) {
	t := bq.NewTermQuery(term)
	t.SetField(field)
	req := bleve.NewSearchRequestOptions(t, n, 0, false)
	req.Fields = []string{"*"}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Hits, nil
}
