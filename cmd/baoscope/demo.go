package main

import (
	"context"
	"fmt"
	"io"
	"sync"
)

func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "[--addr HOST:PORT] [--data DIR]", `
Run the whole pipeline on the bundled sample site: start loopback mirrors
of baolamdong.vn and www.vietnam.vn serving the embedded corpus, crawl
them, detect each document's language, index everything into a data
directory (a temporary one unless --data is given) and serve the web
page and the search API until interrupted. Translation tables are
learned in the background once serving has started (see 'baoscope learn
--help'); the report page pairs paragraphs by lengths and shared figures
until they are ready.

It prints the web page's and the API's URLs once serving, at the address
--addr gives (127.0.0.1:8080 unless told otherwise). Open the page in a
browser, or try:
  curl 'http://ADDR/api/v1/search?q=Krong+No'

Examples:
  baoscope demo
  baoscope demo --addr 127.0.0.1:9000 --data ./demo-data`, stderr)
	var (
		addr string
		df   dataFlags
	)
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address the search API listens on")
	df.register(fs, "data directory to keep (default: a temporary one, removed on exit)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	remove, err := df.orTemp("baoscope-demo-")
	if err != nil {
		return err
	}
	defer remove()
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Preload: true})
	if err != nil {
		return err
	}
	defer s.p.Close()
	if err := crawlBundled(ctx, s.p, s.log, stdout); err != nil {
		return err
	}
	var learning sync.WaitGroup
	defer learning.Wait() // the pipeline closes after learning stops
	return serveHTTP(ctx, addr, apiHandler(s.p, s.det, s.log, admissionFlags{}), s.log, func(base string) {
		_ = printSummaryLine(ctx, stdout, s.p)
		fmt.Fprintf(stdout, "web page: %s/?q=Krong+No\n", base)
		fmt.Fprintf(stdout, "search API: %s/api/v1/search?q=Krong+No  (Ctrl-C to stop)\n", base)
		learning.Go(func() {
			if _, err := s.p.Learn(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("translation tables not learned", "err", err)
			}
		})
	})
}
