package extract

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"baoscope/model"
	"baoscope/sites"
)

// sectionSlugRe is a section path segment; article paths ("…-396102.html")
// and query-bearing links do not match.
var sectionSlugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// notSections are first path segments that are site features, not
// sections.
var notSections = map[string]bool{
	"tag": true, "tags": true, "tim-kiem": true, "search": true, "rss": true,
	"trang-chu": true, "lien-he": true, "gioi-thieu": true,
}

// baoLamDong extracts an original. Markup first (article.article-detail),
// then JSON-LD and meta, then the fallback; the URL and canonical link give
// the report id and, for the older URL form, the section.
func (e *Extractor) baoLamDong(pi *pageInfo, d *model.Document) error {
	doc := pi.doc
	art := firstMatch(doc, matchBLDArticle)
	content := firstMatch(doc, matchBLDContent)
	if content.Length() == 0 {
		content = firstMatch(doc, matchArticleBody)
	}
	a, urlArticle := sites.ParseArticlePath(pi.url.Path)
	markup := art.Length() > 0 || content.Length() > 0 ||
		firstMatch(doc, matchBLDTitle).Length() > 0 || pi.isArticleMarkup()
	listing := firstMatch(doc, matchBLDListing).Length() > 0
	if !markup && (!urlArticle || listing) {
		return ErrNotArticle
	}

	f := fields{
		title: first(
			selText(doc, matchBLDTitle),
			pi.ld.headline,
			pi.meta["og:title"],
			pi.meta["twitter:title"],
			stripSiteName(pi.title),
		),
		lead: first(
			leadText(firstMatch(doc, matchBLDSapo), content),
			pi.ld.description,
			pi.meta["og:description"],
			pi.meta["description"],
		),
		author: first(
			ownText(firstMatch(doc, matchBLDAuthor)),
			strings.Join(pi.ld.authors, ", "),
			pi.meta["author"],
		),
		content: content,
	}
	doc.Find("time.article-time, .article-meta time").Each(func(_ int, s *goquery.Selection) {
		if dt, ok := s.Attr("datetime"); ok {
			f.times = append(f.times, dt)
		}
		f.times = append(f.times, s.Text())
	})
	f.times = append(f.times, pi.ld.published, pi.meta["article:published_time"],
		pi.meta["pubdate"], pi.meta["date"], pi.meta["dc.date.issued"])

	blocks, fbTime, err := e.body(pi, &f)
	if err != nil {
		return err
	}

	d.IsOriginal = true
	d.Title = f.title
	d.Lead = f.lead
	d.Author = f.author
	d.Body = paragraphTexts(blocks)
	d.Published = published(pi, f.times, fbTime)
	d.DeclaredLang = declaredLang(pi, "vi")
	d.Tags = tagsFrom(texts(doc.Find(".article-tags a")), pi.ld.keywords,
		splitList(pi.meta["news_keywords"]), splitList(pi.meta["keywords"]))
	d.Section = bldSection(pi, a)
	d.ReportID = a.ID
	if d.ReportID == "" {
		d.ReportID = reportIDFromLinks(pi, d.CanonicalURL, pi.resolve(pi.meta["og:url"]), pi.resolve(pi.ld.pageURL))
	}
	return nil
}

// reportIDFromLinks reads the id from the first link that is a current-form
// article URL on baolamdong.vn or on the page's own host (a mirror).
func reportIDFromLinks(pi *pageInfo, links ...string) string {
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || l == "" {
			continue
		}
		if !isBLDHost(u, pi.url) {
			continue
		}
		if a, ok := sites.ParseArticlePath(u.Path); ok && a.ID != "" {
			return a.ID
		}
	}
	return ""
}

// isBLDHost reports whether u is on baolamdong.vn or on the host the page
// was fetched from.
func isBLDHost(u, page *url.URL) bool {
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return h == "" || h == model.SiteBaoLamDong || (page != nil && strings.EqualFold(u.Host, page.Host))
}

// bldSection is the section slug: the breadcrumb's first section link,
// else the older URL form's section, else the JSON-LD breadcrumb, else the
// menu link whose text is the article's section name.
func bldSection(pi *pageInfo, a sites.Article) string {
	var sec string
	pi.doc.Find(`[class*="breadcrumb"] a[href], [class*="crumbs"] a[href], [aria-label="breadcrumb"] a[href]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		href, _ := s.Attr("href")
		sec = sectionOfLink(pi, href)
		return sec == ""
	})
	if sec != "" {
		return sec
	}
	if a.Section != "" {
		return a.Section
	}
	for _, b := range pi.ld.breadcrumbs {
		if sec = sectionOfLink(pi, b); sec != "" {
			return sec
		}
	}
	name := first(pi.ld.section, pi.meta["article:section"])
	if name == "" {
		return ""
	}
	pi.doc.Find("a[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if !strings.EqualFold(cleanText(s.Text()), name) {
			return true
		}
		href, _ := s.Attr("href")
		sec = sectionOfLink(pi, href)
		return sec == ""
	})
	return sec
}

// sectionOfLink is the first path segment of a link to a section page on
// the site, or "".
func sectionOfLink(pi *pageInfo, href string) string {
	abs := pi.resolve(href)
	if abs == "" {
		return ""
	}
	u, err := url.Parse(abs)
	if err != nil || !isBLDHost(u, pi.url) {
		return ""
	}
	seg, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if !sectionSlugRe.MatchString(seg) || notSections[seg] {
		return ""
	}
	return seg
}

// leadText is the text of the sapo element without the article content,
// which an unclosed heading swallows on broken pages.
func leadText(sapo, content *goquery.Selection) string {
	var exclude *html.Node
	if content.Length() > 0 {
		exclude = content.Nodes[0]
	}
	w := walker{skip: func(n *html.Node) bool { return n == exclude || skipChrome(n) }}
	return strings.Join(paragraphTexts(w.paragraphs(sapo.Nodes...)), " ")
}

// ownText is the text of a byline element without the <time> an unclosed
// tag may have pulled into it.
func ownText(s *goquery.Selection) string {
	w := walker{skip: func(n *html.Node) bool { return n.DataAtom == atom.Time || skipTag(n.DataAtom) }}
	return strings.Join(paragraphTexts(w.paragraphs(s.Nodes...)), " ")
}

func paragraphTexts(blocks []block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.text
	}
	return out
}
