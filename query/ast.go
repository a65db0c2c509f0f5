package query

import (
	"strings"
	"time"
)

// Field names as they appear in the tree. Aliases typed by users (date:)
// are replaced by these, and field names are lowercased, so the search
// layer only ever sees the constants.
const (
	FieldTitle     = "title"     // Term: titles only
	FieldLang      = "lang"      // Filter: ISO 639-1 codes, or "unknown"
	FieldSection   = "section"   // Filter: section as typed
	FieldSite      = "site"      // Filter: bare host, e.g. baolamdong.vn
	FieldID        = "id"        // Filter: numeric report id
	FieldOriginal  = "original"  // Filter: "true" or "false"
	FieldURL       = "url"       // Filter: URL as typed
	FieldPublished = "published" // DateRange
)

// Node is a node of the query tree.
type Node interface {
	// Pos is the rune offset in the query where the node's text starts.
	Pos() int
	// String renders the node in canonical query syntax. Parsing the
	// rendering of a parsed tree gives a tree with the same rendering.
	String() string
}

// And matches documents that match every node. At least one node is not a
// Not: the parser rejects queries that only exclude.
type And struct {
	Nodes []Node
	P     int
}

// Or matches documents that match any node. No node is a Not.
type Or struct {
	Nodes []Node
	P     int
}

// Not excludes documents matching Node. It only appears inside an And with
// a positive sibling, and Node is never itself a Not.
type Not struct {
	Node Node
	P    int
}

// Must requires Node: typed +word, +"phrase", +(group), or an operand of
// an explicit AND. Free words are otherwise a best match (search ranks
// reports by how many of them they cover); Must keeps the strict meaning.
// Node is never a Not or a Must.
type Must struct {
	Node Node
	P    int
}

// Term is a word or phrase to match in the text fields, every language
// at once, or in one text field.
type Term struct {
	Field  string // "" for all text fields; FieldTitle for titles only
	Text   string // as typed, with runs of whitespace in phrases made one space
	Phrase bool   // typed in quotes: the words must appear together in order
	// Prefix: typed with a trailing * (Kro*), the word matches every
	// word that starts with Text, which has at least MinPrefix letters
	// or digits. Never a phrase.
	Prefix bool
	P      int
}

// Filter matches documents whose keyword field has one of Values.
type Filter struct {
	Field  string
	Values []string // OR-ed, normalised (see the Field constants), no duplicates
	P      int
}

// DateRange matches documents published in [From, To). A zero bound is
// open. Bounds typed as dates are midnight in model.Vietnam, where the
// newspaper dates its reports.
type DateRange struct {
	Field    string // FieldPublished
	From, To time.Time
	P        int
}

func (n *And) Pos() int       { return n.P }
func (n *Or) Pos() int        { return n.P }
func (n *Not) Pos() int       { return n.P }
func (n *Must) Pos() int      { return n.P }
func (n *Term) Pos() int      { return n.P }
func (n *Filter) Pos() int    { return n.P }
func (n *DateRange) Pos() int { return n.P }

func (n *And) String() string       { return render(n) }
func (n *Or) String() string        { return render(n) }
func (n *Not) String() string       { return render(n) }
func (n *Must) String() string      { return render(n) }
func (n *Term) String() string      { return render(n) }
func (n *Filter) String() string    { return render(n) }
func (n *DateRange) String() string { return render(n) }

// Walk calls fn for n and, while fn returns true, for its descendants, in
// the order they appear in the query.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch n := n.(type) {
	case *And:
		for _, c := range n.Nodes {
			Walk(c, fn)
		}
	case *Or:
		for _, c := range n.Nodes {
			Walk(c, fn)
		}
	case *Not:
		Walk(n.Node, fn)
	case *Must:
		Walk(n.Node, fn)
	}
}

