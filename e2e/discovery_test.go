package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"baoscope/crawler"
	"baoscope/sample"
	"baoscope/sites"
)

// TestDiscoveryRequestCounts crawls the bundled corpus (100 reports, 707
// translations, one unlinked page) as the mirror serves it with complete
// sitemaps and with two faults, and counts what the mirror answered: the
// politeness budget goes to documents, every translation is still found.
// The counts are exact: they change only when the crawl's discovery does
// (docs/crawler.md has them, and how they were measured).
func TestDiscoveryRequestCounts(t *testing.T) {
	tests := []struct {
		name     string
		opts     sample.Options
		requests int // answered by the two mirrors, robots.txt included
		notFound int
		docs     int // stored
		guessed  int // new documents found by guessing their URL
	}{
		// Every translation is in the sitemaps: no guess at all.
		{"complete sitemaps", sample.Options{}, 941, 0, 808, 0},
		// The newest day's translations are not in the sitemaps yet: the
		// originals the sitemaps do not cover are guessed, in the
		// languages the sitemaps show to be translated.
		{"held-back day", sample.Options{HeldBackDays: 1}, 940, 0, 808, 11},
		// No translation sitemap: every translation is guessed; the five
		// languages the corpus never translates into are dropped after 73
		// misses each (Wilson upper bound below 0.05). The unlinked page,
		// listed only in a sitemap, cannot be found.
		{"no translation sitemaps", sample.Options{NoTranslationSitemaps: true}, 1614, 759, 807, 707},
		// A crawler trap (issue 16): every section's listing goes on for
		// ever past its last page, repeating it. Three pages without a new
		// article end each of the five paginations.
		{"endless listing", sample.Options{EndlessListing: true}, 941 + 5*3, 0, 808, 0},
	}
	corpus, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startMirror(t, corpus, tt.opts)
			pipe := openPipe(t, t.TempDir(), false, slog.New(slog.DiscardHandler))
			blog, _ := url.Parse(srv.BaoLamDongURL)
			vnvn, _ := url.Parse(srv.VietnamVNURL)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			sum, err := pipe.Crawl(ctx, crawler.Config{BaoLamDong: blog, VietnamVN: vnvn, Parallel: 4})
			if err != nil {
				t.Fatal(err)
			}
			reqs := srv.Site.Requests()
			if got, got404 := reqs.Total(0), reqs.Total(http.StatusNotFound); got != tt.requests || got404 != tt.notFound {
				t.Errorf("mirror answered %d requests, %d of them 404; want %d and %d (%s)", got, got404, tt.requests, tt.notFound, reqs)
			}
			if int(sum.Crawl.Fetches) != reqs.Total(0) {
				t.Errorf("the crawl counted %d requests, the mirror %d", sum.Crawl.Fetches, reqs.Total(0))
			}
			// Which of a sitemap, a listing or a link names an original
			// first depends on the workers' timing; guesses do not.
			bySource := 0
			for _, n := range sum.Crawl.Sources {
				bySource += n
			}
			if got := sum.Crawl.Sources["guess"]; got != tt.guessed || bySource != tt.docs {
				t.Errorf("new documents by source %v: %d guessed, %d in all; want %d and %d", sum.Crawl.Sources, got, bySource, tt.guessed, tt.docs)
			}
			missing := 0
			for rep := range corpus.All() {
				for _, v := range rep.Versions {
					u := srv.BaoLamDongURL + rep.Path()
					if v.Lang != "vi" {
						u = srv.VietnamVNURL + sites.TranslationPath(v.Lang, rep.Slug)
					}
					if _, ok := pipe.Store().Published(u); !ok {
						missing++
						t.Errorf("%s version of report %s not stored (%s)", v.Lang, rep.ID, u)
					}
				}
			}
			st, err := pipe.Index().Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Documents != tt.docs || missing > 0 {
				t.Errorf("%d documents indexed, %d versions missing; want %d and none", st.Documents, missing, tt.docs)
			}
			g := sum.Crawl.Guesses
			if tt.opts.NoTranslationSitemaps {
				if it := g["it"]; it.Guesses != 73 || it.Hits != 0 || it.Guessed {
					t.Errorf("it: %+v, want 73 guesses, no hit, dropped", it)
				}
				if en := g["en"]; en.Guesses != 100 || en.Hits != 79 || !en.Guessed {
					t.Errorf("en: %+v, want 79 hits of 100 guesses, still guessed", en)
				}
			}
		})
	}
}
