package e2e

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"baoscope/crawler"
	"baoscope/extract"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/sites"
)

// faultCrawl is one crawl of a small generated corpus served with some
// faults, through the real crawler, pipeline and index in t.TempDir().
type faultCrawl struct {
	srv    *mirror
	corpus *sample.Corpus
	pipe   *pipeline.Pipeline
	sum    *pipeline.Summary
	logs   *syncBuffer
	dials  *dialLog
	cfg    crawler.Config
}

// syncBuffer is a log sink several crawler goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// dialLog records every address the crawler's transport connected to,
// after its address guard allowed it.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialLog) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, addr)
	d.mu.Unlock()
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func (d *dialLog) all() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.addrs)
}

// smallCorpus is a generated corpus of a few reports: fault tests need a
// site around the faults, not a large one.
func smallCorpus(t *testing.T) *sample.Corpus {
	t.Helper()
	c, err := sample.Generate(sample.GenerateOptions{Reports: 4, Langs: 3, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// faultConfig keeps fault crawls to seconds: no politeness delay on
// loopback, one retry after 20ms, waits of at most two seconds.
func faultConfig(srv *mirror, dials *dialLog) crawler.Config {
	blog, _ := url.Parse(srv.BaoLamDongURL)
	vnvn, _ := url.Parse(srv.VietnamVNURL)
	return crawler.Config{
		BaoLamDong: blog, VietnamVN: vnvn,
		Parallel:   4,
		Timeout:    time.Second,
		MaxRetries: 1,
		RetryBase:  20 * time.Millisecond,
		MaxWait:    2 * time.Second,
		Dial:       dials.dial,
	}
}

// mirror serves a sample site on two loopback ports, like sample.Start,
// and logs every request path, so that tests can tell what a crawl asked
// for.
type mirror struct {
	Site          *sample.Site
	BaoLamDongURL string
	VietnamVNURL  string

	mu   sync.Mutex
	reqs []string // full URLs requested, in order
}

func startMirror(t *testing.T, c *sample.Corpus, opts sample.Options) *mirror {
	t.Helper()
	site, err := sample.New(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	m := &mirror{Site: site}
	logged := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			m.mu.Lock()
			m.reqs = append(m.reqs, "http://"+r.Host+r.URL.RequestURI())
			m.mu.Unlock()
			h.ServeHTTP(w, r)
		})
	}
	bld := httptest.NewServer(logged(site.BaoLamDong()))
	vn := httptest.NewServer(logged(site.VietnamVN()))
	t.Cleanup(func() {
		// Close, not a graceful shutdown: a slow fault page may still be
		// waiting for a client that gave up.
		bld.Close()
		vn.Close()
	})
	m.BaoLamDongURL, m.VietnamVNURL = bld.URL, vn.URL
	return m
}

// requests returns the URLs requested so far and forgets them.
func (m *mirror) requests() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := m.reqs
	m.reqs = nil
	return out
}

