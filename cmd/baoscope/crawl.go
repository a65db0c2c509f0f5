package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"baoscope/crawler"
	"baoscope/pipeline"
	"baoscope/sites"
)

// crawlFlags are the crawler's settings, shared by crawl and demo.
type crawlFlags struct {
	baolamdong     string
	vietnamvn      string
	langs          string
	userAgent      string
	delay          time.Duration
	parallel       int
	timeout        time.Duration
	retries        int
	maxPages       int
	since          string
	revalidateDays int
	recheck404Days int
	allSources     bool
	guessFloor     float64
	guessAll       bool
	stalePages     int
	listingPages   int
}

func (c *crawlFlags) register(fs interface {
	StringVar(*string, string, string, string)
	DurationVar(*time.Duration, string, time.Duration, string)
	IntVar(*int, string, int, string)
	BoolVar(*bool, string, bool, string)
	Float64Var(*float64, string, float64, string)
}) {
	fs.StringVar(&c.baolamdong, "baolamdong-url", sites.BaoLamDongURL, "base URL of the originals' site")
	fs.StringVar(&c.vietnamvn, "vietnamvn-url", sites.VietnamVNURL, "base URL of the translations' site")
	fs.StringVar(&c.langs, "vietnamvn-langs", "", "comma-separated vietnam.vn language prefixes a translation URL may be guessed in (default: all the site publishes)")
	fs.StringVar(&c.userAgent, "user-agent", crawler.DefaultUserAgent, "User-Agent sent with every request; include a contact URL")
	fs.DurationVar(&c.delay, "delay", time.Second, "least time between two requests to one host")
	fs.IntVar(&c.parallel, "parallel", 2, "requests in flight per host")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one request, body included")
	fs.IntVar(&c.retries, "retries", 4, "retries after 429, 5xx, timeouts and connection errors (exponential backoff, Retry-After honoured)")
	fs.IntVar(&c.maxPages, "max-pages", 0, "stop after this many requests (0: no limit)")
	fs.StringVar(&c.since, "since", "", "bound discovery to this date (YYYY-MM-DD): older sitemap entries, feed items and listing pages are skipped, older originals get no translation lookups")
	fs.IntVar(&c.revalidateDays, "revalidate-days", 14, "stored pages published within this many days are revalidated with a conditional GET; older ones are not requested (0: never revalidate)")
	fs.IntVar(&c.recheck404Days, "recheck-404-days", 30, "a translation candidate that was 404 is not asked again for this many days (0: ask on every run)")
	fs.BoolVar(&c.allSources, "all-sources", false, "also index vietnam.vn translations of papers other than Báo Lâm Đồng")
	fs.Float64Var(&c.guessFloor, "guess-floor", crawler.DefaultGuessFloor, "stop guessing a language's translation URLs once its share of originals is surely below this (Wilson upper bound; 0: never stop)")
	fs.IntVar(&c.stalePages, "stale-pages", crawler.DefaultStalePages, "end a listing's pagination after this many pages in a row that name no new article (a crawler trap; 0: never)")
	fs.IntVar(&c.listingPages, "listing-pages", crawler.DefaultListingPages, "at most this many listing pages per host and run (0: no limit)")
	fs.BoolVar(&c.guessAll, "guess-all", false, "guess every language's URL for every original, whatever sitemaps and rates say (a completeness audit)")
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
	switch {
	case c.parallel < 1:
		return cfg, errors.New("--parallel must be at least 1")
	case c.delay < 0:
		return cfg, errors.New("--delay must not be negative")
	case c.retries < 0:
		return cfg, errors.New("--retries must not be negative")
	case c.revalidateDays < 0 || c.recheck404Days < 0:
		return cfg, errors.New("--revalidate-days and --recheck-404-days must not be negative")
	case c.guessFloor < 0 || c.guessFloor > 1:
		return cfg, errors.New("--guess-floor must be within 0..1")
	case c.stalePages < 0 || c.listingPages < 0:
		return cfg, errors.New("--stale-pages and --listing-pages must not be negative")
	}
	// The crawler's zero means its default; the flags' means no limit.
	cfg.StalePages, cfg.ListingPages = c.stalePages, c.listingPages
	if c.stalePages == 0 {
		cfg.StalePages = -1
	}
	if c.listingPages == 0 {
		cfg.ListingPages = -1
	}
	cfg.GuessFloor, cfg.GuessAll = c.guessFloor, c.guessAll
	if c.guessFloor == 0 {
		cfg.GuessFloor = -1 // the crawler's zero means its default
	}
	if c.since != "" {
		if cfg.Since, err = time.Parse("2006-01-02", c.since); err != nil {
			return cfg, fmt.Errorf("--since %q: want YYYY-MM-DD", c.since)
		}
	}
	cfg.UserAgent, cfg.Delay, cfg.Parallel, cfg.Timeout, cfg.MaxPages = c.userAgent, c.delay, c.parallel, c.timeout, c.maxPages
	cfg.MaxRetries = c.retries
	if c.retries == 0 {
		cfg.MaxRetries = -1 // the crawler's zero means its default
	}
	cfg.Revalidate = time.Duration(c.revalidateDays) * 24 * time.Hour
	if c.revalidateDays == 0 {
		cfg.Revalidate = -1
	}
	cfg.NotFoundTTL = time.Duration(c.recheck404Days) * 24 * time.Hour
	if c.recheck404Days == 0 {
		cfg.NotFoundTTL = -1
	}
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
each document's language and indexing it.

The crawl is polite (robots.txt, one request a second per host, two in
flight, an identifying User-Agent) and can be stopped at any time, even
with kill -9: run the same command again and it resumes without fetching
anything already stored. Later runs fetch only new pages, revalidate
recent ones with conditional GETs and leave recently missing translations
alone (see docs/crawler.md).

Translations are read from vietnam.vn's sitemaps first; a translation URL
is guessed from an original's slug only where the sitemaps do not cover
the original, and only in languages whose guesses pay (--guess-floor);
the rates are kept in DIR for the next run. --guess-all guesses
everything, to audit what the sitemaps miss.

Several processes, on one machine or several, can share one crawl through
Redis (--redis): each URL is fetched once in all, politeness per host holds
across them, and the URLs a killed process had taken go to the others. Give
each process its own --data directory.

Examples:
  baoscope crawl --data ./data
  baoscope crawl --data ./data --vietnamvn-langs en,ko,ar --max-pages 500
  baoscope crawl --data ./data --since 2025-10-01
  baoscope crawl --data ./data-1 --redis 127.0.0.1:6379   # and ./data-2 … elsewhere
  baoscope crawl --data ./data --baolamdong-url http://127.0.0.1:8081 --vietnamvn-url http://127.0.0.1:8082`, stderr)
	var (
		progress string
		every    time.Duration
		shards   int
		cf       crawlFlags
		rf       redisFlags
		df       dataFlags
	)
	df.register(fs, "data directory (created if missing)")
	fs.IntVar(&shards, "shards", 0, "split a new index into this many Bleve indexes, written in parallel and searched as one (an existing index keeps its count; reindex --shards changes it)")
	learn := fs.Bool("learn", true, "learn translation tables after a crawl that stored something (see 'baoscope learn --help')")
	bundled := bundledText(fs)
	fs.StringVar(&progress, "progress", "auto", "progress display: auto (a bar when stderr is a terminal, log lines otherwise), always (bar), never (log lines)")
	fs.DurationVar(&every, "progress-interval", 10*time.Second, "how often progress is logged when there is no bar")
	cf.register(fs)
	rf.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "crawl: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	bar, err := wantBar(progress, stderr)
	if err != nil {
		return err
	}
	if every <= 0 {
		return errors.New("--progress-interval must be positive")
	}
	cfg, err := cf.config()
	if err != nil {
		return err
	}
	var pr *crawlProgress
	logOut := stderr
	if bar {
		pr = newBarProgress(stderr)
		// Log lines go above the bar instead of through it.
		logOut = pr
	}
	s, err := df.setup(ctx, setupOptions{LogTo: logOut, Preload: true, Pipeline: pipeline.Options{AllSources: cf.allSources, Shards: shards, Learn: *learn, Parallel: parallelText(*bundled)}})
	if err != nil {
		return err
	}
	p, log := s.p, s.log
	if last, err := p.LastCrawl(); err == nil && last.Crawl != nil {
		// The rates go on from what earlier runs learnt.
		cfg.GuessPrior = last.Crawl.Guesses
	}
	closeRedis, err := rf.share(ctx, &cfg, p.Store(), log)
	if err != nil {
		p.Close()
		return err
	}
	defer closeRedis()
	if pr == nil {
		pr = newLogProgress(log, every)
	}
	cfg.Logger = log
	if cfg.UserAgent == crawler.DefaultUserAgent && strings.HasSuffix(cfg.BaoLamDong.Hostname(), "baolamdong.vn") {
		// The newspaper's operators should be able to reach whoever runs
		// the crawl, not only the project.
		log.Warn("crawling the real site with the default User-Agent; set --user-agent with your own contact URL or e-mail")
	}
	stop := pr.watch(p)
	sum, crawlErr := p.Crawl(ctx, cfg)
	stop()
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

// wantBar decides between a progress bar and progress log lines.
func wantBar(mode string, stderr io.Writer) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		f, ok := stderr.(*os.File)
		return ok && term.IsTerminal(int(f.Fd())), nil
	}
	return false, fmt.Errorf("--progress %q: want auto, always or never", mode)
}

