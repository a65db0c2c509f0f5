package sample

import (
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

// Fault names a page (or a few) of the mirror that misbehaves on purpose,
// to test that the crawler copes. Faults are opt-in through
// Options.Faults; the demo corpus is served without them.
//
// Each fault page lives on one of the two sites at its own path, and a
// crawler discovers it the way it discovers real pages: a link on a
// section listing's first page, or a sitemap entry (vietnam.vn pages, at
// /<lang>/<slug> of a fault original, are listed in its daily sitemaps
// like every translation). Fault originals have ids
// from 990101 up, clear of the real site's; their text is fixed, not
// taken from the corpus, so that tests can assert it exactly.
type Fault string

// Page faults: every request gets a complete 200 page, which a plain
// HTTP client can fetch (see Faults).
const (
	// FaultForeignSource adds a vietnam.vn translation whose source line
	// names another paper (baodaknong.vn). It is listed in the vietnam.vn
	// sitemap; a crawler fetches it and must skip it as not a baolamdong
	// report.
	FaultForeignSource Fault = "foreign-source"
	// FaultRobotsDisallowed adds an article-shaped URL under /admin/,
	// which robots.txt disallows, linked from the first page of the first
	// section's listing. A polite crawler never fetches it; FaultHits
	// tells whether one did.
	FaultRobotsDisallowed Fault = "robots-disallowed"
	// FaultLegacyCharsets adds report 990101 in three legacy encodings:
	// the original in windows-1258 (declared in the header and in
	// <meta>), a Russian translation in windows-1251 declared only in
	// <meta http-equiv>, and a French translation in UTF-8 whose header
	// says iso-8859-1. Every one must come out as the same text as
	// FaultText returns.
	FaultLegacyCharsets Fault = "legacy-charsets"
	// FaultMalformedHTML adds original 990102 with unclosed paragraphs,
	// stray end tags, an unquoted attribute and no </body></html>.
	FaultMalformedHTML Fault = "malformed-html"
	// FaultOffHostLinks adds original 990103 whose related block links
	// article-shaped URLs on other hosts: another paper, a lookalike
	// domain, the cloud metadata address, a private address and another
	// loopback port. A crawler must follow none of them.
	FaultOffHostLinks Fault = "off-host-links"
	// FaultMissingSource adds original 990104 and, at its translation
	// URL /en/<slug> (listed in the sitemap), an English page with no
	// source line. The
	// shared slug is no evidence: the page must not be linked to 990104.
	FaultMissingSource Fault = "missing-source"
	// FaultRevised adds original 990105 whose text changes after the
	// first request (a correction): a revalidating crawler must replace
	// what it stored.
	FaultRevised Fault = "revised"
)

// Transport faults: the answer itself misbehaves (status, timing, length,
// redirects), so a plain client sees errors (see TransportFaults).
const (
	// FaultRateLimited adds original 990201, answered with 429 and
	// Retry-After: 1 until a request comes at least a second after the
	// first 429: a crawler that honours Retry-After gets it on its second
	// request.
	FaultRateLimited Fault = "rate-limited"
	// FaultServerError adds original 990202, answered with 500 on the
	// first request and normally afterwards.
	FaultServerError Fault = "server-error"
	// FaultSlowResponse adds originals 990203, which waits
	// Options.SlowDelay before answering, and 990204, which waits a tenth
	// of that.
	FaultSlowResponse Fault = "slow-response"
	// FaultTruncatedBody adds original 990205, whose Content-Length
	// promises 4 KiB more than is sent before the connection closes.
	FaultTruncatedBody Fault = "truncated-body"
	// FaultTooLarge adds originals 990206 (with a Content-Length) and
	// 990207 (chunked, no length) of Options.LargeBody bytes.
	FaultTooLarge Fault = "too-large"
	// FaultRedirectLoop adds original 990208, which redirects to a page
	// that redirects back to it.
	FaultRedirectLoop Fault = "redirect-loop"
	// FaultRedirectOffHost adds originals 990209, 990210 and 990211,
	// which redirect to another loopback port, a private address and the
	// cloud metadata address: a crawler must connect to none of them.
	FaultRedirectOffHost Fault = "redirect-off-host"
)

// Faults returns the page faults: every request to their pages gets a
// complete 200 answer, so a plain client (an extractor's test) can fetch
// them all. TransportFaults are not among them.
func Faults() []Fault {
	return []Fault{FaultForeignSource, FaultRobotsDisallowed, FaultLegacyCharsets,
		FaultMalformedHTML, FaultOffHostLinks, FaultMissingSource, FaultRevised}
}

// TransportFaults returns the faults whose answers misbehave on the wire.
func TransportFaults() []Fault {
	return []Fault{FaultRateLimited, FaultServerError, FaultSlowResponse,
		FaultTruncatedBody, FaultTooLarge, FaultRedirectLoop, FaultRedirectOffHost}
}

// AllFaults returns every fault the mirror knows.
func AllFaults() []Fault { return append(Faults(), TransportFaults()...) }

// FaultPage says where a fault lives and, for pages with text, what a
// reader of the page sees.
type FaultPage struct {
	Fault Fault
	Site  string // model.SiteBaoLamDong or model.SiteVietnamVN
	Path  string
	// ReportID is the baolamdong report the page is (an original) or
	// translates (its source line names it); empty otherwise.
	ReportID string
	Lang     string // language of the text; empty for pages without text
	Title    string // the article's title
	// Lead is the lead of a baolamdong.vn page; vietnam.vn pages show it
	// as the first paragraph of Body, as the real site does.
	Lead string
	Body []string // the paragraphs of the article
}

// faultPage is a FaultPage with what the mirror needs to serve and list
// it.
type faultPage struct {
	FaultPage
	published   time.Time
	listIn      string // section whose first listing page links the page
	title, lead string
	inSitemap   bool // listed in its site's sitemap
	// raw pages bypass the ETag layer, which would buffer the answer and
	// so change what a transport fault does on the wire.
	raw   bool
	serve func(http.ResponseWriter, *http.Request)
}

// The foreign-source page: a vietnam.vn translation of a Báo Đắk Nông
// report. Fixed English text keeps it independent of the corpus.
const (
	foreignSlug   = "dak-nong-phat-trien-vung-ca-phe-ben-vung"
	foreignSource = "https://baodaknong.vn/dak-nong-phat-trien-vung-ca-phe-ben-vung-12345.html"
	foreignTitle  = "Dak Nong develops sustainable coffee growing areas"
)

func (s *Site) buildFaults() error {
	st := s.c.reports
	// Fault pages are dated just after the newest report so that they
	// sit with the fresh content a crawler looks at first.
	anchor := st.published(st.len() - 1)
	seen := map[Fault]bool{}
	for _, f := range s.opts.Faults {
		if seen[f] {
			continue
		}
		seen[f] = true
		var fps []*faultPage
		switch f {
		case FaultForeignSource:
			fp := s.foreignSourcePage(anchor.Add(2 * time.Hour))
			if i, ok := st.bySlug(foreignSlug); ok {
				if b := st.brief(i); slices.Contains(b.langs, "en") {
					return fmt.Errorf("%w: fault %s: path %s is taken by report %s", ErrBadOptions, f, fp.Path, b.id)
				}
			}
			fps = []*faultPage{fp}
		case FaultRobotsDisallowed:
			fps = []*faultPage{s.robotsDisallowedPage(anchor.Add(time.Hour))}
		default:
			var err error
			if fps, err = s.faultOriginals(f, anchor.Add(time.Hour)); err != nil {
				return err
			}
		}
		s.faults = append(s.faults, fps...)
	}
	for _, f := range AllFaults() {
		if seen[f] {
			s.hits[f] = new(atomic.Int64)
		}
	}
	return nil
}

func (s *Site) foreignSourcePage(published time.Time) *faultPage {
	fp := &faultPage{
		FaultPage: FaultPage{Fault: FaultForeignSource, Site: model.SiteVietnamVN, Path: sites.TranslationPath("en", foreignSlug),
			Lang: "en", Title: foreignTitle},
		published: published,
		title:     foreignTitle,
		inSitemap: true,
	}
	body := []Paragraph{
		{Text: "Dak Nong province currently has more than 140,000 hectares of coffee, of which over 10,000 hectares are grown to sustainability standards such as 4C, Rainforest Alliance and organic."},
		{Text: "Many cooperatives have linked up with enterprises to buy the harvest at stable prices, helping farmers invest in water-saving irrigation and replant old gardens with high-yield varieties."},
		{Text: "The province aims to expand certified growing areas and to build geographical indications for Dak Nong coffee in the 2025-2030 period."},
	}
	for _, p := range body {
		fp.Body = append(fp.Body, p.Text)
	}
	li := languageInfo("en")
	fp.serve = func(w http.ResponseWriter, r *http.Request) {
		s.renderPost(w, postFields{
			lang: "en", slug: foreignSlug, title: foreignTitle, paper: "Báo Đắk Nông",
			published: published, langs: []string{"en"}, body: body, imgPrefix: foreignSlug,
			sourceLabel: sites.SourceLabel("en"), sourceURL: foreignSource,
			related: []relatedData{
				{Class: "same-tag", Heading: li.sameTag},
				{Class: "same-category", Heading: li.sameCat},
			},
		})
	}
	return fp
}

func (s *Site) robotsDisallowedPage(published time.Time) *faultPage {
	sec := s.c.sections[0]
	// The old article URL form /<section>/<yyyymm>/<slug>/ makes the page
	// look like an article to the crawler's URL rules, so only robots.txt
	// (Disallow: /admin/) keeps a crawler away from it.
	path := "/admin/" + published.In(model.Vietnam).Format("200601") + "/ban-tin-noi-bo-ban-bien-tap/"
	fp := &faultPage{
		FaultPage: FaultPage{Fault: FaultRobotsDisallowed, Site: model.SiteBaoLamDong, Path: path, Lang: "vi",
			Title: "Bản tin nội bộ Ban Biên tập", Lead: "Tài liệu nội bộ, không phát hành công khai.",
			Body: []string{
				"Trang này chỉ dành cho Ban Biên tập và không được phép thu thập tự động.",
				"Nếu trình thu thập đọc được trang này, nó đã bỏ qua robots.txt.",
			}},
		published: published,
		listIn:    sec.Slug,
		title:     "Bản tin nội bộ Ban Biên tập",
		lead:      "Tài liệu nội bộ, không phát hành công khai.",
	}
	fp.serve = func(w http.ResponseWriter, r *http.Request) {
		s.renderArticle(w, articleFields{
			canonical: sites.BaoLamDongURL + path, slugForImages: "noi-bo",
			title: fp.title, lead: fp.lead, author: "Ban Biên tập", published: published,
			section: sec, tags: []string{"nội bộ"},
			body: faultText{body: fp.Body}.paragraphs(),
		})
	}
	return fp
}

// faultAt returns the fault page at path on site, if one is enabled.
func (s *Site) faultAt(site, path string) *faultPage {
	for _, f := range s.faults {
		if f.Site == site && f.Path == path {
			return f
		}
	}
	return nil
}

// faultListings are the links fault pages add to a section's first
// listing page.
func (s *Site) faultListings(sec string) []link {
	var out []link
	for _, f := range s.faults {
		if f.listIn == sec {
			out = append(out, link{Href: f.Path, Title: f.title, Lead: f.lead})
		}
	}
	return out
}

// FaultPages lists the enabled fault pages.
func (s *Site) FaultPages() []FaultPage {
	out := make([]FaultPage, len(s.faults))
	for i, f := range s.faults {
		out[i] = f.FaultPage
	}
	return out
}

// FaultHits is how many requests reached the page of fault f, so tests
// can tell, say, that a crawler ignored robots.txt.
func (s *Site) FaultHits(f Fault) int {
	if h := s.hits[f]; h != nil {
		return int(h.Load())
	}
	return 0
}
