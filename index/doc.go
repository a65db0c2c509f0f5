// Package index stores documents in a Bleve index laid out for
// cross-language search.
//
// Every language gets its own field names (title_de, body_ko …), each
// analysed by that language's analyzer: Bleve's own where it has one
// (stemming, stop words), character bigrams for scripts written without
// spaces or with agglutinated words (ko, ja, zh, th, lo, km), and a
// Vietnamese pair of fields (exact and diacritic-folded) so that "Krông Nô",
// "krong no" and "Krong No" all match while exact spelling ranks higher.
// Per-language names matter: with type mappings that share a field name,
// Bleve v2.5 picks the analyzer unreliably at query time.
//
// A language-neutral field, shared by every version, holds folded
// Latin-script tokens and normalised figures (1.481 = 1,481 = 1481), so a
// name or a number matches every version that carries it.
//
// Documents are keyed by URL: indexing a page again replaces it.
//
// The package owns its schema both ways, so that a change of the mapping
// stays inside it: a model.Document becomes fields, and hits become model
// types again (MatchingVersions, Reports, Report, Document). Other
// packages build queries from its helpers (TextFields, NeutralField,
// Keyword, PublishedIn …) and combine them with Bleve's boolean queries,
// never naming a field. VisitMatches hands every match of a query to a
// search's pass 1, whose grouping values a Shard reads from the columns
// or, with the one doc-value decoder, from doc values.
package index
