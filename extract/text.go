package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// block is one paragraph of text found in the DOM, with the links in it
// (the source line's URL may be only in an href).
type block struct {
	text  string
	hrefs []string
}

// walker turns a DOM subtree into paragraphs: every block-level element
// and every <br> ends a paragraph, inline elements join their text. One
// pass, no text computed twice, so it is linear in the subtree.
type walker struct {
	skip    func(*html.Node) bool
	resolve func(string) string
	limit   int // stop after this many blocks; 0 means no limit

	blocks []block
	// The paragraph's text: one text node's (the common case, which then
	// needs no copy, since cleanText returns a substring of clean text)
	// or, from the second node on, buf.
	first string
	parts int
	buf   strings.Builder
	hrefs []string
}

func (w *walker) full() bool { return w.limit > 0 && len(w.blocks) >= w.limit }

func (w *walker) flush() {
	text := w.first
	if w.parts > 1 {
		text = w.buf.String()
	}
	if t := cleanText(text); t != "" && !w.full() {
		w.blocks = append(w.blocks, block{text: t, hrefs: w.hrefs})
	}
	w.first, w.parts = "", 0
	w.buf.Reset()
	w.hrefs = nil
}

// text adds a text node's data to the paragraph.
func (w *walker) text(s string) {
	switch w.parts {
	case 0:
		w.first = s
	case 1:
		w.buf.WriteString(w.first)
		fallthrough
	default:
		w.buf.WriteString(s)
	}
	w.parts++
}

// walk visits n and its descendants. Recursion is bounded: the parser
// rejects (and parseHTML flattens) documents nested deeper than 512.
func (w *walker) walk(n *html.Node) {
	if w.full() {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if w.skip != nil && w.skip(n) {
			return
		}
		if n.DataAtom == atom.Br || n.DataAtom == atom.Hr {
			w.flush()
			return
		}
		if n.DataAtom == atom.A && w.resolve != nil {
			if u := w.resolve(attr(n, "href")); u != "" {
				w.hrefs = append(w.hrefs, u)
			}
		}
		if isBlock(n.DataAtom) {
			w.flush()
			w.children(n)
			w.flush()
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	w.children(n)
}

func (w *walker) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// paragraphs returns the blocks of the given roots, in document order.
func (w *walker) paragraphs(roots ...*html.Node) []block {
	for _, r := range roots {
		w.walk(r)
		w.flush()
	}
	return w.blocks
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Li, atom.Blockquote,
		atom.Pre, atom.Table, atom.Tr, atom.Td, atom.Th, atom.Thead, atom.Tbody,
		atom.Tfoot, atom.Caption, atom.Dl, atom.Dt, atom.Dd, atom.Figure, atom.Address,
		atom.Details, atom.Summary, atom.Center, atom.Header, atom.Footer, atom.Nav,
		atom.Aside, atom.Body, atom.Html, atom.Form, atom.Fieldset:
		return true
	}
	return false
}

// skipTag are elements whose text is never article prose. Figures and
// their captions are among them: captions are excluded from the body by
// design (see the package documentation).
func skipTag(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe,
		atom.Object, atom.Embed, atom.Svg, atom.Math, atom.Canvas, atom.Video,
		atom.Audio, atom.Figure, atom.Figcaption, atom.Picture, atom.Img,
		atom.Button, atom.Form, atom.Input, atom.Select, atom.Textarea,
		atom.Option, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Head,
		atom.Title, atom.Meta, atom.Link, atom.Label:
		return true
	}
	return false
}

// chromeClassParts mark class tokens of blocks that are page furniture on
// both sites and on most news sites: related-article lists, comments,
// share bars, breadcrumbs, captions.
var chromeClassParts = []string{
	"related", "same-tag", "same-category", "same-author", "comment", "share",
	"social", "breadcrumb", "caption", "image_desc", "advert", "banner",
	"lang-switch", "post-meta", "article-meta", "newsletter", "subscribe",
}

// chromeClassTokens are whole class tokens with the same meaning; as
// substrings they would catch too much ("ads" in "heads").
var chromeClassTokens = map[string]bool{
	"tags": true, "article-tags": true, "post-tags": true, "tag-list": true,
	"ads": true, "ad": true, "image": true, "picture": true, "photo": true,
	"img": true, "post-source": true, "hidden": true, "sr-only": true,
}

