package query

// Parse parses a query typed by a researcher. The tree it returns is in
// the normal form described at Simplify and obeys the rules stated on each
// node type; every error is an *Error.
//
// Grammar, loosest binding first:
//
//	query   = and EOF
//	and     = or { [ "AND" ] or }          juxtaposition is AND
//	or      = unary { ( "OR" | "|" ) unary }
//	unary   = ( "-" | "NOT" | "+" ) unary | primary
//	primary = "(" and ")" | "title:(" and ")" | word | phrase | field:value
func Parse(q string) (Node, error) {
	s, err := newScanner(q)
	if err != nil {
		return nil, err
	}
	if s.blank() {
		return nil, &Error{Pos: 0, Reason: "empty query", Kind: ErrEmpty}
	}
	if err := s.scan(); err != nil {
		return nil, err
	}
	if len(s.toks) == 1 { // only tEOF: every word was punctuation
		return nil, &Error{Pos: 0, Reason: "no words to search for", Kind: ErrEmpty}
	}
	p := &parser{toks: s.toks}
	n, err := p.and(false)
	if err != nil {
		return nil, err
	}
	if err := checkPositive(n, true); err != nil {
		return nil, err
	}
	return n, nil
}

type parser struct {
	toks  []token
	i     int
	depth int    // open parentheses
	field string // field of the enclosing title:( … ), if any
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// startsOperand reports whether t can begin an operand of AND or OR.
func startsOperand(t token) bool {
	switch t.kind {
	case tLParen, tLeaf, tFieldGroup, tMinus, tPlus, tNot:
		return true
	}
	return false
}

// and parses operands up to the end of the query or, inside a group, up
// to the closing parenthesis, which it leaves for the caller.
func (p *parser) and(inGroup bool) (Node, error) {
	start := p.peek().pos
	var nodes []Node
	for {
		t := p.peek()
		switch t.kind {
		case tEOF:
			return newAnd(nodes, start), nil
		case tRParen:
			if inGroup {
				return newAnd(nodes, start), nil
			}
			return nil, errorf(t.pos, "unmatched closing parenthesis")
		case tAnd:
			p.next()
			if len(nodes) == 0 {
				return nil, errorf(t.pos, "AND needs a word, phrase or group on its left")
			}
			if !startsOperand(p.peek()) {
				return nil, errorf(t.pos, "AND needs a word, phrase or group on its right")
			}
			// Both sides of an explicit AND are required.
			nodes[len(nodes)-1] = newMust(nodes[len(nodes)-1], nodes[len(nodes)-1].Pos())
			n, err := p.or()
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, newMust(n, n.Pos()))
			continue
		case tOr:
			return nil, errorf(t.pos, "OR needs a word, phrase or group on its left")
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
}

func (p *parser) or() (Node, error) {
	start := p.peek().pos
	n, err := p.unary()
	if err != nil {
		return nil, err
	}
	nodes := []Node{n}
	for p.peek().kind == tOr {
		t := p.next()
		if !startsOperand(p.peek()) {
			return nil, errorf(t.pos, "OR needs a word, phrase or group on its right")
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	for _, n := range nodes {
		// "a OR -b" would match nearly every document: reject it rather
		// than guess that "a -b" was meant.
		if _, ok := n.(*Not); ok && len(nodes) > 1 {
			return nil, errorf(n.Pos(), "an exclusion cannot be one side of OR")
		}
	}
	return newOr(nodes, start), nil
}

func (p *parser) unary() (Node, error) {
	t := p.next()
	switch t.kind {
	case tMinus, tNot, tPlus:
		op := "-"
		if t.kind == tNot {
			op = "NOT"
		} else if t.kind == tPlus {
			op = "+"
		}
		if !startsOperand(p.peek()) {
			return nil, errorf(t.pos, "%s needs a word, phrase or group after it", op)
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		if t.kind == tPlus { // +-a is -a: an exclusion is strict already
			return newMust(n, t.pos), nil
		}
		if _, ok := n.(*Not); ok {
			return nil, errorf(t.pos, "cannot exclude an exclusion")
		}
		if m, ok := n.(*Must); ok { // -+word: excluding is strict already
			n = m.Node
		}
		return &Not{Node: n, P: t.pos}, nil
	case tLParen:
		return p.group(t, "")
	case tFieldGroup:
		if p.field != "" {
			return nil, errorf(t.pos, "%s:( … ) cannot be nested inside %s:( … )", t.field, p.field)
		}
		return p.group(p.next(), t.field) // the ( that follows
	case tLeaf:
		if p.field == "" {
			return t.node, nil
		}
		if term, ok := t.node.(*Term); ok && term.Field == "" {
			c := *term
			c.Field = p.field
			return &c, nil
		}
		return nil, errorf(t.pos, "only words and phrases can go inside %s:( … )", p.field)
	}
	// The callers only call unary before an operand; this is a guard.
	return nil, errorf(t.pos, "expected a word, phrase or group")
}

// group parses the inside of parentheses opened by open, applying field to
// its words when it is a title:( … ) group.
func (p *parser) group(open token, field string) (Node, error) {
	if p.depth == MaxDepth {
		return nil, &Error{Pos: open.pos, Reason: "parentheses nested deeper than 16 levels", Kind: ErrLimit}
	}
	p.depth++
	outer := p.field
	if field != "" {
		p.field = field
	}
	n, err := p.and(true)
	if err != nil {
		return nil, err
	}
	p.field = outer
	p.depth--
	if p.peek().kind != tRParen {
		return nil, errorf(open.pos, "unclosed parenthesis")
	}
	p.next()
	if n == nil {
		return nil, errorf(open.pos, "empty parentheses")
	}
	switch n := n.(type) {
	case *And:
		n.P = open.pos
	case *Or:
		n.P = open.pos
	}
	return n, nil
}

// checkPositive enforces that every And has something to match besides
// exclusions; Or and Not are checked while parsing. A query made only of
// exclusions would have to start from every document in the index.
func checkPositive(n Node, root bool) error {
	switch n := n.(type) {
	case *Not:
		if root {
			return errorf(n.P, "nothing to match: the query only excludes")
		}
		return checkPositive(n.Node, false)
	case *Must:
		return checkPositive(n.Node, root)
	case *Or:
		for _, c := range n.Nodes {
			if err := checkPositive(c, false); err != nil {
				return err
			}
		}
	case *And:
		positive := false
		for _, c := range n.Nodes {
			if _, ok := c.(*Not); !ok {
				positive = true
			}
			if err := checkPositive(c, false); err != nil {
				return err
			}
		}
		if !positive {
			return errorf(n.P, "nothing to match: the query only excludes")
		}
	}
	return nil
}
