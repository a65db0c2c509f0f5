package align

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// segment is what the cost function needs of a paragraph.
type segment struct {
	share   float64  // length, per mille of its document's
	anchors []string // figures and Latin-letter names, normalised
}

func profile(texts []string) []segment {
	total := 0
	for _, t := range texts {
		total += weight(t)
	}
	out := make([]segment, len(texts))
	for i, t := range texts {
		if total > 0 {
			out[i].share = 1000 * float64(weight(t)) / float64(total)
		}
		out[i].anchors = anchors(t)
	}
	return out
}

// weight is a text's length in runes that carry content, spaces and
// punctuation left out so that scripts that do not space words compare
// with those that do.
func weight(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			n++
		}
	}
	return n
}

// anchors lists a text's figures, as digit strings with their separators
// dropped ("1.481", "1,481" and "١٤٨١" are all "1481"), and its words in
// Latin letters that start with a capital, folded to ASCII lowercase
// ("Krông" and "Krong" are "krong"): the names a translation into any
// script keeps, often in parentheses.
func anchors(s string) []string {
	var out []string
	var num, word strings.Builder
	capital := false
	flush := func() {
		if num.Len() > 0 {
			out = append(out, "#"+num.String())
			num.Reset()
		}
		if word.Len() > 1 && capital {
			out = append(out, word.String())
		}
		word.Reset()
		capital = false
	}
	runes := []rune(s)
	for i, r := range runes {
		if d, ok := digit(r); ok {
			if word.Len() > 0 {
				flush()
			}
			num.WriteByte('0' + d)
			continue
		}
		if num.Len() > 0 && (r == '.' || r == ',' || r == ' ' || r == '\u202f' || r == '\u066c') && i+1 < len(runes) {
			if _, ok := digit(runes[i+1]); ok {
				continue // a thousands or decimal separator inside a figure
			}
		}
		if f, ok := latinFold(r); ok {
			if num.Len() > 0 {
				flush()
			}
			if word.Len() == 0 {
				capital = unicode.IsUpper(r)
			}
			word.WriteString(f)
			continue
		}
		flush()
	}
	flush()
	return out
}

// digit is the value of a decimal digit in the scripts the corpus uses.
func digit(r rune) (byte, bool) {
	for _, zero := range []rune{'0', '\u0660', '\u06f0', '\u0e50', '\uff10'} {
		if r >= zero && r <= zero+9 {
			return byte(r - zero), true
		}
	}
	return 0, false
}

// latinFold folds a Latin letter to lowercase ASCII (đ → d, ô → o); ok is
// false for anything else.
func latinFold(r rune) (string, bool) {
	if !unicode.Is(unicode.Latin, r) {
		return "", false
	}
	switch r {
	case 'đ', 'Đ':
		return "d", true
	}
	// The first rune of the decomposition is the base letter; the
	// diacritics follow it.
	b, _ := utf8.DecodeRuneInString(norm.NFD.String(string(unicode.ToLower(r))))
	return string(b), true
}