// Terms returns the text terms a matching document may contain, in query
// order: every Term not under a Not. The search layer uses them to
// highlight matches and, through TextOf, to detect the query's language.
func Terms(n Node) []Term {
	var out []Term
	Walk(n, func(n Node) bool {
		switch n := n.(type) {
		case *Not:
			return false
		case *Term:
			out = append(out, *n)
		}
		return true
	})
	return out
}

// TextOf returns the positive free text of the query, the texts of Terms
// joined by spaces, for language detection. Filters and exclusions are left
// out because they say nothing about the language the researcher typed in.
func TextOf(n Node) string {
	ts := Terms(n)
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

// Simplify returns n in the normal form Parse produces: nested And inside
// And and Or inside Or flattened, single-child And and Or collapsed,
// filters on the same field inside an Or merged into one Filter, and
// double negation removed. It is for trees built by hand, for instance
// when the search layer adds filters from the request's parameters; it
// does not modify n.
func Simplify(n Node) Node {
	switch n := n.(type) {
	case *And:
		kids := make([]Node, 0, len(n.Nodes))
		for _, c := range n.Nodes {
			if c = Simplify(c); c != nil {
				kids = append(kids, c)
			}
		}
		return newAnd(kids, n.P)
	case *Or:
		kids := make([]Node, 0, len(n.Nodes))
		for _, c := range n.Nodes {
			if c = Simplify(c); c != nil {
				kids = append(kids, c)
			}
		}
		return newOr(kids, n.P)
	case *Not:
		c := Simplify(n.Node)
		if c == nil {
			return nil
		}
		if inner, ok := c.(*Not); ok {
			return inner.Node
		}
		if inner, ok := c.(*Must); ok {
			c = inner.Node
		}
		return &Not{Node: c, P: n.P}
	case *Must:
		return newMust(Simplify(n.Node), n.P)
	case *Filter:
		f := *n
		f.Values = dedupe(append([]string(nil), n.Values...))
		return &f
	case *Term:
		t := *n
		return &t
	case *DateRange:
		d := *n
		return &d
	}
	return n
}

// newMust requires n: a Must or a Not stays as it is (a required
// requirement is one, and an exclusion is strict already).
func newMust(n Node, pos int) Node {
	switch n.(type) {
	case nil:
		return nil
	case *Must, *Not:
		return n
	}
	return &Must{Node: n, P: pos}
}

// newAnd builds an And in normal form from already simplified nodes.
func newAnd(nodes []Node, pos int) Node {
	flat := make([]Node, 0, len(nodes))
	for _, c := range nodes {
		if a, ok := c.(*And); ok {
			flat = append(flat, a.Nodes...)
			continue
		}
		flat = append(flat, c)
	}
	switch len(flat) {
	case 0:
		return nil
	case 1:
		return flat[0]
	}
	return &And{Nodes: flat, P: pos}
}

// newOr builds an Or in normal form from already simplified nodes. Filters
// on one field are merged because a Filter already ORs its values, and one
// keyword query is cheaper than several.
func newOr(nodes []Node, pos int) Node {
	flat := make([]Node, 0, len(nodes))
	for _, c := range nodes {
		if o, ok := c.(*Or); ok {
			flat = append(flat, o.Nodes...)
			continue
		}
		flat = append(flat, c)
	}
	out := make([]Node, 0, len(flat))
	for _, c := range flat {
		f, ok := c.(*Filter)
		if !ok {
			out = append(out, c)
			continue
		}
		merged := false
		for i, o := range out {
			if prev, ok := o.(*Filter); ok && prev.Field == f.Field {
				vals := append(append([]string(nil), prev.Values...), f.Values...)
				out[i] = &Filter{Field: prev.Field, Values: dedupe(vals), P: prev.P}
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, c)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return &Or{Nodes: out, P: pos}
}

// dedupe removes repeated values, keeping the first of each, in place.
func dedupe(vals []string) []string {
	out := vals[:0]
	for _, v := range vals {
		dup := false
		for _, w := range out {
			if w == v {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}
