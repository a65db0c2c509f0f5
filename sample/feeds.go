package sample

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	Xmlns    string       `xml:"xmlns,attr"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	Xmlns   string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

func writeXML(w http.ResponseWriter, contentType string, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, "encode xml: "+err.Error(), http.StatusInternalServerError)
		return
	}
	buf.WriteByte('\n')
	write(w, http.StatusOK, contentType, buf.Bytes())
}

// searchPublished is the first report published at or after t.
func (s *Site) searchPublished(t time.Time) int {
	st := s.c.reports
	return sort.Search(st.len(), func(i int) bool { return !st.published(i).Before(t) })
}

// sitemapPart is one sitemap file: a period, or a numbered part of one
// that holds more URLs than a file may.
type sitemapPart struct {
	name    string    // file name under /sitemaps/
	lo, hi  int       // report index range (baolamdong) or entry range (vietnam.vn)
	lastmod time.Time // newest entry
}

// partName numbers parts after the first: 2025-08.xml, 2025-08-2.xml …
func partName(prefix string, part int) string {
	if part == 0 {
		return prefix + ".xml"
	}
	return prefix + "-" + strconv.Itoa(part+1) + ".xml"
}

// baoSitemapParts lists the monthly sitemaps of the originals.
func (s *Site) baoSitemapParts() []sitemapPart {
	st := s.c.reports
	first := st.published(0).In(model.Vietnam)
	last := st.published(st.len() - 1)
	var out []sitemapPart
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, model.Vietnam); !m.After(last); m = m.AddDate(0, 1, 0) {
		lo, hi := s.searchPublished(m), s.searchPublished(m.AddDate(0, 1, 0))
		for part, k := 0, lo; k < hi; part, k = part+1, k+s.opts.SitemapMaxURLs {
			end := min(k+s.opts.SitemapMaxURLs, hi)
			out = append(out, sitemapPart{name: partName(m.Format("2006-01"), part), lo: k, hi: end, lastmod: st.published(end - 1)})
		}
	}
	return out
}

func (s *Site) baoSitemapIndex(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	idx := sitemapIndex{Xmlns: sitemapNS}
	for _, p := range s.baoSitemapParts() {
		idx.Sitemaps = append(idx.Sitemaps, sitemapRef{Loc: base + "/sitemaps/" + p.name, Lastmod: p.lastmod.Format(time.RFC3339)})
	}
	writeXML(w, contentXML, idx)
}

func (s *Site) baoSitemap(w http.ResponseWriter, r *http.Request, name string) {
	i := slices.IndexFunc(s.baoSitemapParts(), func(p sitemapPart) bool { return p.name == name })
	if i < 0 {
		s.notFound(w, "bld-404")
		return
	}
	p := s.baoSitemapParts()[i]
	base := baseURL(r)
	set := urlset{Xmlns: sitemapNS, URLs: make([]sitemapURL, 0, p.hi-p.lo)}
	st := s.c.reports
	for k := p.lo; k < p.hi; k++ {
		b := st.brief(k)
		set.URLs = append(set.URLs, sitemapURL{Loc: base + sites.ArticlePath(st.slug(k), b.id), Lastmod: b.published.Format(time.RFC3339)})
	}
	writeXML(w, contentXML, set)
}

// vnEntry is one URL of a vietnam.vn daily sitemap.
type vnEntry struct {
	path string
	t    time.Time
}

// dayKey is a calendar day in Vietnam, as a number of days since
// 1970-01-01: cheaper than formatting when every translation of a corpus
// is counted.
func dayKey(t time.Time) int64 {
	return (t.Unix() + model.VietnamOffset) / (24 * 60 * 60)
}

// dayName is the date of a dayKey, 2006-01-02.
func dayName(day int64) string {
	return time.Unix(day*24*60*60, 0).UTC().Format("2006-01-02")
}

// vnDay is the reports whose translations may have appeared on one day,
// and how many did.
type vnDay struct {
	day    int64 // dayKey
	name   string
	lo, hi int // report index range holding the day's translations
	count  int
}

// vnDays scans the corpus once for the days translations appeared on. It
// needs only ids, languages and times, which even a generated corpus gives
// without synthesising text; the result is cached because the index and
// each daily file need it.
func (s *Site) vnDays() []vnDay {
	s.daysOnce.Do(func() {
		st := s.c.reports
		byDay := map[int64]*vnDay{}
		for i := range st.len() {
			b := st.brief(i)
			for _, lang := range b.langs[1:] {
				k := dayKey(translationTime(b.published, b.id, lang))
				d := byDay[k]
				if d == nil {
					d = &vnDay{day: k, name: dayName(k), lo: i}
					byDay[k] = d
				}
				d.hi = i + 1
				d.count++
			}
		}
		for _, e := range s.vnExtraEntries() {
			k := dayKey(e.t)
			if byDay[k] == nil {
				byDay[k] = &vnDay{day: k, name: dayName(k)}
			}
			byDay[k].count++
		}
		for _, d := range byDay {
			s.days = append(s.days, *d)
		}
		slices.SortFunc(s.days, func(a, b vnDay) int { return cmp.Compare(a.day, b.day) })
	})
	return s.days
}

// vnListedDays are the days whose daily sitemaps are published: all but
// the newest HeldBackDays.
func (s *Site) vnListedDays() []vnDay {
	days := s.vnDays()
	return days[:max(0, len(days)-s.opts.HeldBackDays)]
}

// vnExtraEntries are the vietnam.vn pages that are not translations of a
// report: the unlinked pages and the fault pages listed in the sitemap.
func (s *Site) vnExtraEntries() []vnEntry {
	var out []vnEntry
	for _, p := range s.c.unlinked {
		out = append(out, vnEntry{path: p.Path(), t: p.Published})
	}
	for _, f := range s.faults {
		if f.Site == model.SiteVietnamVN && f.inSitemap {
			out = append(out, vnEntry{path: f.Path, t: f.published})
		}
	}
	return out
}

// vnDayEntries lists the pages of one day, oldest first.
func (s *Site) vnDayEntries(d vnDay) []vnEntry {
	var out []vnEntry
	st := s.c.reports
	for i := d.lo; i < d.hi; i++ {
		b := st.brief(i)
		slug := ""
		for _, lang := range b.langs[1:] {
			if t := translationTime(b.published, b.id, lang); dayKey(t) == d.day {
				if slug == "" {
					slug = st.slug(i)
				}
				out = append(out, vnEntry{path: sites.TranslationPath(lang, slug), t: t})
			}
		}
	}
	for _, e := range s.vnExtraEntries() {
		if dayKey(e.t) == d.day {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b vnEntry) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	return out
}

func (s *Site) vnSitemapIndex(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	idx := sitemapIndex{Xmlns: sitemapNS}
	for _, d := range s.vnListedDays() {
		end, _ := time.ParseInLocation("2006-01-02", d.name, model.Vietnam)
		lastmod := end.Add(24*time.Hour - time.Second).Format(time.RFC3339)
		for part := 0; part*s.opts.SitemapMaxURLs < d.count; part++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapRef{Loc: base + "/sitemaps/" + partName("post-"+d.name, part), Lastmod: lastmod})
		}
	}
	writeXML(w, contentXML, idx)
}

func (s *Site) vnSitemap(w http.ResponseWriter, r *http.Request, name string) {
	rest, ok := strings.CutPrefix(name, "post-")
	rest, ok2 := strings.CutSuffix(rest, ".xml")
	if !ok || !ok2 || len(rest) < len("2006-01-02") {
		s.notFound(w, "vn-404")
		return
	}
	day, part := rest[:10], 0
	if suffix := rest[10:]; suffix != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(suffix, "-"))
		if err != nil || n < 2 || "-"+strconv.Itoa(n) != suffix {
			s.notFound(w, "vn-404")
			return
		}
		part = n - 1
	}
	days := s.vnListedDays()
	i := slices.IndexFunc(days, func(d vnDay) bool { return d.name == day })
	if i < 0 || part*s.opts.SitemapMaxURLs >= days[i].count {
		s.notFound(w, "vn-404")
		return
	}
	entries := s.vnDayEntries(days[i])
	entries = entries[part*s.opts.SitemapMaxURLs : min(len(entries), (part+1)*s.opts.SitemapMaxURLs)]
	base := baseURL(r)
	set := urlset{Xmlns: sitemapNS, URLs: make([]sitemapURL, 0, len(entries))}
	for _, e := range entries {
		set.URLs = append(set.URLs, sitemapURL{Loc: base + e.path, Lastmod: e.t.In(model.Vietnam).Format(time.RFC3339)})
	}
	writeXML(w, contentXML, set)
}

// RSS 2.0.

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Items       []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	Description string  `xml:"description"`
	PubDate     string  `xml:"pubDate"`
	GUID        rssGUID `xml:"guid"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

func (s *Site) baoRSS(w http.ResponseWriter, r *http.Request, sec Section) {
	base := baseURL(r)
	st := s.c.reports
	feed := rss{Version: "2.0", Channel: rssChannel{
		Title:       sec.Name + " - Báo Lâm Đồng",
		Link:        base + "/" + sec.Slug + "/",
		Description: "Tin tức " + sec.Name + " - Báo Lâm Đồng",
		Language:    "vi",
	}}
	total := st.sectionLen(sec.Slug)
	for k := total - 1; k >= 0 && k >= total-s.opts.RSSItems; k-- {
		rep := st.at(st.sectionAt(sec.Slug, k), "")
		u := base + rep.Path()
		feed.Channel.Items = append(feed.Channel.Items, rssItem{
			Title: rep.Original().Title, Link: u, Description: rep.Original().Lead,
			PubDate: rep.Published.In(model.Vietnam).Format(time.RFC1123Z),
			GUID:    rssGUID{IsPermaLink: "true", Value: u},
		})
	}
	writeXML(w, contentRSS, feed)
}
