package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"baoscope/model"
	"baoscope/search"
)

type errorBody struct {
	Error struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Position *int   `json:"position"`
		Param    string `json:"param"`
	} `json:"error"`
}

func decode[T any](t *testing.T, resp *http.Response) T {
	t.Helper()
	var v T
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("%s: decode: %v", resp.Request.URL, err)
	}
	return v
}

func TestSearchGroupsByReport(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong+No")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	res := decode[model.Result](t, resp)
	var hit *model.ReportHit
	for i := range res.Reports {
		if res.Reports[i].ReportID == "396102" {
			if hit != nil {
				t.Fatal("report 396102 listed twice")
			}
			hit = &res.Reports[i]
		}
	}
	if hit == nil {
		t.Fatalf("396102 not found: %+v", res.Reports)
	}
	var langs []string
	for _, v := range hit.Versions {
		langs = append(langs, v.Lang)
	}
	slices.Sort(langs)
	if want := []string{"ar", "en", "ko", "vi"}; !slices.Equal(langs, want) {
		t.Errorf("versions %v, want %v", langs, want)
	}
	for _, m := range hit.Matched {
		if !strings.Contains(m.Snippet, "<mark>") {
			t.Errorf("%s snippet without a highlight: %q", m.Lang, m.Snippet)
		}
	}
}