func openPipe(t *testing.T, dir string, allSources bool, log *slog.Logger) *pipeline.Pipeline {
	t.Helper()
	w := setup(t)
	p, err := pipeline.Open(context.Background(), pipeline.Options{
		DataDir: dir, Extractor: extract.New(extract.Options{}), Detector: w.det,
		AllSources: allSources, Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}

// runFaults crawls the small corpus with the given faults.
func runFaults(t *testing.T, faults []sample.Fault, opts sample.Options, allSources bool, tweak func(*crawler.Config)) *faultCrawl {
	t.Helper()
	fc := &faultCrawl{corpus: smallCorpus(t), logs: &syncBuffer{}, dials: &dialLog{}}
	opts.Faults = faults
	fc.srv = startMirror(t, fc.corpus, opts)
	log := slog.New(slog.NewTextHandler(fc.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fc.pipe = openPipe(t, t.TempDir(), allSources, log)
	fc.cfg = faultConfig(fc.srv, fc.dials)
	if tweak != nil {
		tweak(&fc.cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	if fc.sum, err = fc.pipe.Crawl(ctx, fc.cfg); err != nil {
		t.Fatal(err)
	}
	return fc
}

func (fc *faultCrawl) url(site, path string) string {
	if site == model.SiteVietnamVN {
		return fc.srv.VietnamVNURL + path
	}
	return fc.srv.BaoLamDongURL + path
}

func (fc *faultCrawl) pages(f sample.Fault) []sample.FaultPage {
	var out []sample.FaultPage
	for _, p := range fc.srv.Site.FaultPages() {
		if p.Fault == f {
			out = append(out, p)
		}
	}
	return out
}

// corpusURLs are the URLs of every page of the corpus on the mirror.
func (fc *faultCrawl) corpusURLs() []string {
	var out []string
	for rep := range fc.corpus.All() {
		for _, v := range rep.Versions {
			if v.Lang == "vi" {
				out = append(out, fc.srv.BaoLamDongURL+rep.Path())
			} else {
				out = append(out, fc.srv.VietnamVNURL+sites.TranslationPath(v.Lang, rep.Slug))
			}
		}
	}
	for _, p := range fc.corpus.Unlinked() {
		out = append(out, fc.srv.VietnamVNURL+p.Path())
	}
	return out
}

// checkBase asserts what every fault crawl must leave: the whole corpus
// stored and indexed once, nothing else but the faults' own documents
// (extra), and no connection anywhere but the two configured hosts.
func (fc *faultCrawl) checkBase(t *testing.T, extra []string) {
	t.Helper()
	st := fc.pipe.Store()
	want := append(fc.corpusURLs(), extra...)
	for _, u := range want {
		if !st.Has(u) {
			t.Errorf("not stored: %s", u)
		}
	}
	n, err := st.Count()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := fc.pipe.Index().Count()
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) || int(ix) != n {
		t.Errorf("stored %d, indexed %d, want %d each", n, ix, len(want))
	}
	allowed := map[string]bool{}
	for _, b := range []string{fc.srv.BaoLamDongURL, fc.srv.VietnamVNURL} {
		u, _ := url.Parse(b)
		allowed[u.Host] = true
	}
	for _, a := range fc.dials.all() {
		if !allowed[a] {
			t.Errorf("connected to %s, which is not a configured host", a)
		}
	}
}

// failures lists the failed URLs of the crawl by reason.
func (fc *faultCrawl) failures() map[string][]string {
	out := map[string][]string{}
	for _, f := range fc.sum.Crawl.Failed {
		out[f.Reason] = append(out[f.Reason], f.URL)
	}
	return out
}

func (fc *faultCrawl) checkFailures(t *testing.T, want map[string][]string) {
	t.Helper()
	got := fc.failures()
	for r := range got {
		slices.Sort(got[r])
	}
	for r := range want {
		slices.Sort(want[r])
	}
	if len(got) != len(want) {
		t.Errorf("failures %v, want %v", got, want)
		return
	}
	for r, urls := range want {
		if !slices.Equal(got[r], urls) {
			t.Errorf("failures %s = %v, want %v", r, got[r], urls)
		}
	}
}

func (fc *faultCrawl) doc(t *testing.T, u string) *model.Document {
	t.Helper()
	d, err := fc.pipe.Store().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkText asserts a fault page was stored with exactly its text.
func (fc *faultCrawl) checkText(t *testing.T, p sample.FaultPage) {
	t.Helper()
	d := fc.doc(t, fc.url(p.Site, p.Path))
	if d.Title != p.Title || d.Lead != p.Lead || !slices.Equal(d.Body, p.Body) {
		t.Errorf("%s: stored\n title %q\n lead %q\n body %q\nwant\n title %q\n lead %q\n body %q",
			p.Path, d.Title, d.Lead, d.Body, p.Title, p.Lead, p.Body)
	}
	if d.ReportID != p.ReportID {
		t.Errorf("%s: report %q, want %q", p.Path, d.ReportID, p.ReportID)
	}
	if d.Lang != p.Lang {
		t.Errorf("%s: detected %q, want %q", p.Path, d.Lang, p.Lang)
	}
}

func (fc *faultCrawl) urls(f sample.Fault) []string {
	var out []string
	for _, p := range fc.pages(f) {
		out = append(out, fc.url(p.Site, p.Path))
	}
	return out
}

func TestFaultRateLimited(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultRateLimited}, sample.Options{}, false, nil)
	fc.checkBase(t, fc.urls(sample.FaultRateLimited))
	fc.checkFailures(t, nil)
	// 429, then, a second later as Retry-After asked, the page: a
	// client that came back sooner would have got another 429.
	if h := fc.srv.Site.FaultHits(sample.FaultRateLimited); h != 2 {
		t.Errorf("%d requests to the rate-limited page, want 2", h)
	}
	if n := fc.sum.Crawl.Count(model.SiteBaoLamDong, crawler.CountRetries); n != 1 {
		t.Errorf("%d retries, want 1", n)
	}
}

func TestFaultRetryAfterBeyondMaxWait(t *testing.T) {
	// A Retry-After longer than the crawler may wait fails the page
	// (for the next run) instead of asking again too early.
	fc := runFaults(t, []sample.Fault{sample.FaultRateLimited}, sample.Options{}, false, func(c *crawler.Config) {
		c.MaxWait = 500 * time.Millisecond
	})
	fc.checkBase(t, nil)
	fc.checkFailures(t, map[string][]string{"rate_limited": fc.urls(sample.FaultRateLimited)})
	if h := fc.srv.Site.FaultHits(sample.FaultRateLimited); h != 1 {
		t.Errorf("%d requests to the rate-limited page, want 1", h)
	}
}

func TestFaultServerError(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultServerError}, sample.Options{}, false, nil)
	fc.checkBase(t, fc.urls(sample.FaultServerError))
	fc.checkFailures(t, nil)
	if h := fc.srv.Site.FaultHits(sample.FaultServerError); h != 2 {
		t.Errorf("%d requests to the 500-then-OK page, want 2", h)
	}
	if n := fc.sum.Crawl.Count(model.SiteBaoLamDong, crawler.CountRetries); n != 1 {
		t.Errorf("%d retries, want 1", n)
	}
}

func TestFaultSlowResponse(t *testing.T) {
	// Timeout 1s: the page that waits 3s times out on both attempts; the
	// one that waits 300ms is stored.
	fc := runFaults(t, []sample.Fault{sample.FaultSlowResponse}, sample.Options{SlowDelay: 3 * time.Second}, false, nil)
	pages := fc.pages(sample.FaultSlowResponse)
	if len(pages) != 2 || !strings.Contains(pages[0].Path, "990203") || !strings.Contains(pages[1].Path, "990204") {
		t.Fatalf("slow fault pages: %+v", pages)
	}
	tooSlow, slow := fc.url(pages[0].Site, pages[0].Path), fc.url(pages[1].Site, pages[1].Path)
	fc.checkBase(t, []string{slow})
	fc.checkFailures(t, map[string][]string{"timeout": {tooSlow}})
	if h := fc.srv.Site.FaultHits(sample.FaultSlowResponse); h != 3 {
		t.Errorf("%d requests to the slow pages, want 3 (two attempts at the slowest, one at the other)", h)
	}
}

func TestFaultTruncatedBody(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultTruncatedBody}, sample.Options{}, false, nil)
	fc.checkBase(t, nil)
	fc.checkFailures(t, map[string][]string{"truncated": fc.urls(sample.FaultTruncatedBody)})
	if h := fc.srv.Site.FaultHits(sample.FaultTruncatedBody); h != 2 {
		t.Errorf("%d requests to the truncated page, want 2 (retried once)", h)
	}
}

