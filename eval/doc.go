// Package eval measures retrieval quality: it runs judged queries through
// the search service the API uses and scores the ranked reports.
//
// A judged query names the reports a researcher would want for it (see
// docs/retrieval.md for the file format, which this package alone reads).
// Scores are Recall@10, reciprocal rank and nDCG@10 with binary gains,
// averaged by query type and by query language, because an average over
// everything hides exactly what cross-language work must show: whether a
// query finds reports that have no version in its language.
//
// The mate test needs no judgments: each version's title is searched with
// its own language excluded, so the report can only be found through
// another language's version of it. It is the cheapest check that search
// crosses languages at all.
//
// The judged set bundled here (queries.jsonl) is judged against the sample
// corpus of package sample; a test checks every id and every
// cross-language label against that corpus.
package eval
