package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"baoscope/crawler"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/sites"
)

// newest is the publication time of the newest version in the corpus.
func newest(c *sample.Corpus) time.Time {
	var t time.Time
	for rep := range c.All() {
		for _, v := range rep.Versions {
			if v.Published.After(t) {
				t = v.Published
			}
		}
	}
	return t
}

func crawlOnce(t *testing.T, p *pipeline.Pipeline, cfg crawler.Config) *pipeline.Summary {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sum, err := p.Crawl(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// articleRequests keeps the requests for originals and translations.
func articleRequests(m *mirror, reqs []string) []string {
	var out []string
	for _, r := range reqs {
		switch {
		case strings.HasPrefix(r, m.BaoLamDongURL):
			if _, ok := sites.ParseArticlePath(strings.TrimPrefix(r, m.BaoLamDongURL)); ok {
				out = append(out, r)
			}
		case strings.HasPrefix(r, m.VietnamVNURL):
			if _, _, ok := sites.ParseTranslationPath(strings.TrimPrefix(r, m.VietnamVNURL)); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// TestIncrementalRecrawl runs the same crawl three times over one data
// directory: the second run revalidates only recent pages (a corrected
// one is replaced, the others answer 304) and asks no remembered 404
// again; the third, six weeks later, revalidates nothing and asks the
// 404s again.
func TestIncrementalRecrawl(t *testing.T) {
	c := smallCorpus(t)
	m := startMirror(t, c, sample.Options{Faults: []sample.Fault{sample.FaultRevised}})
	p := openPipe(t, t.TempDir(), false, nil)
	cfg := faultConfig(m, &dialLog{})
	// Every language is guessed for every original (the sitemaps list
	// every translation, so nothing else would be): the 404 memory needs
	// misses.
	cfg.GuessAll = true
	// The fault original is dated an hour after the newest report: two
	// days later, it and the newest report's versions are recent.
	now := newest(c).Add(48 * time.Hour)
	cfg.Now = func() time.Time { return now }

	first := crawlOnce(t, p, cfg)
	m.requests()
	stored, _ := p.Store().Count()
	notFound := first.Crawl.Count(model.SiteVietnamVN, crawler.CountNotFound)
	if notFound == 0 {
		t.Fatal("first crawl met no 404 candidates; the test needs some")
	}
	if got := first.Crawl.Count(model.SiteBaoLamDong, crawler.CountNew) + first.Crawl.Count(model.SiteVietnamVN, crawler.CountNew); got != stored {
		t.Errorf("first crawl: %d new, %d stored", got, stored)
	}

	// Which stored pages are recent, by their own publication time.
	var recent []string
	err := p.Store().Each(func(d *model.Document) error {
		if now.Sub(d.Published) < crawler.DefaultRevalidate {
			recent = append(recent, d.URL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d stored, %d recent, %d candidates not found", stored, len(recent), notFound)
	revised := m.BaoLamDongURL + faultPath(t, m, sample.FaultRevised)
	if !slices.Contains(recent, revised) || len(recent) < 2 {
		t.Fatalf("recent pages %v: want the revised page and at least one other", recent)
	}

	t.Run("second run revalidates recent pages only", func(t *testing.T) {
		sum := crawlOnce(t, p, cfg)
		got := articleRequests(m, m.requests())
		slices.Sort(got)
		slices.Sort(recent)
		if !slices.Equal(got, recent) {
			t.Errorf("article requests %v, want exactly the recent pages %v", got, recent)
		}
		cs := sum.Crawl
		total := func(counter crawler.Count) int {
			return cs.Count(model.SiteBaoLamDong, counter) + cs.Count(model.SiteVietnamVN, counter)
		}
		for _, tc := range []struct {
			counter crawler.Count
			want    int
		}{
			{crawler.CountFetched, 1}, // the corrected page, 200
			{crawler.CountUpdated, 1},
			{crawler.CountNew, 0},
			{crawler.CountUnchanged, len(recent) - 1}, // 304
			{crawler.CountStored, stored - len(recent)},
			{crawler.CountRemembered404, notFound},
			{crawler.CountNotFound, 0},
		} {
			if got := total(tc.counter); got != tc.want {
				t.Errorf("%s = %d, want %d", tc.counter, got, tc.want)
			}
		}
		d, err := p.Store().Get(revised)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(d.Body, "\n"), "7,4%") {
			t.Errorf("the corrected text was not stored: %q", d.Body)
		}
		if !indexHolds(t, p, revised, "7,4%") {
			t.Error("the index still has the uncorrected text")
		}
		if n, _ := p.Index().Count(); int(n) != stored {
			t.Errorf("index holds %d documents, want %d", n, stored)
		}
	})

	t.Run("six weeks later", func(t *testing.T) {
		later := now.Add(42 * 24 * time.Hour)
		cfg := cfg
		cfg.Now = func() time.Time { return later }
		sum := crawlOnce(t, p, cfg)
		got := articleRequests(m, m.requests())
		cs := sum.Crawl
		if n := cs.Count(model.SiteVietnamVN, crawler.CountNotFound); n != notFound || len(got) != notFound {
			t.Errorf("404 candidates asked again: %d not found in %d article requests, want %d", n, len(got), notFound)
		}
		if n := cs.Count(model.SiteBaoLamDong, crawler.CountStored) + cs.Count(model.SiteVietnamVN, crawler.CountStored); n != stored {
			t.Errorf("already_stored = %d, want %d", n, stored)
		}
	})
}

// faultPath is the path of a fault's first page.
func faultPath(t *testing.T, m *mirror, f sample.Fault) string {
	t.Helper()
	for _, p := range m.Site.FaultPages() {
		if p.Fault == f {
			return p.Path
		}
	}
	t.Fatalf("no page for fault %s", f)
	return ""
}

// indexHolds reports whether the text of the document at u, as the index
// gives it back from its stored fields, contains s.
func indexHolds(t *testing.T, p *pipeline.Pipeline, u, s string) bool {
	t.Helper()
	doc, err := p.Index().Document(context.Background(), u)
	if err != nil || doc == nil {
		t.Fatalf("index document %s: %v", u, err)
	}
	return strings.Contains(doc.Text(), s)
}

// TestSinceBoundsDiscovery crawls with Since between the corpus's dates:
// every original is still found (the listings show no dates), but
// translations are looked for only when the original or the translation
// itself is not older than Since.
func TestSinceBoundsDiscovery(t *testing.T) {
	c := smallCorpus(t)
	m := startMirror(t, c, sample.Options{})
	p := openPipe(t, t.TempDir(), false, nil)
	cfg := faultConfig(m, &dialLog{})
	var dates []time.Time
	for rep := range c.All() {
		dates = append(dates, rep.Published)
	}
	slices.SortFunc(dates, time.Time.Compare)
	since := dates[len(dates)/2].Add(48 * time.Hour)
	cfg.Since = since
	crawlOnce(t, p, cfg)

	old := func(t time.Time) bool { return t.Before(since.Add(-24 * time.Hour)) }
	var want, excluded []string
	for rep := range c.All() {
		want = append(want, m.BaoLamDongURL+rep.Path())
		for _, v := range rep.Versions[1:] {
			u := m.VietnamVNURL + sites.TranslationPath(v.Lang, rep.Slug)
			if old(rep.Published) && old(v.Published) {
				excluded = append(excluded, u)
				continue
			}
			want = append(want, u)
		}
	}
	if len(excluded) == 0 {
		t.Fatal("Since excludes nothing; pick another date")
	}
	var got []string
	err := p.Store().Each(func(d *model.Document) error {
		got = append(got, d.URL)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("stored %v\nwant %v (excluded %v)", got, want, excluded)
	}
}
