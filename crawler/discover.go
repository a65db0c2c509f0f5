package crawler

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"baoscope/model"
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

// discoverSitemap queues what a sitemap index or urlset names. The
// translation sitemaps' dates and entries go to g (when not nil): they say
// which originals need no guess, and how often each language translates.
func (c *Crawler) discoverSitemap(f taskQueue, body []byte, g *guesser) error {
	var doc sitemapDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("%w: sitemap: %w", ErrMalformed, err)
	}
	for _, e := range doc.Sitemaps {
		if c.tooOld(e.LastMod) {
			continue
		}
		t, ok := c.classify(e.Loc, KindSitemap)
		if !ok {
			continue
		}
		if g != nil && t.site == model.SiteVietnamVN && t.kind == KindSitemap {
			g.sitemapDate(e.LastMod)
		}
		t.src = SourceSitemap
		f.push(t)
	}
	for _, e := range doc.URLs {
		if c.tooOld(e.LastMod) {
			continue
		}
		t, ok := c.classify(e.Loc, articlesOnly)
		if !ok {
			continue
		}
		if g != nil && t.kind == KindTranslation {
			g.listedURL(t.url, e.LastMod)
		}
		t.src = SourceSitemap
		f.push(t)
	}
	return nil
}

// tooOld applies Since to a sitemap lastmod, a feed item's pubDate or a
// listing's <time datetime>; an entry without a readable date is kept,
// since skipping it could lose reports.
func (c *Crawler) tooOld(date string) bool {
	if c.cfg.Since.IsZero() {
		return false
	}
	t, ok := parseDate(date)
	return ok && c.beforeSince(t)
}

// beforeSince says whether t is older than Since. A day-precision date on
// the Since day itself is kept, whatever the zones.
func (c *Crawler) beforeSince(t time.Time) bool {
	return !c.cfg.Since.IsZero() && !t.IsZero() && t.Before(c.cfg.Since.Add(-24*time.Hour))
}

// parseDate reads the date formats of sitemaps (W3C datetime), feeds
// (RFC 1123) and <time datetime> (ISO 8601).
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02",
		time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

type rssDoc struct {
	Items []struct {
		Link    string `xml:"link"`
		GUID    string `xml:"guid"`
		PubDate string `xml:"pubDate"`
	} `xml:"channel>item"`
}

func (c *Crawler) discoverFeed(f taskQueue, body []byte) error {
	var doc rssDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return fmt.Errorf("%w: feed: %w", ErrMalformed, err)
	}
	for _, it := range doc.Items {
		if c.tooOld(it.PubDate) {
			continue
		}
		link := it.Link
		if link == "" {
			link = it.GUID
		}
		c.enqueue(f, link, articlesOnly, SourceFeed)
	}
	return nil
}

// listingPage is what a listing page knows of its pagination: how many
// pages before it, in a row, brought no new article, and how many such
// pages end the pagination. A "next" link can lead on for ever (a
// calendar, a listing that repeats its last page): a crawl follows it only
// while it brings new articles.
type listingPage struct {
	stale int // pages in a row before this one that named no new article
	limit int // stale pages that end the pagination; 0: no limit
	// isNew reports whether an article URL is new to this run's listings
	// (and records it); nil: every one is.
	isNew func(u string) bool
}

// link is one link of a page, classified.
type pageLink struct {
	u       *url.URL
	paging  bool
	article bool
}

// discoverHTML follows the links of a baolamdong page: articles always;
// section listings, their next pages and section feeds only from listing
// pages (lp not nil), so that an article's related block cannot widen the
// crawl to tag pages and the like.
func (c *Crawler) discoverHTML(f taskQueue, base *url.URL, body []byte, lp *listingPage) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return
	}
	var links []pageLink
	fresh := 0
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil {
			return
		}
		rel, _ := s.Attr("rel")
		l := pageLink{u: u, paging: strings.Contains(rel, "next") || u.Query().Get("page") != ""}
		if t, ok := c.classify(u.String(), articlesOnly); ok {
			l.article = true
			if lp != nil && (lp.isNew == nil || lp.isNew(t.url)) {
				fresh++
			}
		}
		links = append(links, l)
	})
	if lp == nil {
		for _, l := range links {
			c.enqueue(f, l.u.String(), articlesOnly, SourceLink)
		}
		return
	}
	stale := 0
	if fresh == 0 {
		stale = lp.stale + 1
	}
	followNext := !c.listingTooOld(doc) && (lp.limit <= 0 || stale < lp.limit)
	for _, l := range links {
		c.listingLink(f, l, followNext, stale)
	}
}

// listingLink queues one link of a listing page: a section (and its feed),
// a next page (carrying the count of stale pages before it), or an
// article.
func (c *Crawler) listingLink(f taskQueue, l pageLink, followNext bool, stale int) {
	u := l.u
	if l.paging && !followNext {
		return
	}
	if l.article {
		c.enqueue(f, u.String(), articlesOnly, SourceListing)
		return
	}
	section, isSection := sectionOf(u)
	if !isSection && !l.paging {
		return
	}
	t, ok := c.classify(u.String(), KindListing)
	if !ok {
		return
	}
	t.src = SourceListing
	if l.paging {
		t.stale = uint8(min(stale, 255))
	}
	f.push(t)
	if isSection && u.RawQuery == "" {
		feed := *u
		feed.Path = "/rss/" + section + ".rss"
		c.enqueue(f, feed.String(), KindFeed, SourceListing)
	}
}

// listingTooOld says whether every dated item of a listing page is older
// than Since, so that its next page, older still, need not be fetched.
// A listing without visible dates is always followed.
func (c *Crawler) listingTooOld(doc *goquery.Document) bool {
	if c.cfg.Since.IsZero() {
		return false
	}
	dated, old := 0, 0
	doc.Find("time[datetime]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("datetime")
		if _, ok := parseDate(v); !ok {
			return
		}
		dated++
		if c.tooOld(v) {
			old++
		}
	})
	return dated > 0 && old == dated
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
func (c *Crawler) discoverSource(f taskQueue, base *url.URL, body []byte) {
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
		c.enqueue(f, resolve(c.cfg.BaoLamDong, sites.ArticlePath(a.Slug, a.ID)), articlesOnly, SourceLink)
	})
}
