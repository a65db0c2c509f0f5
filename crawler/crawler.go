package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"baoscope/model"
	"baoscope/sites"
)

// Kind says what a URL is expected to be, which decides how its response
// is used.
type Kind uint8

const (
	KindRobots      Kind = iota // robots.txt: Sitemap lines
	KindSitemap                 // sitemap index or urlset
	KindFeed                    // RSS feed of a section
	KindListing                 // home page or section listing
	KindOriginal                // baolamdong.vn article
	KindTranslation             // vietnam.vn translation candidate

	// articlesOnly is a hint to enqueue: take the URL only if it is an
	// article or translation, never as a page to discover from.
	articlesOnly Kind = 255
)

var kindNames = [...]string{"robots", "sitemap", "feed", "listing", "original", "translation"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Sentinel errors, for callers that count outcomes.
var (
	ErrTooLarge      = errors.New("crawler: body exceeds the size limit")
	ErrRobots        = errors.New("crawler: disallowed by robots.txt")
	ErrOffHost       = errors.New("crawler: host not in configuration")
	ErrRedirectLoop  = errors.New("crawler: too many redirects")
	ErrStatus        = errors.New("crawler: unexpected HTTP status")
	ErrNotConfigured = errors.New("crawler: base URL missing")
)

// Config holds everything a crawl needs. Zero values get the defaults of
// a polite crawler of the real sites (see withDefaults).
type Config struct {
	BaoLamDong *url.URL // base of the originals' site
	VietnamVN  *url.URL // base of the translations' site
	Langs      []string // vietnam.vn language prefixes to try for each original

	UserAgent   string
	Delay       time.Duration // pause between requests to one host
	Parallel    int           // requests in flight per host
	Timeout     time.Duration // per request
	MaxBodySize int           // bytes; larger bodies are an error, never indexed truncated
	MaxRetries  int           // for 429, 5xx and connection errors
	RetryBase   time.Duration // first backoff; doubles each retry
	MaxWait     time.Duration // cap on one backoff or Retry-After wait
	MaxPages    int           // stop discovering after this many fetches; 0 = no limit
	Since       time.Time     // ignore sitemap entries last modified before this

	// Skip reports whether an article URL is already stored and need not
	// be fetched again (resume, incremental runs). May be nil.
	Skip func(rawURL string) bool

	// HTTPClient lets tests and callers supply the transport; Colly's own
	// client is used when nil.
	Transport http.RoundTripper

	Logger *slog.Logger
}

// DefaultUserAgent identifies baoscope with a contact URL, as a newspaper's
// operators would want to see in their logs.
const DefaultUserAgent = "baoscope/0.1 (+https://github.com/baoscope/baoscope; research crawler)"

func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.Parallel <= 0 {
		c.Parallel = 2
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxBodySize <= 0 {
		c.MaxBodySize = 5 << 20
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	} else if c.MaxRetries == 0 {
		c.MaxRetries = 4
	}
	if c.RetryBase <= 0 {
		c.RetryBase = time.Second
	}
	if c.MaxWait <= 0 {
		c.MaxWait = 2 * time.Minute
	}
	if c.Langs == nil {
		c.Langs = sites.TranslationLangs()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Page is one fetched article page, handed to the Handler.
type Page struct {
	URL        string // final URL after redirects
	Site       string // model.SiteBaoLamDong or model.SiteVietnamVN
	Kind       Kind   // KindOriginal or KindTranslation
	Lang       string // the URL's language prefix, for translations
	StatusCode int
	Header     http.Header
	Body       []byte // raw bytes in the page's own charset
	FetchedAt  time.Time
}

// Handler receives every article page fetched. An error is counted as a
// failure of that page; the crawl goes on.
type Handler interface {
	HandlePage(ctx context.Context, p *Page) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, p *Page) error

// HandlePage calls f.
func (f HandlerFunc) HandlePage(ctx context.Context, p *Page) error { return f(ctx, p) }

// Crawler crawls the two sites once per Run.
type Crawler struct {
	cfg   Config
	hosts map[string]string // host:port → site
	log   *slog.Logger
}

// New checks the configuration and returns a Crawler.
func New(cfg Config) (*Crawler, error) {
	cfg = cfg.withDefaults()
	if cfg.BaoLamDong == nil || cfg.VietnamVN == nil {
		return nil, ErrNotConfigured
	}
	for _, u := range []*url.URL{cfg.BaoLamDong, cfg.VietnamVN} {
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, fmt.Errorf("crawler: base URL %s: scheme must be http or https", u)
		}
	}
	if strings.EqualFold(cfg.BaoLamDong.Host, cfg.VietnamVN.Host) {
		return nil, fmt.Errorf("crawler: both sites configured on %s", cfg.BaoLamDong.Host)
	}
	return &Crawler{
		cfg: cfg,
		hosts: map[string]string{
			strings.ToLower(cfg.BaoLamDong.Host): model.SiteBaoLamDong,
			strings.ToLower(cfg.VietnamVN.Host):  model.SiteVietnamVN,
		},
		log: cfg.Logger,
	}, nil
}

// task is one URL in the frontier.
type task struct {
	url     string
	kind    Kind
	site    string
	lang    string
	attempt int
}

// Run crawls until the frontier is empty, MaxPages is reached or ctx is
// cancelled. Pages are handed to h as they arrive, from several
// goroutines at once. The returned Summary is complete even when err is
// non-nil (a cancelled crawl still reports what it did).
func (c *Crawler) Run(ctx context.Context, h Handler) (*Summary, error) {
	sum := newSummary()
	col, err := c.collector(ctx)
	if err != nil {
		return sum, err
	}
	f := newFrontier()
	blog, vnvn := c.cfg.BaoLamDong, c.cfg.VietnamVN
	// Every discovery source is tried; whichever a site offers is used.
	f.push(task{url: resolve(blog, "/robots.txt"), kind: KindRobots, site: model.SiteBaoLamDong})
	f.push(task{url: resolve(blog, "/sitemap.xml"), kind: KindSitemap, site: model.SiteBaoLamDong})
	f.push(task{url: resolve(blog, "/"), kind: KindListing, site: model.SiteBaoLamDong})
	f.push(task{url: resolve(vnvn, "/robots.txt"), kind: KindRobots, site: model.SiteVietnamVN})
	f.push(task{url: resolve(vnvn, "/sitemap.xml"), kind: KindSitemap, site: model.SiteVietnamVN})

	workers := c.cfg.Parallel * len(c.hosts)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				t, ok := f.pop(ctx)
				if !ok {
					return
				}
				c.process(ctx, col, f, h, sum, t)
				f.done()
			}
		}()
	}
	wg.Wait()
	sum.finish()
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("crawl interrupted: %w", err)
	}
	return sum, nil
}

