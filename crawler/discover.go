package crawler

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"baoscope/sites"
)

// robotsSitemaps returns the Sitemap: lines of a robots.txt.
func robotsSitemaps(body []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, ':'); i > 0 && strings.EqualFold(strings.TrimSpace(line[:i]), "sitemap") {
			if v := strings.TrimSpace(line[i+1:]); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// sitemapDoc decodes both a sitemap index and a urlset: they differ only
// in the element names.
type sitemapDoc struct {
	XMLName  xml.Name
	Sitemaps []sitemapEntry `xml:"sitemap"`
	URLs     []sitemapEntry `xml:"url"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
}

func (c *Crawler) discoverSitemap(f *frontier, body []byte) {
	var doc sitemapDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		c.log.Warn("bad sitemap", "err", err)
		return
	}
	for _, e := range doc.Sitemaps {
		if c.tooOld(e.LastMod) {
			continue
		}
		c.enqueue(f, e.Loc, KindSitemap)
	}
	for _, e := range doc.URLs {
		if c.tooOld(e.LastMod) {
			continue
		}
		c.enqueue(f, e.Loc, articlesOnly)
	}
}

// tooOld applies --since to a sitemap lastmod; entries without a date are
// kept, since skipping them could lose reports.
func (c *Crawler) tooOld(lastmod string) bool {
	if c.cfg.Since.IsZero() || lastmod == "" {
		return false
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(lastmod)); err == nil {
			// A day-precision lastmod on the --since day itself is kept.
			return t.Before(c.cfg.Since.Add(-24 * time.Hour))
		}
	}
	return false
}

type rssDoc struct {
	Items []struct {
		Link string `xml:"link"`
		GUID string `xml:"guid"`
	} `xml:"channel>item"`
}

func (c *Crawler) discoverFeed(f *frontier, body []byte) {
	var doc rssDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		c.log.Warn("bad feed", "err", err)
		return
	}
	for _, it := range doc.Items {
		link := it.Link
		if link == "" {
			link = it.GUID
		}
		c.enqueue(f, link, articlesOnly)
	}
}

// discoverHTML follows the links of a baolamdong page: articles always;
// section listings, their next pages and section feeds only from listing
// pages, so that an article's related block cannot widen the crawl to tag
// pages and the like.
func (c *Crawler) discoverHTML(f *frontier, base *url.URL, body []byte, listing bool) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return
	}
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		if !listing {
			c.enqueue(f, u.String(), articlesOnly)
			return
		}
		rel, _ := s.Attr("rel")
		if section, ok := sectionOf(u); ok {
			c.enqueue(f, u.String(), KindListing)
			if u.RawQuery == "" {
				feed := *u
				feed.Path = "/rss/" + section + ".rss"
				c.enqueue(f, feed.String(), KindFeed)
			}
			return
		}
		if strings.Contains(rel, "next") {
			c.enqueue(f, u.String(), KindListing)
			return
		}
		c.enqueue(f, u.String(), articlesOnly)
	})
}

// sectionOf recognises a section listing /<section>/ (optionally with a
// page query) and returns the section slug.
func sectionOf(u *url.URL) (string, bool) {
	p := strings.Trim(u.Path, "/")
	if p == "" || strings.Contains(p, "/") || strings.Contains(p, ".") {
		return "", false
	}
	if q := u.Query(); len(q) > 1 || (len(q) == 1 && q.Get("page") == "") {
		return "", false
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return "", false
		}
	}
	return p, true
}

// discoverSource queues the original a translation names in its source
// line, mapped onto the configured baolamdong base: a translation found
// through vietnam.vn's sitemaps may be the only way to an original.
func (c *Crawler) discoverSource(f *frontier, base *url.URL, body []byte) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return
	}
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		if host != "baolamdong.vn" && !strings.EqualFold(u.Host, c.cfg.BaoLamDong.Host) {
			return
		}
		a, ok := sites.ParseArticlePath(u.Path)
		if !ok || a.ID == "" {
			return
		}
		c.enqueue(f, resolve(c.cfg.BaoLamDong, sites.ArticlePath(a.Slug, a.ID)), articlesOnly)
	})
}
