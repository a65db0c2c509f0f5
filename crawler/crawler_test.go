package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2/storage"

	"baoscope/model"
	"baoscope/store"
)

// The bbolt store is Colly's storage.
var _ storage.Storage = (*store.CollyStorage)(nil)

// testSites are two loopback servers standing for baolamdong.vn and
// vietnam.vn, with a request log.
type testSites struct {
	bld, vn *httptest.Server
	mu      sync.Mutex
	hits    map[string]int // path → requests
	headers map[string]http.Header
	maxPar  atomic.Int32 // most requests in flight at once, per server
	cur     [2]atomic.Int32
}

func newTestSites(t *testing.T, bld, vn http.Handler) *testSites {
	t.Helper()
	ts := &testSites{hits: map[string]int{}, headers: map[string]http.Header{}}
	wrap := func(i int, h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n := ts.cur[i].Add(1)
			defer ts.cur[i].Add(-1)
			for {
				m := ts.maxPar.Load()
				if n <= m || ts.maxPar.CompareAndSwap(m, n) {
					break
				}
			}
			ts.mu.Lock()
			ts.hits[r.URL.RequestURI()]++
			ts.headers[r.URL.RequestURI()] = r.Header.Clone()
			ts.mu.Unlock()
			h.ServeHTTP(w, r)
		})
	}
	ts.bld = httptest.NewServer(wrap(0, bld))
	ts.vn = httptest.NewServer(wrap(1, vn))
	t.Cleanup(func() { ts.bld.Close(); ts.vn.Close() })
	return ts
}

func (ts *testSites) hit(path string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.hits[path]
}

func (ts *testSites) header(path string) http.Header {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.headers[path]
}

func (ts *testSites) config() Config {
	b, _ := url.Parse(ts.bld.URL)
	v, _ := url.Parse(ts.vn.URL)
	return Config{
		BaoLamDong: b, VietnamVN: v, Langs: []string{"en"},
		Parallel: 2, Timeout: 5 * time.Second,
		MaxRetries: 1, RetryBase: time.Millisecond, MaxWait: time.Second,
	}
}

// recorder is a Handler that keeps what it was given.
type recorder struct {
	mu     sync.Mutex
	pages  map[string]*Page
	result func(*Page) Result
}

func (r *recorder) HandlePage(_ context.Context, p *Page) (Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pages == nil {
		r.pages = map[string]*Page{}
	}
	r.pages[p.URL] = p
	if r.result != nil {
		return r.result(p), nil
	}
	return Result{Changed: true}, nil
}

func (r *recorder) urls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for u := range r.pages {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

func crawl(t *testing.T, cfg Config, h Handler) *Summary {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sum, err := c.Run(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// site is a mux with robots.txt, a home page linking hrefs, and article
// pages answering with body.
func site(robots string, hrefs []string, pages map[string]http.HandlerFunc) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, robots)
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>")
		for _, h := range hrefs {
			fmt.Fprintf(w, `<a href="%s">x</a>`, h)
		}
		fmt.Fprint(w, "</body></html>")
	})
	for p, h := range pages {
		mux.HandleFunc(p, h)
	}
	return mux
}

