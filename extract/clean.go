package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"baoscope/sites"
)

// The debris filters below run on the paragraphs of every layer, because
// the trafilatura fallback and a page whose chrome moved into the content
// container bring the same lines the seeds show.

var (
	// counterRe is a comment counter in any language: one or two words and
	// a number in parentheses ("댓글 (0)", "تعليق (0)", "Bình luận (3)").
	counterRe = regexp.MustCompile(`^[\pL\pM]+(?:[ \-][\pL\pM]+)?\s*[(（]\s*\pN+\s*[)）]$`)
	// imageDebrisRe is what is left of an image when a page is copied as
	// text: the file name or the end of a markdown link (".jpg)").
	imageDebrisRe = regexp.MustCompile(`(?i)\.(?:jpe?g|png|gif|webp|bmp|svg|tiff?|avif|heic)\s*\)?\s*$`)
	// dateTailRe splits a line ending in a date, for the
	// paper-name-and-date line ("Báo Lâm ĐồngBáo Lâm Đồng20/08/2025").
	dateTailRe = regexp.MustCompile(`^(.*?)\s*\d{1,2}/\d{1,2}/\d{4}(?:\s*[-,|]?\s*\d{1,2}[:h]\d{2})?\s*$`)
	// paperNameRe is a newspaper's name standing alone ("Báo Lâm Đồng").
	paperNameRe = regexp.MustCompile(`^Báo(?: \p{Lu}[\pL\pM']*){1,4}$`)
)

// tailHeadings start the blocks that follow an article (related articles
// by tag, category or author) in the languages vietnam.vn and baolamdong.vn
// use; when one stands alone as a paragraph, it and everything after it is
// chrome.
var tailHeadings = map[string]bool{
	"same tag": true, "same category": true, "same author": true, "related": true,
	"related news": true, "related articles": true, "read more": true, "see more": true,
	"tin liên quan": true, "tin cùng chuyên mục": true, "cùng chuyên mục": true,
	"cùng thẻ": true, "cùng tác giả": true, "xem thêm": true, "đọc thêm": true,
	"bài liên quan": true, "tin khác": true, "tin mới": true, "tin mới nhất": true,
	"같은 태그": true, "같은 카테고리": true, "같은 저자": true, "관련 기사": true,
	"gleiches tag": true, "gleiche kategorie": true, "gleicher autor": true, "derselbe autor": true,
	"тот же тег": true, "та же категория": true, "тот же автор": true,
	"نفس الوسم": true, "نفس الفئة": true, "نفس المؤلف": true, "نفس العلامة": true,
	"même tag": true, "même catégorie": true, "même auteur": true,
	"misma etiqueta": true, "misma categoría": true, "mismo autor": true,
	"mesma etiqueta": true, "mesma categoria": true, "mesmo autor": true,
	"stesso tag": true, "stessa categoria": true, "stesso autore": true,
	"相同标签": true, "同一类别": true, "同一作者": true, "同じタグ": true,
	"同じカテゴリー": true, "同じ著者": true, "แท็กเดียวกัน": true,
	"หมวดหมู่เดียวกัน": true, "tag yang sama": true, "kategori yang sama": true,
	"penulis yang sama": true,
}

// chromeLines are whole lines that are never prose.
var chromeLines = map[string]bool{
	"no data": true, "no videos available": true, "vietnam.vn": true,
	"không có dữ liệu": true, "chia sẻ": true, "share": true,
}

// isTail reports whether p starts the post-article blocks.
func isTail(p string) bool {
	if len(p) > 120 {
		return false
	}
	return tailHeadings[strings.ToLower(p)] || counterRe.MatchString(p)
}

// isChrome reports whether a paragraph is page furniture or debris rather
// than prose. Every pattern is about a short line or the end of a line, so
// the regular expressions see at most a short window: the filter costs the
// same for a long paragraph as for a short one.
func isChrome(p string) bool {
	short := len(p) <= 120 // bytes; at most 120 runes
	if short && (chromeLines[strings.ToLower(p)] || counterRe.MatchString(p)) {
		return true
	}
	if len(p) < 300 && strings.Contains(p, "Nền tảng quảng bá Việt Nam") {
		return true
	}
	if imageDebrisRe.MatchString(tailWindow(p, 16)) {
		return true
	}
	// hasCredit first: it looks only at the end of p, and most paragraphs
	// fail it, so the rune count (a pass over p) is rarely needed.
	if hasCredit(p) && utf8.RuneCountInString(p) < 400 {
		return true
	}
	if len(p) < 300 && utf8.RuneCountInString(p) < 100 && isDateLine(p) {
		return true
	}
	if short && paperNameRe.MatchString(p) {
		return true
	}
	if strings.HasPrefix(p, "Trang chủ") && len(p) < 300 && strings.ContainsAny(p, "›»>/|") {
		return true
	}
	return !strings.ContainsFunc(p, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// tailWindow returns roughly the last n bytes of s, starting at a rune
// boundary and, when s is cut, just after a space, so that "^" and word
// boundaries in a pattern still mean what they say.
func tailWindow(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	if j := strings.IndexAny(s[i:], " \t"); j >= 0 {
		return s[i+j+1:]
	}
	return s[i:]
}

// creditLabels introduce a photo credit, the mark of a caption: "… Ảnh:
// Hoàng Yến", "… 사진: Thanh Duy", "… Photo : Van Bau", "…。图：K.Phuc".
// The CJK ones need no space before them.
var creditLabels = map[string]bool{
	"ảnh": true, "photo": true, "photos": true, "foto": true, "fotos": true,
	"фото": true, "صورة": true, "사진": true, "ภาพ": true, "gambar": true,
	"ຮູບ": true, "រូបថត": true,
}

var cjkCreditLabels = []string{"写真", "照片", "图", "圖"}

// maxCreditName is the longest photographer's name a credit may end with.
const maxCreditName = 48

// hasCredit reports whether p ends with a photo credit: a credit label, a
// colon and a short name. It looks only at the text around the last colon,
// so its cost does not depend on the paragraph's length.
func hasCredit(p string) bool {
	i := lastColon(p)
	if i < 0 {
		return false
	}
	_, size := utf8.DecodeRuneInString(p[i:])
	name := strings.TrimRight(strings.TrimSpace(p[i+size:]), ".)）")
	if name == "" || utf8.RuneCountInString(name) > maxCreditName || !strings.ContainsFunc(name, unicode.IsLetter) {
		return false
	}
	before := strings.TrimRight(p[:i], " ")
	j := len(before)
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(before[:j])
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			break
		}
		j -= n
	}
	if creditLabels[strings.ToLower(before[j:])] {
		return true
	}
	word := before[j:]
	for _, l := range cjkCreditLabels {
		if strings.HasSuffix(word, l) {
			return true
		}
	}
	return false
}

