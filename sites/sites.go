package sites

import (
	"net/url"
	"regexp"
	"strings"
)

// Default base URLs of the real sites.
const (
	BaoLamDongURL = "https://baolamdong.vn"
	VietnamVNURL  = "https://www.vietnam.vn"
)

// TranslationLangs are the language prefixes under which www.vietnam.vn
// publishes translations, as seen on the site. Lao and Khmer are among them
// although lingua-go cannot detect either.
var translationLangs = []string{
	"en", "fr", "de", "es", "pt", "it", "ru", "zh", "ja", "ko",
	"th", "lo", "km", "id", "ms", "ar",
}

// TranslationLangs returns a copy of the languages vietnam.vn publishes.
func TranslationLangs() []string {
	return append([]string(nil), translationLangs...)
}

// articleRe matches the current baolamdong.vn article path:
// /<slug>-<id>.html where id is numeric.
var articleRe = regexp.MustCompile(`^/([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9]{3,})\.html$`)

// oldArticleRe matches the older form /<section>/<yyyymm>/<slug>/.
var oldArticleRe = regexp.MustCompile(`^/([a-z0-9-]+)/([0-9]{6})/([a-z0-9]+(?:-[a-z0-9]+)*)/?$`)

// Article is what an original's URL says about it.
type Article struct {
	Slug    string // slug without the id, the key vietnam.vn uses
	ID      string // numeric id; empty for the older URL form
	Section string // only for the older URL form
}

// ParseArticlePath recognises a baolamdong.vn article path.
func ParseArticlePath(path string) (Article, bool) {
	if m := articleRe.FindStringSubmatch(path); m != nil {
		return Article{Slug: m[1], ID: m[2]}, true
	}
	if m := oldArticleRe.FindStringSubmatch(path); m != nil {
		return Article{Slug: m[3], Section: m[1]}, true
	}
	return Article{}, false
}

// ArticlePath is the current-form path of an original.
func ArticlePath(slug, id string) string { return "/" + slug + "-" + id + ".html" }

// TranslationPath is the vietnam.vn path of a translation.
func TranslationPath(lang, slug string) string { return "/" + lang + "/" + slug }

var translationRe = regexp.MustCompile(`^/([a-z]{2}(?:-[a-z]{2,4})?)/([a-z0-9]+(?:-[a-z0-9]+)*)/?$`)

// ParseTranslationPath recognises a vietnam.vn translation path
// /<lang>/<slug> and returns its language prefix and slug.
func ParseTranslationPath(path string) (lang, slug string, ok bool) {
	m := translationRe.FindStringSubmatch(path)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// SourceLabels are the words that introduce the source line at the end of a
// vietnam.vn translation, in each language the site publishes. The English
// label appears on pages of every language (the Russian seed has it), so it
// is always tried.
var sourceLabels = map[string][]string{
	"en": {"Source"},
	"vi": {"Nguồn"},
	"ko": {"출처", "원천"},
	"ar": {"المصدر"},
	"de": {"Quelle"},
	"ru": {"Источник"},
	"fr": {"Source"},
	"es": {"Fuente"},
	"pt": {"Fonte"},
	"it": {"Fonte"},
	"ja": {"出典", "ソース"},
	"zh": {"来源", "來源"},
	"th": {"ที่มา"},
	"id": {"Sumber"},
	"ms": {"Sumber"},
	"km": {"ប្រភព"},
	"lo": {"ແຫຼ່ງຂໍ້ມູນ", "ທີ່ມາ"},
}

// SourceLabel returns the label vietnam.vn uses for the source line in
// lang (the first known one), falling back to English.
func SourceLabel(lang string) string {
	if l, ok := sourceLabels[lang]; ok {
		return l[0]
	}
	return "Source"
}

// sourceLineRe finds "<label> : <url>" where label is any known label. It is
// built once from sourceLabels.
var sourceLineRe = func() *regexp.Regexp {
	seen := map[string]bool{}
	var alts []string
	for _, ls := range sourceLabels {
		for _, l := range ls {
			if !seen[l] {
				seen[l] = true
				alts = append(alts, regexp.QuoteMeta(l))
			}
		}
	}
	// Longest first so that a label which is a prefix of another loses.
	sortByLenDesc(alts)
	return regexp.MustCompile(`(?i)(?:^|\s)(?:` + strings.Join(alts, "|") + `)\s*[:：]\s*(https?://\S+)`)
}()

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && len(s[j]) > len(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// IsSourceLabel reports whether s, trimmed of spaces and a trailing
// colon, is a source-line label in any known language: a page ending in
// a bare label ("원천") has a source line without a link.
func IsSourceLabel(s string) bool {
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ":："))
	for _, ls := range sourceLabels {
		for _, l := range ls {
			if strings.EqualFold(s, l) {
				return true
			}
		}
	}
	return false
}

// ParseSourceLine looks for a source line ("Source: https://…") in text and
// returns the URL it names. A label without a URL (the Nghe An seed's bare
// "원천") is not a source line.
func ParseSourceLine(text string) (string, bool) {
	// Every match has "https?://" in it, and ":" and "/" have no case
	// variants under (?i), so text without "://" cannot match. Ordinary
	// paragraphs have none and never reach the regexp, which has no
	// literal prefix and so is tried at every position of the text.
	if !strings.Contains(text, "://") {
		return "", false
	}
	return parseSourceLineRe(text)
}

// parseSourceLineRe is ParseSourceLine without the pre-check; the tests
// hold the two to the same answers.
func parseSourceLineRe(text string) (string, bool) {
	m := sourceLineRe.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	return strings.TrimRight(m[1], ".,;)»\"'"), true
}

// ReportIDFromSource returns the baolamdong.vn report id named by a source
// URL, or false when the URL is not a current-form baolamdong.vn article
// (another paper, or a malformed link).
func ReportIDFromSource(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if host != "baolamdong.vn" {
		return "", false
	}
	a, ok := ParseArticlePath(u.Path)
	if !ok || a.ID == "" {
		return "", false
	}
	return a.ID, true
}

// IsSourceOn reports whether a source URL points to an original on the
// site at base (which may be the sample site's loopback mirror), and returns
// the report id.
func IsSourceOn(raw string, base *url.URL) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	if id, ok := ReportIDFromSource(raw); ok {
		return id, true
	}
	if base == nil || !strings.EqualFold(u.Host, base.Host) {
		return "", false
	}
	a, ok := ParseArticlePath(u.Path)
	if !ok || a.ID == "" {
		return "", false
	}
	return a.ID, true
}
