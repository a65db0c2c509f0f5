package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"baoscope/model"
)

// TestBrowse: a search without a query lists every report, newest first
// whatever the sort, with the request's filters, and pages through them.
func TestBrowse(t *testing.T) {
	var docs []*model.Document
	for i := 1; i <= 5; i++ {
		docs = append(docs, report(fmt.Sprint(200+i), i, "")...)
	}
	s := New(newIndex(t, docs...), Options{})
	ctx := context.Background()
	tests := []struct {
		name string
		q    model.Query
		want []string
	}{
		{"everything", model.Query{Size: 10}, []string{"205", "204", "203", "202", "201"}},
		{"relevance asked", model.Query{Text: "  ", Size: 10, Sort: model.SortRelevance}, []string{"205", "204", "203", "202", "201"}},
		{"filtered", model.Query{Size: 10, From: docs[4].Published.Add(-1), Langs: []string{"en"}}, []string{"205", "204", "203"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Reports {
				got = append(got, r.ReportID)
				if !r.Complete {
					t.Errorf("report %s not complete", r.ReportID)
				}
			}
			if !slices.Equal(got, tt.want) || res.TotalReports != len(tt.want) {
				t.Errorf("reports %v (total %d), want %v", got, res.TotalReports, tt.want)
			}
		})
	}
	t.Run("pages", func(t *testing.T) {
		var got []string
		q := model.Query{Size: 2}
		for {
			res, err := s.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Reports {
				got = append(got, r.ReportID)
			}
			if res.NextCursor == "" {
				break
			}
			q.Cursor = res.NextCursor
		}
		if want := []string{"205", "204", "203", "202", "201"}; !slices.Equal(got, want) {
			t.Errorf("paged %v, want %v", got, want)
		}
	})
}

// TestPrefix: Kro* finds Krông and Krong in every version the word's
// fields cover, is not translated, and a prefix of no word finds nothing.
func TestPrefix(t *testing.T) {
	docs := report("301", 1, "")
	docs = append(docs, &model.Document{URL: "https://baolamdong.vn/khac-302.html", Site: model.SiteBaoLamDong, ReportID: "302",
		IsOriginal: true, Title: "Đà Lạt mùa hoa", Body: []string{"Du khách đến ngắm hoa."}, Lang: "vi", Section: "van-hoa"})
	s := New(newIndex(t, docs...), Options{})
	tests := []struct {
		q     string
		want  []string
		langs []string // matched versions of the first report
	}{
		{"Kro*", []string{"301"}, []string{"en", "vi"}},
		{"krô*", []string{"301"}, []string{"en", "vi"}},
		{"title:Kro*", []string{"301"}, []string{"vi"}},
		{"Krx*", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res, err := s.Search(context.Background(), model.Query{Text: tt.q, Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Reports {
				got = append(got, r.ReportID)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("reports %v, want %v", got, tt.want)
			}
			if len(got) == 0 {
				return
			}
			if langs := matchedLangs(res.Reports[0]); !slices.Equal(langs, tt.langs) {
				t.Errorf("matched %v, want %v", langs, tt.langs)
			}
		})
	}
}

// matchedLangs are the languages of a result's matching versions, sorted.
func matchedLangs(h model.ReportHit) []string {
	var langs []string
	for _, m := range h.Matched {
		langs = append(langs, m.Lang)
	}
	slices.Sort(langs)
	return langs
}
