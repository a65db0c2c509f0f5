// Package crawler discovers and fetches the pages baoscope indexes, with
// Colly as the HTTP engine.
//
// It knows how to find originals on baolamdong.vn (robots.txt Sitemap
// lines, sitemap indexes and urlsets, section RSS feeds, paginated section
// listings, article links) and translations on www.vietnam.vn (the site's
// daily post sitemaps first; then, only for originals those sitemaps do not
// cover, the guess /<lang>/<slug> in each language whose rate of finding a
// page may still reach Config.GuessFloor — see guesser). It does not parse
// articles: every article page it
// fetches is handed, raw bytes and headers, to a Handler supplied by the
// caller, which extracts, detects and stores, and answers with a Result
// (kept or skipped, changed, publication time). That keeps this package
// ignorant of the index and lets tests drive it with any handler.
//
// # Politeness
//
// robots.txt is obeyed (Colly's check, which it skips unless
// IgnoreRobotsTxt is false). Each host gets Parallel requests in flight
// and request starts at least Delay apart (hostLimiter: Colly's LimitRule
// sleeps after a request while holding its slot, so two slots make two
// requests per Delay); a 429 or 503 with Retry-After pauses the whole
// host. Retries back off exponentially from RetryBase and honour
// Retry-After; one longer than MaxWait fails the page until the next run
// rather than ask early. Redirects are not followed inside the HTTP
// client: each Location becomes a task of its own, checked against the
// configured hosts, robots.txt, the rate limit and the run's
// de-duplication, so a loop shows up as a URL already in the chain.
// Bodies over MaxBodySize are refused, after the headers when a
// Content-Length says so and otherwise by asking Colly for one byte more
// than the limit (Colly truncates silently).
//
// Below HTTP, the transport's dialer refuses private, loopback, link-local
// and other non-public addresses for every host that is not configured
// (dialGuard), after resolving the name and connecting to the very address
// it checked.
//
// # Frontier and state
//
// The frontier is the crawler's own: one FIFO per site served by a fixed
// set of workers, de-duplicated by a 64-bit hash per URL, an original's
// translation candidates held as one entry expanded a language at a time.
// Colly's Async mode would start a goroutine per Visit, and its queue
// drops in-flight requests on a crash. Guesses wait in a queue of their
// own until their site has nothing named by the sites left, queued or in
// flight.
//
// Across runs, a StateStore (the data directory's bbolt store) keeps per
// URL the status, outcome, ETag, Last-Modified, body hash, publication
// time and 404 history. With the Stored hook it decides, before any
// request, whether an article needs one: stored and older than Revalidate
// — no; stored and recent — a conditional GET; a guessed translation
// candidate that was 404 less than NotFoundTTL ago — no, unless the site
// lists it. Discovery pages are fetched on every run. Colly's own storage
// (cookies) can be persisted through Config.CollyStorage.
package crawler
