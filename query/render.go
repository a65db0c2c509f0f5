package query

import (
	"strings"
	"time"

	"baoscope/model"
)

// render writes n in canonical syntax: operators spelt OR and -, groups
// parenthesised only where needed, except that an OR inside an AND is
// always parenthesised so that readers need not remember that OR binds
// tighter, field values normalised and dates in their shortest form.
func render(n Node) string {
	var b strings.Builder
	writeNode(&b, n, false)
	return b.String()
}

// writeNode writes n; nested says whether n is an operand of another
// operator, in which case And and Or are parenthesised.
func writeNode(b *strings.Builder, n Node, nested bool) {
	switch n := n.(type) {
	case *And:
		if n == nil {
			b.WriteString("()")
			return
		}
		writeList(b, n.Nodes, " ", nested)
	case *Or:
		if n == nil {
			b.WriteString("()")
			return
		}
		writeList(b, n.Nodes, " OR ", nested)
	case *Not:
		if n == nil {
			b.WriteString("()")
			return
		}
		b.WriteByte('-')
		writeNode(b, n.Node, true)
	case *Must:
		if n == nil {
			b.WriteString("()")
			return
		}
		b.WriteByte('+')
		writeNode(b, n.Node, true)
	case *Term:
		if n == nil {
			b.WriteString("()")
			return
		}
		writeTerm(b, n)
	case *Filter:
		if n == nil {
			b.WriteString("()")
			return
		}
		writeFilter(b, n)
	case *DateRange:
		if n == nil {
			b.WriteString("()")
			return
		}
		writeDateRange(b, n)
	default:
		b.WriteString("()") // nil: renders as something Parse rejects
	}
}

func writeList(b *strings.Builder, nodes []Node, sep string, nested bool) {
	if nested || len(nodes) == 0 {
		b.WriteByte('(')
	}
	for i, c := range nodes {
		if i > 0 {
			b.WriteString(sep)
		}
		// Inside an And, an Or needs no parentheses, but they make the
		// echoed query readable; inside an Or, an And needs them.
		writeNode(b, c, true)
	}
	if nested || len(nodes) == 0 {
		b.WriteByte(')')
	}
}

func writeTerm(b *strings.Builder, t *Term) {
	prefix := ""
	if t.Field != "" {
		prefix = t.Field + ":"
	}
	if t.Prefix {
		b.WriteString(prefix)
		b.WriteString(t.Text)
		b.WriteByte('*')
		return
	}
	// A term built by hand may hold text that would not read back as one
	// word (spaces, a leading -, OR); quoting keeps the rendering valid.
	if !t.Phrase && isBareWord(prefix+t.Text, t.Text) {
		b.WriteString(prefix)
		b.WriteString(t.Text)
		return
	}
	b.WriteString(prefix)
	writeQuoted(b, t.Text)
}

// isBareWord reports whether s scans as exactly one word or field term
// whose text is text.
func isBareWord(s, text string) bool {
	sc, err := newScanner(s)
	if err != nil || sc.scan() != nil || len(sc.toks) != 2 || sc.toks[0].kind != tLeaf {
		return false
	}
	t, ok := sc.toks[0].node.(*Term)
	return ok && !t.Phrase && t.Text == text
}

// quotePairs are tried in order to quote a text; the text of a parsed
// phrase never holds its own closing mark, so one of them always fits.
const quotePairs = `""“”«»「」『』＂＂`

func writeQuoted(b *strings.Builder, text string) {
	pairs := []rune(quotePairs)
	open, close := pairs[0], pairs[1]
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.ContainsRune(text, pairs[i+1]) {
			open, close = pairs[i], pairs[i+1]
			break
		}
	}
	b.WriteRune(open)
	b.WriteString(text)
	b.WriteRune(close)
}

