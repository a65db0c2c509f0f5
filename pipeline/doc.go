// Package pipeline joins the stages of baoscope: the crawler fetches, the
// extractor turns HTML into documents, langid labels their language, the
// store keeps them durably and the index makes them searchable.
//
// Ordering is what makes a killed crawl safe to rerun: a document is
// committed to the store before it is indexed, the crawler skips URLs the
// store already holds, and Open reconciles the index with the store, so a
// page acknowledged once is neither lost nor fetched nor indexed twice.
// Open also removes what a killed reindex left beside the index, and,
// with Options.Existing, refuses a directory that holds no store rather
// than creating one (datadir.go).
package pipeline
