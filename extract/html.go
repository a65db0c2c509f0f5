package extract

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/language"
)

// maxOpenTags is how deep the retry after a failed parse lets elements
// nest. golang.org/x/net/html refuses documents nested deeper than 512
// elements; a page with hundreds of unclosed <span>s is broken, not
// hostile, and its text is still worth having.
const maxOpenTags = 256

// parseHTML parses a decoded page. If the parser rejects the nesting, the
// page is re-tokenised with start tags beyond maxOpenTags dropped (their
// text kept) and parsed again.
func parseHTML(s string) (*html.Node, error) {
	root, err := html.Parse(strings.NewReader(s))
	if err != nil {
		var err2 error
		if root, err2 = html.Parse(strings.NewReader(flattenDeep(s))); err2 != nil {
			return nil, fmt.Errorf("parse html: %w", err)
		}
	}
	if fixed, ok := closeRunawayTitle(root, s); ok {
		if r, err := html.Parse(strings.NewReader(fixed)); err == nil {
			root = r
		}
	}
	return root, nil
}

// maxTitleLen is the longest <title> taken at face value.
const maxTitleLen = 1024

// closeRunawayTitle repairs an unclosed <title>. Its content is raw text
// up to </title>, so a missing end tag swallows the whole page into the
// title; titles never contain markup, so the first "<" after <title> is
// where it should have ended.
func closeRunawayTitle(root *html.Node, s string) (string, bool) {
	var title *html.Node
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Title {
			title = n
			break
		}
	}
	if title == nil || title.FirstChild == nil {
		return "", false
	}
	text := title.FirstChild.Data
	if len(text) <= maxTitleLen || !strings.Contains(text, "<") {
		return "", false
	}
	lower := strings.ToLower(s)
	start := strings.Index(lower, "<title")
	if start < 0 {
		return "", false
	}
	gt := strings.IndexByte(s[start:], '>')
	if gt < 0 {
		return "", false
	}
	open := start + gt + 1
	lt := strings.IndexByte(s[open:], '<')
	if lt < 0 {
		return "", false
	}
	end := open + lt
	return s[:end] + "</title>" + s[end:], true
}

// flattenDeep re-serialises s keeping at most maxOpenTags unclosed start
// tags. It counts start and end tags the way a naive reader would, which
// over-estimates the parser's depth and so errs on the safe side.
func flattenDeep(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	open := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			if isVoid(atom.Lookup(name)) {
				b.Write(z.Raw())
				continue
			}
			if open >= maxOpenTags {
				continue
			}
			open++
		case html.EndTagToken:
			if open == 0 {
				continue
			}
			open--
		}
		b.Write(z.Raw())
	}
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// pageInfo is what every layer may read about a parsed page.
type pageInfo struct {
	root      *html.Node
	doc       *goquery.Document
	url       *url.URL
	meta      map[string]string // first content per lowercased name, property or itemprop
	canonical string            // <link rel=canonical>, resolved
	htmlLang  string            // <html lang>, raw
	title     string            // <title>
	ld        ldInfo
}

func newPageInfo(root *html.Node, u *url.URL) *pageInfo {
	p := &pageInfo{
		root: root,
		doc:  goquery.NewDocumentFromNode(root),
		url:  u,
		meta: map[string]string{},
	}
	p.htmlLang, _ = firstMatch(p.doc, matchHTML).Attr("lang")
	p.title = cleanText(firstMatch(p.doc, matchTitle).Text())
	p.doc.Find("meta[content]").Each(func(_ int, s *goquery.Selection) {
		content, _ := s.Attr("content")
		content = cleanText(content)
		if content == "" {
			return
		}
		for _, attr := range []string{"name", "property", "itemprop"} {
			if k, ok := s.Attr(attr); ok {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, seen := p.meta[k]; !seen && k != "" {
					p.meta[k] = content
				}
			}
		}
	})
	p.doc.Find("link[rel][href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		rel, _ := s.Attr("rel")
		for _, r := range strings.Fields(strings.ToLower(rel)) {
			if r == "canonical" {
				href, _ := s.Attr("href")
				p.canonical = p.resolve(href)
				return false
			}
		}
		return true
	})
	p.doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		p.ld.parse(s.Text())
	})
	return p
}

// resolve makes href absolute against the page URL; it returns "" for
// anything that is not an http(s) URL.
func (p *pageInfo) resolve(href string) string {
	href = strings.TrimSpace(href)
	if href == "" {
		return ""
	}
	ref, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if p.url != nil {
		ref = p.url.ResolveReference(ref)
	}
	if ref.Scheme != "http" && ref.Scheme != "https" {
		return ""
	}
	return ref.String()
}

// canonicalURL is <link rel=canonical>, else og:url.
func (p *pageInfo) canonicalURL() string {
	if p.canonical != "" {
		return p.canonical
	}
	return p.resolve(p.meta["og:url"])
}

// isArticleMarkup reports whether the metadata says the page is an article.
func (p *pageInfo) isArticleMarkup() bool {
	return p.ld.article || strings.EqualFold(p.meta["og:type"], "article")
}

