package main

import (
	"context"
	"fmt"
	"io"

	"baoscope/pipeline"
)

func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "--data DIR [--addr HOST:PORT]", `
Serve the web page and the search API over the index in DIR until
interrupted: SIGINT or SIGTERM stop accepting connections and give
requests in flight 10 seconds to finish.

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
	)
	df.register(fs, "data directory written by crawl or demo")
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Preload: true, Pipeline: pipeline.Options{Existing: true}})
	if err != nil {
		return err
	}
	defer s.p.Close()
	return serveHTTP(ctx, addr, apiHandler(s.p, s.det, s.log), s.log, func(base string) {
		if err := s.p.Store().SetServing(base); err != nil {
			s.log.Warn("holder file: serving address not recorded", "err", err)
		}
		fmt.Fprintf(stdout, "serving %s: web page %s/  search API %s/api/v1/search?q=\n", df.dir, base, base)
		_ = printSummaryLine(ctx, stdout, s.p)
	})
}
