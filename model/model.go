package model

import (
	"strings"
	"time"
)

// Sites that baoscope knows. The values are the hosts of the real sites and
// are stored in the index, so they must not change.
const (
	SiteBaoLamDong = "baolamdong.vn"
	SiteVietnamVN  = "vietnam.vn"
)

// LangUnknown is the language code used when detection is not confident.
const LangUnknown = "unknown"

// Document is one page of one site in one language: a baolamdong.vn
// original or one vietnam.vn translation of it.
type Document struct {
	URL          string    `json:"url"`                     // the URL it was fetched from; the document's identity
	CanonicalURL string    `json:"canonical_url,omitempty"` // <link rel=canonical> or og:url when present
	Site         string    `json:"site"`                    // SiteBaoLamDong or SiteVietnamVN
	ReportID     string    `json:"report_id,omitempty"`     // baolamdong article id; empty when not linked to a report
	IsOriginal   bool      `json:"is_original"`             // true for the baolamdong.vn page itself
	SourceURL    string    `json:"source_url,omitempty"`    // the original named by a translation's source line
	Title        string    `json:"title"`
	Lead         string    `json:"lead,omitempty"`
	Body         []string  `json:"body"` // paragraphs, chrome removed
	Published    time.Time `json:"published,omitzero"`
	Author       string    `json:"author,omitempty"`
	Section      string    `json:"section,omitempty"`
	Tags         []string  `json:"tags,omitempty"`

	DeclaredLang   string  `json:"declared_lang,omitempty"` // from <html lang> or the URL prefix
	Lang           string  `json:"lang"`                    // detected language (ISO 639-1) or LangUnknown
	LangConfidence float64 `json:"lang_confidence"`
	LangMismatch   bool    `json:"lang_mismatch,omitempty"` // declared and detected disagree

	FetchedAt   time.Time `json:"fetched_at,omitzero"`
	ContentHash string    `json:"content_hash,omitempty"` // hash of the extracted fields, to detect changes
}

// UnlinkedPrefix starts the group key of a page linked to no report: the
// prefix followed by the page's URL. A report id never starts with it.
const UnlinkedPrefix = "url:"

// GroupKey is the key under which search results group this document: the
// report id when the page is linked to a baolamdong report, otherwise the
// document's own URL so that unlinked pages stand alone.
func (d *Document) GroupKey() string {
	if d.ReportID != "" {
		return d.ReportID
	}
	return UnlinkedPrefix + d.URL
}

// ReportIDOf is the report id a group key names: "" for an unlinked
// page's key.
func ReportIDOf(groupKey string) string {
	if strings.HasPrefix(groupKey, UnlinkedPrefix) {
		return ""
	}
	return groupKey
}

// Text is the title, lead and body joined by newlines: what language
// detection and the neutral index field see.
func (d *Document) Text() string {
	n := len(d.Title) + len(d.Lead)
	for _, p := range d.Body {
		n += len(p) + 1
	}
	b := make([]byte, 0, n+2)
	b = append(b, d.Title...)
	if d.Lead != "" {
		b = append(b, '\n')
		b = append(b, d.Lead...)
	}
	for _, p := range d.Body {
		b = append(b, '\n')
		b = append(b, p...)
	}
	return string(b)
}

// Version is one language version of a report, as listed in results.
type Version struct {
	Lang       string    `json:"lang"`
	URL        string    `json:"url"`
	Title      string    `json:"title"`
	IsOriginal bool      `json:"is_original"`
	Site       string    `json:"site"`
	Published  time.Time `json:"published,omitzero"`
	// DeclaredLang is what the page said (html lang, URL prefix); when
	// detection disagrees, LangMismatch is set.
	DeclaredLang string `json:"declared_lang,omitempty"`
	LangMismatch bool   `json:"lang_mismatch,omitempty"`
}

// Report is a baolamdong.vn report with every known language version.
type Report struct {
	ID        string     `json:"id"`
	Section   string     `json:"section,omitempty"`
	Published time.Time  `json:"published,omitzero"`
	Versions  []Version  `json:"versions"`
	Documents []Document `json:"documents,omitempty"` // full text, when asked for
}

// Sort orders search results.
type Sort string

const (
	SortRelevance Sort = "relevance"
	SortDate      Sort = "date" // newest first
)

