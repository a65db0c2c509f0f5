package sample

import (
	"encoding/json"
	"html"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

// attr renders name="value" for a value html/template would over-escape.
// html.EscapeString covers everything that could end the attribute or
// open markup, so the result is safe for any value.
func attr(name, value string) template.HTMLAttr {
	return template.HTMLAttr(name + `="` + html.EscapeString(value) + `"`)
}

// link is an anchor in a list.
type link struct {
	Href, Title, Lead string
}

// block is a paragraph or an image with its caption, ready to render.
type block struct {
	Text    string
	Caption bool
	Img     string
}

func blocks(body []Paragraph, img func(n int) string) []block {
	out := make([]block, len(body))
	n := 0
	for k, p := range body {
		out[k] = block{Text: p.Text, Caption: p.Caption}
		if p.Caption {
			n++
			out[k].Img = img(n)
		}
	}
	return out
}

type tagLink struct{ Name, Slug string }

type articleData struct {
	Title, Lead, Canonical, Keywords, DateLine, Author string
	PublishedContent, PublishedDatetime                template.HTMLAttr
	Section                                            Section
	Sections                                           []Section
	JSONLD                                             template.JS
	Body                                               []block
	Tags                                               []tagLink
	Related                                            []link
}

// newsArticle is the JSON-LD baolamdong.vn embeds; field order follows the
// real pages.
type newsArticle struct {
	Context          string `json:"@context"`
	Type             string `json:"@type"`
	Headline         string `json:"headline"`
	Description      string `json:"description"`
	DatePublished    string `json:"datePublished"`
	Author           person `json:"author"`
	ArticleSection   string `json:"articleSection"`
	Keywords         string `json:"keywords"`
	InLanguage       string `json:"inLanguage"`
	MainEntityOfPage string `json:"mainEntityOfPage"`
}

type person struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// articleFields are what an original needs to render; the robots fault
// page renders through the same path.
type articleFields struct {
	canonical, slugForImages string
	title, lead, author      string
	published                time.Time
	section                  Section
	tags                     []string
	body                     []Paragraph
	related                  []link
}

func (s *Site) renderArticle(w http.ResponseWriter, f articleFields) {
	published := f.published.In(model.Vietnam).Format(time.RFC3339)
	keywords := strings.Join(f.tags, ", ")
	ld, err := json.Marshal(newsArticle{
		Context: "https://schema.org", Type: "NewsArticle",
		Headline: f.title, Description: f.lead, DatePublished: published,
		Author:         person{Type: "Person", Name: f.author},
		ArticleSection: f.section.Name, Keywords: keywords, InLanguage: "vi",
		MainEntityOfPage: f.canonical,
	})
	if err != nil {
		http.Error(w, "marshal json-ld: "+err.Error(), http.StatusInternalServerError)
		return
	}
	d := articleData{
		Title: f.title, Lead: f.lead, Canonical: f.canonical, Keywords: keywords,
		PublishedContent: attr("content", published), PublishedDatetime: attr("datetime", published),
		DateLine: dateLine(f.published), Author: f.author,
		Section: f.section, Sections: s.c.sections,
		// json.Marshal escapes <, > and &, so the block cannot end the
		// script element early.
		JSONLD: template.JS(ld),
		Body: blocks(f.body, func(n int) string {
			return "/images/" + f.slugForImages + "-" + strconv.Itoa(n) + ".jpg"
		}),
		Related: f.related,
	}
	for _, t := range f.tags {
		d.Tags = append(d.Tags, tagLink{Name: t, Slug: slugify(t)})
	}
	s.render(w, http.StatusOK, "bld-article", d)
}

func (s *Site) baoArticle(w http.ResponseWriter, r *http.Request, i int, rep *Report) {
	sec, _ := s.c.Section(rep.Section)
	v := rep.Original()
	s.renderArticle(w, articleFields{
		canonical: rep.URL(), slugForImages: rep.ID,
		title: v.Title, lead: v.Lead, author: rep.Author, published: rep.Published,
		section: sec, tags: rep.Tags, body: v.Body,
		related: s.relatedOriginals(i, rep.Section, 5),
	})
}

// relatedOriginals lists up to n other reports of the section, the older
// ones nearest first and then newer ones, as "Tin liên quan" does.
func (s *Site) relatedOriginals(i int, sec string, n int) []link {
	var out []link
	for _, j := range s.sectionNeighbours(i, sec, n) {
		o := s.c.reports.at(j, "")
		out = append(out, link{Href: o.Path(), Title: o.Original().Title})
	}
	return out
}

// sectionNeighbours returns up to n reports of section sec near report i:
// older first, nearest first, then newer.
func (s *Site) sectionNeighbours(i int, sec string, n int) []int {
	st := s.c.reports
	pos, total := st.sectionPos(i), st.sectionLen(sec)
	var out []int
	for k := pos - 1; k >= 0 && len(out) < n; k-- {
		out = append(out, st.sectionAt(sec, k))
	}
	for k := pos + 1; k < total && len(out) < n; k++ {
		out = append(out, st.sectionAt(sec, k))
	}
	return out
}

type listingData struct {
	Section    Section
	Sections   []Section
	Page       int
	Canonical  string
	Items      []link
	Prev, Next string
}

func (s *Site) baoListing(w http.ResponseWriter, r *http.Request, sec Section) {
	page := 1
	if q := r.URL.Query().Get("page"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || strconv.Itoa(n) != q {
			s.notFound(w, "bld-404")
			return
		}
		page = n
	}
	st := s.c.reports
	total := st.sectionLen(sec.Slug)
	size := s.opts.PageSize
	pages := max(1, (total+size-1)/size)
	if page > pages && !s.opts.EndlessListing {
		s.notFound(w, "bld-404")
		return
	}
	d := listingData{Section: sec, Sections: s.c.sections, Page: page, Canonical: sites.BaoLamDongURL + "/" + sec.Slug + "/"}
	if page > 1 {
		d.Canonical += "?page=" + strconv.Itoa(page)
		d.Prev = listingPath(sec, page-1)
	}
	if page < pages || s.opts.EndlessListing {
		d.Next = listingPath(sec, page+1)
	}
	// Newest first: page 1 starts at the section's last report. Past the
	// last page, an endless listing shows the last page's items again.
	shown := min(page, pages)
	for k := total - 1 - (shown-1)*size; k >= 0 && k > total-1-shown*size; k-- {
		rep := st.at(st.sectionAt(sec.Slug, k), "")
		d.Items = append(d.Items, link{Href: rep.Path(), Title: rep.Original().Title, Lead: rep.Original().Lead})
	}
	if page == 1 {
		d.Items = append(d.Items, s.faultListings(sec.Slug)...)
	}
	s.render(w, http.StatusOK, "bld-listing", d)
}

func listingPath(sec Section, page int) string {
	if page == 1 {
		return "/" + sec.Slug + "/"
	}
	return "/" + sec.Slug + "/?page=" + strconv.Itoa(page)
}

type homeData struct {
	Sections []Section
	Items    []link
}

func (s *Site) baoHome(w http.ResponseWriter, r *http.Request) {
	d := homeData{Sections: s.c.sections}
	st := s.c.reports
	for i := st.len() - 1; i >= 0 && len(d.Items) < s.opts.HomeItems; i-- {
		rep := st.at(i, "")
		d.Items = append(d.Items, link{Href: rep.Path(), Title: rep.Original().Title, Lead: rep.Original().Lead})
	}
	s.render(w, http.StatusOK, "bld-home", d)
}

// vietnam.vn

type langLink struct{ Code, Name, Href string }

type relatedData struct {
	Class, Heading string
	Links          []link
}

type postData struct {
	Lang, Dir, Title, Canonical, Locale string
	PublishedContent                    template.HTMLAttr
	Langs                               []langLink
	Paper, DateISO, Date                string
	Lead                                string
	Body                                []block
	SourceLabel, SourceURL              string
	Comment                             string
	Related                             []relatedData
}

// postFields are what a vietnam.vn page needs to render.
type postFields struct {
	lang, slug, title, lead, paper string
	published                      time.Time
	langs                          []string
	body                           []Paragraph
	imgPrefix                      string
	sourceLabel, sourceURL         string
	related                        []relatedData
}

func (s *Site) renderPost(w http.ResponseWriter, f postFields) {
	li := languageInfo(f.lang)
	canonical := sites.VietnamVNURL + sites.TranslationPath(f.lang, f.slug)
	d := postData{
		Lang: f.lang, Dir: "ltr", Title: f.title, Canonical: canonical, Locale: li.locale,
		PublishedContent: attr("content", f.published.In(model.Vietnam).Format(time.RFC3339)),
		Paper:            f.paper, DateISO: f.published.In(model.Vietnam).Format("2006-01-02"), Date: f.published.In(model.Vietnam).Format("02/01/2006"),
		Lead:        f.lead,
		Body:        blocks(f.body, func(n int) string { return "/img/" + f.imgPrefix + "-" + strconv.Itoa(n) + ".jpg" }),
		SourceLabel: f.sourceLabel, SourceURL: f.sourceURL,
		Comment: li.comment,
		Related: f.related,
	}
	if li.rtl {
		d.Dir = "rtl"
	}
	for _, l := range f.langs {
		d.Langs = append(d.Langs, langLink{Code: l, Name: languageInfo(l).name, Href: sites.TranslationPath(l, f.slug)})
	}
	s.render(w, http.StatusOK, "vn-post", d)
}

func (s *Site) vnPost(w http.ResponseWriter, r *http.Request, i int, rep *Report, v *Version) {
	li := languageInfo(v.Lang)
	var langs []string
	for _, o := range rep.Versions[1:] {
		langs = append(langs, o.Lang)
	}
	s.renderPost(w, postFields{
		lang: v.Lang, slug: rep.Slug, title: v.Title, lead: v.Lead, paper: "Báo Lâm Đồng",
		published: v.Published, langs: langs, body: v.Body, imgPrefix: rep.ID + "-" + v.Lang,
		sourceLabel: v.SourceLabel, sourceURL: v.SourceURL,
		related: []relatedData{
			{Class: "same-tag", Heading: li.sameTag, Links: s.relatedTranslations(i, rep, v.Lang, true)},
			{Class: "same-category", Heading: li.sameCat, Links: s.relatedTranslations(i, rep, v.Lang, false)},
		},
	})
}

// relatedWindow bounds how far from a report the related blocks look, so
// that a page of a million-report corpus costs the same as a small one.
const relatedWindow = 60

// relatedTranslations lists up to four other reports translated into lang
// that share a tag with rep (byTag) or its section, nearest first.
func (s *Site) relatedTranslations(i int, rep *Report, lang string, byTag bool) []link {
	st := s.c.reports
	var cands []int
	if byTag {
		for d := 1; d <= relatedWindow; d++ {
			for _, j := range []int{i - d, i + d} {
				if j >= 0 && j < st.len() {
					cands = append(cands, j)
				}
			}
		}
	} else {
		cands = s.sectionNeighbours(i, rep.Section, relatedWindow)
	}
	var out []link
	for _, j := range cands {
		if len(out) == 4 {
			break
		}
		// Choose from the brief, load only what is shown.
		b := st.brief(j)
		if !slices.Contains(b.langs, lang) || (byTag && !sharesTag(rep.Tags, b.tags)) {
			continue
		}
		o := st.at(j, "")
		v, _ := o.Version(lang)
		out = append(out, link{Href: sites.TranslationPath(lang, o.Slug), Title: v.Title})
	}
	return out
}

func sharesTag(a, b []string) bool {
	for _, t := range a {
		if slices.Contains(b, t) {
			return true
		}
	}
	return false
}

func (s *Site) vnUnlinked(w http.ResponseWriter, r *http.Request, p *Page) {
	li := languageInfo(p.Lang)
	var related []relatedData
	for _, b := range p.Related {
		rd := relatedData{Heading: b.Heading}
		switch b.Heading {
		case li.sameTag:
			rd.Class = "same-tag"
		case li.sameCat:
			rd.Class = "same-category"
		}
		// The seed keeps the titles but not where they pointed; they are
		// rendered without links rather than as links that would 404.
		for _, t := range b.Titles {
			rd.Links = append(rd.Links, link{Title: t})
		}
		related = append(related, rd)
	}
	s.renderPost(w, postFields{
		lang: p.Lang, slug: p.Slug, title: p.Title, paper: p.Paper,
		published: p.Published, langs: []string{p.Lang}, body: p.Body, imgPrefix: p.Slug,
		sourceLabel: p.SourceLabel, related: related,
	})
}

type vnItem struct {
	Lang, Href, Title, DateISO, Date string
}

func (s *Site) vnHome(w http.ResponseWriter, r *http.Request) {
	var items []vnItem
	st := s.c.reports
	for i := st.len() - 1; i >= 0 && len(items) < s.opts.HomeItems; i-- {
		rep := st.at(i, "")
		for _, v := range rep.Versions[1:] {
			if len(items) == s.opts.HomeItems {
				break
			}
			t := v.Published.In(model.Vietnam)
			items = append(items, vnItem{Lang: v.Lang, Href: sites.TranslationPath(v.Lang, rep.Slug), Title: v.Title,
				DateISO: t.Format("2006-01-02"), Date: t.Format("02/01/2006")})
		}
	}
	s.render(w, http.StatusOK, "vn-home", struct {
		Langs []langLink
		Items []vnItem
	}{Items: items})
}