func article(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func notFound() http.Handler { return http.NotFoundHandler() }

func TestRobotsTxtObeyedAndUserAgentSent(t *testing.T) {
	ts := newTestSites(t,
		site("User-agent: *\nDisallow: /private/\n", []string{"/private/202501/secret/", "/open-123457.html"},
			map[string]http.HandlerFunc{
				"/private/202501/secret/": article("<p>secret</p>"),
				"/open-123457.html":       article("<p>open</p>"),
			}),
		notFound())
	cfg := ts.config()
	cfg.UserAgent = "baoscope-test/1 (+https://example.org/contact)"
	rec := &recorder{}
	sum := crawl(t, cfg, rec)
	if got := rec.urls(); !slices.Equal(got, []string{ts.bld.URL + "/open-123457.html"}) {
		t.Errorf("handled %v", got)
	}
	if h := ts.hit("/private/202501/secret/"); h != 0 {
		t.Errorf("disallowed page requested %d times", h)
	}
	// Read once per host, by the crawl itself: not a second time by Colly.
	if h := ts.hit("/robots.txt"); h != 2 {
		t.Errorf("robots.txt requested %d times, want once per host", h)
	}
	if n := sum.FailureCount(model.SiteBaoLamDong, "robots"); n != 1 {
		t.Errorf("robots failures = %d, want 1", n)
	}
	if ua := ts.header("/open-123457.html").Get("User-Agent"); ua != cfg.UserAgent {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestBodySizeLimit(t *testing.T) {
	const limit = 1000
	body := func(n int) string { return strings.Repeat("a", n) }
	ts := newTestSites(t,
		site("", []string{"/exact-100001.html", "/long-100002.html", "/chunked-100003.html"},
			map[string]http.HandlerFunc{
				"/exact-100001.html": article(body(limit)),
				"/long-100002.html":  article(body(limit + 1)), // with Content-Length
				"/chunked-100003.html": func(w http.ResponseWriter, r *http.Request) {
					for range 4 {
						fmt.Fprint(w, body(limit/2))
						w.(http.Flusher).Flush()
					}
				},
			}),
		notFound())
	cfg := ts.config()
	cfg.MaxBodySize = limit
	rec := &recorder{}
	sum := crawl(t, cfg, rec)
	if got := rec.urls(); !slices.Equal(got, []string{ts.bld.URL + "/exact-100001.html"}) {
		t.Errorf("handled %v, want only the page at the limit", got)
	}
	if len(rec.pages[ts.bld.URL+"/exact-100001.html"].Body) != limit {
		t.Error("page at the limit was cut")
	}
	if n := sum.FailureCount(model.SiteBaoLamDong, "too_large"); n != 2 {
		t.Errorf("too_large = %d, want 2 (failed: %+v)", n, sum.Failed)
	}
	if ts.hit("/long-100002.html") != 1 || ts.hit("/chunked-100003.html") != 1 {
		t.Error("an oversized page was retried")
	}
}

func TestRedirects(t *testing.T) {
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusMovedPermanently) }
	}
	var selfOnce atomic.Bool
	ts := newTestSites(t,
		site("", []string{"/old/202501/moved/", "/a-100010.html", "/self-100020.html", "/c0-100030.html"},
			map[string]http.HandlerFunc{
				"/old/202501/moved/": redirect("/moved-100001.html"),
				"/moved-100001.html": article("<p>moved</p>"),
				"/a-100010.html":     redirect("/b-100011.html"),
				"/b-100011.html":     redirect("/a-100010.html"),
				"/self-100020.html": func(w http.ResponseWriter, r *http.Request) {
					if selfOnce.CompareAndSwap(false, true) {
						redirect("/self-100020.html")(w, r)
						return
					}
					article("<p>self</p>")(w, r)
				},
				// c0 → c1 → … → c11: longer than any site should need.
				"/": func(w http.ResponseWriter, r *http.Request) {
					var n int
					if _, err := fmt.Sscanf(r.URL.Path, "/c%d-100030.html", &n); err != nil {
						http.NotFound(w, r)
						return
					}
					redirect(fmt.Sprintf("/c%d-100030.html", n+1))(w, r)
				},
			}),
		notFound())
	rec := &recorder{}
	sum := crawl(t, ts.config(), rec)
	want := []string{ts.bld.URL + "/moved-100001.html", ts.bld.URL + "/self-100020.html"}
	if got := rec.urls(); !slices.Equal(got, want) {
		t.Errorf("handled %v, want %v", got, want)
	}
	if n := sum.FailureCount(model.SiteBaoLamDong, "redirect_loop"); n != 2 {
		t.Errorf("redirect_loop = %d, want 2 (a ↔ b, and the long chain): %+v", n, sum.Failed)
	}
	if h := ts.hit("/a-100010.html") + ts.hit("/b-100011.html"); h != 2 {
		t.Errorf("loop pages requested %d times, want 2", h)
	}
	if h := ts.hit("/c10-100030.html"); h != 0 {
		t.Errorf("the 11th page of the chain was requested")
	}
}

