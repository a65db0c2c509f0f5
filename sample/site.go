package sample

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

// Options shape a Site. The zero value serves the corpus as the real sites
// would, with no fault pages.
type Options struct {
	// Faults lists the misbehaving pages to add; see Fault.
	Faults []Fault
	// PageSize is the number of articles per section listing page
	// (default 5, as on baolamdong.vn).
	PageSize int
	// RSSItems is the number of newest articles a section feed carries
	// (default 50). Listings and sitemaps, not feeds, expose every report.
	RSSItems int
	// SitemapMaxURLs caps the URLs of one sitemap file (default and
	// maximum 50,000, the protocol's limit); a period with more is split
	// into numbered parts.
	SitemapMaxURLs int
	// HomeItems is the number of newest items on either home page
	// (default 20).
	HomeItems int
	// SlowDelay is how long the slower page of FaultSlowResponse waits
	// before answering (default 10s); the other waits a tenth of it.
	SlowDelay time.Duration
	// LargeBody is the size of the pages of FaultTooLarge (default 5 MiB
	// plus 64 KiB, just over a crawler's usual limit).
	LargeBody int

	// NoTranslationSitemaps makes vietnam.vn serve no sitemaps (no
	// Sitemap line in its robots.txt, 404 for /sitemap.xml and the daily
	// files): its translations can then only be found by guessing their
	// URLs from the originals' slugs.
	NoTranslationSitemaps bool
	// HeldBackDays leaves the newest N days of vietnam.vn's daily post
	// sitemaps out (the index does not list them, the files are 404), as
	// for a crawl that read the sitemaps before that day's were published.
	HeldBackDays int
	// EndlessListing makes every section listing a crawler trap: past its
	// last page, ?page=N answers with the last page's items again and a
	// "next" link to N+1, for ever.
	EndlessListing bool
}

// sitemapLimit is the sitemap protocol's cap on URLs per file.
const sitemapLimit = 50000

func (o *Options) normalize() error {
	if o.PageSize == 0 {
		o.PageSize = 5
	}
	if o.RSSItems == 0 {
		o.RSSItems = 50
	}
	if o.SitemapMaxURLs == 0 {
		o.SitemapMaxURLs = sitemapLimit
	}
	if o.HomeItems == 0 {
		o.HomeItems = 20
	}
	if o.SlowDelay == 0 {
		o.SlowDelay = 10 * time.Second
	}
	if o.LargeBody == 0 {
		o.LargeBody = 5<<20 + 64<<10
	}
	if o.SlowDelay < 0 || o.LargeBody < 0 || o.HeldBackDays < 0 {
		return fmt.Errorf("%w: SlowDelay, LargeBody and HeldBackDays must not be negative", ErrBadOptions)
	}
	if o.PageSize < 1 || o.RSSItems < 1 || o.HomeItems < 1 || o.SitemapMaxURLs < 1 || o.SitemapMaxURLs > sitemapLimit {
		return fmt.Errorf("%w: PageSize, RSSItems and HomeItems must be positive, SitemapMaxURLs within 1..%d", ErrBadOptions, sitemapLimit)
	}
	for _, f := range o.Faults {
		if !slices.Contains(AllFaults(), f) {
			return fmt.Errorf("%w: unknown fault %q", ErrBadOptions, f)
		}
	}
	return nil
}

// Site serves a Corpus as the two mirrored sites. It is safe for
// concurrent use.
type Site struct {
	c      *Corpus
	opts   Options
	tmpl   *template.Template
	faults []*faultPage
	hits   map[Fault]*atomic.Int64 // fixed at New; only the counters change

	daysOnce sync.Once
	days     []vnDay // vietnam.vn publication days, see vnDays

	requests Requests // answers given, by site and status
}

// New builds the mirror of c.
func New(c *Corpus, opts Options) (*Site, error) {
	if c == nil || c.reports == nil || c.Len() == 0 {
		return nil, fmt.Errorf("%w: empty corpus", ErrBadOptions)
	}
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Site{c: c, opts: opts, tmpl: tmpl, hits: map[Fault]*atomic.Int64{}}
	if err := s.buildFaults(); err != nil {
		return nil, err
	}
	return s, nil
}

// Corpus is the corpus the site serves.
func (s *Site) Corpus() *Corpus { return s.c }

// BaoLamDong is the handler of the baolamdong.vn mirror.
func (s *Site) BaoLamDong() http.Handler {
	return s.counted(model.SiteBaoLamDong, s.withValidators(model.SiteBaoLamDong, http.HandlerFunc(s.serveBaoLamDong)))
}

// VietnamVN is the handler of the www.vietnam.vn mirror.
func (s *Site) VietnamVN() http.Handler {
	return s.counted(model.SiteVietnamVN, s.withValidators(model.SiteVietnamVN, http.HandlerFunc(s.serveVietnamVN)))
}

