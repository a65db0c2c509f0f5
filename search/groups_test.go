package search

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"baoscope/index"
	"baoscope/model"
)

// Pass 1 reads a hit's group, language, section, date and originality
// from the index's columns, or from doc values before the columns of the
// index's snapshot are built; both must give the values as indexed,
// including for documents that lack some of them.
func TestGroupValues(t *testing.T) {
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
		// Not matching: leaves a document the query never visits.
		&model.Document{URL: "https://baolamdong.vn/khac-9.html", Site: model.SiteBaoLamDong, ReportID: "9", IsOriginal: true,
			Title: "Khác", Body: []string{"Đà Lạt"}, Lang: "vi", Section: "xa-hoi", Published: pub},
	)
	ix := newIndex(t, docs...)
	// A deleted document leaves a hole in the document numbers.
	if err := ix.Delete("https://baolamdong.vn/khac-9.html"); err != nil {
		t.Fatal(err)
	}
	q := index.NeutralField().Match("krong", false, 1)
	s := New(ix, Options{})
	// The first search of an index cannot have columns: nobody built
	// them. Then build them; the snapshot searched must be the one built
	// for, which a background persist or merge may change: retry.
	fromDocValues, err := s.aggregate(context.Background(), q, true)
	if err != nil {
		t.Fatal(err)
	}
	if fromDocValues.columns {
		t.Fatal("first search read columns that nobody built")
	}
	var fromColumns *aggregate
	for i := 0; i < 100 && (fromColumns == nil || !fromColumns.columns); i++ {
		if err := ix.BuildColumns(); err != nil {
			t.Fatal(err)
		}
		if fromColumns, err = s.aggregate(context.Background(), q, true); err != nil {
			t.Fatal(err)
		}
	}
	if !fromColumns.columns {
		t.Fatal("columns never used")
	}
	tests := []struct {
		key       string
		langs     []string
		section   string
		published time.Time
		original  bool
	}{
		{"501", []string{"vi", "en", "de"}, "chinh-tri", pub, true},
		{model.UnlinkedPrefix + "https://www.vietnam.vn/ko/unlinked", []string{"ko"}, "", time.Time{}, false},
	}
	// The date order needs no scores: Bleve is told not to compute them.
	unscored, err := s.aggregate(context.Background(), q, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range unscored.groups {
		if g.score != 0 {
			t.Errorf("unscored aggregation: %s has score %v", g.key, g.score)
		}
	}
	for _, run := range []struct {
		name string
		agg  *aggregate
	}{{"doc values", fromDocValues}, {"columns", fromColumns}, {"unscored", unscored}} {
		name, agg := run.name, run.agg
		if agg.docs != 4 {
			t.Errorf("%s: %d documents aggregated, want 4", name, agg.docs)
		}
		groups := map[string]*group{}
		for _, g := range agg.groups {
			groups[g.key] = g
		}
		if len(groups) != len(tests) {
			t.Fatalf("%s: %d groups, want %d: %v", name, len(groups), len(tests), groups)
		}
		for _, tt := range tests {
			t.Run(name+"/"+tt.key, func(t *testing.T) {
				g := groups[tt.key]
				if g == nil {
					t.Fatal("missing")
				}
				var got []string
				for l := range agg.langs.fieldLangs(g.langs) {
					got = append(got, l)
				}
				slices.Sort(got)
				want := slices.Sorted(slices.Values(tt.langs))
				if !slices.Equal(got, want) {
					t.Errorf("langs %v, want %v", got, want)
				}
				if g.section != tt.section || !g.published.Equal(tt.published) || g.original != tt.original {
					t.Errorf("section %q published %v original %v, want %q %v %v", g.section, g.published, g.original,
						tt.section, tt.published, tt.original)
				}
				if !g.published.IsZero() && g.published.Location() != vnZone {
					t.Errorf("published in %v, want ICT", g.published.Location())
				}
				if g.score <= 0 && name != "unscored" {
					t.Errorf("score %v", g.score)
				}
			})
		}
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
	a, b := newAggregator(nil), newAggregator(nil)
	a.groups = []*group{{key: "1", score: 1, langs: a.langs.mask("en"), published: day(5)}}
	b.groups = []*group{
		{key: "1", score: 2, langs: b.langs.mask("ko") | b.langs.mask("vi"), published: day(3), original: true, section: "chinh-tri"},
		{key: "2", score: 3, langs: b.langs.mask("vi")},
	}
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
