package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"baoscope/model"
)

// Errors Extract wraps; test with errors.Is.
var (
	// ErrNotArticle: the page is a listing, the home page, a tag page or
	// anything else that is not one article.
	ErrNotArticle = errors.New("extract: not an article page")
	// ErrNoContent: the page looks like an article but no layer found any
	// text in it.
	ErrNoContent = errors.New("extract: no article text found")
	// ErrNotText: the body is not text: binary (an image or a PDF served
	// under an article URL, random bytes), not readable in any encoding
	// (control characters once decoded), or an article with no letter in
	// it. Never a document: the crawl counts it as a failure, not_text.
	ErrNotText = errors.New("extract: body is not text")
	// ErrUnknownSite: Page.Site is neither site and the URL's host does not
	// say which site the page belongs to.
	ErrUnknownSite = errors.New("extract: unknown site")
)

// Defaults applied by New to zero Options fields.
const (
	DefaultMaxParagraphs    = 2000
	DefaultMaxFallbackNodes = 20000
	DefaultMaxFallbackText  = 512 << 10
)

// Page is one fetched page.
type Page struct {
	URL string // the URL fetched (after redirects)
	// Site is model.SiteBaoLamDong or model.SiteVietnamVN: the crawler
	// knows which configured host the page came from, and hosts may be
	// loopback mirrors. When empty, the URL's host decides.
	Site        string
	ContentType string // Content-Type response header, may be empty or wrong
	Body        []byte // raw bytes, any charset
}

// Options configure an Extractor. The zero value is ready to use.
type Options struct {
	// DisableTrafilatura turns off the go-trafilatura fallback, so that a
	// page the site selectors do not fit fails with ErrNoContent instead of
	// being extracted generically. The fallback is on by default: a
	// redesign should degrade extraction, not stop it.
	DisableTrafilatura bool
	// MaxParagraphs caps Document.Body (default DefaultMaxParagraphs): a
	// runaway page must not produce a runaway document.
	MaxParagraphs int
	// MaxFallbackNodes is the largest page, in elements, handed to the
	// fallback (default DefaultMaxFallbackNodes); trafilatura's cost grows
	// faster than the page, and real articles have a few thousand.
	MaxFallbackNodes int
	// MaxFallbackText is the most text, in bytes, a page handed to the
	// fallback may have (default DefaultMaxFallbackText); an article has
	// tens of kilobytes, so more is a dump or an attack.
	MaxFallbackText int
	// Logger receives a debug record whenever the fallback produced the
	// body, which is how a redesign first shows. Nil discards.
	Logger *slog.Logger
}

// Extractor extracts Documents. It is safe for concurrent use.
type Extractor struct {
	opts Options
	log  *slog.Logger
	// traf is the fallback's configuration, built once and copied per
	// call (trafilatura.Options is a value; the call sets the URL).
	traf trafilatura.Options
}

// fallbackPrune are the elements removed before the fallback looks for the
// main content: the chrome of both sites, so that trafilatura cannot pick a
// related-article list as the article.
const fallbackPrune = "figure, figcaption, nav, header, footer, aside, form, " +
	".related, .breadcrumb, .breadcrumbs, .post-comments, .comments, .post-source, " +
	".article-tags, .post-tags, .lang-switch"

