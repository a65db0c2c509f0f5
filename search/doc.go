// Package search answers researchers' queries against the index, one
// result per report.
//
// A query (see docs/query-syntax.md) is parsed by package query and
// translated here into Bleve queries. Free words are a best match: each
// is a concept, matched as written in every language's fields (each
// analysed with that language's analyzer) and the language-neutral
// field of names and figures, and through its learned translations in
// every other language (Probabilistic Structured Queries, translate.go);
// half of the concepts must match in one version. Matching documents are
// grouped by report (pass 1); a coverage pass marks the reports with a
// version covering every concept as written or through a likely
// translation, which rank first; a second stage lifts, among the first
// hundred, the reports whose versions hold consecutive query words side
// by side (adjacent.go). The result lists, per report, the versions that
// matched, with highlighted snippets (pass 2), and every version known,
// so a German query about Cư Jút returns the Vietnamese original and all
// its translations.
//
// The index owns its schema: this package composes Bleve queries from the
// index's helpers (a term in a language's text fields or the neutral
// field, a keyword, a date range), never from field names, and receives
// what the index reads back as model types. The HTTP layer depends on the
// Service interface, never on Bleve.
package search
