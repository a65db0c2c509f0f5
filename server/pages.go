package server

import (
	"bytes"
	"context"
	"errors"
	"html"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"baoscope/align"
	"baoscope/model"
	"baoscope/search"
	"baoscope/sites"
	"baoscope/validate"
)

// templateFuncs are the helpers the templates may call; the views carry
// nearly everything ready-made, so there are few.
func templateFuncs() template.FuncMap {
	return template.FuncMap{}
}

// maxPrevCursors bounds the "previous page" stack carried in page URLs:
// past it the oldest pages are forgotten (Previous still works for the
// last 30) rather than the URL outgrowing the query-size cap.
const maxPrevCursors = 30

// badgeView is a language badge.
type badgeView struct {
	Code     string
	Name     string
	Original bool
}

func badgeOf(code string, original bool) badgeView {
	l := langInfo(code)
	return badgeView{Code: l.Code, Name: l.English, Original: original}
}

// formView echoes the search form as typed.
type formView struct {
	Q, Section, From, To, Sort string
	Size                       int // reports per page, as the validator read it
	Originals                  bool
	NoTranslate                bool   // translate=off (or false)
	QLang                      string // the query language chosen, empty to detect
}

// chipView is one language checkbox.
type chipView struct {
	Code, Name, Native string
	Count              int
	HasCount, Checked  bool
}

// facetLink is one facet value, linking to the search narrowed by it.
type facetLink struct {
	Label, Value string
	Count        int
	Href         string
	Current      bool
}

// queryErrorView shows what to fix, with the character at fault marked.
type queryErrorView struct {
	Param, Message    string
	HasPosition       bool
	Position          int
	Before, At, After string
}

type landingLang struct {
	Badge badgeView
	Name  string
	Count int
}

type landingView struct {
	Reports, Documents, Unlinked int
	Langs                        []landingLang
}

type matchView struct {
	Badge   badgeView
	Lang    string // lang attribute
	Dir     string
	URL     string
	Title   string
	Snippet template.HTML // re-escaped: only <mark> survives
}

type versionView struct {
	Badge      badgeView
	Name       string
	Lang       string
	URL        string
	Title      string
	CompareURL string // the report page with this version beside the original
}

type hitView struct {
	ReportID, ReportURL string
	Title               string
	TitleLang, TitleDir string
	Published, Section  string // Section: its readable name
	// Partial: the report covers only part of the query's concepts
	// (model.ReportHit.Complete is false).
	Partial  bool
	Matched  []matchView
	Versions []versionView
}

type resultView struct {
	TotalReports, TotalDocuments int
	QueryLang, QueryLangName     string
	QueryLangKnown               bool
	ExportJSONL, ExportCSV       string
	// Browse: no query, every report newest first with the filters.
	Browse                  bool
	Reading                 *readingView
	Timeline                *timelineView
	LangFacet, SectionFacet []facetLink
	First                   int // number of the page's first result
	Hits                    []hitView
	PrevURL, NextURL        string
	Page                    int // 0 when unknown (the stack was cut)
	Pages                   int // pages of this size in all
}

type searchView struct {
	Form      formView
	Langs     []chipView
	Sections  []sectionOption
	PageSizes []int
	// DefaultSize is the page size sent as no size at all, so that
	// the URL worth sharing stays short.
	DefaultSize int
	// FeedURL is the Atom feed of the search (rel=alternate); empty on
	// an error.
	FeedURL string
	Error   *queryErrorView
	Landing *landingView
	Res     *resultView
}