// New returns an Extractor.
func New(opts Options) *Extractor {
	if opts.MaxParagraphs <= 0 {
		opts.MaxParagraphs = DefaultMaxParagraphs
	}
	if opts.MaxFallbackNodes <= 0 {
		opts.MaxFallbackNodes = DefaultMaxFallbackNodes
	}
	if opts.MaxFallbackText <= 0 {
		opts.MaxFallbackText = DefaultMaxFallbackText
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Extractor{
		opts: opts,
		log:  log,
		traf: trafilatura.Options{
			Config:          trafilatura.DefaultConfig(),
			Focus:           trafilatura.Balanced,
			ExcludeComments: true,
			// Trafilatura's own fallbacks (readability, DOM distiller)
			// rescue pages its heuristics reject; the fallback only runs
			// when our selectors failed, so recall matters more than time.
			EnableFallback: true,
			MaxTreeSize:    opts.MaxFallbackNodes,
			HtmlDateMode:   trafilatura.Fast,
			PruneSelector:  fallbackPrune,
		},
	}
}

// Extract extracts the Document of one page. It fills every field but
// Lang, LangConfidence, LangMismatch and FetchedAt, which belong to later
// stages. A page with a lead but no body paragraphs (a photo or video
// report) is a Document with an empty Body; a page with neither is
// ErrNoContent. Errors wrap ErrNotArticle, ErrNoContent, ErrNotText or
// ErrUnknownSite when they are about the page rather than a failure.
func (e *Extractor) Extract(p Page) (*model.Document, error) {
	u, err := url.Parse(p.URL)
	if err != nil {
		return nil, fmt.Errorf("extract: parse url: %w", err)
	}
	site, err := siteOf(p.Site, u)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", p.URL, err)
	}
	text, err := Decode(p.Body, p.ContentType)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", p.URL, err)
	}
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("page %s: empty body: %w", p.URL, ErrNoContent)
	}
	if err := checkText(text); err != nil {
		return nil, fmt.Errorf("page %s: %w", p.URL, err)
	}
	root, err := parseHTML(text)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", p.URL, err)
	}
	pi := newPageInfo(root, u)
	d := &model.Document{
		URL:          p.URL,
		Site:         site,
		CanonicalURL: pi.canonicalURL(),
	}
	switch site {
	case model.SiteBaoLamDong:
		err = e.baoLamDong(pi, d)
	default:
		err = e.vietnamVN(pi, d)
	}
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", p.URL, err)
	}
	if len(d.Body) == 0 && d.Lead == "" {
		return nil, fmt.Errorf("page %s: %w", p.URL, ErrNoContent)
	}
	if !hasLetters(d) {
		return nil, fmt.Errorf("page %s: no letter in the article: %w", p.URL, ErrNotText)
	}
	if d.Body == nil {
		d.Body = []string{}
	}
	d.ContentHash = ContentHash(d)
	return d, nil
}

// siteOf trusts the crawler's word and falls back to the URL's host.
func siteOf(declared string, u *url.URL) (string, error) {
	switch declared {
	case model.SiteBaoLamDong, model.SiteVietnamVN:
		return declared, nil
	case "":
	default:
		return "", fmt.Errorf("%w: %q", ErrUnknownSite, declared)
	}
	switch strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.") {
	case model.SiteBaoLamDong:
		return model.SiteBaoLamDong, nil
	case model.SiteVietnamVN:
		return model.SiteVietnamVN, nil
	}
	return "", fmt.Errorf("%w: host %q", ErrUnknownSite, u.Host)
}

// ContentHash is the hex SHA-256 of a document's title, lead and body, the
// fields an edit of the article changes. Fields are NUL-separated so that
// moving text between them changes the hash.
func ContentHash(d *model.Document) string {
	// The hash has no WriteString, so io.WriteString would copy every
	// paragraph into a new slice; the text goes through one buffer instead.
	h := sha256.New()
	buf := make([]byte, 0, 4096)
	write := func(s string) {
		for len(s) > 0 {
			n := min(len(s), cap(buf)-len(buf))
			buf = append(buf, s[:n]...)
			s = s[n:]
			if len(buf) == cap(buf) {
				h.Write(buf)
				buf = buf[:0]
			}
		}
	}
	write(d.Title)
	write("\x00")
	write(d.Lead)
	for _, p := range d.Body {
		write("\x00")
		write(p)
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}

// fields is what a site's layers found, before it goes into the Document.
type fields struct {
	title, lead, author string
	// times are the publication time candidates, best source first.
	times []string
	// content is the site's article body container, if the selectors
	// found it.
	content *goquery.Selection
}

// body returns the cleaned paragraphs of the content container or, when
// that yields nothing, of the trafilatura fallback, which may also fill
// the title, author and time. It is the one place both layers' paragraphs
// pass through the debris filters.
func (e *Extractor) body(pi *pageInfo, f *fields) ([]block, time.Time, error) {
	var blocks []block
	if f.content != nil && f.content.Length() > 0 {
		w := walker{skip: skipChrome, resolve: pi.resolve, limit: 4 * e.opts.MaxParagraphs}
		blocks = cleanParagraphs(w.paragraphs(f.content.Nodes...), f.title, f.lead, e.opts.MaxParagraphs)
	}
	var fbTime time.Time
	if len(blocks) == 0 && !e.opts.DisableTrafilatura {
		res, err := e.fallback(pi)
		if err != nil {
			return nil, time.Time{}, err
		}
		if res != nil {
			f.title = first(f.title, cleanText(res.Metadata.Title))
			f.author = first(f.author, cleanText(res.Metadata.Author))
			if !res.Metadata.Date.IsZero() {
				fbTime = inICT(res.Metadata.Date)
			}
			if res.ContentNode != nil {
				w := walker{skip: skipChrome, resolve: pi.resolve, limit: 4 * e.opts.MaxParagraphs}
				blocks = cleanParagraphs(w.paragraphs(res.ContentNode), f.title, f.lead, e.opts.MaxParagraphs)
			}
			e.log.Debug("extract: body from trafilatura fallback", "url", pi.url.String(), "paragraphs", len(blocks))
		}
	}
	return blocks, fbTime, nil
}

// fallback runs trafilatura on the page. A page it cannot make sense of is
// not an error (nil result): the caller reports ErrNoContent if nothing
// else found text either. A panic inside the library is turned into an
// error, because one odd page must not take the crawler down.
func (e *Extractor) fallback(pi *pageInfo) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("trafilatura fallback panicked: %v", r)
		}
	}()
	// Trafilatura checks its tree-size limit only after extracting, so the
	// limit is enforced here, before any of its work is done.
	if !fitsFallback(pi.root, e.opts.MaxFallbackNodes, e.opts.MaxFallbackText) {
		return nil, nil
	}
	opts := e.traf
	opts.OriginalURL = pi.url
	res, err = trafilatura.ExtractDocument(pi.root, opts)
	if err != nil {
		return nil, nil
	}
	return res, nil
}

