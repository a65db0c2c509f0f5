package main

import (
	"context"
	"fmt"
	"io"
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
		data, addr string
		lf         logFlags
		df         langFlags
	)
	fs.StringVar(&data, "data", "", "data directory written by crawl or demo")
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	lf.register(fs)
	df.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	det, err := df.detector(true)
	if err != nil {
		return err
	}
	p, err := openPipeline(ctx, data, det, false, 0, log)
	if err != nil {
		return err
	}
	defer p.Close()
	return serveHTTP(ctx, addr, apiHandler(p, det, log), log, func(base string) {
		fmt.Fprintf(stdout, "serving %s: web page %s/  search API %s/api/v1/search?q=\n", data, base, base)
		_ = printSummaryLine(ctx, stdout, p)
	})
}
