package crawler

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/storage"
	"github.com/temoto/robotstxt"

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
	KindTranslation             // vietnam.vn translation

	// kindCandidates is a frontier entry standing for the translation
	// candidates of one original, expanded a language at a time.
	kindCandidates Kind = 254
	// articlesOnly is a hint to enqueue: take the URL only if it is an
	// article or translation, never as a page to discover from.
	articlesOnly Kind = 255
)

func (k Kind) String() string {
	switch k {
	case KindRobots:
		return "robots"
	case KindSitemap:
		return "sitemap"
	case KindFeed:
		return "feed"
	case KindListing:
		return "listing"
	case KindOriginal:
		return "original"
	case KindTranslation:
		return "translation"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

func (k Kind) article() bool { return k == KindOriginal || k == KindTranslation }

// Sentinel errors, for callers that count outcomes.
var (
	ErrTooLarge      = errors.New("crawler: body exceeds the size limit")
	ErrRobots        = errors.New("crawler: disallowed by robots.txt")
	ErrOffHost       = errors.New("crawler: host not in configuration")
	ErrRedirectLoop  = errors.New("crawler: redirect loop")
	ErrStatus        = errors.New("crawler: unexpected HTTP status")
	ErrNotConfigured = errors.New("crawler: base URL missing")
	ErrRateLimited   = errors.New("crawler: Retry-After longer than the longest wait")
	ErrMalformed     = errors.New("crawler: malformed sitemap or feed")
	// ErrForbiddenAddress: the host resolved to a private, loopback,
	// link-local or otherwise non-public address and is not configured.
	ErrForbiddenAddress = errors.New("crawler: non-public address of an unconfigured host")
)

// Defaults of the persistent-state policy and of the bounds on listings.
const (
	// DefaultStalePages: three listing pages in a row without a new
	// article end a pagination (a real listing brings new ones on every
	// page).
	DefaultStalePages = 3
	// DefaultListingPages bounds each host's listing pages per run:
	// baolamdong.vn's ≈ 400,000 reports fill ≈ 80,000 pages of 5.
	DefaultListingPages = 200_000
	DefaultRevalidate   = 14 * 24 * time.Hour
	DefaultNotFoundTTL  = 30 * 24 * time.Hour
	maxRedirects        = 10
)

// StateStore keeps what the crawler learnt about each URL across runs;
// the data directory's store is one, and a shared crawl's Redis state
// another. URLState returns an error wrapping model.ErrNotFound for a URL
// never recorded, and sees a state as soon as PutURLState returns.
// PutURLState need not make the state durable before it returns (the
// store defers it to its next commit): a state lost to a crash costs one
// request on the next run, never a page, because whether a page is held
// is asked of Stored, and the handler made the document durable before
// its state is recorded.
type StateStore interface {
	URLState(rawURL string) (*model.URLState, error)
	PutURLState(st *model.URLState) error
}

// Config holds everything a crawl needs. Zero values get the defaults of
// a polite crawler of the real sites (see withDefaults), except Delay,
// whose zero means no pause (the command line's default is one second).
type Config struct {
	BaoLamDong *url.URL // base of the originals' site
	VietnamVN  *url.URL // base of the translations' site
	Langs      []string // vietnam.vn language prefixes a translation may be guessed in

	// GuessFloor is the estimated share of originals below which a
	// language is no longer guessed (see guesser); zero: DefaultGuessFloor,
	// negative: never dropped.
	GuessFloor float64
	// GuessAll guesses every language for every original, whatever the
	// sitemaps list and the rates say: a completeness audit.
	GuessAll bool
	// GuessPrior is what earlier runs learnt of each language's guesses
	// (their summary's Guesses); the rates go on from there.
	GuessPrior map[string]GuessStat
	// TranslationLag is how long after an original its translations may
	// still appear; zero: DefaultTranslationLag.
	TranslationLag time.Duration

	// StalePages ends a listing's pagination after this many pages in a
	// row that name no article new to the run's listings (a crawler trap:
	// a "next" link that never ends); zero: DefaultStalePages, negative:
	// never.
	StalePages int
	// ListingPages is each host's budget of listing pages per run; zero:
	// DefaultListingPages, negative: none.
	ListingPages int

	UserAgent   string
	Delay       time.Duration // least time between the starts of two requests to one host
	Parallel    int           // requests in flight per host
	Timeout     time.Duration // per request, body included
	MaxBodySize int           // bytes; larger bodies are an error, never indexed truncated
	MaxRetries  int           // for 429, 5xx, timeouts and connection errors; negative: none
	RetryBase   time.Duration // first backoff; doubles each retry
	MaxWait     time.Duration // cap on one backoff; a longer Retry-After fails the URL
	MaxPages    int           // stop requesting after this many requests; 0 = no limit
	// Since bounds discovery: sitemap entries and feed items older than
	// this are ignored, listing pagination stops at pages whose every
	// dated item is older, and originals published before it get no
	// translation candidates.
	Since time.Time

	// State keeps per-URL validators, hashes, outcomes and 404s across
	// runs. Nil: nothing is remembered.
	State StateStore
	// Stored reports whether the document of an article URL is held,
	// and its publication time. Nil: nothing is.
	Stored func(rawURL string) (published time.Time, ok bool)
	// Revalidate is how recent (by publication time) a stored page must
	// be to be asked for again with a conditional GET; older stored
	// pages are not requested. Zero: DefaultRevalidate; negative: never.
	Revalidate time.Duration
	// NotFoundTTL is how long a translation candidate that answered 404
	// is not asked again. Zero: DefaultNotFoundTTL; negative: always ask.
	NotFoundTTL time.Duration
	// CollyStorage replaces Colly's in-memory storage (its cookie jar;
	// the visited set is unused, see store.CollyStorage). Nil: memory.
	CollyStorage storage.Storage

	// Frontier and Limiter, when set, make this process one of several
	// sharing a crawl (baoscope crawl --redis): the queue of URLs and each
	// host's politeness are then theirs, not this process's.
	Frontier SharedFrontier
	Limiter  SharedLimiter

	// Transport replaces the crawler's own transport, and with it the
	// guard against non-public addresses; for tests of other layers.
	Transport http.RoundTripper
	// Resolver and Dial are what the address guard uses to look up and
	// connect to hosts; nil means the system's.
	Resolver Resolver
	Dial     DialFunc
	// Now is the clock of the state policy (recency, 404 memory). Nil:
	// time.Now.
	Now func() time.Time

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
	if c.Revalidate == 0 {
		c.Revalidate = DefaultRevalidate
	}
	if c.NotFoundTTL == 0 {
		c.NotFoundTTL = DefaultNotFoundTTL
	}
	if c.Langs == nil {
		c.Langs = sites.TranslationLangs()
	}
	if c.GuessFloor == 0 {
		c.GuessFloor = DefaultGuessFloor
	}
	if c.TranslationLag <= 0 {
		c.TranslationLag = DefaultTranslationLag
	}
	if c.StalePages == 0 {
		c.StalePages = DefaultStalePages
	}
	if c.ListingPages == 0 {
		c.ListingPages = DefaultListingPages
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Page is one fetched article page, handed to the Handler.
type Page struct {
	URL        string // the URL fetched (redirects are followed as URLs of their own)
	Site       string // model.SiteBaoLamDong or model.SiteVietnamVN
	Kind       Kind   // KindOriginal or KindTranslation
	Lang       string // the URL's language prefix, for translations
	StatusCode int
	Header     http.Header
	Body       []byte // raw bytes in the page's own charset
	FetchedAt  time.Time
}

// Result is what a Handler did with a page.
type Result struct {
	// Skip names why the page was deliberately not kept (SkipOtherPaper,
	// SkipNotArticle); empty when its document is stored. The crawler
	// counts it and remembers the URL, so that the next run leaves it
	// alone unless it is recent.
	Skip Count
	// Changed says the stored document is new or differs from the one
	// held before.
	Changed bool
	// Published is the page's publication time when known; it decides
	// whether later runs revalidate the page and, with Since, whether an
	// original's translations are looked for.
	Published time.Time
}

// Handler receives every article page fetched with status 2xx. An error
// is counted as a failure of that page; the crawl goes on.
type Handler interface {
	HandlePage(ctx context.Context, p *Page) (Result, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, p *Page) (Result, error)

// HandlePage calls f.
func (f HandlerFunc) HandlePage(ctx context.Context, p *Page) (Result, error) { return f(ctx, p) }

// Crawler crawls the two sites once per Run.
type Crawler struct {
	cfg   Config
	hosts map[string]string // host:port (hostKey) → site
	log   *slog.Logger
	cur   atomic.Pointer[run]
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
		if u.Host == "" {
			return nil, fmt.Errorf("crawler: base URL %s: no host", u)
		}
	}
	bk, vk := hostKey(cfg.BaoLamDong), hostKey(cfg.VietnamVN)
	if bk == vk {
		return nil, fmt.Errorf("crawler: both sites configured on %s", bk)
	}
	return &Crawler{
		cfg:   cfg,
		hosts: map[string]string{bk: model.SiteBaoLamDong, vk: model.SiteVietnamVN},
		log:   cfg.Logger,
	}, nil
}

// task is one URL in the frontier.
type task struct {
	url     string
	kind    Kind
	site    string
	lang    string
	guessed bool     // a translation candidate nobody named: subject to the 404 memory
	covered bool     // a guess for an original the translation sitemaps cover
	src     Source   // what named the URL
	chain   []string // URLs that redirected to this one, oldest first
	// attempt is, for a kindCandidates entry, the index of the next
	// language to expand; langs is the order they are expanded in (nil
	// until the first expansion) and pub the original's publication
	// time (Unix seconds; 0: unknown).
	attempt int
	langs   []string
	pub     int64
	// stale is, for a listing's next page, how many pages before it in a
	// row named no new article (see listingPage).
	stale uint8
	// lease is the item a shared frontier handed out for this task.
	lease string
}

// run is the state of one Run.
type run struct {
	c       *Crawler
	col     *colly.Collector
	f       taskQueue
	h       Handler
	sum     *Summary
	limits  map[string]*hostLimiter // by site
	guess   *guesser
	robots  map[string]*robotstxt.Group // by site, read before anything else of the site
	started time.Time

	listings map[string]*atomic.Int64 // listing pages requested, by site (fixed at start)
	listedMu sync.Mutex
	listed   map[uint64]struct{} // article URLs the run's listings named
	seed     maphash.Seed
}

// Run crawls until the frontier is empty, MaxPages is reached or ctx is
// cancelled. Pages are handed to h as they arrive, from several
// goroutines at once. The returned Summary is complete even when err is
// non-nil (a cancelled crawl still reports what it did).
func (c *Crawler) Run(ctx context.Context, h Handler) (*Summary, error) {
	sum := newSummary(c.cfg.Now())
	col, closeIdle, err := c.collector(ctx)
	if err != nil {
		sum.finish(c.cfg.Now())
		return sum, err
	}
	defer closeIdle()
	siteNames := []string{model.SiteBaoLamDong, model.SiteVietnamVN}
	r := &run{c: c, col: col, h: h, sum: sum, limits: map[string]*hostLimiter{}, started: time.Now(),
		guess: newGuesser(ctx, c.cfg), robots: map[string]*robotstxt.Group{},
		listings: map[string]*atomic.Int64{}, listed: map[uint64]struct{}{}, seed: maphash.MakeSeed()}
	defer func() { sum.setGuesses(r.guess.snapshot()) }()
	var shared *sharedQueue
	if c.cfg.Frontier != nil {
		// Several processes share the crawl: the first to arrive (or the
		// first after the last run finished) starts a new run.
		if _, err := c.cfg.Frontier.Begin(ctx); err != nil {
			sum.finish(c.cfg.Now())
			return sum, fmt.Errorf("shared frontier: %w", err)
		}
		shared = newSharedQueue(ctx, c.cfg.Frontier, c.log, r.expandCandidate, r.forgetListed)
		r.f = shared
	} else {
		r.f = newFrontier(siteNames, r.expandCandidate, r.guess.orderLangs)
	}
	for _, s := range siteNames {
		r.listings[s] = &atomic.Int64{}
		r.limits[s] = newHostLimiter(c.cfg.Parallel, c.cfg.Delay)
		if c.cfg.Limiter != nil {
			// The shared limiter spaces requests across processes; the
			// local one only caps this process's requests in flight.
			r.limits[s] = newHostLimiter(c.cfg.Parallel, 0)
			r.limits[s].shared, r.limits[s].host = c.cfg.Limiter, c.hostOf(s)
		}
	}
	c.cur.Store(r)

	blog, vnvn := c.cfg.BaoLamDong, c.cfg.VietnamVN
	// robots.txt first, once per host: it says what may be fetched and
	// names the sitemaps.
	r.readRobots(ctx)
	// Every discovery source is tried; whichever a site offers is used.
	r.f.push(task{url: resolve(blog, "/sitemap.xml"), kind: KindSitemap, site: model.SiteBaoLamDong})
	r.f.push(task{url: resolve(blog, "/"), kind: KindListing, site: model.SiteBaoLamDong})
	r.f.push(task{url: resolve(vnvn, "/sitemap.xml"), kind: KindSitemap, site: model.SiteVietnamVN})

	// A fixed set of workers per host, not a goroutine per URL: Colly's
	// Async mode starts one per Visit.
	var wg sync.WaitGroup
	for _, site := range siteNames {
		for range c.cfg.Parallel {
			wg.Go(func() {
				for {
					t, ok := r.f.pop(ctx, site)
					if !ok {
						return
					}
					r.process(ctx, t)
					r.f.done(t)
				}
			})
		}
	}
	wg.Wait()
	sum.finish(c.cfg.Now())
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("crawl interrupted: %w", err)
	}
	if shared != nil {
		if err := shared.failed(); err != nil {
			return sum, fmt.Errorf("shared frontier: %w", err)
		}
	}
	return sum, nil
}

// Progress is a snapshot of the current (or last) run; the zero value
// before the first.
func (c *Crawler) Progress() Progress {
	r := c.cur.Load()
	if r == nil {
		return Progress{}
	}
	q, inflight := r.f.size()
	pr := Progress{
		Requests: r.sum.requestCount(),
		Fetched:  int(r.sum.fetched.Load()),
		Failed:   int(r.sum.failed.Load()),
		Queued:   q,
		InFlight: inflight,
		Elapsed:  time.Since(r.started),
	}
	if f, ok := r.f.(*frontier); ok {
		pr.Total, pr.Done = f.progress()
	}
	return pr
}

// collector builds the Colly collector for one run. Colly's defaults are
// unsafe for a polite crawler, so each is set explicitly.
func (c *Crawler) collector(ctx context.Context) (col *colly.Collector, closeIdle func(), err error) {
	closeIdle = func() {}
	col = colly.NewCollector(
		colly.StdlibContext(ctx),
		colly.UserAgent(c.cfg.UserAgent),
		// Revisits are decided by the frontier and the URL states: a
		// stored page may need a conditional GET, a failed one a retry.
		// With a persistent visited set and revisits off, Colly would
		// refuse every URL of a previous run.
		colly.AllowURLRevisit(),
		colly.ParseHTTPErrorResponse(),
	)
	if c.cfg.CollyStorage != nil {
		if err := col.SetStorage(c.cfg.CollyStorage); err != nil {
			return nil, nil, fmt.Errorf("colly storage: %w", err)
		}
	}
	// robots.txt is the run's own (readRobots): Colly would fetch it a
	// second time, outside the host's spacing.
	col.IgnoreRobotsTxt = true
	// One byte over the limit tells a body at the limit from a cut one:
	// Colly truncates silently.
	col.MaxBodySize = c.cfg.MaxBodySize + 1
	col.SetRequestTimeout(c.cfg.Timeout)
	if c.cfg.Transport != nil {
		col.WithTransport(c.cfg.Transport)
	} else {
		tr := c.transport()
		col.WithTransport(tr)
		// Connections are the run's: a connection dialed for a request
		// that then went to another would otherwise stay open, unused,
		// and hold up the server's graceful shutdown.
		closeIdle = tr.CloseIdleConnections
	}
	// Redirects are not followed inside the client: each Location becomes
	// a task of its own, so that it passes the host check, robots.txt,
	// the host's rate limit and the run's de-duplication like any URL,
	// and a loop shows up as a URL already in the chain.
	col.SetRedirectHandler(func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse })
	// LimitRule applies per rule, not per host: one rule per host,
	// matched exactly. Spacing is the hostLimiter's; the rule caps
	// parallelism as a backstop.
	for host := range c.hosts {
		h, port, _ := net.SplitHostPort(host)
		rule := &colly.LimitRule{
			DomainRegexp: "^" + regexp.QuoteMeta(h) + "(:" + port + ")?$",
			Parallelism:  c.cfg.Parallel,
		}
		if strings.Contains(h, ":") { // IPv6 literal: the URL host is bracketed
			rule.DomainRegexp = "^" + regexp.QuoteMeta("["+h+"]") + "(:" + port + ")?$"
		}
		if err := col.Limit(rule); err != nil {
			return nil, nil, fmt.Errorf("limit %s: %w", host, err)
		}
	}
	col.OnResponseHeaders(func(r *colly.Response) {
		// A declared length over the limit is refused before the body
		// is read.
		if n, err := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64); err == nil && n > int64(c.cfg.MaxBodySize) {
			r.Ctx.Put("too-large", strconv.FormatInt(n, 10))
			r.Request.Abort()
			return
		}
		// Keep the raw bytes: Colly would convert them using only the
		// Content-Type charset, which is wrong for mislabelled pages. The
		// extractor decodes with header, meta and sniffing together.
		r.Ctx.Put("content-type", r.Headers.Get("Content-Type"))
		r.Headers.Set("Content-Type", "application/octet-stream")
	})
	col.OnResponse(func(r *colly.Response) {
		r.Headers.Set("Content-Type", r.Ctx.Get("content-type"))
		r.Ctx.Put("response", r)
	})
	return col, closeIdle, nil
}

// fetch performs one GET through Colly and returns the response.
func (r *run) fetch(t task, hdr http.Header) (*colly.Response, error) {
	cctx := colly.NewContext()
	h := http.Header{}
	h.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	for k, v := range hdr {
		h[k] = v
	}
	if !r.allowed(t) {
		return nil, ErrRobots
	}
	r.sum.request()
	err := r.col.Request(http.MethodGet, t.url, nil, cctx, h)
	if err != nil {
		switch {
		case errors.Is(err, colly.ErrRobotsTxtBlocked):
			return nil, ErrRobots
		case errors.Is(err, colly.ErrAbortedAfterHeaders) && cctx.Get("too-large") != "":
			return nil, fmt.Errorf("%w: Content-Length %s, limit %d", ErrTooLarge, cctx.Get("too-large"), r.c.cfg.MaxBodySize)
		}
		return nil, err
	}
	resp, _ := cctx.GetAny("response").(*colly.Response)
	if resp == nil {
		return nil, fmt.Errorf("fetch %s: no response", t.url)
	}
	if len(resp.Body) > r.c.cfg.MaxBodySize {
		return nil, fmt.Errorf("%w: body over %d bytes", ErrTooLarge, r.c.cfg.MaxBodySize)
	}
	return resp, nil
}

// get fetches t with retries: 429, 500, 502, 503, 504, timeouts and
// connection errors are tried again after an exponential backoff, or
// after Retry-After when the server gives one. A 429 or 503 pauses the
// whole host, not only this URL.
func (r *run) get(ctx context.Context, t task, hdr http.Header) (*colly.Response, error) {
	lim := r.limits[t.site]
	for attempt := 0; ; attempt++ {
		release, err := lim.acquire(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := r.fetch(t, hdr)
		release()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		status := 0
		var rh http.Header
		if resp != nil {
			status, rh = resp.StatusCode, *resp.Headers
		}
		if !retryable(status, err) || attempt >= r.c.cfg.MaxRetries {
			return resp, err
		}
		wait, fromServer := r.c.backoff(attempt, rh, time.Now())
		if fromServer && wait > r.c.cfg.MaxWait {
			// Asking again sooner than the server said would be rude;
			// the next run will.
			return nil, fmt.Errorf("%w: status %d, Retry-After %s", ErrRateLimited, status, wait)
		}
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			lim.pauseUntil(ctx, time.Now().Add(wait))
		}
		r.c.log.Info("retrying", "url", t.url, "status", status, "err", err, "wait", wait, "attempt", attempt+1)
		r.sum.add(t.site, langOf(t), CountRetries)
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// retryable says whether a failed fetch is worth another try.
func retryable(status int, err error) bool {
	if err != nil {
		if errors.Is(err, ErrRobots) || errors.Is(err, ErrTooLarge) ||
			errors.Is(err, ErrForbiddenAddress) || errors.Is(err, context.Canceled) {
			return false
		}
		var ne net.Error
		return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
			strings.Contains(err.Error(), "connection")
	}
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is how long to wait before attempt n+1: RetryBase doubled per
// attempt and capped at MaxWait, or the server's Retry-After (reported
// as fromServer, and not capped: the caller decides).
func (c *Crawler) backoff(attempt int, hdr http.Header, now time.Time) (d time.Duration, fromServer bool) {
	if hdr != nil {
		if ra := strings.TrimSpace(hdr.Get("Retry-After")); ra != "" {
			if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
				return time.Duration(secs) * time.Second, true
			}
			if t, err := http.ParseTime(ra); err == nil {
				return max(t.Sub(now), 0), true
			}
		}
	}
	d = c.cfg.RetryBase << min(attempt, 30)
	if d <= 0 || d > c.cfg.MaxWait {
		d = c.cfg.MaxWait
	}
	return d, false
}

// reasonOf maps an error to a short, stable reason for the summary.
func reasonOf(err error) string {
	if f := (*Failure)(nil); errors.As(err, &f) {
		return string(f.Reason)
	}
	var ne net.Error
	switch {
	case errors.Is(err, ErrRobots):
		return "robots"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrRedirectLoop):
		return "redirect_loop"
	case errors.Is(err, ErrOffHost):
		return "off_host"
	case errors.Is(err, ErrForbiddenAddress):
		return "forbidden_address"
	case errors.Is(err, ErrRateLimited):
		return "rate_limited"
	case errors.Is(err, ErrStatus):
		return "status"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, errHandler):
		return "handler"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated"
	}
	return "network"
}

// errHandler marks a Handler's error in a failure.
var errHandler = errors.New("crawler: handler failed")

// Failure is a Handler's error that names its reason: the page is
// counted in Summary.Failures under Reason instead of "handler".
type Failure struct {
	Reason Count
	Err    error
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// enqueue classifies an absolute URL and adds it to the frontier when it
// belongs to a configured host. Everything else is dropped here, so the
// crawler never leaves its hosts.
func (c *Crawler) enqueue(f taskQueue, raw string, hint Kind, src Source) {
	if t, ok := c.classify(raw, hint); ok {
		t.src = src
		f.push(t)
	}
}

// classify turns a URL into a task: an article or translation by its
// shape, otherwise a discovery page of kind hint (articlesOnly: none).
func (c *Crawler) classify(raw string, hint Kind) (task, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil {
		return task{}, false
	}
	site, ok := c.hosts[hostKey(u)]
	if !ok {
		return task{}, false
	}
	u.Fragment = ""
	switch site {
	case model.SiteBaoLamDong:
		if _, ok := sites.ParseArticlePath(u.Path); ok {
			u.RawQuery = ""
			return task{url: u.String(), kind: KindOriginal, site: site}, true
		}
	case model.SiteVietnamVN:
		if lang, _, ok := sites.ParseTranslationPath(u.Path); ok {
			u.RawQuery = ""
			return task{url: u.String(), kind: KindTranslation, site: site, lang: lang}, true
		}
	}
	switch hint {
	case KindSitemap, KindFeed, KindListing, KindOriginal, KindTranslation:
		return task{url: u.String(), kind: hint, site: site}, true
	}
	return task{}, false
}

// enqueueTranslations adds the candidate vietnam.vn URLs of an original,
// one per configured language, as a single frontier entry. The frontier
// holds such entries back until its site's named pages are done, so that
// what the sitemaps list is fetched before anything is guessed; a shared
// frontier expands them at once, in the order known now.
func (r *run) enqueueTranslations(original string, published time.Time) {
	u, err := url.Parse(original)
	if err != nil {
		return
	}
	a, ok := sites.ParseArticlePath(u.Path)
	if !ok || len(r.c.cfg.Langs) == 0 {
		return
	}
	t := task{url: a.Slug, kind: kindCandidates, site: model.SiteVietnamVN, src: SourceGuess}
	if !published.IsZero() {
		t.pub = published.Unix()
	}
	if _, local := r.f.(*frontier); !local {
		t.langs = r.guess.orderLangs()
	}
	r.f.push(t)
}

func resolve(base *url.URL, path string) string {
	u := *base
	u.Path = strings.TrimRight(base.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

// langOf is the language a task's URL stands for: vi for originals, the
// prefix for translations, none for discovery pages.
func langOf(t task) string {
	switch t.kind {
	case KindOriginal:
		return "vi"
	case KindTranslation:
		return t.lang
	}
	return ""
}
