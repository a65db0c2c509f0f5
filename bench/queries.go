package bench

import (
	"time"

	"baoscope/model"
)

// Query is one query of the fixed mixed set, written for baoscope and
// translated by hand for FTS5. The translations are equivalent in intent,
// not in matching: see docs/performance.md for what each engine finds.
type Query struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // name, phrase, filter, cross-language
	// Q is the baoscope query (text in the syntax of docs/query-syntax.md).
	Q model.Query `json:"q"`
	// Match is the FTS5 MATCH expression; Filter a condition on the docs
	// table (columns lang, section, published in Unix seconds), with Args.
	Match  string `json:"fts5_match"`
	Filter string `json:"fts5_filter,omitempty"`
	Args   []any  `json:"-"`
}

// Queries is the fixed mixed query set: names, phrases, filters and
// queries in one language meant to find the others. Words are drawn from
// the sample corpus, which the generator imitates, so every query has
// matches at every size.
func Queries() []Query {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, model.Vietnam)
	to := time.Date(2025, 7, 1, 0, 0, 0, 0, model.Vietnam)
	q := func(name, kind, text, match, filter string, args ...any) Query {
		return Query{Name: name, Kind: kind, Q: model.Query{Text: text}, Match: match, Filter: filter, Args: args}
	}
	return []Query{
		q("vi name", "name", "Krông Nô", "Krông Nô", ""),
		q("folded name", "name", "Krong No", "Krong No", ""),
		q("name 2", "name", "Cu Jut", "Cu Jut", ""),
		q("name 3", "name", "Di Linh", "Di Linh", ""),
		q("vi phrase", "phrase", `"chính quyền"`, `"chính quyền"`, ""),
		q("en phrase", "phrase", `"Provincial Party Committee"`, `"Provincial Party Committee"`, ""),
		q("ru phrase", "phrase", `"сухого сезона"`, `"сухого сезона"`, ""),
		q("fr phrase", "phrase", `"Comité populaire"`, `"Comité populaire"`, ""),
		q("lang filter", "filter", "Lâm Đồng lang:vi", "Lâm Đồng", "d.lang = ?", "vi"),
		q("section filter", "filter", "Gemeinde section:chinh-tri", "Gemeinde", "d.section = ?", "chinh-tri"),
		q("date filter", "filter", "coffee published:2025-01..2025-06", "coffee",
			"d.published >= ? AND d.published < ?", from.Unix(), to.Unix()),
		q("exclusion", "filter", `hồ sơ -"Krông Nô"`, `hồ sơ NOT "Krông Nô"`, ""),
		// Bleve indexes Hangul as bigrams, so 크롱노 also matches 크롱노는;
		// FTS5's unicode61 keeps the word whole, hence the prefix query.
		q("ko name", "cross-language", "크롱노", "크롱노*", ""),
		q("ar name", "cross-language", "كرونغ نو", "كرونغ نو", ""),
		q("ru name", "cross-language", "Ламдонг", "Ламдонг", ""),
		q("names OR", "cross-language", `"Krong No" OR "Cu Jut"`, `"Krong No" OR "Cu Jut"`, ""),
	}
}
