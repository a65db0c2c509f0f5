package sample

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"baoscope/model"
	"baoscope/sites"
)

// vietnamBrand is the header every vietnam.vn page starts with; page text
// copied from the site (the Nghe An seed) begins with it.
const vietnamBrand = "Vietnam.vn - Nền tảng quảng bá Việt Nam"

// commentFooterRe matches the comment counter that closes a vietnam.vn
// page's text: "댓글 (0)", "Kommentar (0)", "ความคิดเห็น (0)".
var commentFooterRe = regexp.MustCompile(`^[^\s()]+ \(\d+\)$`)

// placeholders are what the site prints in an empty related block; they
// carry no content of their own and are re-rendered as chrome.
func isPlaceholder(line string) bool {
	return line == "No data" || line == "No videos available"
}

// isImageDebris recognises what is left of an image in copied page text:
// ".jpg)" or a file name ending in an image extension, possibly followed
// by the ")" of a Markdown link.
func isImageDebris(line string) bool {
	l := strings.ToLower(strings.TrimSuffix(line, ")"))
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".webp", ".gif"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// splitLines splits text into lines with surrounding space removed.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// trimEmpty drops leading and trailing empty lines.
func trimEmpty(lines []string) []string {
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// paragraphs turns body lines into paragraphs: one per non-empty line,
// image debris becoming captions.
func paragraphs(lines []string) []Paragraph {
	var out []Paragraph
	for _, l := range lines {
		if l == "" {
			continue
		}
		out = append(out, Paragraph{Text: l, Caption: isImageDebris(l)})
	}
	return out
}

// seedBody is what a linked seed contributes to its version.
type seedBody struct {
	body        []Paragraph
	sourceLabel string
	sourceURL   string
}

// parseSeed reads the text of a vietnam.vn translation as copied from the
// site: the body, then the source line, then the comment footer. The
// source line and the footer are page chrome the mirror re-renders, so
// they are split off; the label and URL are kept verbatim.
func parseSeed(text string) (seedBody, error) {
	lines := trimEmpty(splitLines(text))
	if n := len(lines); n > 0 && commentFooterRe.MatchString(lines[n-1]) {
		lines = trimEmpty(lines[:n-1])
	}
	if len(lines) == 0 {
		return seedBody{}, errors.New("empty seed")
	}
	last := lines[len(lines)-1]
	u, ok := sites.ParseSourceLine(last)
	if !ok {
		return seedBody{}, fmt.Errorf("last line %q is not a source line", abbreviate(last))
	}
	// The label is whatever precedes the URL, minus the colon.
	label := last
	if i := strings.Index(last, u); i >= 0 {
		label = last[:i]
	}
	label = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(label), ":："))
	sb := seedBody{sourceLabel: label, sourceURL: u}
	sb.body = paragraphs(trimEmpty(lines[:len(lines)-1]))
	if len(sb.body) == 0 {
		return seedBody{}, errors.New("seed has no body")
	}
	return sb, nil
}

// parseUnlinkedSeed splits the text of a vietnam.vn page that names no
// source (the Nghe An seed). Its text carries the whole page: the site
// header, the title, the paper/date line ("Việt NamViệt Nam29/08/2023"),
// the body, a bare source label, the comment footer and the related blocks
// after it. The page fields around the body come from meta and are dropped
// from the body; the label and the related blocks are kept so the mirror
// renders them where the site does.
func parseUnlinkedSeed(text string, p *Page) error {
	lines := splitLines(text)
	footer := -1
	for i, l := range lines {
		if commentFooterRe.MatchString(l) {
			footer = i
			break
		}
	}
	if footer < 0 {
		return errors.New("no comment footer such as \"댓글 (0)\"")
	}
	label := footer - 1
	for label >= 0 && lines[label] == "" {
		label--
	}
	if label < 0 {
		return errors.New("no source label before the comment footer")
	}
	if _, ok := sites.ParseSourceLine(lines[label]); ok {
		return errors.New("source label has a link; the page belongs under reports/")
	}
	if strings.IndexFunc(lines[label], unicode.IsSpace) >= 0 || len([]rune(lines[label])) > 20 {
		return fmt.Errorf("line %q before the comment footer is not a bare source label", abbreviate(lines[label]))
	}
	p.SourceLabel = lines[label]

	metaLine := p.Paper + p.Paper + p.Published.In(model.Vietnam).Format("02/01/2006")
	var body []string
	titleSeen := false
	for _, l := range lines[:label] {
		switch {
		case l == vietnamBrand && len(body) == 0 && !titleSeen:
		case l == p.Title && !titleSeen:
			titleSeen = true
		case l == metaLine:
		default:
			body = append(body, l)
		}
	}
	p.Body = paragraphs(body)
	if len(p.Body) == 0 {
		return errors.New("seed has no body")
	}
	p.Related = relatedBlocks(lines[footer+1:])
	return nil
}

// relatedBlocks reads the blocks after a page's comment footer: groups of
// lines separated by empty lines, a single line being a heading and a
// longer group the titles listed under the heading before it.
func relatedBlocks(lines []string) []Related {
	var groups [][]string
	var cur []string
	for _, l := range append(lines, "") {
		switch {
		case l == "":
			if len(cur) > 0 {
				groups = append(groups, cur)
				cur = nil
			}
		case isPlaceholder(l):
		default:
			cur = append(cur, l)
		}
	}
	var out []Related
	for _, g := range groups {
		if len(g) == 1 || len(out) == 0 {
			out = append(out, Related{Heading: g[0]})
			if len(g) == 1 {
				continue
			}
			g = g[1:]
		}
		last := &out[len(out)-1]
		last.Titles = append(last.Titles, g...)
	}
	return out
}

// abbreviate shortens a line for an error message.
func abbreviate(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