// first returns the first non-empty value.
func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Selectors of which only the first match counts (First, or Length() > 0),
// compiled once. goquery.Single makes the search stop at the first match;
// doc.Find(sel) visits the whole tree and compiles sel on every call.
var (
	matchHTML        = goquery.Single("html")
	matchTitle       = goquery.Single("title")
	matchBody        = goquery.Single("body")
	matchArticleBody = goquery.Single(`[itemprop="articleBody"]`)
	matchBLDArticle  = goquery.Single("article.article-detail")
	matchBLDContent  = goquery.Single(".article-content")
	matchBLDTitle    = goquery.Single("h1.article-title")
	matchBLDSapo     = goquery.Single(".article-sapo")
	matchBLDAuthor   = goquery.Single(".article-author")
	matchBLDListing  = goquery.Single(".article-list")
	matchVNArticle   = goquery.Single("article.post")
	matchVNContent   = goquery.Single(".post-content")
	matchVNTitle     = goquery.Single("h1.post-title")
	matchVNListing   = goquery.Single(".post-list, .article-list")
)

// firstMatch is doc.Find(sel).First() for a goquery.Single matcher m of
// sel. Find searches below each child of the document node in turn and
// Single yields the first match below each, in document order, so the
// first of those is the first match of the whole search.
func firstMatch(doc *goquery.Document, m goquery.Matcher) *goquery.Selection {
	return doc.FindMatcher(m).First()
}

// selText is the cleaned text of the first element m matches.
func selText(doc *goquery.Document, m goquery.Matcher) string {
	return cleanText(firstMatch(doc, m).Text())
}

// normLang turns "ko-KR", "vi_VN", "VIE" or "zh-Hans" into the ISO 639-1
// code of the language, or "" if it is not a language tag.
func normLang(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return ""
		}
	}
	s = strings.ToLower(s)
	if len(s) == 2 {
		return s
	}
	b, err := language.ParseBase(s)
	if err != nil || len(b.String()) != 2 {
		return ""
	}
	return b.String()
}

// ldInfo is what the JSON-LD of a page says, from its first article object
// and its breadcrumb list.
type ldInfo struct {
	article     bool
	headline    string
	description string
	published   string
	authors     []string
	section     string
	keywords    []string
	lang        string
	pageURL     string   // mainEntityOfPage or url
	breadcrumbs []string // item URLs, in order
}

var ldArticleTypes = map[string]bool{
	"newsarticle": true, "article": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "blogposting": true, "backgroundnewsarticle": true,
	"opinionnewsarticle": true, "report": true,
}

// parse reads one JSON-LD script. Invalid JSON is ignored: real pages
// carry plenty of it, and the other layers cover what it would have said.
func (l *ldInfo) parse(src string) {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return
	}
	l.visit(v, 0)
}

// visit walks the top level, arrays and @graph only: an article's nested
// objects (publisher, images) are not articles of their own.
func (l *ldInfo) visit(v any, depth int) {
	if depth > 4 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			l.visit(e, depth+1)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			l.visit(g, depth+1)
		}
		for _, t := range ldStrings(x["@type"]) {
			t = strings.ToLower(t)
			switch {
			case ldArticleTypes[t] && !l.article:
				l.readArticle(x)
			case t == "breadcrumblist" && l.breadcrumbs == nil:
				l.readBreadcrumbs(x)
			}
		}
	}
}

func (l *ldInfo) readArticle(x map[string]any) {
	l.article = true
	l.headline = cleanText(ldString(x["headline"]))
	l.description = cleanText(ldString(x["description"]))
	l.published = first(ldString(x["datePublished"]), ldString(x["dateCreated"]))
	for _, a := range ldNames(x["author"]) {
		if a = cleanText(a); a != "" {
			l.authors = append(l.authors, a)
		}
	}
	if s := ldStrings(x["articleSection"]); len(s) > 0 {
		l.section = cleanText(s[0])
	}
	for _, k := range ldStrings(x["keywords"]) {
		l.keywords = append(l.keywords, splitList(k)...)
	}
	switch lang := x["inLanguage"].(type) {
	case string:
		l.lang = lang
	case map[string]any:
		l.lang = first(ldString(lang["alternateName"]), ldString(lang["name"]))
	}
	l.pageURL = first(ldID(x["mainEntityOfPage"]), ldString(x["url"]))
}

func (l *ldInfo) readBreadcrumbs(x map[string]any) {
	items, _ := x["itemListElement"].([]any)
	l.breadcrumbs = []string{}
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		if u := first(ldID(m["item"]), ldString(m["url"])); u != "" {
			l.breadcrumbs = append(l.breadcrumbs, u)
		}
	}
}

// ldString is a JSON-LD value that should be a string; numbers and other
// shapes count as absent.
func ldString(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// ldStrings is a value that may be a string or an array of strings.
func ldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ldNames reads author in its three shapes: a string, an object with a
// name, or an array of either.
func ldNames(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case map[string]any:
		if n := ldString(x["name"]); n != "" {
			return []string{n}
		}
	case []any:
		var out []string
		for _, e := range x {
			switch y := e.(type) {
			case string:
				out = append(out, y)
			case map[string]any:
				if n := ldString(y["name"]); n != "" {
					out = append(out, n)
				}
			}
		}
		return out
	}
	return nil
}

// ldID is a URL given as a string or as an object with @id.
func ldID(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		return first(ldString(x["@id"]), ldString(x["url"]))
	}
	return ""
}

// splitList splits "a, b; c" and drops empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '、' }) {
		if f = cleanText(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
