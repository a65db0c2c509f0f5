package extract

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC normalisation dominated the profile of extraction (the page in
// Decode, every paragraph again in cleanText) although almost every text
// is already NFC: norm's own check looks up each rune in a multi-level
// trie. A text whose runes are all "inert starters" is NFC, so one bit per
// BMP rune answers for nearly all real text, and everything else still
// goes through norm.
//
// An inert starter has canonical combining class 0, a decomposition (if
// any) that starts with a starter, and NFC_Quick_Check=Yes: it is never
// changed by NFC and never combines with the rune before it. UAX #15's
// quick check therefore says YES for any string of them, and norm's
// quickSpan, which accepts exactly such runes without looking back, agrees
// (TestNFCInertMatchesNorm checks every inert rune of the BMP in context,
// and random strings of them).

// runeTables are per-rune answers for the BMP, built from norm's and
// package unicode's own tables on first use, so that they follow the
// Unicode versions in use, and lazily, so that programs that import
// extract but never extract pay nothing.
type runeTables struct {
	// inert has the inert starters.
	inert runeBits
	// plain has the inert starters that cleanText keeps as they are: not
	// white space, not a control, not one of the characters it drops. A
	// paragraph is mostly such runes, and one bit test then replaces
	// unicode.IsSpace (a binary search above Latin-1), the drop list,
	// unicode.IsControl and the inert test.
	plain runeBits
}

var runeTablesOnce = sync.OnceValue(buildRuneTables)

// nfcInertTable returns the inert starters.
func nfcInertTable() *runeBits { return &runeTablesOnce().inert }

type runeBits [0x10000 / 64]uint64

func (t *runeBits) has(r rune) bool {
	return r < 0x10000 && t[r>>6]&(1<<(uint(r)&63)) != 0
}

func (t *runeBits) set(r rune) { t[r>>6] |= 1 << (uint(r) & 63) }

func buildRuneTables() *runeTables {
	t := new(runeTables)
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates: utf8 would encode U+FFFD instead
		}
		if !isNFCInert(buf[:utf8.EncodeRune(buf[:], r)]) {
			continue
		}
		t.inert.set(r)
		if !unicode.IsSpace(r) && !droppedRune(r) && !unicode.IsControl(r) {
			t.plain.set(r)
		}
	}
	return t
}

// isNFCInert reports whether the one rune encoded in b is an inert
// starter, in the terms of norm's public API: BoundaryBefore is "ccc 0
// and not NFC_QC=Maybe", LeadCCC is the class of the decomposition's first
// rune, and QuickSpan covers a lone rune exactly when it is not
// NFC_QC=No.
func isNFCInert(b []byte) bool {
	p := norm.NFC.Properties(b)
	return p.Size() == len(b) && p.CCC() == 0 && p.LeadCCC() == 0 &&
		p.BoundaryBefore() && norm.NFC.QuickSpan(b) == len(b)
}

// nfcString is norm.NFC.String(s), cheaply when s is inert.
func nfcString(s string) string {
	if isNFCQuick(s, nfcInertTable()) {
		return s
	}
	return norm.NFC.String(s)
}

// isNFCQuick reports whether s is valid UTF-8 made of ASCII and inert
// starters only, which makes it NFC. False means only "maybe not".
func isNFCQuick(s string, inert *runeBits) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !inert.has(r) {
			return false
		}
		i += n
	}
	return true
}
