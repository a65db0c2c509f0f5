package sample

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"baoscope/sites"
)

func TestFaultLists(t *testing.T) {
	all := AllFaults()
	for _, f := range Faults() {
		if slices.Contains(TransportFaults(), f) {
			t.Errorf("%s is both a page and a transport fault", f)
		}
	}
	if len(all) != len(Faults())+len(TransportFaults()) {
		t.Error("AllFaults is not the union")
	}
	c := testCorpus(t)
	s := newSite(t, c, Options{Faults: all})
	paths := map[string]bool{}
	for _, fp := range s.FaultPages() {
		key := fp.Site + fp.Path
		if paths[key] {
			t.Errorf("two fault pages at %s", key)
		}
		paths[key] = true
		if a, ok := sites.ParseArticlePath(fp.Path); ok && a.ID != "" && fp.ReportID != a.ID {
			t.Errorf("%s: ReportID %q", fp.Path, fp.ReportID)
		}
	}
	// Fault originals sit on the second section's first listing page, so
	// that the first section's (pinned by the golden files) is unchanged.
	second := c.Sections()[1].Slug
	links := parsePage(t, get(t, s.BaoLamDong(), testBaoHost, "/"+second+"/")).links("article-list")
	for _, fp := range s.FaultPages() {
		if _, ok := sites.ParseArticlePath(fp.Path); ok && fp.Fault != FaultRobotsDisallowed && fp.Site == "baolamdong.vn" &&
			!slices.Contains(links, fp.Path) {
			t.Errorf("%s (%s) not linked from /%s/", fp.Path, fp.Fault, second)
		}
	}
	for _, f := range []Fault{"slow", "nope"} {
		if _, err := New(c, Options{Faults: []Fault{f}}); !errors.Is(err, ErrBadOptions) {
			t.Errorf("fault %q accepted", f)
		}
	}
}

// serve starts the mirror with the given faults on loopback; transport
// faults need a real connection.
func serve(t *testing.T, opts Options) (*Site, *httptest.Server, *httptest.Server) {
	t.Helper()
	s := newSite(t, testCorpus(t), opts)
	bld := httptest.NewServer(s.BaoLamDong())
	vn := httptest.NewServer(s.VietnamVN())
	t.Cleanup(func() { bld.Close(); vn.Close() })
	return s, bld, vn
}

func pageOf(t *testing.T, s *Site, f Fault, i int) FaultPage {
	t.Helper()
	var ps []FaultPage
	for _, p := range s.FaultPages() {
		if p.Fault == f {
			ps = append(ps, p)
		}
	}
	if i >= len(ps) {
		t.Fatalf("fault %s has %d pages", f, len(ps))
	}
	return ps[i]
}

