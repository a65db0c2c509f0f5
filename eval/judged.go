package eval

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// QueryType says what a judged query tests.
type QueryType string

const (
	// Topical: at least one relevant report has a version in the query's
	// language.
	Topical QueryType = "topical"
	// Cross: no relevant report has a version in the query's language.
	Cross QueryType = "cross"
	// Name: a place or person name, in any script.
	Name QueryType = "name"
	// Figure: a number with a word, as a researcher types it.
	Figure QueryType = "figure"
	// NoAnswer: no report answers the query; relevant is empty.
	NoAnswer QueryType = "none"
)

// Types lists the query types in the order reports print them.
var types = []QueryType{Topical, Cross, Name, Figure, NoAnswer}

func (t QueryType) valid() bool { return slices.Contains(types, t) }

// Judged is one line of a judged query file.
type Judged struct {
	ID    string    `json:"id"`
	Query string    `json:"query"`
	Lang  string    `json:"lang"` // the language the query is written in
	Type  QueryType `json:"type"`
	// Relevant are the ids of the reports about the query's subject.
	Relevant []string `json:"relevant"`
	// HardNegatives share words with the query but are not relevant; they
	// are documentation for the reader of a ranking, never scored.
	HardNegatives []string `json:"hard_negatives,omitempty"`
	Note          string   `json:"note,omitempty"`
}

// ErrInvalidJudged is wrapped by every error about a judged query file's
// content; the message names the line.
var ErrInvalidJudged = errors.New("invalid judged query file")

//go:embed queries.jsonl
var bundled []byte

// Bundled returns the judged queries shipped with baoscope, judged against
// the sample corpus.
func Bundled() ([]Judged, error) {
	qs, err := ParseJudged(bytes.NewReader(bundled))
	if err != nil {
		return nil, fmt.Errorf("bundled judged queries: %w", err)
	}
	return qs, nil
}

var langRe = regexp.MustCompile(`^[a-z]{2}$`)

// ParseJudged reads a judged query file: JSON Lines, one Judged per line;
// blank lines and lines starting with # are skipped. Unknown fields are
// errors, so a misspelt key fails loudly instead of dropping judgments.
func ParseJudged(r io.Reader) ([]Judged, error) {
	var out []Judged
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w: %w", n, err, ErrInvalidJudged)
		}
		if prev, dup := seen[q.ID]; dup {
			return nil, fmt.Errorf("line %d: id %q already used on line %d: %w", n, q.ID, prev, ErrInvalidJudged)
		}
		seen[q.ID] = n
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read judged queries: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no queries: %w", ErrInvalidJudged)
	}
	return out, nil
}

func parseLine(line string) (Judged, error) {
	var q Judged
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return q, fmt.Errorf("not a judged query object: %v", err)
	}
	if dec.More() {
		return q, errors.New("more than one JSON value on the line")
	}
	return q, q.validate()
}

func (q *Judged) validate() error {
	switch {
	case strings.TrimSpace(q.ID) == "":
		return errors.New("missing id")
	case strings.TrimSpace(q.Query) == "":
		return fmt.Errorf("%s: missing query", q.ID)
	case !langRe.MatchString(q.Lang):
		return fmt.Errorf("%s: lang %q is not an ISO 639-1 code", q.ID, q.Lang)
	case !q.Type.valid():
		return fmt.Errorf("%s: type %q: want one of %v", q.ID, q.Type, types)
	case q.Type == NoAnswer && len(q.Relevant) > 0:
		return fmt.Errorf("%s: a %q query has no relevant reports", q.ID, NoAnswer)
	case q.Type != NoAnswer && len(q.Relevant) == 0:
		return fmt.Errorf("%s: no relevant reports (use type %q for a query nothing answers)", q.ID, NoAnswer)
	}
	all := append(slices.Clone(q.Relevant), q.HardNegatives...)
	for i, id := range all {
		if strings.TrimSpace(id) == "" {
			return fmt.Errorf("%s: empty report id", q.ID)
		}
		if slices.Contains(all[:i], id) {
			return fmt.Errorf("%s: report %s listed twice (relevant and hard negatives are disjoint)", q.ID, id)
		}
	}
	return nil
}
