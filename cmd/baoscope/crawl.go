package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"baoscope/crawler"
	"baoscope/sites"
)

// crawlFlags are the crawler's settings, shared by crawl and demo.
type crawlFlags struct {
	baolamdong string
	vietnamvn  string
	langs      string
	userAgent  string
	delay      time.Duration
	parallel   int
	timeout    time.Duration
	maxPages   int
	since      string
	allSources bool
}

func (c *crawlFlags) register(fs interface {
	StringVar(*string, string, string, string)
	DurationVar(*time.Duration, string, time.Duration, string)
	IntVar(*int, string, int, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&c.baolamdong, "baolamdong-url", sites.BaoLamDongURL, "base URL of the originals' site")
	fs.StringVar(&c.vietnamvn, "vietnamvn-url", sites.VietnamVNURL, "base URL of the translations' site")
	fs.StringVar(&c.langs, "langs", "", "comma-separated vietnam.vn language prefixes to look for (default: all the site publishes)")
	fs.StringVar(&c.userAgent, "user-agent", crawler.DefaultUserAgent, "User-Agent sent with every request; include a contact URL")
	fs.DurationVar(&c.delay, "delay", time.Second, "pause between requests to one host")
	fs.IntVar(&c.parallel, "parallel", 2, "requests in flight per host")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.IntVar(&c.maxPages, "max-pages", 0, "stop after this many requests (0: no limit)")
	fs.StringVar(&c.since, "since", "", "only follow sitemap entries modified on or after this date (YYYY-MM-DD)")
	fs.BoolVar(&c.allSources, "all-sources", false, "also index vietnam.vn translations of papers other than Báo Lâm Đồng")
}

func (c *crawlFlags) config() (crawler.Config, error) {
	var cfg crawler.Config
	var err error
	if cfg.BaoLamDong, err = baseURL("--baolamdong-url", c.baolamdong); err != nil {
		return cfg, err
	}
	if cfg.VietnamVN, err = baseURL("--vietnamvn-url", c.vietnamvn); err != nil {
		return cfg, err
	}
	if c.langs != "" {
		cfg.Langs = splitList(c.langs)
	}
	if c.parallel < 1 {
		return cfg, fmt.Errorf("--parallel must be at least 1")
	}
	if c.delay < 0 {
		return cfg, fmt.Errorf("--delay must not be negative")
	}
	if c.since != "" {
		if cfg.Since, err = time.Parse("2006-01-02", c.since); err != nil {
			return cfg, fmt.Errorf("--since %q: want YYYY-MM-DD", c.since)
		}
	}
	cfg.UserAgent, cfg.Delay, cfg.Parallel, cfg.Timeout, cfg.MaxPages = c.userAgent, c.delay, c.parallel, c.timeout, c.maxPages
	return cfg, nil
}

func baseURL(flagName, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%s %q: want an http(s) URL such as https://baolamdong.vn", flagName, raw)
	}
	return u, nil
}

func runCrawl(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("crawl", "--data DIR [flags]", `
Crawl Báo Lâm Đồng originals (baolamdong.vn: robots.txt, sitemaps, RSS,
section listings) and their vietnam.vn translations into DIR, detecting
each document's language and indexing it. Pages already in DIR are not
fetched again, so an interrupted crawl resumes where it stopped.

Examples:
  baoscope crawl --data ./data
  baoscope crawl --data ./data --langs en,ko,ar --max-pages 500
  baoscope crawl --data ./data --baolamdong-url http://127.0.0.1:8081 --vietnamvn-url http://127.0.0.1:8082`, stderr)
	var (
		data string
		cf   crawlFlags
		lf   logFlags
		df   langFlags
	)
	fs.StringVar(&data, "data", "", "data directory (created if missing)")
	cf.register(fs)
	lf.register(fs)
	df.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "crawl: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	cfg, err := cf.config()
	if err != nil {
		return err
	}
	cfg.Logger = log
	det, err := df.detector(true)
	if err != nil {
		return err
	}
	p, err := openPipeline(ctx, data, det, cf.allSources, log)
	if err != nil {
		return err
	}
	sum, crawlErr := p.Crawl(ctx, cfg)
	if sum != nil {
		sum.Write(stdout)
	}
	if err := printSummaryLine(context.WithoutCancel(ctx), stdout, p); err != nil && crawlErr == nil {
		crawlErr = err
	}
	if err := p.Close(); err != nil && crawlErr == nil {
		crawlErr = err
	}
	return crawlErr
}
