package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"baoscope/pipeline"
	"baoscope/sample"
)

// crawlBundled starts loopback mirrors of both sites serving the bundled
// corpus, crawls them into p and stops the mirrors. Progress lines go to
// out.
func crawlBundled(ctx context.Context, p *pipeline.Pipeline, log *slog.Logger, out io.Writer) error {
	corpus, err := sample.Load()
	if err != nil {
		return err
	}
	sites, err := sample.Start(corpus, sample.Options{})
	if err != nil {
		return fmt.Errorf("start sample site: %w", err)
	}
	defer sites.Close()
	fmt.Fprintf(out, "sample site: baolamdong.vn mirror on %s, www.vietnam.vn mirror on %s\n", sites.BaoLamDongURL, sites.VietnamVNURL)
	cf := crawlFlags{baolamdong: sites.BaoLamDongURL, vietnamvn: sites.VietnamVNURL, parallel: 4}
	cfg, err := cf.config()
	if err != nil {
		return err
	}
	cfg.Logger = log
	// The mirror is ours and local: no politeness delay, no retries wait.
	cfg.Delay = 0
	sum, err := p.Crawl(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "crawled %d pages\n", sum.Crawl.Fetches)
	return nil
}
