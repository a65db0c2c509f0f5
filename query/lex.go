package query

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"baoscope/model"
)

type tokKind uint8

const (
	tEOF        tokKind = iota
	tLParen             // (
	tRParen             // )
	tOr                 // OR, |, ||
	tAnd                // AND
	tNot                // NOT
	tMinus              // - directly before an operand
	tPlus               // + directly before an operand
	tLeaf               // a word, phrase or field:value, already built as node
	tFieldGroup         // title: directly before (, applying the field to the group
)

type token struct {
	kind  tokKind
	pos   int
	node  Node   // tLeaf
	field string // tFieldGroup
}

// scanner turns a validated query into tokens. It works on the query with
// invisible format characters removed (see isIgnorable); pos maps each kept
// rune back to its offset in the query as typed, so that positions in
// errors and nodes refer to what the user sees.
type scanner struct {
	r       []rune
	pos     []int
	end     int // rune length of the query as typed
	toks    []token
	clauses int
}

// at is the query position of kept rune i, or the end of the query.
func (s *scanner) at(i int) int {
	if i < len(s.pos) {
		return s.pos[i]
	}
	return s.end
}

// isSpace separates words. Zero-width space and BOM are included because
// Thai and Khmer text uses U+200B as an invisible word break and pasted
// text often starts with a BOM.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// isIgnorable reports invisible characters that sneak into text copied
// from web pages (bidirectional marks around Arabic, soft hyphens, word
// joiners). They are dropped so that a word with one still matches. Zero
// width joiners are kept: they change the meaning of Persian and emoji.
func isIgnorable(r rune) bool {
	switch {
	case r == '\u00ad', r == '\u061c', r == '\u200e', r == '\u200f', r == '\u2060':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// isControl reports control characters, which have no place in a query
// and usually mean a client bug. Whitespace controls (tab, newline) are
// accepted as spaces since pasted text contains them.
func isControl(r rune) bool { return unicode.IsControl(r) && !unicode.IsSpace(r) }

// closers returns the quotation marks that close a phrase opened by r, or
// "" if r does not open one. „ closes with “ in German and ” in Polish.
func closers(r rune) string {
	switch r {
	case '"':
		return `"`
	case '“':
		return "”"
	case '„':
		return "“”"
	case '«':
		return "»"
	case '「':
		return "」"
	case '『':
		return "』"
	case '＂':
		return "＂"
	}
	return ""
}

func isOpenQuote(r rune) bool { return closers(r) != "" }

// breaksWord reports the runes that end a bare word.
func breaksWord(r rune) bool {
	return isSpace(r) || r == '(' || r == ')' || r == '|' || isOpenQuote(r)
}

// breaksValue reports the runes that end an unquoted filter value, which
// unlike a word runs through | since | separates alternatives there.
func breaksValue(r rune) bool {
	return isSpace(r) || r == '(' || r == ')' || isOpenQuote(r)
}

// hasWordRune reports whether rs has a letter or digit. Anything else, such
// as a dash between two names, analyses to nothing in the index and would
// make an AND match nothing, so such tokens are dropped.
func hasWordRune(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

// newScanner checks the raw query and prepares the scanner: it rejects
// invalid UTF-8, control characters and over-long queries, and drops
// ignorable characters.
func newScanner(q string) (*scanner, error) {
	s := &scanner{r: make([]rune, 0, len(q)), pos: make([]int, 0, len(q))}
	n := 0
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		if n >= MaxRunes {
			return nil, &Error{Pos: MaxRunes, Reason: "query is longer than 1000 characters", Kind: ErrLimit}
		}
		if r == utf8.RuneError && size <= 1 {
			return nil, errorf(n, "invalid UTF-8")
		}
		if isControl(r) {
			return nil, errorf(n, "control character %U is not allowed", r)
		}
		if !isIgnorable(r) {
			s.r = append(s.r, r)
			s.pos = append(s.pos, n)
		}
		n++
		i += size
	}
	s.end = n
	return s, nil
}

// blank reports whether the query has nothing but whitespace.
func (s *scanner) blank() bool {
	for _, r := range s.r {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

func (s *scanner) emit(t token) { s.toks = append(s.toks, t) }

// leaf emits a word, phrase or field clause, counting it against the limit.
func (s *scanner) leaf(n Node) error {
	s.clauses++
	if s.clauses > MaxClauses {
		return &Error{Pos: n.Pos(), Reason: "more than 64 words, phrases and fields", Kind: ErrLimit}
	}
	s.emit(token{kind: tLeaf, pos: n.Pos(), node: n})
	return nil
}

// scan tokenises the whole query.
func (s *scanner) scan() error {
	for i := 0; i < len(s.r); {
		r := s.r[i]
		var err error
		switch {
		case isSpace(r):
			i++
		case r == '(':
			s.emit(token{kind: tLParen, pos: s.at(i)})
			i++
		case r == ')':
			s.emit(token{kind: tRParen, pos: s.at(i)})
			i++
		case r == '|':
			s.emit(token{kind: tOr, pos: s.at(i)})
			for i < len(s.r) && s.r[i] == '|' {
				i++
			}
		case isOpenQuote(r):
			var text string
			start := i
			if text, i, err = s.phrase(i); err == nil {
				err = s.leaf(&Term{Text: text, Phrase: true, P: s.at(start)})
			}
		case (r == '-' || r == '+') && s.isPrefix(i):
			k := tMinus
			if r == '+' {
				k = tPlus
			}
			s.emit(token{kind: k, pos: s.at(i)})
			i++
		default:
			i, err = s.word(i)
		}
		if err != nil {
			return err
		}
	}
	s.emit(token{kind: tEOF, pos: s.end})
	return nil
}

// isPrefix reports whether the + or - at i applies to what follows rather
// than being punctuation: it must be followed, after any further signs, by
// a group, a phrase or a word with a letter or digit. So "-x" excludes x,
// but "Krông Nô - Đắk Nông" and "-- x" do not exclude anything.
func (s *scanner) isPrefix(i int) bool {
	j := i
	for j < len(s.r) && (s.r[j] == '-' || s.r[j] == '+') {
		j++
	}
	if j == len(s.r) {
		return false
	}
	if s.r[j] == '(' || isOpenQuote(s.r[j]) {
		return true
	}
	k := j
	for k < len(s.r) && !breaksWord(s.r[k]) {
		k++
	}
	return hasWordRune(s.r[j:k])
}

// phrase reads the quoted text opened at i and returns it with runs of
// whitespace made single spaces, and the index after the closing mark.
func (s *scanner) phrase(i int) (string, int, error) {
	cl := closers(s.r[i])
	j := i + 1
	for j < len(s.r) && !strings.ContainsRune(cl, s.r[j]) {
		j++
	}
	if j == len(s.r) {
		return "", j, errorf(s.at(i), "unterminated phrase: no closing %s", string([]rune(cl)[0]))
	}
	body := s.r[i+1 : j]
	if !hasWordRune(body) {
		return "", j, errorf(s.at(i), "empty phrase")
	}
	return strings.Join(strings.FieldsFunc(string(body), isSpace), " "), j + 1, nil
}

// keyword returns the operator spelt by w, or tEOF. Only upper case counts,
// so that "or" and "not" in English text stay words.
func keyword(w []rune) tokKind {
	switch {
	case len(w) == 2 && w[0] == 'O' && w[1] == 'R':
		return tOr
	case len(w) == 3 && w[0] == 'A' && w[1] == 'N' && w[2] == 'D':
		return tAnd
	case len(w) == 3 && w[0] == 'N' && w[1] == 'O' && w[2] == 'T':
		return tNot
	}
	return tEOF
}

// fieldColon returns the index in w of a colon that ends a field name
// (ASCII letters only), or -1.
func fieldColon(w []rune) int {
	for i, r := range w {
		if r == ':' {
			return i
		}
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return -1
		}
	}
	return -1
}

// word reads the bare word, keyword or field clause starting at i.
func (s *scanner) word(i int) (int, error) {
	j := i
	for j < len(s.r) && !breaksWord(s.r[j]) {
		j++
	}
	w := s.r[i:j]
	if k := keyword(w); k != tEOF {
		s.emit(token{kind: k, pos: s.at(i)})
		return j, nil
	}
	if k := fieldColon(w); k > 0 {
		rest := w[k+1:]
		// A colon followed by // is a URL's scheme (http://…), not a field.
		if !(len(rest) >= 2 && rest[0] == '/' && rest[1] == '/') {
			name := strings.ToLower(string(w[:k]))
			if field, kind, ok := lookupField(name); ok {
				return s.field(field, kind, i, i+k+1)
			}
			// "CTr:" or "Lưu ý:" at the end of a word is text; "foo:bar"
			// and foo:"…" are a field the user expects us to know.
			if len(rest) > 0 || (j < len(s.r) && (isOpenQuote(s.r[j]) || s.r[j] == '(')) {
				return j, errorf(s.at(i), "unknown field %q; known fields are %s", string(w[:k]), knownFields)
			}
		}
	}
	if !hasWordRune(w) {
		return j, nil
	}
	t, err := wordTerm("", w, s.at(i))
	if err != nil {
		return j, err
	}
	return j, s.leaf(t)
}

// wordTerm is the term of a bare word: a prefix search when it ends with
// * (Kro*, Kro** alike) and has no other *, else the word as typed.
func wordTerm(field string, w []rune, pos int) (*Term, error) {
	stem := strings.TrimRight(string(w), "*")
	if len(stem) == len(string(w)) || strings.ContainsRune(stem, '*') {
		return &Term{Field: field, Text: string(w), P: pos}, nil
	}
	n := 0
	for _, r := range stem {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			n++
		}
	}
	if n < MinPrefix {
		return nil, errorf(pos, "a prefix search needs at least %d letters before the * (as in Kro*)", MinPrefix)
	}
	return &Term{Field: field, Text: stem, Prefix: true, P: pos}, nil
}

// field reads the value of field (starting at kept rune i) from v, the
// index after the colon.
func (s *scanner) field(field string, kind fieldKind, i, v int) (int, error) {
	pos, vpos := s.at(i), s.at(v)
	if v < len(s.r) && s.r[v] == '(' {
		if kind != kindText {
			return v, errorf(vpos, "%s: takes a value, not a group", field)
		}
		s.emit(token{kind: tFieldGroup, pos: pos, field: field})
		return v, nil
	}
	if v < len(s.r) && isOpenQuote(s.r[v]) {
		text, end, err := s.phrase(v)
		if err != nil {
			return end, err
		}
		switch kind {
		case kindText:
			return end, s.leaf(&Term{Field: field, Text: text, Phrase: true, P: pos})
		case kindDate:
			// Offsets in the collapsed text may not match the query
			// exactly; pointing inside the quotes is close enough.
			at := func(k int) int { return s.at(min(v+1+k, end-1)) }
			return end, s.date(field, []rune(text), pos, at, end)
		}
		// A quoted filter value is one value, taken literally, so that a
		// section name with spaces or commas can be given.
		norm, err := normValue(field, text, vpos)
		if err != nil {
			return end, err
		}
		return end, s.leaf(&Filter{Field: field, Values: []string{norm}, P: pos})
	}
	brk := breaksValue
	if kind == kindText {
		brk = breaksWord
	}
	e := v
	for e < len(s.r) && !brk(s.r[e]) {
		e++
	}
	val := s.r[v:e]
	at := func(k int) int { return s.at(v + k) }
	if len(val) == 0 {
		return e, errorf(vpos, "%s: needs a value right after the colon", field)
	}
	switch kind {
	case kindText:
		if !hasWordRune(val) {
			return e, errorf(vpos, "%s: needs a word or a phrase", field)
		}
		t, err := wordTerm(field, val, pos)
		if err != nil {
			return e, err
		}
		return e, s.leaf(t)
	case kindDate:
		return e, s.date(field, val, pos, at, e)
	}
	vals, err := splitValues(field, kind, val, at)
	if err != nil {
		return e, err
	}
	return e, s.leaf(&Filter{Field: field, Values: vals, P: pos})
}

// date emits a DateRange read from val. e is the index after the value,
// used to catch a range typed with spaces.
func (s *scanner) date(field string, val []rune, pos int, at func(int) int, e int) error {
	from, to, err := parseDateValue(val, at, model.Vietnam)
	if err != nil {
		return err
	}
	// "published:2025 .. 2026" would otherwise become published:2025 and
	// the text 2026, since a lone ".." is punctuation: a silent surprise.
	next := e
	for next < len(s.r) && isSpace(s.r[next]) {
		next++
	}
	if next > e && next < len(s.r) {
		dots := next
		for dots < len(s.r) && s.r[dots] == '.' {
			dots++
		}
		lone := dots-next >= 2 && (dots == len(s.r) || isSpace(s.r[dots]))
		open := len(val) >= 2 && val[len(val)-2] == '.' && val[len(val)-1] == '.'
		if lone || open && s.r[next] >= '0' && s.r[next] <= '9' {
			return errorf(s.at(next), "%s: write a date range without spaces, as in 2025-08..2025-09", field)
		}
	}
	return s.leaf(&DateRange{Field: field, From: from, To: to, P: pos})
}