// Query is a search as the user asked it.
type Query struct {
	Text          string    `json:"q"`
	Langs         []string  `json:"langs,omitempty"` // restrict matched versions to these languages
	Section       string    `json:"section,omitempty"`
	From          time.Time `json:"from,omitzero"`
	To            time.Time `json:"to,omitzero"`
	OriginalsOnly bool      `json:"originals_only,omitempty"`
	Sort          Sort      `json:"sort,omitempty"`
	Size          int       `json:"size,omitempty"`   // reports per page
	Cursor        string    `json:"cursor,omitempty"` // opaque, from Result.NextCursor
	// NoTranslate searches the words as written only, in every language's
	// fields, without their learned translations.
	NoTranslate bool `json:"no_translate,omitempty"`
	// QueryLang is the language the query is written in, as the user
	// says it: it replaces detection, and the words are translated from
	// it. Empty: detected.
	QueryLang string `json:"qlang,omitempty"`
}

// Translation is a term of another language and its probability given
// the word it translates, as learned from the corpus.
type Translation struct {
	Term string  `json:"term"`
	P    float64 `json:"p"`
}

// QueryReading says how a query was understood: its canonical form and,
// per word, what it was searched as in other languages.
type QueryReading struct {
	// Canonical is the query as parsed, in the query syntax
	// (docs/query-syntax.md): what binds to what, what is required.
	Canonical string `json:"canonical"`
	// From are the languages the words were translated from: the query's
	// language, or its two likeliest when detection is unsure.
	From  []string      `json:"from,omitempty"`
	Words []WordReading `json:"words,omitempty"`
}

// WordReading is one free word of a query and its translations.
type WordReading struct {
	Word string `json:"word"`
	// Parts are the index terms of the parts a compound the tables do not
	// know was translated through (Hängebrücke: hang, bruck); every part
	// must match in a version's language. Empty for other words.
	Parts []string `json:"parts,omitempty"`
	// To lists, per language, the most probable translations searched,
	// best first.
	To []LangTranslations `json:"to,omitempty"`
}

// LangTranslations are a word's translations into one language.
type LangTranslations struct {
	Lang  string        `json:"lang"`
	Terms []Translation `json:"terms"`
}

// VersionHit is a version of a report that matched the query.
type VersionHit struct {
	Lang    string  `json:"lang"`
	URL     string  `json:"url"`
	Title   string  `json:"title"`
	Snippet string  `json:"snippet"` // HTML: crawled text escaped, matches in <mark>
	Score   float64 `json:"score"`
}

// ReportHit is one result: a report (or an unlinked page) with the versions
// that matched and every version known.
type ReportHit struct {
	ReportID string  `json:"report_id,omitempty"` // empty for a page linked to no report
	Score    float64 `json:"score"`
	// Complete is true when one of the report's versions matches every
	// concept of the query (each free word, as written or translated,
	// and each OR group); partial matches rank after complete ones.
	Complete  bool         `json:"complete"`
	Published time.Time    `json:"published,omitzero"`
	Section   string       `json:"section,omitempty"`
	Matched   []VersionHit `json:"matched"`
	Versions  []Version    `json:"versions"`
}

// FacetCount is one value of a facet and the number of reports with it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is the answer to a Query.
type Result struct {
	Query          string                  `json:"query"`
	QueryLang      string                  `json:"query_lang"` // detected language of the query, or LangUnknown
	TotalReports   int                     `json:"total_reports"`
	TotalDocuments int                     `json:"total_documents"`
	TookMillis     float64                 `json:"took_ms"`
	Reports        []ReportHit             `json:"reports"`
	Facets         map[string][]FacetCount `json:"facets,omitempty"`
	NextCursor     string                  `json:"next_cursor,omitempty"`
	Reading        *QueryReading           `json:"reading,omitempty"`
}

// LangCount is a number of documents in one language.
type LangCount struct {
	Lang  string `json:"lang"`
	Count int    `json:"count"`
}

// Stats summarises what is indexed.
type Stats struct {
	Reports   int            `json:"reports"`
	Documents int            `json:"documents"`
	Unlinked  int            `json:"unlinked"` // documents linked to no report
	BySite    map[string]int `json:"by_site"`
	// BySiteLang counts documents per site and language.
	BySiteLang     map[string]map[string]int `json:"by_site_lang"`
	ByLang         []LangCount               `json:"by_lang"`
	LangMismatches int                       `json:"lang_mismatches"`
}
