package search

import "strings"

// German writes a compound as one word (Hängebrücke, "suspension
// bridge"; Sandabbau, "sand mining"), and most compounds a researcher
// types are in no translation the tables learned from, while their parts
// are: a word of a compounding language that the tables do not know is
// searched through its parts (Koehn & Knight 2003, "Empirical methods
// for compound splitting", with the tables' vocabulary as the list of
// known words).
const (
	// minPart is the shortest part, in letters: shorter ones (ab, an,
	// ei) are mostly particles and endings that would split names and
	// unknown words anywhere.
	minPart = 4
)

// compounds reports whether lang writes compounds as one word.
func compounds(lang string) bool { return lang == "de" }

// decompound splits word, a word of src the tables do not know, into the
// fewest parts they do, each of at least minPart letters: the parts'
// index terms (the analysis stems each, which also drops the linking s
// of Landnutzungsurkunden's nutzungs), or nil when no split exists. Of
// two splits into as many parts, the one with longer parts first wins.
func (p *psq) decompound(src, word string) []string {
	r := []rune(strings.ToLower(word))
	n := len(r)
	if n < 2*minPart {
		return nil
	}
	// fewest[i] is the fewest known parts r[i:] splits into (-1: none),
	// next[i] where the first of them ends, term[i] its term.
	fewest, next, term := make([]int, n+1), make([]int, n+1), make([]string, n+1)
	for i := range fewest {
		fewest[i] = -1
	}
	fewest[n] = 0
	for i := n - minPart; i >= 0; i-- {
		for j := n; j >= i+minPart; j-- {
			if fewest[j] < 0 || (i == 0 && j == n) {
				continue
			}
			if f := fewest[j] + 1; fewest[i] < 0 || f < fewest[i] {
				if t := p.knownPart(src, string(r[i:j])); t != "" {
					fewest[i], next[i], term[i] = f, j, t
				}
			}
		}
	}
	if fewest[0] < 2 {
		return nil
	}
	var out []string
	for i := 0; i < n; i = next[i] {
		out = append(out, term[i])
	}
	return out
}

// knownPart is part's index term when it is one term the tables
// translate likely (likelyFloor) into some language, else "".
func (p *psq) knownPart(src, part string) string {
	terms := p.an.Terms(src, part)
	if len(terms) != 1 || !p.translates(src, terms[0], likelyFloor) {
		return ""
	}
	return terms[0]
}

// translates reports whether the tables translate term of src into any
// other language with at least probability floor. (Translate applies its
// floor to pivoted translations only: the direct ones were pruned when
// learned, at a lower one.)
func (p *psq) translates(src, term string, floor float64) bool {
	for _, to := range p.tr.Langs() {
		if to == src {
			continue
		}
		if ts := p.tr.Translate(term, src, to, 1, floor); len(ts) > 0 && ts[0].P >= floor {
			return true
		}
	}
	return false
}