func (s *Server) handleSearchPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	// The form sends its empty fields too (from=&to=&section=…); answer
	// with the short URL instead, which is the one worth sharing.
	if clean, changed := withoutEmpty(v); changed {
		http.Redirect(w, r, "/?"+clean.Encode(), http.StatusFound)
		return
	}
	view := &searchView{Form: formView{
		Q: v.Get("q"), Section: v.Get("section"), From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort"),
	}}
	view.Form.Originals, _ = strconv.ParseBool(strings.Replace(v.Get("originals"), "on", "true", 1))
	view.Form.QLang, view.Form.NoTranslate = v.Get("qlang"), v.Get("translate") == "off"
	// The chips show the languages as typed, valid or not, beside any
	// error; the validator reads them the same way.
	selected := map[string]bool{}
	for _, l := range validate.Langs(v["lang"]) {
		selected[l] = true
	}
	ctx := r.Context()

	view.PageSizes, view.DefaultSize = s.pageSizes(), s.opts.DefaultPageSize
	view.Form.Size = s.opts.DefaultPageSize
	view.Sections = sectionMenu(nil, view.Form.Section)
	req, perr := s.parseSearch(ctx, v, "prev")
	if perr == nil {
		view.Form.NoTranslate = req.query.NoTranslate // as the validator read it
		view.Form.Size = req.query.Size
	}
	if perr != nil {
		view.Error = &queryErrorView{Param: perr.Field, Message: perr.Message}
		view.Langs = s.chips(ctx, nil, selected)
		s.render(w, r, http.StatusBadRequest, "search", view)
		return
	}
	// The home page: what is indexed, above the latest reports.
	if isHome(v) {
		st, err := s.svc.Stats(ctx)
		if err == nil {
			view.Landing = landingOf(st)
		} else {
			s.log.Warn("search page: stats", "err", err)
		}
	}

	res, err := s.search(ctx, req.query)
	if err != nil {
		status, e := s.classify(r, err)
		if status != http.StatusBadRequest {
			s.renderError(w, r, status, e.Message)
			return
		}
		view.Error = &queryErrorView{Param: e.Param, Message: e.Message}
		if e.Param == "q" {
			view.Error.Param = ""
		}
		if e.Position != nil {
			view.Error.HasPosition, view.Error.Position = true, *e.Position
			view.Error.Before, view.Error.At, view.Error.After = splitAt(req.query.Text, *e.Position)
		}
		view.Langs = s.chips(ctx, nil, selected)
		s.render(w, r, http.StatusBadRequest, "search", view)
		return
	}
	view.Langs = s.chips(ctx, res.Facets["lang"], selected)
	view.Sections = sectionMenu(res.Facets["section"], view.Form.Section)
	view.Res = s.resultView(v, req.query, res)
	view.FeedURL = exportURL(v, formatAtom)
	s.render(w, r, http.StatusOK, "search", view)
}

// isHome reports whether the page was asked for with no query and no
// filter: the home page, which also says what is indexed.
func isHome(v url.Values) bool {
	for k, vs := range v {
		switch k {
		case "size", "sort", "cursor", "prev", "translate", "qlang":
			continue
		}
		for _, x := range vs {
			if strings.TrimSpace(x) != "" {
				return false
			}
		}
	}
	return true
}

// pageSizeChoices are the page sizes the form offers, with the server's
// default and cap added and larger ones left out.
var pageSizeChoices = []int{10, 20, 50, 100}

