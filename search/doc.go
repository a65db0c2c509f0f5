// Package search answers researchers' queries against the index, one
// result per report.
//
// A query (see docs/query-syntax.md) is parsed by package query and
// translated here into Bleve queries: every free-text term must match
// somewhere in a document, in any language's fields (each analysed with
// that language's analyzer) or in the language-neutral field of names and
// figures. Matching documents are then grouped by report: the result lists,
// per report, the versions that matched, with highlighted snippets, and
// every version known, so a German query about Cư Jút returns the
// Vietnamese original and all its translations.
//
// The index owns its schema: this package composes Bleve queries from the
// index's helpers (a term in a language's text fields or the neutral
// field, a keyword, a date range), never from field names, and receives
// what the index reads back as model types. The HTTP layer depends on the
// Service interface, never on Bleve.
package search