// lastColon is strings.LastIndexAny(p, ":：") without decoding p rune by
// rune from the end, which made hasCredit a tenth of extraction. The byte
// ':' is never part of a multi-byte sequence and the bytes of "：" only
// ever encode "：", so the last occurrence of either is the same answer,
// for invalid UTF-8 too (TestLastColon).
func lastColon(p string) int {
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case ':':
			return i
		case 0x9a: // last byte of "：" (EF BC 9A)
			if i >= 2 && p[i-1] == 0xbc && p[i-2] == 0xef {
				return i - 2
			}
		}
	}
	return -1
}

// isDateLine recognises a line that is only a date, or a short name glued
// to a date: "Thứ tư, 20/08/2025 - 09:15", "Việt NamViệt Nam29/08/2023".
// A short heading that ends in a date ("Ngày 20/08/2025") is lost with it,
// which is the price of catching every paper's name.
func isDateLine(p string) bool {
	// Every match of dateTailRe has a "/", and the regexp, which has no
	// literal prefix, is expensive on the many short lines without one.
	var m []string
	if strings.IndexByte(p, '/') >= 0 {
		m = dateTailRe.FindStringSubmatch(p)
	}
	if m == nil {
		_, ok := ParseVietnameseTime(p)
		return ok && len(strings.Fields(p)) <= 6 && !strings.ContainsAny(p, ".!?")
	}
	prefix := m[1]
	if utf8.RuneCountInString(prefix) > 60 || strings.ContainsAny(prefix, ".!?…") {
		return false
	}
	return len(strings.Fields(prefix)) <= 8
}

// cleanParagraphs drops chrome, cuts at the first post-article block and
// drops repeats of the title or lead and immediate duplicates. max caps the
// result (0: no cap).
func cleanParagraphs(blocks []block, title, lead string, max int) []block {
	out := blocks[:0:0]
	for _, b := range blocks {
		if isTail(b.text) {
			break
		}
		if isChrome(b.text) || b.text == title || b.text == lead {
			continue
		}
		if len(out) > 0 && out[len(out)-1].text == b.text {
			continue
		}
		out = append(out, b)
		if max > 0 && len(out) >= max {
			break
		}
	}
	return out
}

// sourceScan is how many trailing paragraphs may hold the source line.
const sourceScan = 3

// findSource looks for the source line among the last paragraphs and
// removes it. It returns the URL it names ("" for a bare label such as the
// Nghe An page's "원천"), whether a source line or bare label was found,
// and the paragraphs without it.
func findSource(blocks []block) (string, bool, []block) {
	for i := len(blocks) - 1; i >= 0 && i >= len(blocks)-sourceScan; i-- {
		if u, ok := sourceOf(blocks[i]); ok {
			return u, true, append(blocks[:i:i], blocks[i+1:]...)
		}
	}
	return "", false, blocks
}

// sourceOf reads one paragraph as a source line: "Label: URL" as text, or
// "Label: anything" with the URL only in a link, or a bare label.
func sourceOf(b block) (string, bool) {
	if utf8.RuneCountInString(b.text) > 600 {
		return "", false
	}
	if u, ok := sites.ParseSourceLine(b.text); ok {
		return u, true
	}
	label, _, hasColon := strings.Cut(b.text, ":")
	if !hasColon {
		label, _, hasColon = strings.Cut(b.text, "：")
	}
	if hasColon && len(b.hrefs) > 0 && isSourceLabel(label) {
		return b.hrefs[0], true
	}
	if isSourceLabel(strings.TrimRight(b.text, ":： ")) {
		return "", true
	}
	return "", false
}

// isSourceLabel reports whether s is exactly one of the source labels
// package sites knows.
func isSourceLabel(s string) bool { return sites.IsSourceLabel(s) }
