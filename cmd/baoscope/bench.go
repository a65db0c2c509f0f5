package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"baoscope/bench"
)

func runBench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "[--docs N] [--langs L] [--shards S] [--clients 1,8,64] [--duration 10s] [--fts5] [flags]", `
Measure the pipeline on a synthetic corpus of N documents (N/L reports in
L languages, text imitating the sample corpus) in one run, and print a
table: crawl→extract→detect→index throughput against the loopback sample
site (no politeness delay); extraction, detection and indexing each on
their own (documents/s, CPU time and allocations per document); index size
per document; query latency p50/p95/p99 and throughput of a fixed mixed
query set at each --clients concurrency; peak memory.

--fts5 loads the same documents into SQLite FTS5 and runs the same queries
there, with the ratio baoscope/FTS5 for each figure. FTS5 needs cgo and
the sqlite_fts5 build tag:

  go run -tags sqlite_fts5 ./cmd/baoscope bench --docs 10000 --fts5

Large corpora: --direct builds documents straight from the generator
(extraction and detection are then not measured) and --skip-crawl leaves
out the crawl; --data DIR --keep keeps the documents, the Bleve index and
the FTS5 database, and a rerun reuses them (an unsharded index left half
built resumes). See docs/performance.md for the commands behind its table.`, stderr)
	var (
		o       bench.Options
		clients string
		jsonOut bool
		lf      logFlags
	)
	fs.IntVar(&o.Docs, "docs", 10000, "documents to generate (N·L)")
	fs.IntVar(&o.Langs, "langs", 5, "languages per report: the Vietnamese original plus L-1 translations (1..11)")
	fs.Uint64Var(&o.Seed, "seed", 1, "generator seed")
	fs.IntVar(&o.Shards, "shards", 1, "Bleve indexes written in parallel and searched through an alias")
	fs.StringVar(&clients, "clients", "1,8,64", "comma-separated numbers of concurrent query clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "query load per concurrency level and engine")
	fs.StringVar(&o.DataDir, "data", "", "directory for documents and indexes (default: a temporary one)")
	fs.BoolVar(&o.Keep, "keep", false, "keep --data after the run, and reuse what it holds")
	fs.StringVar(&o.ProfileDir, "profile", "", "write CPU and allocation profiles of each phase to this directory")
	fs.BoolVar(&o.FTS5, "fts5", false, "compare with SQLite FTS5 (build with -tags sqlite_fts5)")
	fs.BoolVar(&o.SkipCrawl, "skip-crawl", false, "leave out the crawl→extract→detect→index stage")
	fs.BoolVar(&o.Direct, "direct", false, "build documents from the generator without rendering, extraction or detection")
	fs.IntVar(&o.CrawlParallel, "parallel", 4, "crawler requests in flight per host")
	fs.BoolVar(&jsonOut, "json", false, "print the result as JSON instead of tables")
	lf.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bench: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if o.Keep && o.DataDir == "" {
		return errors.New("bench: --keep needs --data")
	}
	var err error
	if o.Clients, err = bench.ParseClients(clients); err != nil {
		return err
	}
	if o.Logger, err = lf.logger(stderr); err != nil {
		return err
	}
	o.Progress = func(msg string) { fmt.Fprintf(stderr, "%s bench: %s\n", time.Now().Format("15:04:05"), msg) }
	res, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	if jsonOut {
		return res.WriteJSON(stdout)
	}
	return res.WriteTable(stdout)
}
