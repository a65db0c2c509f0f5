// Package crawler discovers and fetches the pages baoscope indexes, with
// Colly as the HTTP engine.
//
// It knows how to find originals on baolamdong.vn (robots.txt Sitemap
// lines, sitemap indexes and urlsets, section RSS feeds, paginated section
// listings, article links) and translations on www.vietnam.vn (the
// candidate /<lang>/<slug> for every original and language, and the site's
// daily post sitemaps). It does not parse articles: every article page it
// fetches is handed, raw bytes and headers, to a Handler supplied by the
// caller, which extracts, detects and indexes. That keeps this package
// ignorant of the index and lets tests drive it with any handler.
//
// The frontier is the crawler's own bounded queue rather than Colly's
// Async mode, because Colly starts one goroutine per Visit and its queue
// drops in-flight requests on a crash. Colly's LimitRule enforces the
// per-host delay and parallelism, one rule per host.
package crawler
