// Package store keeps every extracted document, and what the crawler
// learnt about each URL, in one bbolt file in the data directory.
//
// The store is the source of truth: the Bleve index can always be rebuilt
// from it (baoscope reindex) without refetching anything, and a crawl that
// was killed resumes by asking the store which pages it already holds.
// A document is committed and fsynced before Put returns, so a page
// acknowledged to the crawler survives kill -9. Concurrent durable writes
// share one commit (group commit). A document is linked to its report,
// and given the section only its original states, in the transaction
// that stores it: one commit per stored page. Writes that need no
// durability of their own (URL states, Colly's visited marks and
// cookies) are deferred: visible at once, written by the next commit,
// whoever's, and by one of their own deferDelay later at most. A deferred
// write is thus never less durable than a document stored after it; see
// commit.go.
//
// Besides the documents, the file holds the crawl state of every URL the
// crawler requested (model.URLState: status, outcome, ETag, Last-Modified,
// body hash, publication time, when it was last asked and since when it
// has been missing), which makes later runs incremental, and Colly's
// storage (CollyStorage: cookies, and the visited set Colly would use if
// revisits were off).
//
// bbolt lets one process at a time open the file. The process that holds
// it says so in a holder file beside it (holder.go), so that another one,
// refused, can name it: its process id, command line and, when it
// serves the directory, its address.
package store