// skipChrome is the default skip rule of the walker.
func skipChrome(n *html.Node) bool {
	if skipTag(n.DataAtom) {
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "class":
			for _, tok := range strings.Fields(strings.ToLower(a.Val)) {
				if chromeClassTokens[tok] {
					return true
				}
				if n.DataAtom == atom.Table && (strings.Contains(tok, "image") || strings.Contains(tok, "photo") || strings.Contains(tok, "picture")) {
					return true
				}
				for _, p := range chromeClassParts {
					if strings.Contains(tok, p) {
						return true
					}
				}
			}
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// cleanText collapses every run of white space (including no-break and
// ideographic spaces) into one space, drops control and zero-width
// characters other than the joiners some scripts need, trims, and
// normalises to NFC. Decode already normalised the page, but NFC is not
// closed under concatenation: text joined across elements, or a combining
// mark written as a character reference, can denormalise it again.
//
// It runs on every text of every page, and most texts are already clean
// and NFC, so it does not copy until the output first differs from the
// input (a clean text comes back as a substring of s), and it skips the
// normaliser when every rune it keeps is an inert starter (see nfc.go).
// TestCleanTextMatchesReference holds it to the straightforward version.
func cleanText(s string) string {
	tab := runeTablesOnce()
	// Fast path: leading ASCII white space, then as long as the text is
	// plain runes and single spaces between them, it is its own output.
	start := 0
	for start < len(s) && asciiSpace(s[start]) {
		start++
	}
	end := start
	for end < len(s) {
		if c := s[end]; c > ' ' && c < 0x7f { // ASCII plain, inline
			end++
			continue
		}
		if n := plainAt(tab, s, end); n > 0 {
			end += n
			continue
		}
		if s[end] == ' ' && end > start {
			if n := plainAt(tab, s, end+1); n > 0 {
				end += 1 + n
				continue
			}
		}
		break
	}
	if end == len(s) {
		return s[start:]
	}
	return cleanTextFrom(tab, s, start, end)
}

// asciiSpace reports whether c is an ASCII byte unicode.IsSpace accepts.
func asciiSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// plainAt returns the length of the rune at s[i] if it is plain (kept as
// it is, and inert), else 0.
func plainAt(tab *runeTables, s string, i int) int {
	if i >= len(s) {
		return 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		if c > ' ' && c < 0x7f { // not white space, not a control
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if n == 1 || !tab.plain.has(r) { // n == 1: an invalid byte
		return 0
	}
	return n
}

// cleanTextFrom is cleanText from where the fast path stopped: s[start:end]
// is the output so far, and end is where to go on.
func cleanTextFrom(tab *runeTables, s string, start, end int) string {
	var (
		b       strings.Builder
		copying bool // b holds the output; else it is s[start:end]
		space   bool // white space seen since the last rune kept
		nfc     = true
	)
	for i := end; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		at := i
		i += n
		// Plain runes, most of them, are kept and inert; the switch is the
		// rule for the rest. An invalid byte decodes as RuneError, which is
		// plain, and is written as U+FFFD.
		if !tab.plain.has(r) {
			switch {
			case unicode.IsSpace(r):
				space = true
				continue
			case droppedRune(r):
				continue
			case unicode.IsControl(r):
				continue
			}
			// A kept rune that may not be an inert starter.
			if !tab.inert.has(r) {
				nfc = false
			}
		}
		if !copying {
			valid := r != utf8.RuneError || n > 1
			switch {
			case valid && end == start:
				// Nothing kept yet: leading white space and dropped
				// runes are skipped by starting later.
				start, end = at, i
				space = false
				continue
			case valid && !space && at == end,
				valid && space && at == end+1 && s[end] == ' ':
				// The input already has exactly what would be written.
				end = i
				space = false
				continue
			}
			copying = true
			b.Grow(len(s))
			b.WriteString(s[start:end])
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	out := s[start:end]
	if copying {
		out = b.String()
	}
	if nfc {
		return out
	}
	return norm.NFC.String(out)
}

// droppedRune reports whether r is one of the invisible characters
// cleanText drops although they are neither space nor control: zero width
// space, byte order mark, soft hyphen and word joiner.
func droppedRune(r rune) bool {
	return r == '\u200b' || r == '\ufeff' || r == '\u00ad' || r == '\u2060'
}