func (s *Server) pageSizes() []int {
	var out []int
	for _, n := range append(slices.Clone(pageSizeChoices), s.opts.DefaultPageSize, s.opts.MaxPageSize) {
		if n <= s.opts.MaxPageSize && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// sectionOption is one entry of the section menu.
type sectionOption struct {
	Slug, Label string
	Count       int
	HasCount    bool
	Selected    bool
}

// sectionMenu lists the sections to filter by, named as readers know
// them (package sites): the site's sections in its menu order, then any
// other the results have, and the one selected even when neither does.
// Counts are the matching reports', where the search has them.
func sectionMenu(facet []model.FacetCount, selected string) []sectionOption {
	counts := map[string]int{}
	for _, f := range facet {
		counts[f.Value] = f.Count
	}
	var out []sectionOption
	seen := map[string]bool{}
	add := func(slug string) {
		if slug == "" || seen[slug] {
			return
		}
		seen[slug] = true
		n, has := counts[slug]
		out = append(out, sectionOption{Slug: slug, Label: sites.SectionOf(slug).Label(), Count: n, HasCount: has, Selected: slug == selected})
	}
	for _, sec := range sites.Sections() {
		add(sec.Slug)
	}
	for _, f := range facet {
		add(f.Value)
	}
	add(selected)
	return out
}

// withoutEmpty drops empty parameter values.
func withoutEmpty(v url.Values) (url.Values, bool) {
	out := url.Values{}
	changed := false
	for k, vs := range v {
		for _, x := range vs {
			if x == "" {
				changed = true
				continue
			}
			out.Add(k, x)
		}
	}
	return out, changed
}

// chips lists the language checkboxes: every language in the index (so
// that a filtered search can still widen to the others), the ones
// selected, and the counts of the query's lang facet where it has them.
func (s *Server) chips(ctx context.Context, facet []model.FacetCount, selected map[string]bool) []chipView {
	counts := map[string]int{}
	for _, f := range facet {
		counts[f.Value] = f.Count
	}
	var out []chipView
	seen := map[string]bool{}
	add := func(code string) {
		if seen[code] || code == "" {
			return
		}
		seen[code] = true
		l := langInfo(code)
		n, has := counts[code]
		out = append(out, chipView{Code: code, Name: l.English, Native: l.Native, Count: n, HasCount: has, Checked: selected[code]})
	}
	for _, f := range facet {
		add(f.Value)
	}
	for _, code := range s.langs.get(ctx, s.svc, s.log) {
		add(code)
	}
	for _, code := range slices.Sorted(maps.Keys(selected)) {
		add(code)
	}
	return out
}

// langsTTL is how long the index's language list is reused: it changes
// only with a crawl, and reading it costs a statistics query per page.
const langsTTL = time.Minute

// langCache remembers the languages of the index, most documents first.
type langCache struct {
	mu    sync.Mutex
	at    time.Time
	langs []string
}

func (c *langCache) get(ctx context.Context, svc search.Service, log *slog.Logger) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.langs != nil && time.Since(c.at) < langsTTL {
		return c.langs
	}
	st, err := svc.Stats(ctx)
	if err != nil {
		log.Warn("search page: index languages", "err", err)
		return c.langs
	}
	langs := make([]string, 0, len(st.ByLang))
	for _, lc := range st.ByLang {
		langs = append(langs, lc.Lang)
	}
	c.langs, c.at = langs, time.Now()
	return langs
}

func landingOf(st *model.Stats) *landingView {
	lv := &landingView{Reports: st.Reports, Documents: st.Documents, Unlinked: st.Unlinked}
	for _, lc := range st.ByLang {
		lv.Langs = append(lv.Langs, landingLang{Badge: badgeOf(lc.Lang, false), Name: langInfo(lc.Lang).English, Count: lc.Count})
	}
	return lv
}

// splitAt cuts q around the character (rune) at pos, for marking it.
func splitAt(q string, pos int) (before, at, after string) {
	r := []rune(q)
	switch {
	case pos < 0:
		return "", "", q
	case pos >= len(r):
		return q, " ", ""
	}
	return string(r[:pos]), string(r[pos : pos+1]), string(r[pos+1:])
}

// resultView turns a result into what the page shows.
func (s *Server) resultView(v url.Values, q model.Query, res *model.Result) *resultView {
	ql := langInfo(res.QueryLang)
	rv := &resultView{
		TotalReports: res.TotalReports, TotalDocuments: res.TotalDocuments,
		QueryLang: res.QueryLang, QueryLangName: ql.English,
		QueryLangKnown: res.QueryLang != "" && res.QueryLang != model.LangUnknown,
		Browse:         strings.TrimSpace(q.Text) == "",
	}
	rv.ExportJSONL = exportURL(v, formatJSONL)
	rv.ExportCSV = exportURL(v, formatCSV)
	rv.Timeline = newTimeline(res.Facets["month"], v)
	if !rv.Browse {
		rv.Reading = readingOf(v, q, res.Reading)
	}
	if q.Size > 0 {
		rv.Pages = max(1, (res.TotalReports+q.Size-1)/q.Size)
	}

	for _, f := range res.Facets["lang"] {
		rv.LangFacet = append(rv.LangFacet, facetLink{
			Label: langInfo(f.Value).English, Value: f.Value, Count: f.Count,
			Href:    pageURL(v, map[string][]string{"lang": {f.Value}}),
			Current: slices.Equal(q.Langs, []string{f.Value}),
		})
	}
	for _, f := range res.Facets["section"] {
		rv.SectionFacet = append(rv.SectionFacet, facetLink{
			Label: sites.SectionOf(f.Value).Label(), Value: f.Value, Count: f.Count,
			Href:    pageURL(v, map[string][]string{"section": {f.Value}}),
			Current: q.Section == f.Value,
		})
	}

	// Pagination: the cursors of earlier pages ride along in "prev", the
	// first page's as "-".
	prev := v["prev"]
	cur := v.Get("cursor")
	if cur == "" {
		cur = "-"
	}
	if len(prev) < maxPrevCursors {
		rv.Page = len(prev) + 1
		rv.First = len(prev)*q.Size + 1
	}
	if rv.First == 0 {
		rv.First = 1
	}
	if res.NextCursor != "" {
		stack := append(slices.Clone(prev), cur)
		if len(stack) > maxPrevCursors {
			stack = stack[len(stack)-maxPrevCursors:]
		}
		rv.NextURL = pageURL(v, map[string][]string{"cursor": {res.NextCursor}, "prev": stack})
	}
	if n := len(prev); n > 0 {
		c := prev[n-1]
		if c == "-" {
			c = ""
		}
		rv.PrevURL = pageURL(v, map[string][]string{"cursor": {c}, "prev": prev[:n-1]})
	}

	for _, h := range res.Reports {
		rv.Hits = append(rv.Hits, hitOf(h))
	}
	return rv
}

// pageURL is the search page with some parameters replaced (an empty
// value removes one). Changing a filter starts again from page one, so
// the cursor goes unless it is what is being set.
func pageURL(v url.Values, set map[string][]string) string {
	nv := url.Values{}
	for k, vs := range v {
		nv[k] = slices.Clone(vs)
	}
	if _, ok := set["cursor"]; !ok {
		nv.Del("cursor")
		nv.Del("prev")
	}
	for k, vs := range set {
		nv.Del(k)
		for _, x := range vs {
			if x != "" {
				nv.Add(k, x)
			}
		}
	}
	return "/?" + nv.Encode()
}

// exportURL is the API export of the same search: every result, so no
// cursor, page size or page stack.
func exportURL(v url.Values, format string) string {
	nv := url.Values{}
	for _, k := range searchParams {
		switch k {
		case "cursor", "size", "format":
			continue
		}
		for _, x := range v[k] {
			if x != "" {
				nv.Add(k, x)
			}
		}
	}
	nv.Set("format", format)
	return "/api/v1/search?" + nv.Encode()
}

// hitOf turns one result into its view. The title shown is the
// original's when there is one, else the first matching version's.
func hitOf(h model.ReportHit) hitView {
	hv := hitView{ReportID: h.ReportID, Published: day(h.Published), Partial: !h.Complete}
	if h.Section != "" {
		hv.Section = sites.SectionOf(h.Section).Label()
	}
	var title *model.Version
	for i := range h.Versions {
		if h.Versions[i].IsOriginal {
			title = &h.Versions[i]
			break
		}
	}
	if title == nil && len(h.Versions) > 0 {
		title = &h.Versions[0]
	}
	if title != nil {
		l := langInfo(title.Lang)
		hv.Title, hv.TitleLang, hv.TitleDir = title.Title, l.langAttr(), l.Dir()
		hv.ReportURL = title.URL
	}
	if id := fetchID(h); id != "" {
		hv.ReportURL = "/reports/" + url.PathEscape(id)
	}
	for _, m := range h.Matched {
		l := langInfo(m.Lang)
		hv.Matched = append(hv.Matched, matchView{
			Badge: badgeOf(m.Lang, isOriginal(h.Versions, m.URL)), Lang: l.langAttr(), Dir: l.Dir(),
			URL: m.URL, Title: m.Title, Snippet: safeSnippet(m.Snippet),
		})
	}
	for _, v := range h.Versions {
		l := langInfo(v.Lang)
		vv := versionView{Badge: badgeOf(v.Lang, v.IsOriginal), Name: l.English, Lang: l.langAttr(), URL: v.URL, Title: v.Title}
		if h.ReportID != "" && !v.IsOriginal {
			vv.CompareURL = "/reports/" + url.PathEscape(h.ReportID) + "?lang=" + url.QueryEscape(v.Lang)
		}
		hv.Versions = append(hv.Versions, vv)
	}
	if hv.Title == "" && len(hv.Matched) > 0 {
		hv.Title = hv.Matched[0].Title
	}
	return hv
}

// fetchID is the id under which the report endpoint and page give a
// result: its report id, or for a page linked to no report its group key
// (model.UnlinkedPrefix and its URL).
func fetchID(h model.ReportHit) string {
	if h.ReportID != "" {
		return h.ReportID
	}
	if len(h.Versions) == 1 {
		return model.UnlinkedPrefix + h.Versions[0].URL
	}
	return ""
}

func isOriginal(vs []model.Version, u string) bool {
	for _, v := range vs {
		if v.URL == u {
			return v.IsOriginal
		}
	}
	return false
}

// day formats a date as the newspaper's (Vietnam) calendar day.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(model.Vietnam).Format("2006-01-02")
}

