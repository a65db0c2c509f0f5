package sample

import (
	"iter"
	"slices"
	"time"

	"baoscope/sites"
)

// Section is a baolamdong.vn section ("chinh-tri", "Chính trị").
type Section struct {
	Slug, Name string
}

// Paragraph is one block of an article body: a paragraph of text or, when
// Caption is set, the caption of an image (rendered as a figure).
type Paragraph struct {
	Text    string
	Caption bool
}

// Version is one language version of a report: the Vietnamese original or
// a vietnam.vn translation.
type Version struct {
	Lang  string
	Title string
	Lead  string // may be empty for translations
	Body  []Paragraph
	// Published is when this version appeared: the report's time for the
	// original, one to three hours later for a translation.
	Published time.Time
	// SourceLabel and SourceURL make up a translation's source line
	// ("출처: https://baolamdong.vn/…"). Seed pages keep the label and URL
	// of the seed verbatim (the Russian seed says "Source:"). Empty for the
	// original.
	SourceLabel, SourceURL string
	// Seed names the file under corpus/seeds/ the body came from, if any.
	Seed string
}

// Report is a baolamdong.vn report with its language versions. Reports
// handed out by a Corpus are shared: treat them as read-only.
type Report struct {
	ID        string
	Slug      string // without the id, the key vietnam.vn uses
	Section   string // Section.Slug
	Published time.Time
	Author    string
	Tags      []string
	Versions  []Version // the original ("vi") first, then by language code
}

// Langs returns the languages the report exists in, sorted.
func (r *Report) Langs() []string {
	out := make([]string, len(r.Versions))
	for i, v := range r.Versions {
		out[i] = v.Lang
	}
	slices.Sort(out)
	return out
}

// Version returns the version in lang.
func (r *Report) Version(lang string) (*Version, bool) {
	for i := range r.Versions {
		if r.Versions[i].Lang == lang {
			return &r.Versions[i], true
		}
	}
	return nil, false
}

// Original is the Vietnamese version.
func (r *Report) Original() *Version { return &r.Versions[0] }

// URL is the real baolamdong.vn URL of the original, as canonical links and
// source lines name it.
func (r *Report) URL() string { return sites.BaoLamDongURL + sites.ArticlePath(r.Slug, r.ID) }

// Path is the original's path on the baolamdong.vn mirror.
func (r *Report) Path() string { return sites.ArticlePath(r.Slug, r.ID) }

// Related is a block of links under a vietnam.vn page ("같은 카테고리"); the
// unlinked seed page keeps the headings and titles its seed shows.
type Related struct {
	Heading string
	Titles  []string
}

// Page is a vietnam.vn page linked to no baolamdong.vn report, such as the
// Nghe An seed: its source label stands alone, without a link.
type Page struct {
	Lang      string
	Slug      string
	Title     string
	Paper     string // shown in the post meta line, "Việt Nam"
	Published time.Time
	Body      []Paragraph
	// SourceLabel is the bare label the page ends with ("원천").
	SourceLabel string
	Related     []Related
	Seed        string
}

// Path is the page's path on the vietnam.vn mirror.
func (p *Page) Path() string { return sites.TranslationPath(p.Lang, p.Slug) }

// Corpus is everything the mirror serves. Reports are ordered oldest first
// by publication time; for a generated corpus they are computed on demand.
type Corpus struct {
	sections []Section
	unlinked []Page
	reports  store
}

// store holds the reports of a corpus, in ascending publication order, and
// answers the lookups the mirror needs without requiring them all in
// memory.
type store interface {
	len() int
	// at returns report i with the bodies of the versions in bodies
	// (allLangs for every version, "" for none, or one language). Titles
	// and the original's lead are always present; a translation's lead
	// only with its body.
	at(i int, bodies string) *Report
	published(i int) time.Time
	// brief describes report i without synthesising any text, and slug
	// costs no more than the original's title: enough for sitemaps and
	// for choosing related links before loading them.
	brief(i int) brief
	slug(i int) string
	byID(id string) (int, bool)
	bySlug(slug string) (int, bool)
	// sectionLen, sectionAt and sectionPos index the reports of one
	// section, oldest first: sectionAt(sec, sectionPos(i)) == i.
	sectionLen(sec string) int
	sectionAt(sec string, k int) int
	sectionPos(i int) int
	// pages counts the pages of both sites the reports make.
	pages() int
}

