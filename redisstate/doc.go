// Package redisstate keeps a crawl's shared state in Redis so that several
// crawl processes, on one machine or several, work as one crawl:
//
//   - Frontier: the queue of URLs to fetch, de-duplicated for the whole
//     crawl. A URL taken from it is leased, not removed: a process that
//     dies mid-fetch (kill -9) stops renewing its leases, and the URLs
//     return to the queue for the others. Colly's own queue loses
//     in-flight requests on a crash, which is why it is not used.
//   - Limiter: the per-host politeness rule (a delay between requests and
//     a cap on requests in flight) enforced across every process.
//   - Storage: Colly's storage interface (visited set and cookies).
//   - State and stored markers: per-URL state layered over each process's
//     own store, which stays the truth for what it holds; the markers
//     (URL → the process holding it) are re-seeded from the stores
//     whenever a process joins a run, so no URL is stored twice.
//   - Conn: every call waits out an unreachable Redis, with backoff, up
//     to an outage limit. A run is marked by an id in Redis; when Redis
//     comes back without it, the processes rejoin a new run.
//
// Every key lives under one prefix, so crawls of different configurations
// sharing a Redis server stay apart. Multi-key steps run as Lua scripts:
// Redis executes each atomically.
package redisstate
