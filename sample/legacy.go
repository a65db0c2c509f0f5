package sample

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// toCharmapForm rewrites s so that a single-byte code page can encode it:
// a character the page lacks is decomposed and its base re-composed as far
// as the page allows. Windows-1258 has "ô" and the combining grave but no
// "ồ", which it must write as ô + U+0300, as Vietnamese software does.
func toCharmapForm(s string, cm *charmap.Charmap) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		if _, ok := cm.EncodeRune(r); ok {
			b.WriteRune(r)
			continue
		}
		b.WriteString(decomposeFor(r, cm))
	}
	return b.String()
}

// decomposeFor writes r as the longest encodable base plus encodable
// combining marks, or leaves it for the encoder to escape.
func decomposeFor(r rune, cm *charmap.Charmap) string {
	d := []rune(norm.NFD.String(string(r)))
	for k := len(d); k >= 1; k-- {
		head := []rune(norm.NFC.String(string(d[:k])))
		if len(head) != 1 {
			continue
		}
		if _, ok := cm.EncodeRune(head[0]); !ok {
			continue
		}
		rest := true
		for _, m := range d[k:] {
			if _, ok := cm.EncodeRune(m); !ok {
				rest = false
			}
		}
		if rest {
			return string(head[0]) + string(d[k:])
		}
	}
	return string(r)
}

// encodeLegacy encodes an HTML page in a code page; characters the page
// cannot hold become numeric character references, as a legacy CMS writes
// them.
func encodeLegacy(page []byte, cm *charmap.Charmap) ([]byte, error) {
	out, err := encoding.HTMLEscapeUnsupported(cm.NewEncoder()).Bytes([]byte(toCharmapForm(string(page), cm)))
	if err != nil {
		return nil, fmt.Errorf("encode page as %s: %w", cm, err)
	}
	return out, nil
}
