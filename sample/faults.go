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

// Fault names a page of the mirror that misbehaves on purpose, to test
// that the crawler copes. Faults are opt-in through Options.Faults; the
// demo corpus is served without them.
//
// Each fault is a page on one of the two sites with its own path, plus the
// way a crawler discovers it (a listing link, a sitemap entry). Later
// faults (rate limiting, server errors, slow or truncated bodies, wrong
// charsets, redirect loops, …) slot in as further cases of buildFaults.
type Fault string

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
)

// Faults returns every fault the mirror knows.
func Faults() []Fault { return []Fault{FaultForeignSource, FaultRobotsDisallowed} }

// FaultPage says where a fault lives.
type FaultPage struct {
	Fault Fault
	Site  string // model.SiteBaoLamDong or model.SiteVietnamVN
	Path  string
}

// faultPage is a FaultPage with what the mirror needs to serve and list
// it.
type faultPage struct {
	FaultPage
	published   time.Time
	listIn      string // section whose first listing page links the page
	title, lead string
	inSitemap   bool // listed in its site's sitemap
	serve       func(http.ResponseWriter, *http.Request)
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
		var fp *faultPage
		switch f {
		case FaultForeignSource:
			fp = s.foreignSourcePage(anchor.Add(2 * time.Hour))
			if i, ok := st.bySlug(foreignSlug); ok {
				if b := st.brief(i); slices.Contains(b.langs, "en") {
					return fmt.Errorf("%w: fault %s: path %s is taken by report %s", ErrBadOptions, f, fp.Path, b.id)
				}
			}
		case FaultRobotsDisallowed:
			fp = s.robotsDisallowedPage(anchor.Add(time.Hour))
		default:
			return fmt.Errorf("%w: unknown fault %q", ErrBadOptions, f)
		}
		s.faults = append(s.faults, fp)
	}
	for _, f := range Faults() {
		if seen[f] {
			s.hits[f] = new(atomic.Int64)
		}
	}
	return nil
}

func (s *Site) foreignSourcePage(published time.Time) *faultPage {
	fp := &faultPage{
		FaultPage: FaultPage{Fault: FaultForeignSource, Site: model.SiteVietnamVN, Path: sites.TranslationPath("en", foreignSlug)},
		published: published,
		title:     foreignTitle,
		inSitemap: true,
	}
	body := []Paragraph{
		{Text: "Dak Nong province currently has more than 140,000 hectares of coffee, of which over 10,000 hectares are grown to sustainability standards such as 4C, Rainforest Alliance and organic."},
		{Text: "Many cooperatives have linked up with enterprises to buy the harvest at stable prices, helping farmers invest in water-saving irrigation and replant old gardens with high-yield varieties."},
		{Text: "The province aims to expand certified growing areas and to build geographical indications for Dak Nong coffee in the 2025-2030 period."},
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
	path := "/admin/" + published.In(ict).Format("200601") + "/ban-tin-noi-bo-ban-bien-tap/"
	fp := &faultPage{
		FaultPage: FaultPage{Fault: FaultRobotsDisallowed, Site: model.SiteBaoLamDong, Path: path},
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
			body: []Paragraph{
				{Text: "Trang này chỉ dành cho Ban Biên tập và không được phép thu thập tự động."},
				{Text: "Nếu trình thu thập đọc được trang này, nó đã bỏ qua robots.txt."},
			},
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
