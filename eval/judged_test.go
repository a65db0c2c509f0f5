package eval

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseJudged(t *testing.T) {
	const ok = `{"id":"a","query":"Krong No","lang":"en","type":"name","relevant":["1"]}`
	tests := []struct {
		name, in, err string
		n             int
	}{
		{"one", ok, "", 1},
		{"comments and blanks", "# judged\n\n" + ok + "\n", "", 1},
		{"no answer", `{"id":"b","query":"x","lang":"de","type":"none","relevant":[]}`, "", 1},
		{"empty file", "\n# nothing\n", "no queries", 0},
		{"duplicate id", ok + "\n" + ok, `id "a" already used on line 1`, 0},
		{"unknown field", `{"id":"a","query":"q","lang":"en","type":"name","relevant":["1"],"relevent":["2"]}`, "unknown field", 0},
		{"bad type", `{"id":"a","query":"q","lang":"en","type":"topic","relevant":["1"]}`, `type "topic"`, 0},
		{"bad lang", `{"id":"a","query":"q","lang":"eng","type":"name","relevant":["1"]}`, "ISO 639-1", 0},
		{"missing query", `{"id":"a","lang":"en","type":"name","relevant":["1"]}`, "missing query", 0},
		{"missing id", `{"query":"q","lang":"en","type":"name","relevant":["1"]}`, "missing id", 0},
		{"answer without relevant", `{"id":"a","query":"q","lang":"en","type":"cross","relevant":[]}`, "no relevant reports", 0},
		{"none with relevant", `{"id":"a","query":"q","lang":"en","type":"none","relevant":["1"]}`, "has no relevant", 0},
		{"relevant and negative overlap", `{"id":"a","query":"q","lang":"en","type":"name","relevant":["1"],"hard_negatives":["1"]}`, "listed twice", 0},
		{"two values", ok + ok, "more than one JSON value", 0},
		{"not json", "Krong No", "line 1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := ParseJudged(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if !errors.Is(err, ErrInvalidJudged) {
					t.Errorf("%v does not wrap ErrInvalidJudged", err)
				}
				return
			}
			if err != nil || len(qs) != tt.n {
				t.Fatalf("got %d queries, %v; want %d", len(qs), err, tt.n)
			}
		})
	}
}

func FuzzParseJudged(f *testing.F) {
	f.Add(`{"id":"a","query":"Krong No","lang":"en","type":"name","relevant":["1"]}`)
	f.Add(`{"id":"b","query":"x","lang":"de","type":"none","relevant":[],"hard_negatives":["2"]}` + "\n# c\n")
	f.Fuzz(func(t *testing.T, in string) {
		qs, err := ParseJudged(strings.NewReader(in))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, q := range qs {
			if err := q.validate(); err != nil {
				t.Fatalf("accepted an invalid query: %v", err)
			}
			if seen[q.ID] {
				t.Fatalf("accepted duplicate id %q", q.ID)
			}
			seen[q.ID] = true
		}
	})
}

func TestCheck(t *testing.T) {
	v := Versions{"1": {"vi", "en", "de"}, "2": {"vi"}}
	qs := []Judged{
		{ID: "ok", Lang: "ko", Type: Cross, Relevant: []string{"1", "2"}},
		{ID: "same", Lang: "de", Type: Cross, Relevant: []string{"1"}},
		{ID: "gone", Lang: "en", Type: Topical, Relevant: []string{"3"}, HardNegatives: []string{"4"}},
		{ID: "topical", Lang: "de", Type: Topical, Relevant: []string{"1"}},
	}
	var got []string
	for _, p := range Check(qs, v) {
		got = append(got, p.String())
	}
	want := []string{
		"same: cross-language query in de, but report 1 has a de version",
		"gone: report 3 is not in the corpus",
		"gone: report 4 is not in the corpus",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !viOnly(qs[1], Versions{"1": {"vi"}}) || viOnly(qs[0], v) {
		t.Error("viOnly")
	}
}

// TestRestrict judges queries against one fold of a corpus: reports
// outside it are left out, a query with none left is dropped unless it
// is a no-answer one, and topical and cross are labelled again.
func TestRestrict(t *testing.T) {
	v := Versions{"1": {"vi", "en", "de"}, "2": {"vi"}}
	qs := []Judged{
		{ID: "kept", Lang: "ko", Type: Cross, Relevant: []string{"1", "3"}, HardNegatives: []string{"2", "4"}},
		{ID: "now cross", Lang: "ko", Type: Topical, Relevant: []string{"2", "5"}},
		{ID: "now topical", Lang: "de", Type: Cross, Relevant: []string{"1"}},
		{ID: "outside", Lang: "en", Type: Topical, Relevant: []string{"3"}},
		{ID: "name", Lang: "de", Type: Name, Relevant: []string{"1", "3"}},
		{ID: "none", Lang: "en", Type: NoAnswer, HardNegatives: []string{"3"}},
	}
	var got []string
	for _, q := range Restrict(qs, v) {
		got = append(got, fmt.Sprintf("%s %s %v %v", q.ID, q.Type, q.Relevant, q.HardNegatives))
	}
	want := []string{
		"kept cross [1] [2]",
		"now cross cross [2] []",
		"now topical topical [1] []",
		"name name [1] []",
		"none none [] []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if qs[0].Relevant[1] != "3" {
		t.Error("Restrict changed its input's relevant list")
	}
	if len(Check(Restrict(qs, v), v)) != 0 {
		t.Errorf("restricted judgments do not hold: %v", Check(Restrict(qs, v), v))
	}
}