func (s *Site) serveBaoLamDong(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r) {
		return
	}
	p := r.URL.Path
	if fp := s.faultAt(model.SiteBaoLamDong, p); fp != nil {
		s.hits[fp.Fault].Add(1)
		fp.serve(w, r)
		return
	}
	switch {
	case p == "/":
		s.baoHome(w, r)
		return
	case p == "/robots.txt":
		s.robots(w, r, true, "/admin/", "/tim-kiem")
		return
	case p == "/sitemap.xml":
		s.baoSitemapIndex(w, r)
		return
	case strings.HasPrefix(p, "/sitemaps/"):
		s.baoSitemap(w, r, strings.TrimPrefix(p, "/sitemaps/"))
		return
	case strings.HasPrefix(p, "/rss/"):
		if sec, ok := s.c.Section(strings.TrimSuffix(strings.TrimPrefix(p, "/rss/"), ".rss")); ok && strings.HasSuffix(p, ".rss") {
			s.baoRSS(w, r, sec)
			return
		}
	}
	if a, ok := sites.ParseArticlePath(p); ok && a.ID != "" {
		if i, ok := s.c.reports.byID(a.ID); ok {
			// A wrong slug with a right id is a 404 here; the real site's
			// behaviour varies and the crawler only follows links it got
			// from the mirror.
			if rep := s.c.reports.at(i, "vi"); rep.Slug == a.Slug {
				s.baoArticle(w, r, i, rep)
				return
			}
		}
	}
	if seg, ok := strings.CutPrefix(p, "/"); ok {
		if sec, ok := s.c.Section(strings.TrimSuffix(seg, "/")); ok {
			if !strings.HasSuffix(seg, "/") {
				http.Redirect(w, r, "/"+sec.Slug+"/", http.StatusMovedPermanently)
				return
			}
			s.baoListing(w, r, sec)
			return
		}
	}
	s.notFound(w, "bld-404")
}

func (s *Site) serveVietnamVN(w http.ResponseWriter, r *http.Request) {
	if !allowMethod(w, r) {
		return
	}
	p := r.URL.Path
	if fp := s.faultAt(model.SiteVietnamVN, p); fp != nil {
		s.hits[fp.Fault].Add(1)
		fp.serve(w, r)
		return
	}
	switch {
	case p == "/":
		s.vnHome(w, r)
		return
	case p == "/robots.txt":
		s.robots(w, r, !s.opts.NoTranslationSitemaps, "/search")
		return
	case p == "/sitemap.xml" && !s.opts.NoTranslationSitemaps:
		s.vnSitemapIndex(w, r)
		return
	case strings.HasPrefix(p, "/sitemaps/") && !s.opts.NoTranslationSitemaps:
		s.vnSitemap(w, r, strings.TrimPrefix(p, "/sitemaps/"))
		return
	}
	if lang, slug, ok := sites.ParseTranslationPath(p); ok && !strings.HasSuffix(p, "/") {
		for k := range s.c.unlinked {
			if u := &s.c.unlinked[k]; u.Lang == lang && u.Slug == slug {
				s.vnUnlinked(w, r, u)
				return
			}
		}
		if i, ok := s.c.reports.bySlug(slug); ok {
			rep := s.c.reports.at(i, lang)
			if v, ok := rep.Version(lang); ok && lang != "vi" {
				s.vnPost(w, r, i, rep, v)
				return
			}
		}
	}
	s.notFound(w, "vn-404")
}

// allowMethod answers anything but GET and HEAD with 405.
func allowMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// baseURL is the scheme and host the request reached, so that absolute
// URLs in feeds and sitemaps keep a crawler on the mirror.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

const (
	contentHTML  = "text/html; charset=utf-8"
	contentXML   = "application/xml; charset=utf-8"
	contentRSS   = "application/rss+xml; charset=utf-8"
	contentPlain = "text/plain; charset=utf-8"
)

// render executes a template into memory first, so that a failure becomes
// a clean 500 instead of half a page.
func (s *Site) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	write(w, status, contentHTML, buf.Bytes())
}

func write(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

func (s *Site) notFound(w http.ResponseWriter, tmpl string) {
	s.render(w, http.StatusNotFound, tmpl, nil)
}

func (s *Site) robots(w http.ResponseWriter, r *http.Request, sitemap bool, disallow ...string) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, d := range disallow {
		b.WriteString("Disallow: " + d + "\n")
	}
	if sitemap {
		b.WriteString("\nSitemap: " + baseURL(r) + "/sitemap.xml\n")
	}
	write(w, http.StatusOK, contentPlain, []byte(b.String()))
}
