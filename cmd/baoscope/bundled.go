package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"baoscope/langid"
	"baoscope/pipeline"
	"baoscope/sample"
)

// crawlBundled starts loopback mirrors of both sites serving the bundled
// corpus, crawls them into dataDir and stops the mirrors. The pipeline
// stays open for the caller. Progress lines go to out.
func crawlBundled(ctx context.Context, dataDir string, det *langid.Detector, log *slog.Logger, out io.Writer) (*pipeline.Pipeline, error) {
	corpus, err := sample.Load()
	if err != nil {
		return nil, err
	}
	sites, err := sample.Start(corpus, sample.Options{})
	if err != nil {
		return nil, fmt.Errorf("start sample site: %w", err)
	}
	defer sites.Close()
	fmt.Fprintf(out, "sample site: baolamdong.vn mirror on %s, www.vietnam.vn mirror on %s\n", sites.BaoLamDongURL, sites.VietnamVNURL)
	p, err := openPipeline(ctx, dataDir, det, false, 0, log)
	if err != nil {
		return nil, err
	}
	cf := crawlFlags{baolamdong: sites.BaoLamDongURL, vietnamvn: sites.VietnamVNURL, parallel: 4}
	cfg, err := cf.config()
	if err != nil {
		p.Close()
		return nil, err
	}
	cfg.Logger = log
	// The mirror is ours and local: no politeness delay, no retries wait.
	cfg.Delay = 0
	sum, err := p.Crawl(ctx, cfg)
	if err != nil {
		p.Close()
		return nil, err
	}
	fmt.Fprintf(out, "crawled %d pages into %s\n", sum.Crawl.Fetches, dataDir)
	return p, nil
}