// fitsFallback reports whether the page has at most maxNodes elements and
// maxText bytes of text, stopping as soon as it has not.
func fitsFallback(root *html.Node, maxNodes, maxText int) bool {
	nodes, text := 0, 0
	for c := range root.Descendants() {
		switch c.Type {
		case html.ElementNode:
			nodes++
		case html.TextNode:
			text += len(c.Data)
		}
		if nodes > maxNodes || text > maxText {
			return false
		}
	}
	return true
}

// inICT reads a zone-less time from the fallback's date finder as
// Vietnamese wall-clock time; times that carry an offset keep it.
func inICT(t time.Time) time.Time {
	if t.Location() != time.UTC {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, model.Vietnam)
}

// published picks the publication time: the first candidate with a time of
// day, else the first date, else the fallback's, else the page's first
// date line. vietnam.vn prints a bare date in the page but a full
// timestamp in its meta tags.
func published(pi *pageInfo, cands []string, fb time.Time) time.Time {
	var date time.Time
	for _, c := range cands {
		t, clock, ok := parseTime(c)
		if !ok {
			continue
		}
		if clock {
			return t
		}
		if date.IsZero() {
			date = t
		}
	}
	switch {
	case !date.IsZero():
		return date
	case !fb.IsZero():
		return fb
	}
	return firstDateLine(pi)
}

// firstDateLine is the last resort for the publication time of a page
// whose markup the selectors do not know: the first line of the page that
// is a date, such as the paper-name-and-date line under the title. The
// first one, because related-article dates follow the article.
func firstDateLine(pi *pageInfo) time.Time {
	body := firstMatch(pi.doc, matchBody)
	if body.Length() == 0 {
		return time.Time{}
	}
	w := walker{skip: func(n *html.Node) bool { return skipTag(n.DataAtom) }, limit: 200}
	for _, b := range w.paragraphs(body.Nodes...) {
		if utf8.RuneCountInString(b.text) < 100 && isDateLine(b.text) {
			if t, ok := ParseVietnameseTime(b.text); ok {
				return t
			}
		}
	}
	return time.Time{}
}

// tagsFrom normalises and de-duplicates tags, keeping their order.
func tagsFrom(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		if len(out) > 0 {
			break // the first source that has tags wins
		}
		for _, t := range l {
			t = cleanText(t)
			k := strings.ToLower(t)
			if t == "" || seen[k] || len(out) >= 50 {
				continue
			}
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// texts returns the cleaned texts of a selection's elements.
func texts(s *goquery.Selection) []string {
	var out []string
	s.Each(func(_ int, x *goquery.Selection) {
		if t := cleanText(x.Text()); t != "" {
			out = append(out, t)
		}
	})
	return out
}

// stripSiteName removes the site name a <title> carries: "Title | Báo Lâm
// Đồng", "Title - Vietnam.vn".
func stripSiteName(t string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — "} {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		tail := strings.ToLower(t[i+len(sep):])
		if strings.Contains(tail, "báo lâm đồng") || strings.Contains(tail, "baolamdong") || strings.Contains(tail, "vietnam.vn") {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

// declaredLang is <html lang>, else og:locale, else JSON-LD inLanguage,
// else the site's default.
func declaredLang(pi *pageInfo, dflt string) string {
	return first(normLang(pi.htmlLang), normLang(pi.meta["og:locale"]), normLang(pi.ld.lang), dflt)
}
