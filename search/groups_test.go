package search

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/model"
)

// Pass 1 reads a hit's group, language, section, date and originality
// from doc values (sort keys) rather than stored fields; they must come
// out as indexed, including for documents that lack some of them.
func TestGroupValuesFromDocValues(t *testing.T) {
	pub := time.Date(2025, 8, 3, 9, 0, 0, 0, ict) // report()'s date for day 3
	docs := report("501", 3, "Krông Nô")
	docs = append(docs,
		// Unlinked, no section, no date.
		&model.Document{URL: "https://www.vietnam.vn/ko/unlinked", Site: model.SiteVietnamVN, Title: "크롱노",
			Body: []string{"Krong No"}, Lang: "ko"},
		// A translation published before its original: the original's
		// date still wins.
		&model.Document{URL: "https://www.vietnam.vn/de/bao-cao-501", Site: model.SiteVietnamVN, ReportID: "501",
			Title: "Gemeinde Krong No", Body: []string{"Krong No"}, Lang: "de", Section: "chinh-tri", Published: pub.Add(-48 * time.Hour)},
	)
	ix := newIndex(t, docs...)
	q := bq.NewMatchQuery("krong")
	q.SetField("neutral")
	agg, err := New(ix, Options{}).aggregate(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if agg.docs != 4 {
		t.Errorf("%d documents aggregated, want 4", agg.docs)
	}
	groups := map[string]*group{}
	for _, g := range agg.groups {
		groups[g.key] = g
	}
	tests := []struct {
		key       string
		langs     []string
		section   string
		published time.Time
		original  bool
	}{
		{"501", []string{"vi", "en", "de"}, "chinh-tri", pub, true},
		{"url:https://www.vietnam.vn/ko/unlinked", []string{"ko"}, "", time.Time{}, false},
	}
	if len(groups) != len(tests) {
		t.Fatalf("%d groups, want %d: %v", len(groups), len(tests), groups)
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			g := groups[tt.key]
			if g == nil {
				t.Fatal("missing")
			}
			var want uint64
			for _, l := range tt.langs {
				want |= agg.langs.mask(l)
			}
			if g.langs != want {
				t.Errorf("langs %b, want %b (%v)", g.langs, want, tt.langs)
			}
			if g.section != tt.section || !g.published.Equal(tt.published) || g.original != tt.original {
				t.Errorf("section %q published %v original %v, want %q %v %v", g.section, g.published, g.original,
					tt.section, tt.published, tt.original)
			}
			if !g.published.IsZero() && g.published.Location() != vnZone {
				t.Errorf("published in %v, want ICT", g.published.Location())
			}
		})
	}
}

// Equally relevant reports whose scores differ in the last bit (Bleve
// sums clause scores in segment-dependent order) are ordered by key, so
// the order is the same from one search to the next.
func TestRelevanceOrderIgnoresLastBits(t *testing.T) {
	const s = 0.0040379041759896483
	next := math.Nextafter(s, 1)
	tests := []struct {
		name string
		in   []*group
		want []string
	}{
		{"last bit higher on b", []*group{{key: "a", score: s}, {key: "b", score: next}}, []string{"a", "b"}},
		{"last bit higher on a", []*group{{key: "b", score: s}, {key: "a", score: next}}, []string{"a", "b"}},
		{"real difference wins", []*group{{key: "a", score: s}, {key: "b", score: s * 1.001}}, []string{"b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sortGroups(tt.in, cursorRelevance)
			for i, g := range tt.in {
				if g.key != tt.want[i] {
					t.Fatalf("order %v, want %v", []string{tt.in[0].key, tt.in[1].key}, tt.want)
				}
			}
		})
	}
}

// top selects the same first reports as sorting them all, for every n.
func TestTopMatchesFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var gs []*group
	for i := range 500 {
		gs = append(gs, &group{
			key:       fmt.Sprintf("%04d", i),
			score:     float64(r.IntN(50)) / 7, // many ties, broken by key
			published: time.Unix(int64(r.IntN(100))*86400, 0),
		})
	}
	for _, mode := range []string{cursorRelevance, cursorDate} {
		all := slices.Clone(gs)
		sortGroups(all, mode)
		for _, n := range []int{0, 1, 20, 499, 500, 1000} {
			t.Run(fmt.Sprintf("%s/%d", mode, n), func(t *testing.T) {
				got := top(gs, mode, n)
				want := all[:min(n, len(all))]
				if !slices.Equal(got, want) {
					t.Errorf("top %d differs from the sorted prefix", n)
				}
			})
		}
	}
}

// Merging shards' aggregations keeps each report's best score, every
// language (renumbered), and the original's date.
func TestAggregatorMerge(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 8, d, 0, 0, 0, 0, vnZone) }
	a, b := newAggregator(), newAggregator()
	a.byKey["1"] = &group{key: "1", score: 1, langs: a.langs.mask("en"), published: day(5)}
	b.byKey["1"] = &group{key: "1", score: 2, langs: b.langs.mask("ko") | b.langs.mask("vi"), published: day(3),
		original: true, section: "chinh-tri"}
	b.byKey["2"] = &group{key: "2", score: 3, langs: b.langs.mask("vi")}
	a.docs, b.docs = 1, 3
	a.merge(b)
	g := a.byKey["1"]
	want := a.langs.mask("en") | a.langs.mask("ko") | a.langs.mask("vi")
	if g.score != 2 || g.langs != want || !g.published.Equal(day(3)) || !g.original || g.section != "chinh-tri" {
		t.Errorf("merged group %+v, want score 2, langs %b, original's date and section", g, want)
	}
	if g2 := a.byKey["2"]; g2 == nil || g2.langs != a.langs.mask("vi") {
		t.Errorf("group 2 after merge: %+v", g2)
	}
	if a.docs != 4 {
		t.Errorf("%d documents, want 4", a.docs)
	}
}
