package server

import (
	"net/url"
	"strconv"
	"strings"

	"baoscope/model"
)

// termsShown is how many translations per language the page shows of a
// word; the API's reading has all that were searched.
const termsShown = 3

// readingView shows how the query was read: its canonical form, the
// languages its words were translated from and, per word and language,
// the likeliest translations searched, with a link that turns
// translation off or on.
type readingView struct {
	Canonical string
	// From names the languages the words were translated from; empty
	// when nothing was translated.
	From []string
	// Off: the user asked for the words as written only.
	Off                    bool
	Words                  []wordView
	ToggleURL, ToggleLabel string
}

type wordView struct {
	Word  string
	Parts string // a compound's parts, "hang + bruck"; empty for other words
	Langs []langTermsView
}

type langTermsView struct {
	Badge     badgeView
	Lang, Dir string
	Terms     []termView
}

type termView struct {
	Term, P string // P: the probability, two decimals
}

// readingOf turns a result's reading into its view; nil when the search
// says nothing of how it read the query.
func readingOf(v url.Values, q model.Query, r *model.QueryReading) *readingView {
	if r == nil {
		return nil
	}
	rv := &readingView{Canonical: r.Canonical, Off: q.NoTranslate}
	for _, code := range r.From {
		rv.From = append(rv.From, langInfo(code).English)
	}
	for _, w := range r.Words {
		wv := wordView{Word: w.Word, Parts: strings.Join(w.Parts, " + ")}
		for _, lt := range w.To {
			l := langInfo(lt.Lang)
			lv := langTermsView{Badge: badgeOf(lt.Lang, false), Lang: l.langAttr(), Dir: l.Dir()}
			for _, t := range lt.Terms[:min(termsShown, len(lt.Terms))] {
				lv.Terms = append(lv.Terms, termView{Term: t.Term, P: strconv.FormatFloat(t.P, 'f', 2, 64)})
			}
			wv.Langs = append(wv.Langs, lv)
		}
		rv.Words = append(rv.Words, wv)
	}
	if q.NoTranslate {
		rv.ToggleURL, rv.ToggleLabel = pageURL(v, map[string][]string{"translate": {""}}), "translate the query again"
	} else {
		rv.ToggleURL, rv.ToggleLabel = pageURL(v, map[string][]string{"translate": {"off"}}), "search the words as written only"
	}
	return rv
}
