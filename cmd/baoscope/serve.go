package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"baoscope/pipeline"
	"baoscope/server"
)

func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "--data DIR [--addr HOST:PORT]", `
Serve the web page and the search API over the index in DIR until
interrupted: SIGINT or SIGTERM stop accepting connections and give
requests in flight 10 seconds to finish. Searches beyond --max-searches
at once wait in a short queue; beyond it they are answered 429 with
Retry-After at once, rather than all slowing down.

  /                         the search page; /reports/{id} a report side by side
  GET /api/v1/search?q=…    one result per report (format=jsonl|csv: export all)
  GET /api/v1/reports/{id}  every version of a report, full text
  GET /api/v1/stats         documents per site and language, last crawl
  GET /api/v1/openapi.json  the API's OpenAPI 3 description (docs/api.md)
  GET /healthz, /readyz, /metrics

Example:
  baoscope serve --data ./data --addr 127.0.0.1:8080`, stderr)
	var (
		addr string
		df   dataFlags
		adm  admissionFlags
	)
	df.register(fs, "data directory written by crawl or demo")
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	adm.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Preload: true, Pipeline: pipeline.Options{Existing: true}})
	if err != nil {
		return err
	}
	defer s.p.Close()
	return serveHTTP(ctx, addr, apiHandler(s.p, s.det, s.log, adm), s.log, func(base string) {
		if err := s.p.Store().SetServing(base); err != nil {
			s.log.Warn("holder file: serving address not recorded", "err", err)
		}
		fmt.Fprintf(stdout, "serving %s: web page %s/  search API %s/api/v1/search?q=\n", df.dir, base, base)
		_ = printSummaryLine(ctx, stdout, s.p)
	})
}

// admissionFlags bound the searches the server runs at once (see
// server.Options.MaxSearches).
type admissionFlags struct {
	maxSearches, queue int
	wait               time.Duration
}

func (a *admissionFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&a.maxSearches, "max-searches", 0, fmt.Sprintf("searches run at once; more wait in the queue or get 429 (default 2 per core: %d; -1: no limit)", server.DefaultMaxSearches()))
	fs.IntVar(&a.queue, "search-queue", 0, "searches waiting for a slot before the next gets 429 at once (default 2×max-searches; -1: none wait)")
	fs.DurationVar(&a.wait, "queue-wait", server.DefaultQueueWait, "longest a queued search waits for a slot before it gets 429")
}
