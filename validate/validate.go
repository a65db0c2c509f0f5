package validate

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
)

// Page sizes, in reports per page, when the caller sets no other.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Search is a search as typed: every field as a URL parameter or a flag
// carries it, empty when not given. Field names are the API's parameters,
// which the search command's flags share.
type Search struct {
	Text    string   // q
	Langs   []string // lang: each value may hold several codes, comma-separated
	Section string   // section
	From    string   // from: YYYY-MM-DD, the first day
	To      string   // to: YYYY-MM-DD, the last day
	// Originals is true or false (any spelling strconv.ParseBool takes),
	// or "on", which an HTML checkbox sends.
	Originals string
	Sort      string // relevance (the default) or date
	Size      string // reports per page, a whole number
	Cursor    string // from a previous result; search checks it
	// Translate is true (the default when empty) or false: whether the
	// query's words are also searched as their learned translations.
	// "off" is what the search page's checkbox sends to turn it off.
	Translate string
	// QLang is the query's language, overriding detection: an ISO 639
	// code, empty to detect it.
	QLang string
}

// Params is the search URL parameters ask for (the API's, and the
// search page's form, which sends the same names).
func Params(v url.Values) Search {
	return Search{
		Text: v.Get("q"), Langs: v["lang"], Section: v.Get("section"), From: v.Get("from"), To: v.Get("to"),
		Originals: v.Get("originals"), Sort: v.Get("sort"), Size: v.Get("size"), Cursor: v.Get("cursor"),
		Translate: v.Get("translate"), QLang: v.Get("qlang"),
	}
}

// Limits bound what a search may ask for; a zero field takes the
// default above.
type Limits struct {
	DefaultSize int
	MaxSize     int
	// Langs are the languages lang= and qlang= may name: the server's
	// configured languages (the detector's). Empty accepts any well-formed
	// code, for callers that have no list (a code not in the index then
	// matches nothing).
	Langs []string
}

// Languages are the languages a search may name (Limits.Langs): the
// configured ones (the detector's) and, after them, the others the index
// holds, so that an index built with other detector languages still has
// its own searchable. model.LangUnknown, which lang= always accepts, is
// left out.
func Languages(configured, indexed []string) []string {
	out := slices.Clone(configured)
	for _, l := range indexed {
		if l != model.LangUnknown && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func (l Limits) withDefaults() Limits {
	if l.MaxSize <= 0 {
		l.MaxSize = MaxPageSize
	}
	if l.DefaultSize <= 0 {
		l.DefaultSize = min(DefaultPageSize, l.MaxSize)
	}
	return l
}

// Error is an input the user must fix. Field names it as the API's
// parameter (the command's flag has the same name); Message says what is
// wanted, and names the field too, so that it reads alone.
type Error struct {
	Field, Message string
}

func (e *Error) Error() string { return e.Field + ": " + e.Message }

// Query checks s and returns the query it asks for, or the first field
// to fix.
func Query(s Search, lim Limits) (model.Query, *Error) {
	lim = lim.withDefaults()
	q := model.Query{Text: s.Text, Section: strings.TrimSpace(s.Section), Cursor: s.Cursor, Langs: Langs(s.Langs)}
	for _, l := range q.Langs {
		if msg := lim.checkLang(l, true); msg != "" {
			return model.Query{}, &Error{"lang", msg}
		}
	}
	q.Size = lim.DefaultSize
	if s.Size != "" {
		n, err := strconv.Atoi(s.Size)
		if err != nil || n < 1 || n > lim.MaxSize {
			return model.Query{}, &Error{"size", fmt.Sprintf("size must be a whole number from 1 to %d", lim.MaxSize)}
		}
		q.Size = n
	}
	switch model.Sort(s.Sort) {
	case "", model.SortRelevance:
		q.Sort = model.SortRelevance
	case model.SortDate:
		q.Sort = model.SortDate
	default:
		return model.Query{}, &Error{"sort", "sort must be relevance or date"}
	}
	switch s.Originals {
	case "":
	case "on": // an HTML checkbox
		q.OriginalsOnly = true
	default:
		b, err := strconv.ParseBool(s.Originals)
		if err != nil {
			return model.Query{}, &Error{"originals", "originals must be true or false"}
		}
		q.OriginalsOnly = b
	}
	if verr := translation(s, lim, &q); verr != nil {
		return model.Query{}, verr
	}
	var err error
	if q.From, err = day(s.From, false); err != nil {
		return model.Query{}, &Error{"from", "from must be a date YYYY-MM-DD"}
	}
	if q.To, err = day(s.To, true); err != nil {
		return model.Query{}, &Error{"to", "to must be a date YYYY-MM-DD"}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return model.Query{}, &Error{"to", "to must not be before from"}
	}
	return q, nil
}

// translation reads the two fields that say how the query is translated.
func translation(s Search, lim Limits, q *model.Query) *Error {
	switch s.Translate {
	case "":
	case "off": // the search page's checkbox
		q.NoTranslate = true
	default:
		b, err := strconv.ParseBool(s.Translate)
		if err != nil {
			return &Error{"translate", "translate must be true or false"}
		}
		q.NoTranslate = !b
	}
	ql := strings.ToLower(strings.TrimSpace(s.QLang))
	if ql != "" {
		if msg := lim.checkLang(ql, false); msg != "" {
			return &Error{"qlang", msg}
		}
	}
	q.QueryLang = ql
	return nil
}

// Langs reads language values as typed: each may hold several codes,
// comma-separated, in any case. It returns them lower-cased, in order,
// without blanks or repeats, and does not check them (Query does), so
// that a form can show what was typed beside the error.
func Langs(values []string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(strings.ToLower(p))
			if p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// checkLang says what is wrong with a language code, or "" when it is
// valid: well formed and, when the limits name languages, one of them
// (or model.LangUnknown where unknown is allowed). The message lists the
// valid codes and suggests the two-letter code a three-letter one
// starts with (vie → vi).
func (l Limits) checkLang(code string, unknown bool) string {
	if code == model.LangUnknown && !unknown {
		return fmt.Sprintf("%q is not a language code (two letters, e.g. de)", code)
	}
	if !validLang(code) {
		return fmt.Sprintf("%q is not a language code (two letters, e.g. ko, or unknown)", code)
	}
	if len(l.Langs) == 0 || slices.Contains(l.Langs, code) || code == model.LangUnknown {
		return ""
	}
	valid := slices.Clone(l.Langs)
	if unknown {
		valid = append(valid, model.LangUnknown)
	}
	msg := fmt.Sprintf("%q is not one of the languages searched here: %s", code, strings.Join(valid, ", "))
	if len(code) == 3 && slices.Contains(l.Langs, code[:2]) {
		msg += fmt.Sprintf(" (did you mean %s?)", code[:2])
	}
	return msg
}

// validLang accepts an ISO 639 code of two or three letters, or
// model.LangUnknown.
func validLang(s string) bool {
	if s == model.LangUnknown {
		return true
	}
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// day reads YYYY-MM-DD in Vietnam's calendar, the newspaper's; an end
// date is inclusive, so it becomes the start of the next day. Empty is
// the zero time: no bound.
func day(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, model.Vietnam)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}