func writeFilter(b *strings.Builder, f *Filter) {
	sep := ","
	if f.Field == FieldURL {
		sep = "|"
	}
	plain := len(f.Values) > 0
	for _, v := range f.Values {
		if !isPlainValue(v, f.Field == FieldURL) {
			plain = false
		}
	}
	if plain {
		b.WriteString(f.Field)
		b.WriteByte(':')
		b.WriteString(strings.Join(f.Values, sep))
		return
	}
	// Values that need quotes cannot share a list: write one quoted
	// clause each, which Parse merges back into one Filter.
	if len(f.Values) > 1 {
		b.WriteByte('(')
	}
	for i, v := range f.Values {
		if i > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(f.Field)
		b.WriteByte(':')
		if isPlainValue(v, f.Field == FieldURL) {
			b.WriteString(v)
		} else {
			writeQuoted(b, v)
		}
	}
	if len(f.Values) > 1 {
		b.WriteByte(')')
	}
}

// isPlainValue reports whether v can be written unquoted in a list.
func isPlainValue(v string, url bool) bool {
	if v == "" {
		return false
	}
	for _, r := range v {
		if breaksValue(r) || r == '|' || (r == ',' && !url) || isIgnorable(r) || isControl(r) {
			return false
		}
	}
	return true
}

// writeDateRange writes the shortest published: value that reads back as
// the same instants: whole years and months collapse (2025-08-01..2025-08-31
// is 2025-08) and the exclusive upper bound is written as the inclusive
// last period. Bounds that are not midnight in model.Vietnam cannot be typed;
// they are written as RFC 3339 for display only.
func writeDateRange(b *strings.Builder, d *DateRange) {
	loc := model.Vietnam
	b.WriteString(d.Field)
	b.WriteByte(':')
	from, to := d.From.In(loc), d.To.In(loc)
	if !d.From.IsZero() && !d.To.IsZero() && isMidnight(from) {
		// One whole day, month or year is written as that period alone.
		switch {
		case from.AddDate(0, 0, 1).Equal(to):
			b.WriteString(from.Format("2006-01-02"))
			return
		case from.Day() == 1 && from.AddDate(0, 1, 0).Equal(to):
			b.WriteString(from.Format("2006-01"))
			return
		case from.Day() == 1 && from.Month() == time.January && from.AddDate(1, 0, 0).Equal(to):
			b.WriteString(from.Format("2006"))
			return
		}
	}
	// Open ranges use >= and <= rather than "2025.." so that a rendering
	// never ends in ".." right before a number, which Parse rejects as a
	// range typed with spaces.
	switch {
	case d.To.IsZero():
		label, _ := startLabel(from)
		b.WriteString(">=")
		b.WriteString(label)
	case d.From.IsZero():
		b.WriteString("<=")
		b.WriteString(endLabel(to, precYear))
	default:
		// The end is written at least as precisely as the start, so that
		// 2025-10..2025-12 does not become the correct but puzzling
		// 2025-10..2025.
		label, prec := startLabel(from)
		b.WriteString(label)
		b.WriteString("..")
		b.WriteString(endLabel(to, prec))
	}
}

// Precisions of a date label.
const (
	precYear = iota
	precMonth
	precDay
)

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// startLabel is the coarsest period whose start is t, and its precision.
func startLabel(t time.Time) (string, int) {
	switch {
	case !isMidnight(t):
		return t.Format(time.RFC3339Nano), precDay
	case t.Month() == time.January && t.Day() == 1:
		return t.Format("2006"), precYear
	case t.Day() == 1:
		return t.Format("2006-01"), precMonth
	}
	return t.Format("2006-01-02"), precDay
}

// endLabel is the coarsest period, no coarser than minPrec, whose end
// (exclusive) is t.
func endLabel(t time.Time, minPrec int) string {
	last := t.AddDate(0, 0, -1)
	switch {
	case !isMidnight(t):
		return t.Format(time.RFC3339Nano)
	case t.Month() == time.January && t.Day() == 1 && minPrec == precYear:
		return last.Format("2006")
	case t.Day() == 1 && minPrec <= precMonth:
		return last.Format("2006-01")
	}
	return last.Format("2006-01-02")
}
