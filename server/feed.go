package server

import (
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

// An Atom feed (RFC 4287) of a search: a saved search a feed reader
// polls, newest matching reports first. Written with encoding/xml rather
// than a feed library: each entry links the original and every
// translation with its hreflang, which the common writers cannot say.

const atomNS = "http://www.w3.org/2005/Atom"

type atomFeed struct {
	XMLName   xml.Name    `xml:"feed"`
	NS        string      `xml:"xmlns,attr"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomLink struct {
	Href     string `xml:"href,attr"`
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

// atomText is a text construct in a language.
type atomText struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	Title      atomText       `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
}

// feed answers format=atom: the first page of the search, newest first
// whatever sort says (a feed reader wants what is new), as Atom.
func (s *Server) feed(w http.ResponseWriter, r *http.Request, req searchRequest) {
	q := req.query
	q.Sort, q.Cursor = model.SortDate, ""
	res, err := s.search(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := baseURL(r)
	v := r.URL.Query()
	f := atomFeed{
		NS: atomNS, Title: feedTitle(q), ID: base + exportURL(v, formatAtom),
		Subtitle:  "Báo Lâm Đồng reports and their translations matching this search, newest first.",
		Author:    atomPerson{Name: "Báo Lâm Đồng", URI: "https://baolamdong.vn/"},
		Generator: "baoscope",
		Links: []atomLink{
			{Href: base + exportURL(v, formatAtom), Rel: "self", Type: "application/atom+xml"},
			{Href: base + pageURL(v, map[string][]string{"format": {""}}), Rel: "alternate", Type: "text/html"},
		},
	}
	updated := time.Time{}
	for i := range res.Reports {
		e := entryOf(base, &res.Reports[i])
		if p := res.Reports[i].Published; p.After(updated) {
			updated = p
		}
		f.Entries = append(f.Entries, e)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	f.Updated = updated.Format(time.RFC3339)
	for i := range f.Entries {
		if f.Entries[i].Updated == "" {
			f.Entries[i].Updated = f.Updated
		}
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

// feedTitle names the feed after its query.
func feedTitle(q model.Query) string {
	t := "baoscope: "
	if strings.TrimSpace(q.Text) == "" {
		t += "latest reports"
	} else {
		t += q.Text
	}
	if q.Section != "" {
		t += " · " + sites.SectionOf(q.Section).Label()
	}
	if len(q.Langs) > 0 {
		t += " · " + strings.Join(q.Langs, ", ")
	}
	return t
}

// entryOf is one report as a feed entry: the original (or the first
// version) as its title and first alternate link, every other version
// as an alternate in its language, and the report page as related.
func entryOf(base string, h *model.ReportHit) atomEntry {
	hv := hitOf(*h)
	e := atomEntry{Title: atomText{Lang: hv.TitleLang, Text: hv.Title}}
	if !h.Published.IsZero() {
		e.Published = h.Published.Format(time.RFC3339)
		e.Updated = e.Published
	}
	for _, v := range h.Versions {
		if e.ID == "" {
			e.ID = v.URL // the original's URL: the report's stable name
		}
		e.Links = append(e.Links, atomLink{Href: v.URL, Rel: "alternate", Type: "text/html", HrefLang: v.Lang, Title: v.Title})
	}
	if id := fetchID(*h); id != "" {
		e.Links = append(e.Links, atomLink{Href: base + "/reports/" + url.PathEscape(id), Rel: "related", Type: "text/html",
			Title: "side by side on baoscope"})
	}
	if h.Section != "" {
		e.Categories = []atomCategory{{Term: h.Section, Label: sites.SectionOf(h.Section).Label()}}
	}
	if len(h.Matched) > 0 {
		m := h.Matched[0]
		e.Summary = &atomText{Lang: langInfo(m.Lang).langAttr(), Text: plainText(m.Snippet)}
	}
	return e
}

// plainText turns a search snippet (HTML, matches in <mark>) into text.
func plainText(snippet string) string {
	s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(snippet)
	return html.UnescapeString(s)
}

// baseURL is the scheme and host the client reached, for the feed's
// absolute links; a proxy in front says https in X-Forwarded-Proto.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