func TestRetryThenSuccess(t *testing.T) {
	var calls atomic.Int32
	ts := newTestSites(t,
		site("", []string{"/flaky-100001.html"}, map[string]http.HandlerFunc{
			"/flaky-100001.html": func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					w.Header().Set("Retry-After", "0")
					http.Error(w, "busy", http.StatusServiceUnavailable)
					return
				}
				article("<p>ok</p>")(w, r)
			},
		}),
		notFound())
	rec := &recorder{}
	sum := crawl(t, ts.config(), rec)
	if len(rec.urls()) != 1 || calls.Load() != 2 || sum.Count(model.SiteBaoLamDong, CountRetries) != 1 {
		t.Errorf("handled %v after %d calls, retries %d", rec.urls(), calls.Load(), sum.Count(model.SiteBaoLamDong, CountRetries))
	}
}

func TestBackoff(t *testing.T) {
	c := &Crawler{cfg: Config{RetryBase: time.Second, MaxWait: 10 * time.Second}}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hdr := func(v string) http.Header { return http.Header{"Retry-After": {v}} }
	tests := []struct {
		name       string
		attempt    int
		hdr        http.Header
		want       time.Duration
		fromServer bool
	}{
		{"first", 0, nil, time.Second, false},
		{"doubles", 2, nil, 4 * time.Second, false},
		{"capped", 6, nil, 10 * time.Second, false},
		{"huge attempt", 200, nil, 10 * time.Second, false},
		{"seconds", 0, hdr("3"), 3 * time.Second, true},
		{"beyond the cap is reported, not cut", 0, hdr("120"), 2 * time.Minute, true},
		{"date", 0, hdr(now.Add(5 * time.Second).Format(http.TimeFormat)), 5 * time.Second, true},
		{"date in the past", 0, hdr(now.Add(-time.Hour).Format(http.TimeFormat)), 0, true},
		{"garbage", 1, hdr("soon"), 2 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fs := c.backoff(tt.attempt, tt.hdr, now)
			if got != tt.want || fs != tt.fromServer {
				t.Errorf("backoff = %s, %v; want %s, %v", got, fs, tt.want, tt.fromServer)
			}
		})
	}
}

func TestReasonOf(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{ErrRobots, "robots"},
		{fmt.Errorf("x: %w", ErrTooLarge), "too_large"},
		{ErrRedirectLoop, "redirect_loop"},
		{fmt.Errorf("redirect: %w", ErrOffHost), "off_host"},
		{ErrForbiddenAddress, "forbidden_address"},
		{ErrRateLimited, "rate_limited"},
		{fmt.Errorf("%w 500", ErrStatus), "status"},
		{fmt.Errorf("%w: sitemap", ErrMalformed), "malformed"},
		{fmt.Errorf("%w: boom", errHandler), "handler"},
		{fmt.Errorf("%w: %w", errHandler, &Failure{Reason: "not_text", Err: errors.New("noise")}), "not_text"},
		{context.DeadlineExceeded, "timeout"},
		{&url.Error{Op: "Get", URL: "x", Err: timeoutErr{}}, "timeout"},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), "truncated"},
		{errors.New("connection refused"), "network"},
	}
	for _, tt := range tests {
		if got := reasonOf(tt.err); got != tt.want {
			t.Errorf("reasonOf(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// TestParallelismPerHost counts requests in flight at the server: never
// more than Parallel, whatever the number of queued pages.
func TestParallelismPerHost(t *testing.T) {
	var hrefs []string
	pages := map[string]http.HandlerFunc{}
	for i := range 12 {
		p := fmt.Sprintf("/p%d-1000%02d.html", i, i)
		hrefs = append(hrefs, p)
		pages[p] = func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(20 * time.Millisecond) // let requests overlap if they could
			article("<p>x</p>")(w, r)
		}
	}
	ts := newTestSites(t, site("", hrefs, pages), notFound())
	cfg := ts.config()
	cfg.Parallel = 3
	rec := &recorder{}
	crawl(t, cfg, rec)
	if len(rec.urls()) != 12 {
		t.Fatalf("handled %d pages", len(rec.urls()))
	}
	if m := ts.maxPar.Load(); m > 3 {
		t.Errorf("%d requests in flight to one host, want at most 3", m)
	}
}

func TestMaxPages(t *testing.T) {
	var hrefs []string
	pages := map[string]http.HandlerFunc{}
	for i := range 10 {
		p := fmt.Sprintf("/p%d-1000%02d.html", i, i)
		hrefs = append(hrefs, p)
		pages[p] = article("<p>x</p>")
	}
	ts := newTestSites(t, site("", hrefs, pages), notFound())
	cfg := ts.config()
	cfg.Langs = []string{}
	cfg.MaxPages = 6
	cfg.Parallel = 1
	sum := crawl(t, cfg, &recorder{})
	if sum.Fetches > 6 {
		t.Errorf("%d requests, limit 6", sum.Fetches)
	}
	if sum.Count(model.SiteBaoLamDong, CountOverLimit) == 0 {
		t.Error("nothing counted over_limit")
	}
}

// memState is a StateStore in memory.
type memState struct {
	mu sync.Mutex
	m  map[string]model.URLState
}

func (s *memState) URLState(u string) (*model.URLState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[u]
	if !ok {
		return nil, model.ErrNotFound
	}
	return &st, nil
}

func (s *memState) PutURLState(st *model.URLState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]model.URLState{}
	}
	s.m[st.URL] = *st
	return nil
}

