package extract

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// prescanLen is how much of the body is searched for <meta charset> and
// <html lang>. The HTML standard says 1024 bytes, but real pages put long
// comments and scripts first, and the search is cheap.
const prescanLen = 4096

// scoreLen bounds how much text is decoded to judge a guessed encoding.
const scoreLen = 256 << 10

var (
	// metaCharsetRe finds both <meta charset=x> and the http-equiv form
	// <meta http-equiv="Content-Type" content="text/html; charset=x">.
	metaCharsetRe = regexp.MustCompile(`(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)
	// htmlLangRe finds the primary subtag of <html lang>, used only as a
	// hint when the encoding must be guessed.
	htmlLangRe = regexp.MustCompile(`(?i)<html\s[^>]*?\blang\s*=\s*["']?\s*([a-z]{2,3})`)
	// headerCharsetRe reads the charset of a Content-Type header that
	// mime.ParseMediaType rejects (crawlers meet "text/html;;charset=utf8").
	headerCharsetRe = regexp.MustCompile(`(?i)charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)
)

// candidate is one opinion about a body's encoding.
type candidate struct {
	enc  encoding.Encoding
	name string // canonical name, as charset.Lookup returns it
}

// utf8Stats describes how well a body fits UTF-8.
type utf8Stats struct {
	invalid   int // bytes that are not part of a valid sequence
	multibyte int // valid sequences of two or more bytes
	// inert: the body is valid UTF-8 made of ASCII and inert starters
	// only (see nfc.go), so NFC as it is. The scan decodes every rune
	// anyway; knowing this spares finish a second pass over the page.
	inert bool
}

// valid reports whether the body is UTF-8 with non-ASCII text in it, the
// one case in which a legacy declaration is certainly wrong.
func (s utf8Stats) valid() bool { return s.invalid == 0 && s.multibyte > 0 }

// mostly reports whether the body is UTF-8 with a few broken bytes (a bad
// copy-paste in one paragraph), which must not make the whole page be
// re-decoded as a legacy encoding.
func (s utf8Stats) mostly() bool { return s.multibyte > 0 && s.invalid*20 <= s.multibyte }

func scanUTF8(b []byte) utf8Stats {
	inert := nfcInertTable()
	s := utf8Stats{inert: true}
	for i := 0; i < len(b); {
		// Pages are mostly ASCII markup: skip it eight bytes at a time.
		for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		if i == len(b) {
			break
		}
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			s.inert = false
			// A rune cut by the crawler's size cap is not evidence against
			// UTF-8.
			if len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
				break
			}
			s.invalid++
			i++
			continue
		}
		if !inert.has(r) {
			s.inert = false
		}
		s.multibyte++
		i += n
	}
	return s
}

// Decode converts an HTML body in any charset to NFC-normalised UTF-8.
// contentType is the Content-Type response header, which may be empty or
// wrong. The charset is taken from, in order, a byte-order mark, the
// header, <meta charset> or http-equiv, and sniffing; a declaration the
// bytes contradict is skipped (UTF-8 declared but invalid UTF-8, or a
// legacy charset declared for valid multi-byte UTF-8). When nothing
// declared fits, the encoding is guessed among windows-1258, -1252, -1251
// and -1256 by how plausible the decoded text is, with <html lang> as a
// tie-breaker.
func Decode(body []byte, contentType string) (string, error) {
	s, _, err := decode(body, contentType)
	return s, err
}

// decode is Decode that also names the encoding it chose, for tests.
func decode(body []byte, contentType string) (string, string, error) {
	if len(body) == 0 {
		return "", "", nil
	}
	// A byte-order mark is the only certain evidence there is.
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return finish(body[3:], encoding.Nop, "utf-8", nil)
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return finish(body, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), "utf-16le", nil)
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return finish(body, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), "utf-16be", nil)
	}
	if looksBinary(body) {
		return "", "", ErrNotText
	}
	head := body[:min(len(body), prescanLen)]

	var declared []candidate
	if c, ok := headerCharset(contentType); ok {
		declared = append(declared, c)
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		if c, ok := lookup(string(m[1])); ok {
			// A page cannot declare UTF-16 in itself: the declaration was
			// readable as ASCII, so the standard says to read UTF-8.
			if strings.HasPrefix(c.name, "utf-16") {
				c = candidate{encoding.Nop, "utf-8"}
			}
			declared = append(declared, c)
		}
	}

	st := scanUTF8(body)
	for _, c := range declared {
		if fits(c, st) {
			return finish(body, c.enc, c.name, &st)
		}
	}
	// Sniffing. charset.DetermineEncoding would answer UTF-8 or else
	// windows-1252 whatever the language, so the sniffing is ours: UTF-8
	// (also when only a few bytes are broken), else the most plausible
	// legacy encoding.
	if st.invalid == 0 || st.mostly() {
		return finish(body, encoding.Nop, "utf-8", &st)
	}
	c := guessLegacy(body, head)
	return finish(body, c.enc, c.name, &st)
}

// fits reports whether the bytes agree with a declared encoding.
func fits(c candidate, st utf8Stats) bool {
	if c.name == "utf-8" {
		return st.invalid == 0 || st.mostly()
	}
	// Legacy text is essentially never valid multi-byte UTF-8, so a page
	// that is must have been labelled wrongly (typically iso-8859-1 as a
	// server default).
	return !st.valid()
}

func headerCharset(contentType string) (candidate, bool) {
	if contentType == "" {
		return candidate{}, false
	}
	var cs string
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		cs = params["charset"]
	} else if m := headerCharsetRe.FindStringSubmatch(contentType); m != nil {
		cs = m[1]
	}
	if cs == "" {
		return candidate{}, false
	}
	return lookup(cs)
}

func lookup(label string) (candidate, bool) {
	e, name := charset.Lookup(label)
	if e == nil {
		return candidate{}, false
	}
	if name == "utf-8" {
		e = encoding.Nop
	}
	return candidate{e, name}, true
}

// looksBinary reports whether the start of the body has NUL bytes, which
// no HTML page in an 8-bit or UTF-8 encoding has: an image or PDF served
// under an article URL, or UTF-16 without a BOM, which neither site uses.
func looksBinary(body []byte) bool {
	head := body[:min(len(body), prescanLen)]
	nul := bytes.Count(head, []byte{0})
	return nul > 0 && nul*100 >= len(head)
}

// legacy encodings the two sites' languages have used, in the order that
// breaks ties when there is no language hint.
var (
	legacyDefault = []candidate{
		{charmap.Windows1252, "windows-1252"},
		{charmap.Windows1258, "windows-1258"},
		{charmap.Windows1251, "windows-1251"},
		{charmap.Windows1256, "windows-1256"},
	}
	legacyByLang = map[string]int{ // index into legacyDefault
		"vi": 1, "vie": 1,
		"ru": 2, "rus": 2, "uk": 2, "bg": 2, "sr": 2, "mk": 2, "be": 2,
		"ar": 3, "ara": 3, "fa": 3, "ur": 3,
	}
)

// guessLegacy picks the single-byte encoding under which the body reads
// most plausibly. The <html lang> hint only decides ties: a wrong lang
// attribute must not garble a page.
func guessLegacy(body, head []byte) candidate {
	order := make([]candidate, 0, len(legacyDefault))
	if m := htmlLangRe.FindSubmatch(head); m != nil {
		if i, ok := legacyByLang[strings.ToLower(string(m[1]))]; ok {
			order = append(order, legacyDefault[i])
		}
	}
	for _, c := range legacyDefault {
		if len(order) == 0 || c.name != order[0].name {
			order = append(order, c)
		}
	}
	sample := body[:min(len(body), scoreLen)]
	best, bestScore := order[0], 0
	for i, c := range order {
		s, err := c.enc.NewDecoder().Bytes(sample)
		if err != nil {
			continue
		}
		sc := plausibility(nfcString(string(s)))
		if i == 0 || sc > bestScore {
			best, bestScore = c, sc
		}
	}
	return best
}

// script classes used by plausibility.
const (
	scNone = iota
	scASCII
	scLatin // non-ASCII Latin
	scCyrillic
	scArabic
	scGreek
	scOther
)

func scriptOf(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		return scASCII
	case unicode.Is(unicode.Latin, r):
		return scLatin
	case unicode.Is(unicode.Cyrillic, r):
		return scCyrillic
	case unicode.Is(unicode.Arabic, r):
		return scArabic
	case unicode.Is(unicode.Greek, r):
		return scGreek
	}
	return scOther
}

// plausibility scores decoded text: 0 is perfect and every sign of a wrong
// decoding costs points. The signs are those a wrong single-byte table
// leaves: words mixing scripts ("fьr"), Latin words made only of accented
// letters (Russian read as windows-1252: "Ïðèâåò"), an upper-case letter
// inside a lower-case word (Vietnamese tone marks read as windows-1252:
// "ÐôÌng"), combining marks attached to nothing, and C1 controls or
// replacement characters for bytes the table does not define.
func plausibility(s string) int {
	score := 0
	var (
		inWord            bool
		scripts           [scOther + 1]bool
		letters, nonASCII int
		prevLower         bool
		prevLetter        bool
	)
	endWord := func() {
		if !inWord {
			return
		}
		n := 0
		for _, b := range scripts[scASCII:] {
			if b {
				n++
			}
		}
		// ASCII and accented Latin are one script.
		if scripts[scASCII] && scripts[scLatin] {
			n--
		}
		if n > 1 {
			score -= 5
		}
		if letters >= 3 && nonASCII == letters && scripts[scLatin] {
			score -= 2
		}
		inWord, scripts, letters, nonASCII, prevLower = false, [scOther + 1]bool{}, 0, 0, false
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError || (r >= 0x80 && r < 0xA0):
			score -= 3
			endWord()
			prevLetter = false
		case unicode.Is(unicode.Mn, r):
			if !prevLetter {
				score -= 3
			}
		case unicode.IsLetter(r):
			inWord = true
			sc := scriptOf(r)
			scripts[sc] = true
			letters++
			if sc != scASCII {
				nonASCII++
			}
			if unicode.IsUpper(r) && prevLower {
				score -= 2
			}
			prevLower = unicode.IsLower(r)
			prevLetter = true
		default:
			endWord()
			prevLetter = false
		}
	}
	endWord()
	return score
}

// finish decodes with the chosen encoding and normalises to NFC. st is
// scanUTF8's report on body, or nil if body was not scanned.
func finish(body []byte, enc encoding.Encoding, name string, st *utf8Stats) (string, string, error) {
	var s string
	if enc == encoding.Nop {
		s = string(body)
		// The common case: ASCII and inert starters only is valid UTF-8
		// and NFC, and so is what is left without a BOM.
		if (st != nil && st.inert) || (st == nil && isNFCQuick(s, nfcInertTable())) {
			return strings.TrimPrefix(s, "\uFEFF"), name, nil
		}
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
	} else {
		b, err := enc.NewDecoder().Bytes(body)
		if err != nil {
			return "", name, fmt.Errorf("decode %s: %w", name, err)
		}
		s = string(b)
	}
	s = strings.TrimPrefix(s, "\uFEFF")
	return nfcString(s), name, nil
}