// collector builds the Colly collector for one run. Colly's defaults are
// unsafe for a polite crawler, so each is set explicitly.
func (c *Crawler) collector(ctx context.Context) (*colly.Collector, error) {
	col := colly.NewCollector(
		colly.StdlibContext(ctx),
		colly.UserAgent(c.cfg.UserAgent),
		// Revisits are decided by the frontier and the document store;
		// Colly's in-memory visited set would refuse retries.
		colly.AllowURLRevisit(),
		colly.ParseHTTPErrorResponse(),
	)
	// Colly ignores robots.txt unless told otherwise.
	col.IgnoreRobotsTxt = false
	// One byte over the limit tells a body at the limit from a cut one:
	// Colly truncates silently.
	col.MaxBodySize = c.cfg.MaxBodySize + 1
	col.SetRequestTimeout(c.cfg.Timeout)
	if c.cfg.Transport != nil {
		col.WithTransport(c.cfg.Transport)
	}
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return ErrRedirectLoop
		}
		if _, ok := c.hosts[strings.ToLower(req.URL.Host)]; !ok {
			return fmt.Errorf("redirect to %s: %w", req.URL.Host, ErrOffHost)
		}
		return nil
	})
	// LimitRule applies per rule, not per host: one rule per host, matched
	// exactly.
	for host := range c.hosts {
		rule := &colly.LimitRule{
			DomainRegexp: "^" + regexp.QuoteMeta(host) + "$",
			Delay:        c.cfg.Delay,
			Parallelism:  c.cfg.Parallel,
		}
		if err := col.Limit(rule); err != nil {
			return nil, fmt.Errorf("limit %s: %w", host, err)
		}
	}
	col.OnResponseHeaders(func(r *colly.Response) {
		// Keep the raw bytes: Colly would convert them using only the
		// Content-Type charset, which is wrong for mislabelled pages. The
		// extractor decodes with header, meta and sniffing together.
		ct := r.Headers.Get("Content-Type")
		r.Ctx.Put("content-type", ct)
		r.Headers.Set("Content-Type", "application/octet-stream; charset=utf-8")
	})
	col.OnResponse(func(r *colly.Response) {
		r.Headers.Set("Content-Type", r.Ctx.Get("content-type"))
		r.Ctx.Put("response", r)
	})
	return col, nil
}