// crawlProgress shows a running crawl: a bar redrawn a few times a
// second, or a log line every interval.
type crawlProgress struct {
	bar   *progressbar.ProgressBar // nil: log lines
	log   *slog.Logger
	every time.Duration
	mu    sync.Mutex // serialises log output with bar redraws
}

func newBarProgress(w io.Writer) *crawlProgress {
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("crawling"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("url"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionClearOnFinish(),
	)
	return &crawlProgress{bar: bar, every: 250 * time.Millisecond}
}

func newLogProgress(log *slog.Logger, every time.Duration) *crawlProgress {
	return &crawlProgress{log: log, every: every}
}

// Write lets log records through while a bar is shown: the bar prints
// them above itself at its next redraw.
func (c *crawlProgress) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return progressbar.Bprintf(c.bar, "%s", b)
}

// watch reports on p until the returned stop is called.
func (c *crawlProgress) watch(p *pipeline.Pipeline) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(c.every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				c.show(p.Progress())
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		if c.bar != nil {
			c.mu.Lock()
			c.bar.Exit()  //nolint:errcheck // nothing to do about a terminal error
			c.bar.Clear() //nolint:errcheck
			c.mu.Unlock()
		}
	}
}

func (c *crawlProgress) show(pr pipeline.Progress) {
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Requests) / s
	}
	if c.bar == nil {
		attrs := []any{"done", pr.Done, "total", pr.Total, "requests", pr.Requests, "queued", pr.Queued, "in_flight", pr.InFlight,
			"pages", pr.Fetched, "stored", pr.Stored, "failed", pr.Failed,
			"rate", fmt.Sprintf("%.1f/s", rate), "url_rate", fmt.Sprintf("%.1f/s", pr.Rate())}
		if eta, ok := pr.ETA(); ok {
			attrs = append(attrs, "eta", eta.Round(time.Second))
		}
		c.log.Info("progress", attrs...)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// The total is what the sites have announced so far (sitemaps,
	// listings, links) and grows as discovery finds more; a shared
	// crawl's is not known here, and shows as a spinner.
	c.bar.Describe(fmt.Sprintf("%d requests · %d stored · %d failed", pr.Requests, pr.Stored, pr.Failed))
	if pr.Total > 0 {
		// Never the end before the crawl's: a provisional total met
		// would mark the bar finished.
		c.bar.ChangeMax64(int64(pr.Total) + 1)
		c.bar.Set64(int64(pr.Done)) //nolint:errcheck // display only
		return
	}
	c.bar.Set64(int64(pr.Requests)) //nolint:errcheck // display only
}