// safeSnippet makes a search snippet safe to insert as HTML whatever it
// contains. Search promises escaped text with matches in <mark>; this
// does not rely on it: the text between <mark> and </mark> tags is
// unescaped and escaped again (a no-op on well-formed input, and any raw
// tag becomes text), and marks are balanced.
func safeSnippet(s string) template.HTML {
	var b strings.Builder
	open := false
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(html.EscapeString(html.UnescapeString(s)))
			break
		}
		b.WriteString(html.EscapeString(html.UnescapeString(s[:i])))
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<mark>"):
			if !open {
				b.WriteString("<mark>")
				open = true
			}
			s = s[len("<mark>"):]
		case strings.HasPrefix(s, "</mark>"):
			if open {
				b.WriteString("</mark>")
				open = false
			}
			s = s[len("</mark>"):]
		default:
			b.WriteString("&lt;")
			s = s[1:]
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// cellView is one cell of the side-by-side view: the paragraphs of one
// side of an alignment bead (none when the other side's has no
// counterpart).
type cellView struct {
	Paras     []string
	Lang, Dir string
}

type rowView struct {
	Kind        string // "lead" or "p"
	Left, Right cellView
}

type columnView struct {
	Badge                badgeView
	Name, Lang, Dir      string
	URL, Site, Title     string
	Author, DeclaredLang string
	Confidence           string
	IsOriginal, Mismatch bool
}

