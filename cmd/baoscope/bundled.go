package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"baoscope/align"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/translate"
)

// crawlBundled starts loopback mirrors of both sites serving the bundled
// corpus, crawls them into p and stops the mirrors. Progress lines go to
// out.
func crawlBundled(ctx context.Context, p *pipeline.Pipeline, log *slog.Logger, out io.Writer) error {
	corpus, err := sample.Load()
	if err != nil {
		return err
	}
	return crawlCorpus(ctx, corpus, p, log, out)
}

// crawlCorpus crawls loopback mirrors of corpus into p.
func crawlCorpus(ctx context.Context, corpus *sample.Corpus, p *pipeline.Pipeline, log *slog.Logger, out io.Writer) error {
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

// bundledReports are the bundled corpus's reports as learning reads
// stored ones: each version's title, lead and paragraphs, captions left
// out as extraction leaves them out.
func bundledReports() ([]translate.Report, error) {
	corpus, err := sample.Load()
	if err != nil {
		return nil, err
	}
	out := make([]translate.Report, 0, corpus.Len())
	for r := range corpus.All() {
		vs := make([]translate.Version, 0, len(r.Versions))
		for _, v := range r.Versions {
			var body []string
			for _, p := range v.Body {
				if !p.Caption {
					body = append(body, p.Text)
				}
			}
			vs = append(vs, translate.Version{Lang: v.Lang, Title: v.Title, Segments: align.Segments(v.Lead, body)})
		}
		out = append(out, translate.Report{ID: r.ID, Versions: vs})
	}
	return out, nil
}
