package validatetest

import (
	"net/url"
	"time"

	"baoscope/model"
)

// Case is one search as URL parameters, which the search command's flags
// share (q aside: the command takes the query as arguments; several lang
// values become one comma-separated --lang).
type Case struct {
	Name   string
	Params url.Values
	// Field is the parameter (or flag) to fix; empty when the search is
	// valid.
	Field string
	// Want is the query a valid search asks for, with the default page
	// sizes.
	Want model.Query
	// FormOnly marks values only the search page's form sends (a
	// checkbox's "on"), which the command's flags cannot spell.
	FormOnly bool
}

// day is midnight in Vietnam.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, model.Vietnam)
}

// query is the query a valid case wants: the defaults, then edit's.
func query(text string, edit func(*model.Query)) model.Query {
	q := model.Query{Text: text, Sort: model.SortRelevance, Size: 20}
	if edit != nil {
		edit(&q)
	}
	return q
}

// Cases returns the table.
func Cases() []Case {
	return []Case{
		{Name: "words only", Params: url.Values{"q": {"Krong No"}}, Want: query("Krong No", nil)},
		{Name: "every filter", Params: url.Values{
			"q": {"Krong"}, "lang": {"KO, ar"}, "section": {" chinh-tri "}, "from": {"2025-08-01"}, "to": {"2025-08-31"},
			"originals": {"true"}, "sort": {"date"}, "size": {"5"},
		}, Want: query("Krong", func(q *model.Query) {
			q.Langs, q.Section, q.OriginalsOnly, q.Sort, q.Size = []string{"ko", "ar"}, "chinh-tri", true, model.SortDate, 5
			q.From, q.To = day(2025, 8, 1), day(2025, 9, 1) // the last day is inclusive
		})},
		{Name: "repeated languages", Params: url.Values{"q": {"a"}, "lang": {"ko,en", "en", "unknown"}},
			Want: query("a", func(q *model.Query) { q.Langs = []string{"ko", "en", "unknown"} })},
		{Name: "one day", Params: url.Values{"q": {"a"}, "from": {"2025-08-01"}, "to": {"2025-08-01"}},
			Want: query("a", func(q *model.Query) { q.From, q.To = day(2025, 8, 1), day(2025, 8, 2) })},
		{Name: "largest page", Params: url.Values{"q": {"a"}, "size": {"100"}},
			Want: query("a", func(q *model.Query) { q.Size = 100 })},
		{Name: "checkbox", Params: url.Values{"q": {"a"}, "originals": {"on"}}, FormOnly: true,
			Want: query("a", func(q *model.Query) { q.OriginalsOnly = true })},

		{Name: "no translation", Params: url.Values{"q": {"a"}, "translate": {"false"}},
			Want: query("a", func(q *model.Query) { q.NoTranslate = true })},
		{Name: "translation asked for", Params: url.Values{"q": {"a"}, "translate": {"true"}}, Want: query("a", nil)},
		{Name: "translation checkbox", Params: url.Values{"q": {"a"}, "translate": {"off"}}, FormOnly: true,
			Want: query("a", func(q *model.Query) { q.NoTranslate = true })},
		{Name: "query language", Params: url.Values{"q": {"a"}, "qlang": {"DE"}},
			Want: query("a", func(q *model.Query) { q.QueryLang = "de" })},

		{Name: "size above cap", Params: url.Values{"q": {"a"}, "size": {"101"}}, Field: "size"},
		{Name: "size zero", Params: url.Values{"q": {"a"}, "size": {"0"}}, Field: "size"},
		{Name: "size not a number", Params: url.Values{"q": {"a"}, "size": {"ten"}}, Field: "size"},
		{Name: "bad language", Params: url.Values{"q": {"a"}, "lang": {"k!"}}, Field: "lang"},
		{Name: "language too long", Params: url.Values{"q": {"a"}, "lang": {"english"}}, Field: "lang"},
		{Name: "bad sort", Params: url.Values{"q": {"a"}, "sort": {"random"}}, Field: "sort"},
		{Name: "bad originals", Params: url.Values{"q": {"a"}, "originals": {"maybe"}}, Field: "originals"},
		{Name: "bad translate", Params: url.Values{"q": {"a"}, "translate": {"maybe"}}, Field: "translate"},
		{Name: "bad query language", Params: url.Values{"q": {"a"}, "qlang": {"deutsch"}}, Field: "qlang"},
		{Name: "unknown query language", Params: url.Values{"q": {"a"}, "qlang": {"unknown"}}, Field: "qlang"},
		{Name: "bad from", Params: url.Values{"q": {"a"}, "from": {"15/08/2025"}}, Field: "from"},
		{Name: "no such day", Params: url.Values{"q": {"a"}, "to": {"2025-02-30"}}, Field: "to"},
		{Name: "to before from", Params: url.Values{"q": {"a"}, "from": {"2025-09-01"}, "to": {"2025-08-01"}}, Field: "to"},
	}
}