type switchLink struct {
	Badge   badgeView
	Lang    string
	Native  string
	Href    string
	Current bool
}

type reportView struct {
	ID, Title, Published, Section string // Section: its readable name
	Unlinked                      bool   // a page linked to no report
	BackURL, APIURL               string
	Left                          columnView
	Right                         *columnView
	Rows                          []rowView
	Switcher                      []switchLink
	Notice                        string
}

// handleReportPage shows a report's original and one translation side by
// side, paragraph by paragraph (?lang= picks the translation).
func (s *Server) handleReportPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.QueryTimeout)
	defer cancel()
	rep, err := s.svc.Report(ctx, id)
	if err != nil {
		status, e := s.classify(r, err)
		if status == http.StatusNotFound {
			e.Message = "There is no report " + id + " in the index."
		}
		s.renderError(w, r, status, e.Message)
		return
	}
	if len(rep.Documents) == 0 {
		s.renderError(w, r, http.StatusNotFound, "Report "+id+" has no documents.")
		return
	}
	s.render(w, r, http.StatusOK, "report", s.reportViewOf(rep, r.URL.Query().Get("lang"), r.Referer()))
}

// reportViewOf sets the original (or, lacking one, the first version)
// beside the chosen translation: title, then their paragraphs paired by
// content (see alignRows).
func (s *Server) reportViewOf(rep *model.Report, want, referer string) *reportView {
	docs := rep.Documents
	left := 0
	for i, d := range docs {
		if d.IsOriginal {
			left = i
			break
		}
	}
	want = strings.ToLower(strings.TrimSpace(want))
	right := -1
	for i, d := range docs {
		if i != left && d.Lang == want {
			right = i
			break
		}
	}
	rv := &reportView{
		ID: rep.ID, Published: day(rep.Published), Unlinked: strings.HasPrefix(rep.ID, model.UnlinkedPrefix),
		BackURL: "/", APIURL: "/api/v1/reports/" + url.PathEscape(rep.ID),
	}
	if rep.Section != "" {
		rv.Section = sites.SectionOf(rep.Section).Label()
	}
	if right < 0 {
		if want != "" {
			rv.Notice = "This report has no " + langInfo(want).English + " version; showing another."
		}
		right = defaultTranslation(docs, left)
	}
	// Back to the search the reader came from, when it was ours.
	if u, err := url.Parse(referer); err == nil && u.Path == "/" && u.RawQuery != "" {
		rv.BackURL = "/?" + u.RawQuery
	}
	rv.Left = columnOf(&docs[left])
	rv.Title = docs[left].Title
	for i, d := range docs {
		if i == left {
			continue
		}
		l := langInfo(d.Lang)
		rv.Switcher = append(rv.Switcher, switchLink{
			Badge: badgeOf(d.Lang, d.IsOriginal), Lang: l.langAttr(), Native: l.Native,
			Href:    "/reports/" + url.PathEscape(rep.ID) + "?lang=" + url.QueryEscape(d.Lang),
			Current: i == right,
		})
	}
	var rd *model.Document
	if right >= 0 {
		c := columnOf(&docs[right])
		rv.Right = &c
		rd = &docs[right]
	}
	rv.Rows = s.alignRows(rep.ID, &docs[left], rd)
	return rv
}

