package query

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks the parser's promises on arbitrary input: it never
// panics, every error is an *Error pointing inside the query, and every
// tree obeys the invariants the search layer relies on and renders as
// syntax that parses back to the same rendering.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	for _, s := range goldenInputs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Parse(q)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) error %v (%T) is not an *Error", q, err, err)
			}
			if qe.Pos < 0 || qe.Pos > utf8.RuneCountInString(q) {
				t.Fatalf("Parse(%q) error position %d outside [0, %d]: %v", q, qe.Pos, utf8.RuneCountInString(q), err)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("Parse(%q) error %v does not match ErrSyntax", q, err)
			}
			return
		}
		checkInvariants(t, q, n)
		s := n.String()
		n2, err := Parse(s)
		if err != nil {
			// The canonical form may spell things out (date: becomes
			// published:, title:(a b) becomes title:a title:b, an OR inside
			// an AND gains parentheses), so a query at a size limit can
			// render past it. Any other failure is a bug.
			if errors.Is(err, ErrLimit) {
				return
			}
			t.Fatalf("Parse(%q) = %s, which does not parse: %v", q, s, err)
		}
		if s2 := n2.String(); s2 != s {
			t.Fatalf("Parse(%q) = %s, which parses to %s", q, s, s2)
		}
	})
}

// checkInvariants verifies the shape promised in the node types' docs.
func checkInvariants(t *testing.T, q string, root Node) {
	t.Helper()
	end := utf8.RuneCountInString(q)
	if _, ok := root.(*Not); ok {
		t.Fatalf("Parse(%q): root is a Not", q)
	}
	Walk(root, func(n Node) bool {
		if n.Pos() < 0 || n.Pos() > end {
			t.Fatalf("Parse(%q): node %s at %d outside [0, %d]", q, n, n.Pos(), end)
		}
		switch n := n.(type) {
		case *And:
			if len(n.Nodes) < 2 {
				t.Fatalf("Parse(%q): And with %d nodes", q, len(n.Nodes))
			}
			positive := false
			for _, c := range n.Nodes {
				if _, ok := c.(*And); ok {
					t.Fatalf("Parse(%q): And inside And", q)
				}
				if _, ok := c.(*Not); !ok {
					positive = true
				}
			}
			if !positive {
				t.Fatalf("Parse(%q): And of exclusions only", q)
			}
		case *Or:
			if len(n.Nodes) < 2 {
				t.Fatalf("Parse(%q): Or with %d nodes", q, len(n.Nodes))
			}
			for _, c := range n.Nodes {
				switch c.(type) {
				case *Or, *Not:
					t.Fatalf("Parse(%q): %T inside Or", q, c)
				}
			}
		case *Not:
			if _, ok := n.Node.(*Not); ok {
				t.Fatalf("Parse(%q): Not inside Not", q)
			}
		case *Term:
			if n.Text == "" || (n.Field != "" && n.Field != FieldTitle) {
				t.Fatalf("Parse(%q): bad term %#v", q, n)
			}
		case *Filter:
			if len(n.Values) == 0 {
				t.Fatalf("Parse(%q): filter without values", q)
			}
		case *DateRange:
			if n.From.IsZero() && n.To.IsZero() || !n.From.IsZero() && !n.To.IsZero() && !n.From.Before(n.To) {
				t.Fatalf("Parse(%q): bad date range %v..%v", q, n.From, n.To)
			}
		}
		return true
	})
}

func BenchmarkParse(b *testing.B) {
	queries := []string{
		"Krông Nô",
		`"Krông Nô" (lúa OR "cà phê") -title:"quảng cáo" lang:ko,ar published:2025-08..2025-09`,
		"람동성 커피 lang:ko site:vietnam.vn original:false",
		"title:(Đà Lạt OR Bảo Lộc) published:>=2025-10-01 -section:quang-cao",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range queries {
			if _, err := Parse(q); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestGeneratedQueries complements FuzzParse, whose byte mutations rarely
// assemble well-formed clauses: it glues together pieces of the syntax at
// random (fixed seed) and checks the same properties on every result.
func TestGeneratedQueries(t *testing.T) {
	pieces := []string{
		"Krông", "Nô", "1.481", "99,8%", "05-CTr/DU", "람동", "林同省", "ลัมดง", "المصدر", "..2026", "12:30", "CTr:",
		"OR", "AND", "NOT", "|", "-", "+", "(", ")", "title:", "title:(", "lang:", "ko,ar", "KO", "site:", "vietnam.vn",
		"id:", "396102", "original:", "true", "url:", "https://x.vn/a,b", "published:", "date:", "2025", "2025-08",
		"2025-08-01", "..", ">=", "<", "<=", ">", `"`, "“", "”", "„", "«", "»", "「", "」", "section:", `"Chính trị"`,
		"http://x.vn", "–", "\u200f", "\u00a0", ":", ",", "a",
	}
	seps := []string{" ", " ", " ", ""}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for n := 1 + rng.IntN(8); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		q := b.String()
		n, err := Parse(q)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) || qe.Pos < 0 || qe.Pos > utf8.RuneCountInString(q) {
				t.Fatalf("Parse(%q): bad error %v", q, err)
			}
			continue
		}
		checkInvariants(t, q, n)
		s := n.String()
		n2, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, which does not parse: %v", q, s, err)
		}
		if s2 := n2.String(); s2 != s {
			t.Fatalf("Parse(%q) = %s, which parses to %s", q, s, s2)
		}
	}
}
