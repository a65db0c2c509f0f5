// Package sample is a loopback mirror of the two sites baoscope reads —
// baolamdong.vn, where the Vietnamese originals are published, and
// www.vietnam.vn, which republishes them machine-translated — plus a
// synthetic generator of arbitrarily large corpora in the same shape.
//
// The crawler's end-to-end tests and `baoscope demo` crawl it instead of the
// real sites: pages follow the markup the extractor's site-specific
// selectors target, discovery works through the same robots.txt, sitemaps,
// listings and RSS feeds, and absolute URLs in feeds and sitemaps use the
// base URL of the request so that a crawler of the mirror stays on
// loopback. Canonical URLs, og:url and source lines name the real sites, as
// the real pages do.
//
// A Corpus comes from one of two places. Load reads the corpus embedded in
// the package (sample/corpus: handwritten reports plus verbatim copies of
// real vietnam.vn pages, the "seeds"); LoadFS reads the same layout from any
// fs.FS. Generate synthesises N reports in L languages from word-bigram
// models trained on a loaded corpus; its reports are computed on demand from
// their index and the seed, so a million-report corpus costs no more memory
// than a ten-report one. Generated text is for scale benchmarks only: each
// version's text is sampled independently from its own language's model,
// so a generated translation has no translation relation to its original
// (no shared facts, no aligned words), and nothing that learns or measures
// cross-language retrieval may use it; the embedded corpus is written for
// that.
//
// New turns a Corpus into a Site with one http.Handler per mirrored site;
// Start serves both on 127.0.0.1. Options.Faults opts into pages that
// misbehave on purpose: page faults (Faults: a translation whose source
// line names another paper, an article only reachable through a
// robots-disallowed URL, legacy charsets, malformed HTML, off-host links,
// a translation without a source line, a corrected article) and transport
// faults (TransportFaults: 429 with Retry-After, 500 then OK, slow,
// truncated and oversized answers, redirect loops and redirects off the
// host). They are off unless asked for, so the demo corpus is clean.
// Every complete 200 answer carries an ETag and honours If-None-Match, as
// a CDN in front of the real sites does.
package sample
