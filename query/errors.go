package query

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error Parse returns is an *Error that matches
// ErrSyntax with errors.Is, and additionally ErrEmpty or ErrLimit when that
// is the cause, so callers can tell "nothing typed" or "too big" from a
// mistake without parsing messages.
var (
	// ErrSyntax matches every error returned by Parse.
	ErrSyntax = errors.New("query: syntax error")
	// ErrEmpty matches a query with nothing to search for: empty,
	// whitespace only, or punctuation only.
	ErrEmpty = errors.New("query: empty query")
	// ErrLimit matches a query over one of the size limits (length,
	// clauses, nesting depth).
	ErrLimit = errors.New("query: query too large")
)

// Limits on what Parse accepts. They bound the work a single request can
// cause in the index, not what a researcher normally types.
const (
	MaxRunes   = 1000 // longest query, in runes
	MaxClauses = 64   // most words, phrases and field clauses in one query
	MaxDepth   = 16   // deepest nesting of parentheses
	// MinPrefix is the fewest letters or digits before the * of a prefix
	// search: a shorter prefix matches too many words to mean anything,
	// and expands into a disjunction of all of them.
	MinPrefix = 3
)

// Error is a query the parser cannot accept.
type Error struct {
	// Pos is the offset, in runes from 0, of the offending character. It
	// equals the query's rune length when the problem is that the query
	// ended too early.
	Pos int
	// Reason says what is wrong, in words meant for the researcher.
	Reason string
	// Kind is ErrEmpty or ErrLimit when one of those is the cause, nil for
	// other syntax errors.
	Kind error
}

func (e *Error) Error() string {
	return fmt.Sprintf("query: at position %d: %s", e.Pos, e.Reason)
}

// Unwrap lets errors.Is match ErrSyntax for every *Error, and Kind too.
func (e *Error) Unwrap() []error {
	if e.Kind != nil {
		return []error{ErrSyntax, e.Kind}
	}
	return []error{ErrSyntax}
}

func errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Reason: fmt.Sprintf(format, args...)}
}
