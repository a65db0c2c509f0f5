// Package bench measures baoscope on a synthetic corpus and compares it
// with SQLite FTS5: the harness behind `baoscope bench` and the tables of
// docs/performance.md.
//
// One Run generates N documents with the sample package's generator (N/L
// reports in L languages, vocabulary and sentence lengths drawn from the
// embedded corpus) and measures, phase by phase:
//
//   - crawl: the whole pipeline (discovery, fetching, extraction,
//     detection, store, index) against the loopback sample mirror with no
//     politeness delay; the mirror runs in a process of its own when
//     Options.StartMirror says how to start one (the command does), so
//     that its page rendering is not counted as the pipeline's CPU time;
//   - learn: translation tables learned from the run's documents (package
//     translate), timed on their own: the crawl runs with
//     pipeline.Options.Learn unset, so that its figures compare with runs from
//     before learning, and this phase then runs pipeline.Learn on the
//     store it left, as `baoscope crawl` would right after; without a
//     crawl (Options.SkipCrawl) it follows the stages and runs
//     translate.Learn over the spooled documents. The generator's
//     translations have no translation relation to their originals, so
//     this measures what learning costs (time, memory, size of the
//     tables), never what the tables are worth;
//   - stages: every page rendered in-process and extracted, then detected,
//     on one goroutine locked to its OS thread so that the thread's CPU
//     time is the stage's own; the documents are spooled to disk;
//   - index: the spooled documents written to Bleve with index.Upsert
//     (one or several shards);
//   - fts5: the same documents in an FTS5 table (built with the
//     sqlite_fts5 tag only);
//   - query: a fixed mixed query set (Queries) through the search package,
//     and its hand translation through FTS5, at each concurrency level.
//
// Each phase has its own peak-memory window (VmHWM, reset through
// /proc/self/clear_refs) and, on request, CPU and allocation profiles.
// Throughput is given per wall second and per CPU second: the machine is
// shared, and docs per CPU-second does not depend on what else runs.
//
// Run it with
//
//	go run ./cmd/baoscope bench --docs 10000
//	go run -tags sqlite_fts5 ./cmd/baoscope bench --docs 10000 --fts5
//
// and see docs/performance.md for the commands behind each published
// figure. Nothing here is a pass/fail test: timings belong in this
// package's output, never in a test's verdict.
package bench