// fetch performs one GET through Colly and returns the response.
func (c *Crawler) fetch(col *colly.Collector, t task) (*colly.Response, error) {
	cctx := colly.NewContext()
	hdr := http.Header{}
	hdr.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	err := col.Request(http.MethodGet, t.url, nil, cctx, hdr)
	if err != nil {
		switch {
		case errors.Is(err, colly.ErrRobotsTxtBlocked):
			return nil, ErrRobots
		case errors.Is(err, ErrRedirectLoop), errors.Is(err, ErrOffHost):
			return nil, err
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			if errors.Is(ue.Err, ErrRedirectLoop) || errors.Is(ue.Err, ErrOffHost) {
				return nil, ue.Err
			}
		}
		return nil, err
	}
	r, _ := cctx.GetAny("response").(*colly.Response)
	if r == nil {
		return nil, fmt.Errorf("fetch %s: no response", t.url)
	}
	if len(r.Body) > c.cfg.MaxBodySize {
		return r, fmt.Errorf("%w (%d bytes)", ErrTooLarge, c.cfg.MaxBodySize)
	}
	return r, nil
}

// retryable says whether a failed fetch is worth another try.
func retryable(status int, err error) bool {
	if err != nil {
		if errors.Is(err, ErrRobots) || errors.Is(err, ErrTooLarge) ||
			errors.Is(err, ErrRedirectLoop) || errors.Is(err, ErrOffHost) ||
			errors.Is(err, context.Canceled) {
			return false
		}
		var ne net.Error
		return errors.As(err, &ne) || strings.Contains(err.Error(), "connection") ||
			strings.Contains(err.Error(), "EOF")
	}
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable ||
		status == http.StatusBadGateway || status == http.StatusGatewayTimeout ||
		status == http.StatusInternalServerError
}

// backoff is how long to wait before attempt n+1, honouring Retry-After.
func (c *Crawler) backoff(attempt int, hdr http.Header, now time.Time) time.Duration {
	d := c.cfg.RetryBase << attempt
	if hdr != nil {
		if ra := hdr.Get("Retry-After"); ra != "" {
			if secs, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && secs >= 0 {
				d = time.Duration(secs) * time.Second
			} else if t, err := http.ParseTime(ra); err == nil {
				d = t.Sub(now)
			}
		}
	}
	if d < 0 {
		d = 0
	}
	if d > c.cfg.MaxWait {
		d = c.cfg.MaxWait
	}
	return d
}

