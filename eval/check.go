package eval

import (
	"fmt"
	"slices"
)

// Versions maps a report id to the languages of its versions, the
// original's ("vi") included.
type Versions map[string][]string

// Problem is a judgment that does not hold against a corpus.
type Problem struct {
	Query   string // the judged query's id
	Message string
}

func (p Problem) String() string { return p.Query + ": " + p.Message }

// Check reports judgments that do not hold against v: unknown report ids,
// and cross-language queries with a relevant report in the query's
// language (which would make them same-language queries in disguise).
func Check(qs []Judged, v Versions) []Problem {
	var out []Problem
	for _, q := range qs {
		for _, id := range append(slices.Clone(q.Relevant), q.HardNegatives...) {
			if _, ok := v[id]; !ok {
				out = append(out, Problem{q.ID, fmt.Sprintf("report %s is not in the corpus", id)})
			}
		}
		if q.Type != Cross {
			continue
		}
		for _, id := range q.Relevant {
			if slices.Contains(v[id], q.Lang) {
				out = append(out, Problem{q.ID, fmt.Sprintf("cross-language query in %s, but report %s has a %s version", q.Lang, id, q.Lang)})
			}
		}
	}
	return out
}

// Restrict returns qs judged against the part of a corpus that v holds
// (one fold of it): relevant reports and hard negatives outside v are
// left out, a query left with no relevant report is dropped (a no-answer
// query stays), and a topical or cross query is labelled again by the
// versions of the reports it keeps.
func Restrict(qs []Judged, v Versions) []Judged {
	in := func(ids []string) []string {
		return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { _, ok := v[id]; return !ok })
	}
	var out []Judged
	for _, q := range qs {
		q.Relevant, q.HardNegatives = in(q.Relevant), in(q.HardNegatives)
		if len(q.Relevant) == 0 && q.Type != NoAnswer {
			continue
		}
		if q.Type == Topical || q.Type == Cross {
			q.Type = Cross
			for _, id := range q.Relevant {
				if slices.Contains(v[id], q.Lang) {
					q.Type = Topical
				}
			}
		}
		out = append(out, q)
	}
	return out
}

// viOnly reports whether every relevant report of q exists only as the
// Vietnamese original: the hardest cross-language case, where no
// translation of the report can carry the query's words.
func viOnly(q Judged, v Versions) bool {
	for _, id := range q.Relevant {
		if langs := v[id]; len(langs) != 1 || langs[0] != "vi" {
			return false
		}
	}
	return len(q.Relevant) > 0
}