// brief is a report without its text.
type brief struct {
	id, section string
	published   time.Time
	tags        []string
	langs       []string // original first
}

// allLangs asks store.at for the bodies of every version.
const allLangs = "*"

// Len is the number of reports.
func (c *Corpus) Len() int { return c.reports.len() }

// At returns report i, oldest first, with every version's body.
func (c *Corpus) At(i int) *Report { return c.reports.at(i, allLangs) }

// All yields every report, oldest first. For a generated corpus each is
// synthesised as it is yielded.
func (c *Corpus) All() iter.Seq[*Report] {
	return func(yield func(*Report) bool) {
		for i := range c.reports.len() {
			if !yield(c.reports.at(i, allLangs)) {
				return
			}
		}
	}
}

// Report returns the report with the baolamdong.vn id.
func (c *Corpus) Report(id string) (*Report, bool) {
	i, ok := c.reports.byID(id)
	if !ok {
		return nil, false
	}
	return c.reports.at(i, allLangs), true
}

// Subset returns a corpus of the reports of c that keep accepts, with c's
// sections and unlinked pages: one fold of a corpus, for an evaluation
// on reports that the rest teaches about.
func (c *Corpus) Subset(keep func(*Report) bool) *Corpus {
	var reports []Report
	for r := range c.All() {
		if keep(r) {
			reports = append(reports, *r)
		}
	}
	return &Corpus{sections: c.Sections(), unlinked: c.Unlinked(), reports: newMemStore(reports)}
}

// Sections returns the sections in the order the site's menu shows them.
func (c *Corpus) Sections() []Section { return slices.Clone(c.sections) }

// Section returns the section with the slug.
func (c *Corpus) Section(slug string) (Section, bool) {
	for _, s := range c.sections {
		if s.Slug == slug {
			return s, true
		}
	}
	return Section{}, false
}

// Unlinked returns the vietnam.vn pages linked to no report.
func (c *Corpus) Unlinked() []Page { return slices.Clone(c.unlinked) }

// Pages is the number of pages the mirror serves for the corpus's content:
// one per report version plus the unlinked pages (fault pages excluded).
func (c *Corpus) Pages() int { return c.reports.pages() + len(c.unlinked) }

// memStore is the store of a loaded corpus: every report in memory.
type memStore struct {
	reports   []Report // ascending by (Published, ID)
	ids       map[string]int
	slugs     map[string]int
	bySection map[string][]int
	pos       []int
}

func newMemStore(reports []Report) *memStore {
	slices.SortStableFunc(reports, func(a, b Report) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return cmpID(a.ID, b.ID)
	})
	m := &memStore{
		reports:   reports,
		ids:       make(map[string]int, len(reports)),
		slugs:     make(map[string]int, len(reports)),
		bySection: map[string][]int{},
		pos:       make([]int, len(reports)),
	}
	for i := range reports {
		r := &reports[i]
		m.ids[r.ID] = i
		m.slugs[r.Slug] = i
		m.pos[i] = len(m.bySection[r.Section])
		m.bySection[r.Section] = append(m.bySection[r.Section], i)
	}
	return m
}

// cmpID orders numeric ids numerically (shorter is smaller).
func cmpID(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (m *memStore) len() int                        { return len(m.reports) }
func (m *memStore) at(i int, _ string) *Report      { return &m.reports[i] }
func (m *memStore) published(i int) time.Time       { return m.reports[i].Published }
func (m *memStore) sectionLen(sec string) int       { return len(m.bySection[sec]) }
func (m *memStore) sectionAt(sec string, k int) int { return m.bySection[sec][k] }
func (m *memStore) sectionPos(i int) int            { return m.pos[i] }

func (m *memStore) slug(i int) string { return m.reports[i].Slug }

func (m *memStore) brief(i int) brief {
	r := &m.reports[i]
	b := brief{id: r.ID, section: r.Section, published: r.Published, tags: r.Tags, langs: make([]string, len(r.Versions))}
	for k, v := range r.Versions {
		b.langs[k] = v.Lang
	}
	return b
}

func (m *memStore) byID(id string) (int, bool) {
	i, ok := m.ids[id]
	return i, ok
}

func (m *memStore) bySlug(slug string) (int, bool) {
	i, ok := m.slugs[slug]
	return i, ok
}

func (m *memStore) pages() int {
	n := 0
	for i := range m.reports {
		n += len(m.reports[i].Versions)
	}
	return n
}
