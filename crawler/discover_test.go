package crawler

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"baoscope/model"
)

// discovered runs fn against a fresh frontier and returns what it queued
// for site, in order.
func discovered(c *Crawler, site string, fn func(f *frontier)) []string {
	f := newFrontier([]string{model.SiteBaoLamDong, model.SiteVietnamVN}, func(task, int) (task, bool) { return task{}, false }, nil)
	fn(f)
	var out []string
	for f.queues[site].len() > 0 {
		t, _ := f.pop(context.Background(), site)
		out = append(out, t.url)
		f.done(t)
	}
	return out
}

func sinceCrawler(t *testing.T, since string) *Crawler {
	t.Helper()
	b, _ := url.Parse("https://baolamdong.vn")
	v, _ := url.Parse("https://www.vietnam.vn")
	cfg := Config{BaoLamDong: b, VietnamVN: v}
	if since != "" {
		cfg.Since, _ = time.Parse("2006-01-02", since)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSinceBoundsSitemapsFeedsAndListings(t *testing.T) {
	sitemap := `<urlset>
<url><loc>https://baolamdong.vn/old-100001.html</loc><lastmod>2025-01-05T08:00:00+07:00</lastmod></url>
<url><loc>https://baolamdong.vn/day-before-100002.html</loc><lastmod>2025-02-28</lastmod></url>
<url><loc>https://baolamdong.vn/new-100003.html</loc><lastmod>2025-03-02T08:00:00+07:00</lastmod></url>
<url><loc>https://baolamdong.vn/undated-100004.html</loc></url>
</urlset>`
	feed := `<rss><channel>
<item><link>https://baolamdong.vn/old-100001.html</link><pubDate>Sun, 05 Jan 2025 08:00:00 +0700</pubDate></item>
<item><link>https://baolamdong.vn/new-100003.html</link><pubDate>Sun, 02 Mar 2025 08:00:00 +0700</pubDate></item>
</channel></rss>`
	listing := func(date string) string {
		return `<html><body><ul class="article-list">
<li><a href="/a-100005.html">a</a> <time datetime="` + date + `">x</time></li>
</ul><a rel="next" href="/kinh-te/?page=2">next</a></body></html>`
	}
	base, _ := url.Parse("https://baolamdong.vn/kinh-te/")
	tests := []struct {
		name, since string
		run         func(c *Crawler, f *frontier)
		want        []string
	}{
		{"sitemap without since", "", func(c *Crawler, f *frontier) { _ = c.discoverSitemap(f, []byte(sitemap), nil) },
			[]string{"old-100001", "day-before-100002", "new-100003", "undated-100004"}},
		{"sitemap since", "2025-03-01", func(c *Crawler, f *frontier) { _ = c.discoverSitemap(f, []byte(sitemap), nil) },
			[]string{"day-before-100002", "new-100003", "undated-100004"}},
		{"feed since", "2025-03-01", func(c *Crawler, f *frontier) { _ = c.discoverFeed(f, []byte(feed)) },
			[]string{"new-100003"}},
		{"listing with recent items goes on", "2025-03-01", func(c *Crawler, f *frontier) {
			c.discoverHTML(f, base, []byte(listing("2025-03-05T10:00:00+07:00")), &listingPage{})
		}, []string{"a-100005", "kinh-te/?page=2"}},
		{"listing of old items stops", "2025-03-01", func(c *Crawler, f *frontier) {
			c.discoverHTML(f, base, []byte(listing("2025-01-05T10:00:00+07:00")), &listingPage{})
		}, []string{"a-100005"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sinceCrawler(t, tt.since)
			got := discovered(c, model.SiteBaoLamDong, func(f *frontier) { tt.run(c, f) })
			var short []string
			for _, u := range got {
				short = append(short, strings.TrimSuffix(strings.TrimPrefix(u, "https://baolamdong.vn/"), ".html"))
			}
			if !slices.Equal(short, tt.want) {
				t.Errorf("queued %v, want %v", short, tt.want)
			}
		})
	}
}

func TestMalformedSitemapIsAnError(t *testing.T) {
	c := sinceCrawler(t, "")
	var err error
	discovered(c, model.SiteBaoLamDong, func(f *frontier) { err = c.discoverSitemap(f, []byte("<urlset><url>"), nil) })
	if reasonOf(err) != "malformed" {
		t.Errorf("err %v", err)
	}
}
