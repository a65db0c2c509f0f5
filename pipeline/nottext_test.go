package pipeline

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"baoscope/crawler"
	"baoscope/model"
	"baoscope/sample"
	"baoscope/store"
)

// TestNotTextIsRefused crawls a generated mirror whose first original is
// replaced by 200 KB of random bytes served as text/html (issue 16: it
// was indexed with an empty title and a garbage body). The page is a
// failure of the crawl under not_text, counted among the documents, and neither
// stored nor indexed; every other page is.
func TestNotTextIsRefused(t *testing.T) {
	c, err := sample.Generate(sample.GenerateOptions{Reports: 3, Langs: 1, Seed: 16})
	if err != nil {
		t.Fatal(err)
	}
	site, err := sample.New(c, sample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	noisy := c.At(0).Path()
	noise := make([]byte, 200<<10)
	r := rand.New(rand.NewPCG(16, 0))
	for i := range noise {
		noise[i] = byte(r.UintN(256))
	}
	bld := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == noisy {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(noise)
			return
		}
		site.BaoLamDong().ServeHTTP(w, r)
	}))
	defer bld.Close()
	vn := httptest.NewServer(site.VietnamVN())
	defer vn.Close()
	blu, _ := url.Parse(bld.URL)
	vnu, _ := url.Parse(vn.URL)

	p := open(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sum, err := p.Crawl(ctx, crawler.Config{BaoLamDong: blu, VietnamVN: vnu, Parallel: 4, Timeout: 5 * time.Second, MaxRetries: 1, RetryBase: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Crawl.Failures[model.SiteBaoLamDong][string(CountNotText)]; got != 1 {
		t.Errorf("not_text failures = %d (failures %v), want 1", got, sum.Crawl.Failures)
	}
	counted := 0
	for _, m := range sum.Langs {
		counted += m[string(CountNotText)]
	}
	if counted != 1 {
		t.Errorf("documents not_text = %d (%v), want 1", counted, sum.Langs)
	}
	if f := sum.Crawl.Failed; len(f) != 1 || f[0].Reason != string(CountNotText) || f[0].URL != bld.URL+noisy {
		t.Errorf("failed URLs %+v, want the noise page as not_text", f)
	}
	if doc, err := p.Store().Get(bld.URL + noisy); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the noise page was stored: %v %+v", err, doc)
	}
	n, _ := p.Store().Count()
	ix, _ := p.Index().Count()
	if want := c.Pages() - 1; n != want || int(ix) != want {
		t.Errorf("stored %d, indexed %d; want every page but the noise: %d", n, ix, want)
	}
}
