package extract

import (
	"fmt"
	"unicode"

	"baoscope/model"
)

// maxNoise is the share of control characters and U+FFFD (per mille of
// the non-space characters) above which a decoded body is not text. A
// page has none but a stray few; random bytes read as any single-byte
// encoding have about 11 % (the 29 C0 controls of 256 byte values), and
// binary formats more.
const maxNoise = 10

// checkSample bounds how much of a body checkText reads: enough to tell
// text from noise, however large the body.
const checkSample = 64 << 10

// checkText refuses a decoded body that is not text (ErrNotText): too
// many characters no text has. The NUL bytes of binary files are refused
// earlier, by Decode.
func checkText(text string) error {
	total, noise := 0, 0
	for i, r := range text {
		if i >= checkSample {
			break
		}
		if unicode.IsSpace(r) {
			continue
		}
		total++
		if r == unicode.ReplacementChar || unicode.IsControl(r) {
			noise++
		}
	}
	if total > 0 && noise*1000 > total*maxNoise {
		return fmt.Errorf("%d of %d characters are control characters or undecodable: %w", noise, total, ErrNotText)
	}
	return nil
}

// hasLetters reports whether a document's title, lead or body has a
// letter: text of digits and punctuation alone reads in no language and
// answers no search.
func hasLetters(d *model.Document) bool {
	has := func(s string) bool {
		for _, r := range s {
			if unicode.IsLetter(r) {
				return true
			}
		}
		return false
	}
	if has(d.Title) || has(d.Lead) {
		return true
	}
	for _, p := range d.Body {
		if has(p) {
			return true
		}
	}
	return false
}
