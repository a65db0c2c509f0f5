package query

import (
	"slices"
	"strings"
	"unicode"
)

// Words returns the words of free text that is not a query (a title, a
// sentence copied from a page) as Terms that search each word literally:
// the And of them renders (Node.String) as a query that Parse reads back
// to the same words, none of the text's colons, dashes, quotation marks,
// parentheses or capitalised OR read as syntax. The text is split at
// spaces and punctuation other than the apostrophe, full stop and comma
// inside a word (don't, 1.481, 99,8), which the analyser keeps; pieces
// with no letter or digit (№, –, &) are dropped as the parser drops such
// words, since they analyse to nothing and a term of nothing has no
// spelling that parses; control and invisible characters go as Parse
// drops or refuses them; repeated words are kept once. Every node is a
// *Term. A text long enough to pass MaxRunes or MaxClauses renders as a
// query Parse refuses with ErrLimit.
func Words(text string) []Node {
	var out []Node
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return isSpace(r) || isControl(r) || unicode.IsPunct(r) && r != '\'' && r != '.' && r != ','
	}) {
		w = strings.Trim(strings.Map(dropIgnorable, w), "'.,")
		if seen[w] || !hasWordRune([]rune(w)) {
			continue
		}
		seen[w] = true
		out = append(out, &Term{Text: w})
	}
	return slices.Clip(out)
}

func dropIgnorable(r rune) rune {
	if isIgnorable(r) {
		return -1
	}
	return r
}
