package search

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
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
	req := bleve.NewSearchRequestOptions(q, 100, 0, false)
	req.SortBy(groupSort)
	res, err := ix.Bleve().SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]*group{}
	for _, g := range collectGroups(res.Hits) {
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
			if len(g.langs) != len(tt.langs) {
				t.Errorf("langs %v, want %v", g.langs, tt.langs)
			}
			for _, l := range tt.langs {
				if !g.langs[l] {
					t.Errorf("langs %v lack %s", g.langs, l)
				}
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
