package search

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"baoscope/model"
)

// TestCursorTiedToItsSearch: a cursor pages only the search that handed
// it out, on any Searcher with the same key (the data directory's); an
// edited, forged, foreign or reused one is a *QueryError on "cursor"
// saying which (issue 16: they answered 200).
func TestCursorTiedToItsSearch(t *testing.T) {
	var docs []*model.Document
	for i := 1; i <= 6; i++ {
		docs = append(docs, report(fmt.Sprint(100+i), i, "")...)
	}
	ix := newIndex(t, docs...)
	key := NewCursorKey()
	s := New(ix, Options{CursorKey: key})
	ctx := context.Background()
	q := model.Query{Text: "Krong No", Size: 2}
	first, err := s.Search(ctx, q)
	if err != nil || first.NextCursor == "" {
		t.Fatalf("first page: %v, cursor %q", err, first.NextCursor)
	}
	cur := first.NextCursor
	payload, sig, _ := strings.Cut(cur, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	edited := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), `"n":2`, `"n":4`, 1))) + "." + sig
	unsigned := payload // the format before signing: JSON alone

	restarted := New(ix, Options{CursorKey: key})
	otherKey := New(ix, Options{})
	with := func(q model.Query, c string) model.Query { q.Cursor = c; return q }
	tests := []struct {
		name string
		s    *Searcher
		q    model.Query
		want error // nil: the second page
	}{
		{"same search", s, with(q, cur), nil},
		{"another page size", s, with(model.Query{Text: "Krong No", Size: 3}, cur), nil},
		{"a server restarted on the same data directory", restarted, with(q, cur), nil},
		{"edited position", s, with(q, edited), errCursorForged},
		{"unsigned", s, with(q, unsigned), errCursorForged},
		{"garbage", s, with(q, "!!"), errCursorForged},
		{"another key", otherKey, with(q, cur), errCursorForged},
		{"another query", s, with(model.Query{Text: "Krong", Size: 2}, cur), errCursorQuery},
		{"another filter", s, with(model.Query{Text: "Krong No", Size: 2, Langs: []string{"en"}}, cur), errCursorQuery},
		{"another sort", s, with(model.Query{Text: "Krong No", Size: 2, Sort: model.SortDate}, cur), errCursorQuery},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.s.Search(ctx, tt.q)
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Reports) == 0 || res.Reports[0].ReportID == first.Reports[0].ReportID {
					t.Errorf("not the next page: %+v", res.Reports)
				}
				return
			}
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Param != "cursor" || !errors.Is(err, tt.want) || qe.Reason != tt.want.Error() {
				t.Fatalf("err = %v, want a cursor error %q", err, tt.want)
			}
		})
	}
}