// noRedirects is a client that shows redirects instead of following
// them.
func noRedirects(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func do(t *testing.T, c *http.Client, u string, hdr http.Header) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestTransportFaultsOnTheWire(t *testing.T) {
	s, bld, _ := serve(t, Options{Faults: TransportFaults(), SlowDelay: 300 * time.Millisecond, LargeBody: 100_000})
	c := noRedirects(5 * time.Second)
	url := func(f Fault, i int) string { return bld.URL + pageOf(t, s, f, i).Path }

	t.Run("rate limited", func(t *testing.T) {
		for range 2 { // the second comes too soon
			resp, _, err := do(t, c, url(FaultRateLimited, 0), nil)
			if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
				t.Fatalf("resp %+v err %v", resp, err)
			}
		}
	})
	t.Run("server error then OK", func(t *testing.T) {
		for _, want := range []int{500, 200, 200} {
			resp, _, err := do(t, c, url(FaultServerError, 0), nil)
			if err != nil || resp.StatusCode != want {
				t.Fatalf("status %v err %v, want %d", resp, err, want)
			}
		}
	})
	t.Run("slow", func(t *testing.T) {
		// The slower page waits 300ms: a client that gives up after 50ms
		// gets nothing; the other waits 30ms, well within a second.
		if _, _, err := do(t, noRedirects(50*time.Millisecond), url(FaultSlowResponse, 0), nil); err == nil {
			t.Error("the slow page answered within 50ms")
		}
		if resp, _, err := do(t, noRedirects(5*time.Second), url(FaultSlowResponse, 1), nil); err != nil || resp.StatusCode != 200 {
			t.Errorf("the less slow page: %v %v", resp, err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		_, _, err := do(t, c, url(FaultTruncatedBody, 0), nil)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("err %v, want unexpected EOF", err)
		}
	})
	t.Run("too large", func(t *testing.T) {
		for i, wantLen := range []string{"100000", ""} {
			resp, body, err := do(t, c, url(FaultTooLarge, i), nil)
			if err != nil || len(body) != 100_000 || resp.Header.Get("Content-Length") != wantLen {
				t.Errorf("page %d: %d bytes, Content-Length %q, err %v", i, len(body), resp.Header.Get("Content-Length"), err)
			}
			if !strings.Contains(string(body), `<article class="article-detail">`) {
				t.Errorf("page %d is not an article", i)
			}
		}
	})
	t.Run("redirect loop", func(t *testing.T) {
		a, b := pageOf(t, s, FaultRedirectLoop, 0).Path, pageOf(t, s, FaultRedirectLoop, 1).Path
		for from, to := range map[string]string{a: b, b: a} {
			resp, _, err := do(t, c, bld.URL+from, nil)
			if err != nil || resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != to {
				t.Errorf("%s: %v %v", from, resp, err)
			}
		}
	})
	t.Run("redirect off host", func(t *testing.T) {
		for i, want := range []string{"http://127.0.0.1:1/", "http://10.0.0.1/", "http://169.254.169.254/"} {
			resp, _, err := do(t, c, url(FaultRedirectOffHost, i), nil)
			if err != nil || !strings.HasPrefix(resp.Header.Get("Location"), want) {
				t.Errorf("page %d: %v %v", i, resp, err)
			}
		}
	})
	if h := s.FaultHits(FaultServerError); h != 3 {
		t.Errorf("FaultHits = %d, want 3", h)
	}
}

func TestPageFaults(t *testing.T) {
	s, bld, vn := serve(t, Options{Faults: Faults()})
	c := noRedirects(5 * time.Second)
	get := func(p FaultPage) (*http.Response, []byte) {
		base := bld.URL
		if p.Site == "vietnam.vn" {
			base = vn.URL
		}
		resp, body, err := do(t, c, base+p.Path, nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p.Path, resp, err)
		}
		return resp, body
	}
	t.Run("legacy charsets", func(t *testing.T) {
		want := map[string]struct{ contentType, meta string }{
			"vi": {"text/html; charset=windows-1258", `<meta charset="windows-1258">`},
			"ru": {"text/html", `content="text/html; charset=windows-1251"`},
			"fr": {"text/html; charset=iso-8859-1", ""},
		}
		for i := range 3 {
			p := pageOf(t, s, FaultLegacyCharsets, i)
			resp, body := get(p)
			w := want[p.Lang]
			if ct := resp.Header.Get("Content-Type"); ct != w.contentType {
				t.Errorf("%s: Content-Type %q, want %q", p.Lang, ct, w.contentType)
			}
			if w.meta != "" && !strings.Contains(string(body), w.meta) {
				t.Errorf("%s: no %s", p.Lang, w.meta)
			}
			if valid := utf8.Valid(body); valid != (p.Lang == "fr") {
				t.Errorf("%s: valid UTF-8 = %v", p.Lang, valid)
			}
		}
		// Windows-1258 writes the tone marks as combining characters.
		_, body := get(pageOf(t, s, FaultLegacyCharsets, 0))
		// Byte by byte: as a string of characters the set would be five
		// invalid runes, and ContainsAny would match any invalid byte.
		if !slices.ContainsFunc([]byte{0xcc, 0xec, 0xd2, 0xde, 0xf2}, func(b byte) bool { return bytes.IndexByte(body, b) >= 0 }) {
			t.Error("windows-1258 page without combining tone marks")
		}
	})
	t.Run("malformed", func(t *testing.T) {
		_, body := get(pageOf(t, s, FaultMalformedHTML, 0))
		if strings.Contains(string(body), "</p>") || strings.Contains(string(body), "</html>") {
			t.Error("malformed page is well formed")
		}
	})
	t.Run("off-host links", func(t *testing.T) {
		_, body := get(pageOf(t, s, FaultOffHostLinks, 0))
		for _, u := range offHostTargets() {
			if !strings.Contains(string(body), `href="`+u+`"`) {
				t.Errorf("no link to %s", u)
			}
		}
	})
	t.Run("missing source", func(t *testing.T) {
		orig, tr := pageOf(t, s, FaultMissingSource, 0), pageOf(t, s, FaultMissingSource, 1)
		a, _ := sites.ParseArticlePath(orig.Path)
		if tr.Path != sites.TranslationPath("en", a.Slug) || tr.ReportID != "" {
			t.Errorf("translation %+v of %+v", tr, orig)
		}
		_, body := get(tr)
		if strings.Contains(string(body), "post-source") {
			t.Error("the page has a source line")
		}
	})
	t.Run("revised", func(t *testing.T) {
		p := pageOf(t, s, FaultRevised, 0)
		_, first := get(p)
		_, second := get(p)
		if string(first) == string(second) || !strings.Contains(string(second), revisedParagraph) {
			t.Error("the second answer is not the corrected page")
		}
	})
}

func TestETagRevalidation(t *testing.T) {
	_, bld, _ := serve(t, Options{})
	c := noRedirects(5 * time.Second)
	u := bld.URL + krongNoPath
	resp, body, err := do(t, c, u, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	}
	etag := resp.Header.Get("ETag")
	if !strings.HasPrefix(etag, `"`) || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Fatalf("ETag %q, Content-Length %q", etag, resp.Header.Get("Content-Length"))
	}
	tests := []struct {
		name, inm string
		want      int
	}{
		{"match", etag, http.StatusNotModified},
		{"weak match", "W/" + etag, http.StatusNotModified},
		{"in a list", `"other", ` + etag, http.StatusNotModified},
		{"star", "*", http.StatusNotModified},
		{"stale", `"other"`, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body, err := do(t, c, u, http.Header{"If-None-Match": {tt.inm}})
			if err != nil || resp.StatusCode != tt.want {
				t.Fatalf("status %v err %v, want %d", resp, err, tt.want)
			}
			if tt.want == http.StatusNotModified && len(body) != 0 {
				t.Error("304 with a body")
			}
		})
	}
	resp, _, _ = do(t, c, bld.URL+"/khong-co", http.Header{"If-None-Match": {"*"}})
	if resp.StatusCode != 404 || resp.Header.Get("ETag") != "" {
		t.Errorf("404 page: status %d ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
}
