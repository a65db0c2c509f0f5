package extract

import (
	"strings"

	"github.com/PuerkitoBio/goquery"

	"baoscope/model"
	"baoscope/sites"
)

// vietnamVN extracts a translation. The page has no lead of its own (the
// translated lead is the first paragraph of the content, so it stays in
// Body and Lead is empty) and no section. The source line links it to its
// original.
func (e *Extractor) vietnamVN(pi *pageInfo, d *model.Document) error {
	doc := pi.doc
	art := firstMatch(doc, matchVNArticle)
	content := firstMatch(doc, matchVNContent)
	if content.Length() == 0 {
		content = firstMatch(doc, matchArticleBody)
	}
	urlLang, _, urlArticle := sites.ParseTranslationPath(pi.url.Path)
	markup := art.Length() > 0 || content.Length() > 0 ||
		firstMatch(doc, matchVNTitle).Length() > 0 || pi.isArticleMarkup()
	listing := firstMatch(doc, matchVNListing).Length() > 0
	if !markup && (!urlArticle || listing) {
		return ErrNotArticle
	}

	// The source element, when the markup has one, is authoritative; a
	// bare label in it ("원천") means the page names no original.
	var (
		srcURL   string
		srcFound bool
	)
	if s := doc.Find(".post-source").Last(); s.Length() > 0 {
		srcURL, srcFound = sourceOf(sourceBlock(pi, s))
	}

	f := fields{
		title: first(
			selText(doc, matchVNTitle),
			pi.ld.headline,
			pi.meta["og:title"],
			pi.meta["twitter:title"],
			stripSiteName(pi.title),
		),
		author:  first(strings.Join(pi.ld.authors, ", "), pi.meta["author"]),
		content: content,
	}
	doc.Find(".post-meta time").Each(func(_ int, s *goquery.Selection) {
		if dt, ok := s.Attr("datetime"); ok {
			f.times = append(f.times, dt)
		}
		f.times = append(f.times, s.Text())
	})
	f.times = append(f.times, pi.meta["article:published_time"], pi.ld.published,
		pi.meta["pubdate"], pi.meta["date"])

	blocks, fbTime, err := e.body(pi, &f)
	if err != nil {
		return err
	}
	// The real site also prints the source line as a plain paragraph; it
	// is removed from the body whether or not the element was found.
	u, _, blocks := findSource(blocks)
	if !srcFound {
		srcURL = u
	}

	d.IsOriginal = false
	d.Title = f.title
	d.Author = f.author
	d.Body = paragraphTexts(blocks)
	d.Published = published(pi, f.times, fbTime)
	d.DeclaredLang = declaredLang(pi, urlLang)
	d.Tags = tagsFrom(texts(doc.Find(".post-tags a")), pi.ld.keywords,
		splitList(pi.meta["news_keywords"]), splitList(pi.meta["keywords"]))
	d.SourceURL = srcURL
	if id, ok := sites.ReportIDFromSource(srcURL); ok {
		d.ReportID = id
	}
	return nil
}

// sourceBlock turns the source element into a block with its text and
// links, for sourceOf.
func sourceBlock(pi *pageInfo, s *goquery.Selection) block {
	b := block{text: cleanText(s.Text())}
	s.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if u := pi.resolve(href); u != "" {
			b.hrefs = append(b.hrefs, u)
		}
	})
	return b
}
