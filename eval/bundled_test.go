package eval

import (
	"testing"

	"baoscope/sample"
)

// TestBundledJudgments holds the bundled judged queries to the bundled
// corpus: every id exists, every cross-language label holds against the
// version lists, and the set is as broad as docs/retrieval.md says.
func TestBundledJudgments(t *testing.T) {
	qs, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	c, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	v := Versions{}
	for r := range c.All() {
		v[r.ID] = r.Langs()
	}
	for _, p := range Check(qs, v) {
		t.Error(p)
	}
	langs := map[string]bool{}
	byType := map[QueryType]int{}
	viOnlyCross := 0
	for _, q := range qs {
		langs[q.Lang] = true
		byType[q.Type]++
		if q.Type == Cross && viOnly(q, v) {
			viOnlyCross++
		}
	}
	if len(qs) < 100 || len(langs) < 11 {
		t.Errorf("%d queries in %d languages, want at least 100 in at least 11", len(qs), len(langs))
	}
	if byType[Cross] < 40 || viOnlyCross < byType[Cross]/2 {
		t.Errorf("%d cross-language queries, %d of them about Vietnamese-only reports; want at least 40, half of them Vietnamese-only", byType[Cross], viOnlyCross)
	}
	for _, ty := range types {
		if byType[ty] < 5 {
			t.Errorf("%d %s queries, want at least 5", byType[ty], ty)
		}
	}
}
