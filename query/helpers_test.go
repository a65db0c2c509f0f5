package query

import (
	"fmt"
	"reflect"
	"strings"
)

// equalNode compares trees including positions and instants.
func equalNode(a, b Node) bool {
	switch a := a.(type) {
	case *And:
		b, ok := b.(*And)
		return ok && a.P == b.P && equalNodes(a.Nodes, b.Nodes)
	case *Or:
		b, ok := b.(*Or)
		return ok && a.P == b.P && equalNodes(a.Nodes, b.Nodes)
	case *Not:
		b, ok := b.(*Not)
		return ok && a.P == b.P && equalNode(a.Node, b.Node)
	case *DateRange:
		b, ok := b.(*DateRange)
		return ok && a.P == b.P && a.Field == b.Field && a.From.Equal(b.From) && a.To.Equal(b.To)
	}
	return reflect.DeepEqual(a, b)
}

func equalNodes(a, b []Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalNode(a[i], b[i]) {
			return false
		}
	}
	return true
}

// dump renders a tree with positions, for failure messages.
func dump(n Node) string {
	var b strings.Builder
	var walk func(Node, string)
	walk = func(n Node, indent string) {
		switch n := n.(type) {
		case *And:
			fmt.Fprintf(&b, "%sAnd@%d\n", indent, n.P)
			for _, c := range n.Nodes {
				walk(c, indent+"  ")
			}
		case *Or:
			fmt.Fprintf(&b, "%sOr@%d\n", indent, n.P)
			for _, c := range n.Nodes {
				walk(c, indent+"  ")
			}
		case *Not:
			fmt.Fprintf(&b, "%sNot@%d\n", indent, n.P)
			walk(n.Node, indent+"  ")
		case *DateRange:
			fmt.Fprintf(&b, "%sDateRange@%d %s [%v, %v)\n", indent, n.P, n.Field, n.From, n.To)
		default:
			fmt.Fprintf(&b, "%s%#v\n", indent, n)
		}
	}
	walk(n, "")
	return b.String()
}