func TestFaultTooLarge(t *testing.T) {
	// The crawler's default 5 MiB limit against pages of 5 MiB + 64 KiB,
	// one announced by Content-Length, one chunked.
	fc := runFaults(t, []sample.Fault{sample.FaultTooLarge}, sample.Options{}, false, nil)
	fc.checkBase(t, nil)
	urls := fc.urls(sample.FaultTooLarge)
	fc.checkFailures(t, map[string][]string{"too_large": urls})
	if h := fc.srv.Site.FaultHits(sample.FaultTooLarge); h != 2 {
		t.Errorf("%d requests to the large pages, want 2 (never retried)", h)
	}
	logs := fc.logs.String()
	for _, u := range urls {
		if !strings.Contains(logs, "url="+u) || !strings.Contains(logs, "reason=too_large") {
			t.Errorf("no too_large error logged for %s", u)
		}
	}
}

func TestFaultRedirectLoop(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultRedirectLoop}, sample.Options{}, false, nil)
	fc.checkBase(t, nil)
	pages := fc.pages(sample.FaultRedirectLoop)
	// The loop is A → B → A; it is the request of B that closes it.
	fc.checkFailures(t, map[string][]string{"redirect_loop": {fc.url(pages[1].Site, pages[1].Path)}})
	if h := fc.srv.Site.FaultHits(sample.FaultRedirectLoop); h != 2 {
		t.Errorf("%d requests in the redirect loop, want 2 (each page once)", h)
	}
}