// TestRevalidation stores two recent pages and an old one, then crawls
// again: the recent ones are asked with their validators (one answers
// 304, one has changed), the old one is not asked at all.
func TestRevalidation(t *testing.T) {
	var version atomic.Int32
	const lastMod = "Mon, 02 Mar 2026 10:00:00 GMT"
	ts := newTestSites(t,
		site("", []string{"/same-100001.html", "/edited-100002.html", "/old-100003.html"},
			map[string]http.HandlerFunc{
				"/same-100001.html": func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("ETag", `"v1"`)
					if r.Header.Get("If-None-Match") == `"v1"` {
						w.WriteHeader(http.StatusNotModified)
						return
					}
					article("<p>same</p>")(w, r)
				},
				"/edited-100002.html": func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Last-Modified", lastMod)
					// Ignores validators, as many servers do; the second
					// version differs.
					article("<p>edited v"+strconv.Itoa(int(version.Load()))+"</p>")(w, r)
				},
				"/old-100003.html": article("<p>old</p>"),
			}),
		notFound())
	now := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	published := map[string]time.Time{
		ts.bld.URL + "/same-100001.html":   now.Add(-2 * 24 * time.Hour),
		ts.bld.URL + "/edited-100002.html": now.Add(-3 * 24 * time.Hour),
		ts.bld.URL + "/old-100003.html":    now.Add(-100 * 24 * time.Hour),
	}
	state := &memState{}
	var stored sync.Map
	cfg := ts.config()
	cfg.Langs = []string{}
	cfg.State = state
	cfg.Now = func() time.Time { return now }
	cfg.Stored = func(u string) (time.Time, bool) {
		_, ok := stored.Load(u)
		return published[u], ok
	}
	handler := &recorder{result: func(p *Page) Result {
		stored.Store(p.URL, true)
		return Result{Changed: true, Published: published[p.URL]}
	}}
	first := crawl(t, cfg, handler)
	if n := first.Count(model.SiteBaoLamDong, CountNew); n != 3 {
		t.Fatalf("first crawl: %d new", n)
	}
	if st, _ := state.URLState(ts.bld.URL + "/same-100001.html"); st.ETag != `"v1"` || st.ContentHash == "" || st.Outcome != model.OutcomeStored {
		t.Errorf("state after first crawl: %+v", st)
	}

	version.Store(2)
	ts.mu.Lock()
	ts.hits = map[string]int{}
	ts.mu.Unlock()
	handler.pages = nil
	second := crawl(t, cfg, handler)
	if got := handler.urls(); !slices.Equal(got, []string{ts.bld.URL + "/edited-100002.html"}) {
		t.Errorf("second crawl handled %v, want only the edited page", got)
	}
	if h := ts.header("/same-100001.html").Get("If-None-Match"); h != `"v1"` {
		t.Errorf("If-None-Match = %q", h)
	}
	if h := ts.header("/edited-100002.html").Get("If-Modified-Since"); h != lastMod {
		t.Errorf("If-Modified-Since = %q", h)
	}
	if ts.hit("/old-100003.html") != 0 {
		t.Error("old stored page requested")
	}
	for counter, want := range map[Count]int{CountUnchanged: 1, CountUpdated: 1, CountStored: 1, CountNew: 0} {
		if got := second.Count(model.SiteBaoLamDong, counter); got != want {
			t.Errorf("%s = %d, want %d", counter, got, want)
		}
	}
	// Same bytes despite ignored validators: unchanged, handler not called.
	handler.pages = nil
	third := crawl(t, cfg, handler)
	if len(handler.urls()) != 0 || third.Count(model.SiteBaoLamDong, CountUnchanged) != 2 {
		t.Errorf("third crawl handled %v, unchanged %d", handler.urls(), third.Count(model.SiteBaoLamDong, CountUnchanged))
	}
}

