package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "[--addr HOST:PORT] [--data DIR]", `
Run the whole pipeline on the bundled sample site: start loopback mirrors
of baolamdong.vn and www.vietnam.vn serving the embedded corpus, crawl
them, detect each document's language, index everything into a data
directory (a temporary one unless --data is given) and serve the web
page and the search API until interrupted.

Then open http://127.0.0.1:8080/?q=Krong+No in a browser, or try:
  curl 'http://127.0.0.1:8080/api/v1/search?q=Krong+No'`, stderr)
	var (
		addr, data string
		lf         logFlags
		df         langFlags
	)
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address the search API listens on")
	fs.StringVar(&data, "data", "", "data directory to keep (default: a temporary one, removed on exit)")
	lf.register(fs)
	df.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	if data == "" {
		tmp, err := os.MkdirTemp("", "baoscope-demo-")
		if err != nil {
			return fmt.Errorf("temporary data dir: %w", err)
		}
		defer os.RemoveAll(tmp)
		data = tmp
	}
	det, err := df.detector(true)
	if err != nil {
		return err
	}
	p, err := crawlBundled(ctx, data, det, log, stdout)
	if err != nil {
		return err
	}
	defer p.Close()
	return serveHTTP(ctx, addr, apiHandler(p, det, log), log, func(base string) {
		_ = printSummaryLine(ctx, stdout, p)
		fmt.Fprintf(stdout, "web page: %s/?q=Krong+No\n", base)
		fmt.Fprintf(stdout, "search API: %s/api/v1/search?q=Krong+No  (Ctrl-C to stop)\n", base)
	})
}
