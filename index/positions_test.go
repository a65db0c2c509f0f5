package index_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/model"
)

// TestVisitPositions: a hit of VisitPositions knows which of its
// query's terms stand side by side, in one field, in the order asked;
// terms of different fields, or apart, are not adjacent; a hit of
// VisitMatches has no positions.
func TestVisitPositions(t *testing.T) {
	docs := []*model.Document{
		{URL: "https://www.vietnam.vn/en/a", Site: model.SiteVietnamVN, ReportID: "1", Lang: "en",
			Title: "Sea shore", Body: []string{"Waves ate the river bank."}},
		{URL: "https://www.vietnam.vn/en/b", Site: model.SiteVietnamVN, ReportID: "2", Lang: "en",
			Title: "Sea", Body: []string{"The shore of the river, the bank of the sea."}},
	}
	for _, shards := range []int{1, 3} {
		ix := create(t, filepath.Join(t.TempDir(), "ix"), shards)
		defer ix.Close()
		if err := ix.Upsert(docs...); err != nil {
			t.Fatal(err)
		}
		var qs []bq.Query
		for _, f := range index.TextFields("en", index.PartTitle, index.PartBody) {
			for _, term := range []string{"sea", "shore", "river", "bank"} {
				qs = append(qs, f.Term(term, 1))
			}
		}
		q := bq.NewDisjunctionQuery(qs)
		tests := []struct {
			name   string
			xs, ys []string
			want   []string // documents with xs followed by ys
		}{
			// 2 has sea first in its title and shore second in its body.
			{"in one field", []string{"sea"}, []string{"shore"}, []string{"1"}},
			{"the other order is not", []string{"shore"}, []string{"sea"}, nil},
			{"in the body", []string{"river"}, []string{"bank"}, []string{"1"}},
			{"one of several", []string{"sea", "river"}, []string{"shore", "bank"}, []string{"1"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := adjacentIn(t, ix, q, true, tt.xs, tt.ys); !slices.Equal(got, tt.want) {
					t.Errorf("%d shards: adjacent in %v, want %v", shards, got, tt.want)
				}
			})
		}
		if got := adjacentIn(t, ix, q, false, []string{"sea"}, []string{"shore"}); got != nil {
			t.Errorf("VisitMatches hits have positions: adjacent in %v", got)
		}
		// Shard.Group reads the columns once they are built, the doc
		// values before: the same reports either way.
		if err := ix.BuildColumns(); err != nil {
			t.Fatal(err)
		}
		if got := adjacentIn(t, ix, q, true, []string{"sea"}, []string{"shore"}); !slices.Equal(got, []string{"1"}) {
			t.Errorf("%d shards, columns built: adjacent in %v, want [1]", shards, got)
		}
	}
}

// adjacentIn lists the report ids of the documents q matches where xs
// is followed by ys, visited with or without positions.
func adjacentIn(t *testing.T, ix *index.Index, q bq.Query, positions bool, xs, ys []string) []string {
	t.Helper()
	var (
		mu  sync.Mutex
		ids []string
	)
	visit := func(s *index.Shard) func(index.Hit) error {
		return func(h index.Hit) error {
			if !h.Adjacent(xs, ys) {
				return nil
			}
			g, err := s.Group(h)
			if err != nil {
				return err
			}
			mu.Lock()
			ids = append(ids, model.ReportIDOf(g))
			mu.Unlock()
			return nil
		}
	}
	var err error
	if positions {
		err = ix.VisitPositions(context.Background(), q, visit)
	} else {
		err = ix.VisitMatches(context.Background(), q, false, visit)
	}
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}