// TestNotFoundMemory: a candidate that was 404 is not asked again within
// the TTL, unless the site itself lists it.
func TestNotFoundMemory(t *testing.T) {
	var listed atomic.Bool
	vn := http.NewServeMux()
	vn.HandleFunc("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		if !listed.Load() {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `<urlset><url><loc>http://%s/en/story</loc></url></urlset>`, r.Host)
	})
	vn.HandleFunc("/en/story", func(w http.ResponseWriter, r *http.Request) {
		if listed.Load() {
			article("<p>translated</p>")(w, r)
			return
		}
		http.NotFound(w, r)
	})
	vn.HandleFunc("/de/story", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	ts := newTestSites(t, site("", []string{"/story-100001.html"}, map[string]http.HandlerFunc{
		"/story-100001.html": article("<p>story</p>"),
	}), vn)
	now := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	cfg := ts.config()
	cfg.Langs = []string{"en", "de"}
	cfg.State = &memState{}
	cfg.Now = func() time.Time { return now }
	first := crawl(t, cfg, &recorder{})
	if n := first.Count(model.SiteVietnamVN, CountNotFound); n != 2 {
		t.Fatalf("first crawl: %d not found", n)
	}

	now = now.Add(24 * time.Hour)
	second := crawl(t, cfg, &recorder{})
	if n := second.Count(model.SiteVietnamVN, CountRemembered404); n != 2 || ts.hit("/en/story") != 1 || ts.hit("/de/story") != 1 {
		t.Errorf("second crawl: remembered %d, requests en %d de %d", n, ts.hit("/en/story"), ts.hit("/de/story"))
	}

	listed.Store(true) // the translation appears and the sitemap lists it
	rec := &recorder{}
	third := crawl(t, cfg, rec)
	if got := rec.urls(); !slices.Contains(got, ts.vn.URL+"/en/story") || len(got) != 2 {
		t.Errorf("third crawl handled %v, want the original and /en/story", got)
	}
	if n := third.Count(model.SiteVietnamVN, CountRemembered404); n != 1 {
		t.Errorf("third crawl remembered %d, want 1 (de)", n)
	}

	now = now.Add(DefaultNotFoundTTL)
	crawl(t, cfg, &recorder{})
	if ts.hit("/de/story") != 2 {
		t.Errorf("de asked %d times after the TTL, want 2", ts.hit("/de/story"))
	}
}