func TestAPIErrors(t *testing.T) {
	svc := newFixtureService(t)
	_, ts := newTestServer(t, svc, Options{MaxQueryBytes: 2048})
	tests := []struct {
		name, method, path string
		status             int
		code, param        string
		position           int // -1: none expected
	}{
		{"unterminated phrase", "GET", "/api/v1/search?q=" + url.QueryEscape(`Krong "No`), 400, "bad_query", "q", 6},
		{"punctuation only", "GET", "/api/v1/search?q=" + url.QueryEscape("– !"), 400, "bad_query", "q", 0},
		{"size above cap", "GET", "/api/v1/search?q=a&size=101", 400, "bad_parameter", "size", -1},
		{"size zero", "GET", "/api/v1/search?q=a&size=0", 400, "bad_parameter", "size", -1},
		{"size not a number", "GET", "/api/v1/search?q=a&size=ten", 400, "bad_parameter", "size", -1},
		{"unknown parameter", "GET", "/api/v1/search?q=a&langs=ko", 400, "bad_parameter", "langs", -1},
		{"bad language", "GET", "/api/v1/search?q=a&lang=k!", 400, "bad_parameter", "lang", -1},
		{"bad sort", "GET", "/api/v1/search?q=a&sort=random", 400, "bad_parameter", "sort", -1},
		{"bad format", "GET", "/api/v1/search?q=a&format=xml", 400, "bad_parameter", "format", -1},
		{"bad date", "GET", "/api/v1/search?q=a&from=15/08/2025", 400, "bad_parameter", "from", -1},
		{"reversed dates", "GET", "/api/v1/search?q=a&from=2025-09-01&to=2025-08-01", 400, "bad_parameter", "to", -1},
		{"bad originals", "GET", "/api/v1/search?q=a&originals=maybe", 400, "bad_parameter", "originals", -1},
		{"bad cursor", "GET", "/api/v1/search?q=a&cursor=%21%21", 400, "bad_parameter", "cursor", -1},
		{"no such report", "GET", "/api/v1/reports/123", 404, "not_found", "", -1},
		{"no such route", "GET", "/api/v1/nope", 404, "not_found", "", -1},
		{"wrong method", "POST", "/api/v1/search?q=a", 405, "method_not_allowed", "", -1},
		{"query string too long", "GET", "/api/v1/search?q=" + strings.Repeat("a", 3000), 414, "uri_too_long", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			body := decode[errorBody](t, resp)
			if body.Error.Code != tt.code || body.Error.Message == "" {
				t.Errorf("error %+v, want code %s with a message", body.Error, tt.code)
			}
			if tt.param != "" && body.Error.Param != tt.param {
				t.Errorf("param %q, want %q", body.Error.Param, tt.param)
			}
			switch {
			case tt.position >= 0 && (body.Error.Position == nil || *body.Error.Position != tt.position):
				t.Errorf("position %v, want %d", body.Error.Position, tt.position)
			case tt.position < 0 && body.Error.Position != nil:
				t.Errorf("position %d, want none", *body.Error.Position)
			}
			if tt.status == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

func TestRequestBodyCap(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{MaxRequestBytes: 1024})
	resp, err := http.Post(ts.URL+"/api/v1/search?q=a", "text/plain", strings.NewReader(strings.Repeat("x", 4096)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
}

// slowService answers like the real one, but only after delay or when
// its context ends, whichever is first.
type slowService struct {
	search.Service
	delay time.Duration
	calls int
}

func (s *slowService) Search(ctx context.Context, q model.Query) (*model.Result, error) {
	s.calls++
	select {
	case <-time.After(s.delay):
		return s.Service.Search(ctx, q)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func TestQueryTimeout(t *testing.T) {
	svc := &slowService{Service: newFixtureService(t), delay: time.Minute}
	_, ts := newTestServer(t, svc, Options{QueryTimeout: 50 * time.Millisecond})
	resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", resp.StatusCode)
	}
	if body := decode[errorBody](t, resp); body.Error.Code != "timeout" {
		t.Errorf("code %q, want timeout", body.Error.Code)
	}
}

func TestReport(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	rep := decode[model.Report](t, mustGet(t, ts.URL+"/api/v1/reports/396102"))
	if rep.ID != "396102" || len(rep.Documents) != 4 {
		t.Fatalf("report %s with %d documents, want 396102 with 4", rep.ID, len(rep.Documents))
	}
	if d := rep.Documents[0]; !d.IsOriginal || len(d.Body) != 3 || d.Lead == "" {
		t.Errorf("first document %+v, want the original with lead and 3 paragraphs", d)
	}
}

func TestStats(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	st := decode[struct {
		model.Stats
		LastCrawl *CrawlInfo `json:"last_crawl"`
	}](t, mustGet(t, ts.URL+"/api/v1/stats"))
	if st.Documents != len(fixtureDocs()) || st.Reports != 3 || st.Unlinked != 1 {
		t.Errorf("stats %+v, want %d documents, 3 reports, 1 unlinked", st.Stats, len(fixtureDocs()))
	}
	if st.BySite[model.SiteVietnamVN] != 6 {
		t.Errorf("by_site %v", st.BySite)
	}
	if st.LastCrawl == nil || st.LastCrawl.Finished.IsZero() || st.LastCrawl.Sites["vietnam.vn"].Failures["network"] != 1 {
		t.Errorf("last_crawl %+v", st.LastCrawl)
	}

	// No crawl recorded: last_crawl is null; a broken store is a 500.
	for _, tt := range []struct {
		name   string
		fn     func(context.Context) (*CrawlInfo, error)
		status int
	}{
		{"none", func(context.Context) (*CrawlInfo, error) { return nil, nil }, 200},
		{"broken", func(context.Context) (*CrawlInfo, error) { return nil, errors.New("disk on fire") }, 500},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, newFixtureService(t), Options{LastCrawl: tt.fn})
			resp := mustGet(t, ts.URL+"/api/v1/stats")
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			if tt.status == 200 && !strings.Contains(string(b), `"last_crawl":null`) {
				t.Errorf("want last_crawl null: %s", b)
			}
			if strings.Contains(string(b), "disk on fire") {
				t.Error("internal error leaked to the client")
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	var open atomic.Bool
	_, ts := newTestServer(t, newFixtureService(t), Options{Ready: func(context.Context) error {
		if !open.Load() {
			return errors.New("index not open")
		}
		return nil
	}})
	if resp := mustGet(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz %d", resp.StatusCode)
	}
	resp := mustGet(t, ts.URL+"/readyz")
	if resp.StatusCode != 503 || decode[errorBody](t, resp).Error.Code != "not_ready" {
		t.Errorf("readyz while not ready: %d", resp.StatusCode)
	}
	open.Store(true)
	if resp := mustGet(t, ts.URL+"/readyz"); resp.StatusCode != 200 {
		t.Errorf("readyz when ready: %d", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	for _, p := range []string{"/", "/?q=Krong", "/reports/396102", "/api/v1/search?q=Krong", "/nope"} {
		resp := mustGet(t, ts.URL+p)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
	}
}

func TestMetrics(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	mustGet(t, ts.URL+"/api/v1/search?q=Krong")
	mustGet(t, ts.URL+"/api/v1/reports/396102")
	mustGet(t, ts.URL+"/api/v1/reports/nope")
	mustGet(t, ts.URL+"/nowhere")
	resp := mustGet(t, ts.URL+"/metrics")
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	for _, want := range []string{
		`baoscope_http_requests_total{code="200",method="get",route="GET /api/v1/search"} 1`,
		`baoscope_http_requests_total{code="200",method="get",route="GET /api/v1/reports/{id}"} 1`,
		`baoscope_http_requests_total{code="404",method="get",route="GET /api/v1/reports/{id}"} 1`,
		`baoscope_http_requests_total{code="404",method="",route="unmatched"} 1`,
		`baoscope_http_request_duration_seconds_count{method="get",route="GET /api/v1/search"} 1`,
		`baoscope_index_size_bytes 4096`,
		`baoscope_index_documents{lang="vi"} 3`,
		`baoscope_index_documents{lang="ko"} 2`,
		`baoscope_index_reports 3`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