func TestFaultRedirectOffHost(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultRedirectOffHost}, sample.Options{}, false, nil)
	// checkBase also asserts no connection to 127.0.0.1:1, 10.0.0.1 or
	// 169.254.169.254 was even attempted.
	fc.checkBase(t, nil)
	fc.checkFailures(t, map[string][]string{"off_host": fc.urls(sample.FaultRedirectOffHost)})
	if h := fc.srv.Site.FaultHits(sample.FaultRedirectOffHost); h != 3 {
		t.Errorf("%d requests to the redirecting pages, want 3", h)
	}
}

func TestFaultRobotsDisallowed(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultRobotsDisallowed}, sample.Options{}, false, nil)
	fc.checkBase(t, nil)
	fc.checkFailures(t, map[string][]string{"robots": fc.urls(sample.FaultRobotsDisallowed)})
	if h := fc.srv.Site.FaultHits(sample.FaultRobotsDisallowed); h != 0 {
		t.Errorf("robots.txt-disallowed page requested %d times", h)
	}
}

func TestFaultOffHostLinks(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultOffHostLinks}, sample.Options{}, false, nil)
	// The page is stored; none of its off-host links is followed, and
	// checkBase asserts no connection to any of their hosts.
	fc.checkBase(t, fc.urls(sample.FaultOffHostLinks))
	fc.checkFailures(t, nil)
	fc.checkText(t, fc.pages(sample.FaultOffHostLinks)[0])
}

func TestFaultMalformedHTML(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultMalformedHTML}, sample.Options{}, false, nil)
	fc.checkBase(t, fc.urls(sample.FaultMalformedHTML))
	fc.checkFailures(t, nil)
	fc.checkText(t, fc.pages(sample.FaultMalformedHTML)[0])
}

func TestFaultLegacyCharsets(t *testing.T) {
	fc := runFaults(t, []sample.Fault{sample.FaultLegacyCharsets}, sample.Options{}, false, nil)
	fc.checkBase(t, fc.urls(sample.FaultLegacyCharsets))
	fc.checkFailures(t, nil)
	pages := fc.pages(sample.FaultLegacyCharsets)
	if len(pages) != 3 {
		t.Fatalf("%d legacy-charset pages, want 3", len(pages))
	}
	for _, p := range pages {
		t.Run(p.Lang, func(t *testing.T) { fc.checkText(t, p) })
	}
}

func TestFaultMissingSource(t *testing.T) {
	// Decision: a vietnam.vn page without a source line is indexed, but
	// unlinked, even when its slug is an original's: the source line is
	// the only evidence of what it translates (docs/crawler.md).
	fc := runFaults(t, []sample.Fault{sample.FaultMissingSource}, sample.Options{}, false, nil)
	fc.checkBase(t, fc.urls(sample.FaultMissingSource))
	fc.checkFailures(t, nil)
	pages := fc.pages(sample.FaultMissingSource)
	if len(pages) != 2 || pages[1].Site != model.SiteVietnamVN {
		t.Fatalf("missing-source pages: %+v", pages)
	}
	fc.checkText(t, pages[0])
	fc.checkText(t, pages[1]) // ReportID "" expected
	if n := fc.sum.Langs["en"][string(pipeline.CountUnlinked)]; n != 1 {
		t.Errorf("%d unlinked en documents, want 1 (langs %v)", n, fc.sum.Langs)
	}
}

func TestFaultForeignSource(t *testing.T) {
	t.Run("skipped", func(t *testing.T) {
		fc := runFaults(t, []sample.Fault{sample.FaultForeignSource}, sample.Options{}, false, nil)
		fc.checkBase(t, nil)
		fc.checkFailures(t, nil)
		if h := fc.srv.Site.FaultHits(sample.FaultForeignSource); h != 1 {
			t.Errorf("%d requests to the foreign-source page, want 1", h)
		}
		if n := fc.sum.Crawl.Count(model.SiteVietnamVN, crawler.SkipOtherPaper); n != 1 {
			t.Errorf("other_paper = %d, want 1", n)
		}
	})
	t.Run("all sources", func(t *testing.T) {
		fc := runFaults(t, []sample.Fault{sample.FaultForeignSource}, sample.Options{}, true, nil)
		fc.checkBase(t, fc.urls(sample.FaultForeignSource))
		fc.checkFailures(t, nil)
		p := fc.pages(sample.FaultForeignSource)[0]
		fc.checkText(t, p)
		if d := fc.doc(t, fc.url(p.Site, p.Path)); !strings.Contains(d.SourceURL, "baodaknong.vn") {
			t.Errorf("source %q", d.SourceURL)
		}
	})
}