// TestCollyStoragePersistsCookies: a cookie set in one run is sent in the
// next, from a new crawler over the same bbolt file; and the persistent
// storage does not stop the URL being fetched again (revisits stay
// allowed).
func TestCollyStoragePersistsCookies(t *testing.T) {
	var sawCookie atomic.Bool
	ts := newTestSites(t, site("", []string{"/c-100001.html"}, map[string]http.HandlerFunc{
		"/c-100001.html": func(w http.ResponseWriter, r *http.Request) {
			if c, err := r.Cookie("session"); err == nil && c.Value == "s1" {
				sawCookie.Store(true)
			}
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/", Expires: time.Now().Add(time.Hour)})
			article("<p>c</p>")(w, r)
		},
	}), notFound())
	path := filepath.Join(t.TempDir(), "store.db")
	for run := range 2 {
		st, err := store.Open(path, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		cfg := ts.config()
		cfg.CollyStorage = st.CollyStorage()
		crawl(t, cfg, &recorder{})
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		if run == 0 && sawCookie.Load() {
			t.Fatal("cookie sent before it was set")
		}
	}
	if !sawCookie.Load() {
		t.Error("the second run did not send the cookie of the first")
	}
	if h := ts.hit("/c-100001.html"); h != 2 {
		t.Errorf("page fetched %d times over two runs, want 2", h)
	}
}

// TestOffHostAndForbiddenRedirects: redirects to another loopback port,
// a private address and the metadata address are refused, and no
// connection to any of them is even attempted.
func TestOffHostAndForbiddenRedirects(t *testing.T) {
	targets := []string{"http://127.0.0.1:1/x-100009.html", "http://10.0.0.1/x-100008.html", "http://169.254.169.254/latest/meta-data/"}
	pages := map[string]http.HandlerFunc{}
	var hrefs []string
	for i, to := range targets {
		p := fmt.Sprintf("/r%d-10000%d.html", i, i)
		hrefs = append(hrefs, p, to)
		pages[p] = func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	ts := newTestSites(t, site("", hrefs, pages), notFound())
	var (
		mu     sync.Mutex
		dialed []string
	)
	cfg := ts.config()
	cfg.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialed = append(dialed, addr)
		mu.Unlock()
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	sum := crawl(t, cfg, &recorder{})
	if n := sum.FailureCount(model.SiteBaoLamDong, "off_host"); n != 3 {
		t.Errorf("off_host = %d, want 3: %+v", n, sum.Failed)
	}
	allowed := map[string]bool{hostOf(ts.bld.URL): true, hostOf(ts.vn.URL): true}
	for _, a := range dialed {
		if !allowed[a] {
			t.Errorf("dialed %s", a)
		}
	}
}

func hostOf(raw string) string {
	u, _ := url.Parse(raw)
	return u.Host
}

// TestEndlessPagination: a listing whose "next" link never ends is
// followed while it brings new articles and for StalePages pages more;
// a host's ListingPages budget bounds it whatever the pages say.
func TestEndlessPagination(t *testing.T) {
	endless := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><body><a href="/open-123457.html">x</a><a rel="next" href="/?page=%d">next</a></body></html>`, max(n, 1)+1)
	})
	mux := http.NewServeMux()
	mux.Handle("/{$}", endless)
	mux.Handle("/open-123457.html", article("<p>open</p>"))
	tests := []struct {
		name     string
		budget   int
		lastPage int // the last page requested
		budgeted int // listing pages refused by the budget
	}{
		// Page 1 names the article; pages 2, 3 and 4 name nothing new.
		{"stale pages", 0, 4, 0},
		{"budget", 2, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestSites(t, mux, notFound())
			cfg := ts.config()
			cfg.ListingPages = tt.budget
			sum := crawl(t, cfg, &recorder{})
			for p := 2; p <= tt.lastPage+1; p++ {
				want := 1
				if p > tt.lastPage {
					want = 0
				}
				if got := ts.hit("/?page=" + strconv.Itoa(p)); got != want {
					t.Errorf("page %d requested %d times, want %d", p, got, want)
				}
			}
			if got := sum.Count(model.SiteBaoLamDong, CountListingBudget); got != tt.budgeted {
				t.Errorf("listing_budget %d, want %d", got, tt.budgeted)
			}
		})
	}
}