// process fetches one task with retries and acts on the response.
func (c *Crawler) process(ctx context.Context, col *colly.Collector, f *frontier, h Handler, sum *Summary, t task) {
	if (t.kind == KindOriginal || t.kind == KindTranslation) && c.cfg.Skip != nil && c.cfg.Skip(t.url) {
		sum.add(t.site, "stored")
		if t.kind == KindOriginal {
			c.enqueueTranslations(f, t.url)
		}
		return
	}
	if c.cfg.MaxPages > 0 && sum.fetches() >= c.cfg.MaxPages {
		sum.add(t.site, "over_limit")
		return
	}
	var (
		r   *colly.Response
		err error
	)
	for attempt := 0; ; attempt++ {
		sum.fetch()
		r, err = c.fetch(col, t)
		status := 0
		var hdr http.Header
		if r != nil {
			status, hdr = r.StatusCode, *r.Headers
		}
		if ctx.Err() != nil {
			return
		}
		if !retryable(status, err) || attempt >= c.cfg.MaxRetries {
			break
		}
		wait := c.backoff(attempt, hdr, time.Now())
		c.log.Info("retrying", "url", t.url, "status", status, "err", err, "wait", wait, "attempt", attempt+1)
		sum.add(t.site, "retries")
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	if err != nil {
		c.fail(sum, t, err)
		return
	}
	switch {
	case r.StatusCode == http.StatusNotFound || r.StatusCode == http.StatusGone:
		sum.add(t.site, "not_found")
		if t.kind != KindTranslation {
			c.log.Debug("not found", "url", t.url, "kind", t.kind)
		}
		return
	case r.StatusCode == http.StatusNotModified:
		sum.add(t.site, "unchanged")
		return
	case r.StatusCode < 200 || r.StatusCode > 299:
		c.fail(sum, t, fmt.Errorf("%w %d", ErrStatus, r.StatusCode))
		return
	}
	final := r.Request.URL.String()
	switch t.kind {
	case KindRobots:
		for _, sm := range robotsSitemaps(r.Body) {
			c.enqueue(f, sm, KindSitemap)
		}
	case KindSitemap:
		c.discoverSitemap(f, r.Body)
	case KindFeed:
		c.discoverFeed(f, r.Body)
	case KindListing:
		c.discoverHTML(f, r.Request.URL, r.Body, true)
	case KindOriginal, KindTranslation:
		sum.add(t.site, "fetched")
		if t.kind == KindOriginal {
			c.enqueueTranslations(f, final)
			c.discoverHTML(f, r.Request.URL, r.Body, false)
		} else {
			c.discoverSource(f, r.Request.URL, r.Body)
		}
		p := &Page{
			URL: final, Site: t.site, Kind: t.kind, Lang: t.lang,
			StatusCode: r.StatusCode, Header: r.Headers.Clone(), Body: r.Body,
			FetchedAt: time.Now().UTC(),
		}
		if err := h.HandlePage(ctx, p); err != nil {
			c.fail(sum, t, fmt.Errorf("handle: %w", err))
			return
		}
	}
}

func (c *Crawler) fail(sum *Summary, t task, err error) {
	reason := reasonOf(err)
	sum.failure(t.site, reason, t.url)
	c.log.Warn("fetch failed", "url", t.url, "kind", t.kind, "reason", reason, "err", err)
}

// reasonOf maps an error to a short, stable reason for the summary.
func reasonOf(err error) string {
	switch {
	case errors.Is(err, ErrRobots):
		return "robots"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrRedirectLoop):
		return "redirect_loop"
	case errors.Is(err, ErrOffHost):
		return "off_host"
	case errors.Is(err, ErrStatus):
		return "status"
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout"):
		return "timeout"
	case strings.HasPrefix(err.Error(), "handle:"):
		return "handler"
	}
	return "network"
}

// enqueue classifies an absolute URL and adds it to the frontier when it
// belongs to a configured host. Everything else is dropped here, so the
// crawler never leaves its hosts.
func (c *Crawler) enqueue(f *frontier, raw string, hint Kind) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	site, ok := c.hosts[strings.ToLower(u.Host)]
	if !ok {
		return
	}
	u.Fragment = ""
	switch site {
	case model.SiteBaoLamDong:
		if _, ok := sites.ParseArticlePath(u.Path); ok {
			u.RawQuery = ""
			f.push(task{url: u.String(), kind: KindOriginal, site: site})
			return
		}
	case model.SiteVietnamVN:
		if lang, _, ok := sites.ParseTranslationPath(u.Path); ok {
			u.RawQuery = ""
			f.push(task{url: u.String(), kind: KindTranslation, site: site, lang: lang})
			return
		}
	}
	switch hint {
	case KindSitemap, KindFeed, KindListing:
		f.push(task{url: u.String(), kind: hint, site: site})
	}
}

// enqueueTranslations adds the candidate vietnam.vn URL of an original for
// every configured language.
func (c *Crawler) enqueueTranslations(f *frontier, original string) {
	u, err := url.Parse(original)
	if err != nil {
		return
	}
	a, ok := sites.ParseArticlePath(u.Path)
	if !ok {
		return
	}
	for _, lang := range c.cfg.Langs {
		f.push(task{
			url:  resolve(c.cfg.VietnamVN, sites.TranslationPath(lang, a.Slug)),
			kind: KindTranslation, site: model.SiteVietnamVN, lang: lang,
		})
	}
}

func resolve(base *url.URL, path string) string {
	u := *base
	u.Path = strings.TrimRight(base.Path, "/") + path
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}