// defaultTranslation picks the version shown beside the original when
// none was asked for: English when there is one (the widest-read), else
// the first other version.
func defaultTranslation(docs []model.Document, left int) int {
	first := -1
	for i, d := range docs {
		if i == left {
			continue
		}
		if d.Lang == "en" {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

func columnOf(d *model.Document) columnView {
	l := langInfo(d.Lang)
	c := columnView{
		Badge: badgeOf(d.Lang, d.IsOriginal), Name: l.English, Lang: l.langAttr(), Dir: l.Dir(),
		URL: d.URL, Site: d.Site, Title: d.Title, Author: d.Author, DeclaredLang: d.DeclaredLang,
		IsOriginal: d.IsOriginal, Mismatch: d.LangMismatch,
	}
	if d.LangConfidence > 0 {
		c.Confidence = strconv.FormatFloat(d.LangConfidence, 'f', 2, 64)
	}
	if c.Site == "" {
		if u, err := url.Parse(d.URL); err == nil {
			c.Site = u.Host
		}
	}
	return c
}

func cellOf(d *model.Document, segs []string, idx []int) cellView {
	l := langInfo(d.Lang)
	c := cellView{Lang: l.langAttr(), Dir: l.Dir()}
	for _, i := range idx {
		c.Paras = append(c.Paras, segs[i])
	}
	return c
}

// alignRows pairs the segments (lead, then body) of two documents by
// content: Options.Align, which serves what learning aligned, or the
// length-and-anchor alignment. Translations lose leads and merge or split
// paragraphs, so pairing by position would set each paragraph beside its
// neighbour's translation. right may be nil (a report with one version).
func (s *Server) alignRows(report string, left, right *model.Document) []rowView {
	ls := align.Segments(left.Lead, left.Body)
	if right == nil {
		rows := make([]rowView, len(ls))
		for i := range ls {
			rows[i] = rowView{Kind: rowKind(left, []int{i}), Left: cellOf(left, ls, []int{i})}
		}
		return rows
	}
	rs := align.Segments(right.Lead, right.Body)
	var beads []align.Bead
	if s.opts.Align != nil {
		beads = s.opts.Align(report, right.Lang, ls, rs)
	} else {
		beads = align.Align(ls, rs, nil)
	}
	rows := make([]rowView, len(beads))
	for i, b := range beads {
		rows[i] = rowView{Kind: rowKind(left, b.Left), Left: cellOf(left, ls, b.Left), Right: cellOf(right, rs, b.Right)}
	}
	return rows
}

// rowKind is "lead" for the row holding the left document's lead.
func rowKind(left *model.Document, idx []int) string {
	if left.Lead != "" && len(idx) > 0 && idx[0] == 0 {
		return "lead"
	}
	return "p"
}

// errorView is the page of an error.
type errorView struct {
	Status     int
	StatusText string
	Message    string
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	text := http.StatusText(status)
	if text == "" {
		text = "Error"
	}
	s.render(w, r, status, "error", &errorView{Status: status, StatusText: text, Message: msg})
}

// render executes a page into a buffer first, so that a template error
// is a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("render page", "page", page, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// handleStatic serves the stylesheet and icon.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := path.Clean(r.PathValue("file"))
	if _, err := fs.Stat(s.static, name); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Error("static file", "name", name, "err", err)
		}
		s.renderError(w, r, http.StatusNotFound, "No such file.")
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeFileFS(w, r, s.static, name)
}
