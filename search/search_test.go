package search

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"baoscope/index"
	"baoscope/model"
)

var ict = time.FixedZone("ICT", 7*3600)

// report makes a linked original and its English translation.
func report(id string, day int, extra string) []*model.Document {
	pub := time.Date(2025, 8, day, 9, 0, 0, 0, ict)
	return []*model.Document{
		{URL: "https://baolamdong.vn/bao-cao-" + id + ".html", Site: model.SiteBaoLamDong, ReportID: id, IsOriginal: true,
			Title: "Báo cáo xã Krông Nô số " + id, Body: []string{"Chính quyền hai cấp vận hành ổn định. " + extra},
			Lang: "vi", DeclaredLang: "vi", Section: "chinh-tri", Published: pub},
		{URL: "https://www.vietnam.vn/en/bao-cao-" + id, Site: model.SiteVietnamVN, ReportID: id,
			Title: "Report on Krong No commune " + id, Body: []string{"The two-level government runs smoothly. " + extra},
			Lang: "en", DeclaredLang: "en", Section: "chinh-tri", Published: pub.Add(2 * time.Hour)},
	}
}

func newIndex(t *testing.T, docs ...*model.Document) *index.Index {
	t.Helper()
	ix, err := index.Create(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Upsert(docs...); err != nil {
		t.Fatal(err)
	}
	return ix
}

// Pages stay stable while a crawl adds documents: exactly, from the
// first page's cached ranking; and without the cache (evicted, or a
// cursor from another server), by recomputing without the new documents.
func TestCursorStableWhileDocumentsAreAdded(t *testing.T) {
	tests := []struct {
		sort  model.Sort
		cache int
	}{
		{model.SortRelevance, 0}, {model.SortDate, 0},
		{model.SortRelevance, -1}, {model.SortDate, -1},
	}
	for _, tt := range tests {
		sort := tt.sort
		t.Run(fmt.Sprintf("%s/cache=%d", sort, tt.cache), func(t *testing.T) {
			var docs []*model.Document
			for i := 1; i <= 10; i++ {
				docs = append(docs, report(fmt.Sprint(100+i), i, strings.Repeat("Krông Nô ", i%3))...)
			}
			ix := newIndex(t, docs...)
			s := New(ix, Options{CacheEntries: tt.cache})
			ctx := context.Background()
			seen := map[string]int{}
			q := model.Query{Text: "Krong No", Size: 3, Sort: sort}
			for page := 0; ; page++ {
				res, err := s.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range res.Reports {
					seen[r.ReportID]++
				}
				if page == 0 {
					// A crawl adds reports that match better and are newer
					// while the researcher pages.
					time.Sleep(2 * time.Millisecond)
					var more []*model.Document
					for i := 1; i <= 5; i++ {
						more = append(more, report(fmt.Sprint(900+i), 20+i, "Krông Nô Krông Nô Krông Nô")...)
					}
					if err := ix.Upsert(more...); err != nil {
						t.Fatal(err)
					}
				}
				if res.NextCursor == "" {
					break
				}
				q.Cursor = res.NextCursor
			}
			if len(seen) != 10 {
				t.Errorf("paging saw %d reports, want the 10 that existed at the first page: %v", len(seen), seen)
			}
			for id, n := range seen {
				if n != 1 || strings.HasPrefix(id, "90") {
					t.Errorf("report %s seen %d times", id, n)
				}
			}
			// A new search sees the added reports.
			res, err := s.Search(ctx, model.Query{Text: "Krong No", Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			if res.TotalReports != 15 {
				t.Errorf("new search: %d reports, want 15", res.TotalReports)
			}
		})
	}
}

// Paging deeper than the ranked window (and than the cache keeps) sees
// every report once, in order.
func TestPagingBeyondWindow(t *testing.T) {
	var docs []*model.Document
	for i := 1; i <= 25; i++ {
		docs = append(docs, report(fmt.Sprint(200+i), 1+i%28, strings.Repeat("Krông Nô ", i%4))...)
	}
	ix := newIndex(t, docs...)
	ctx := context.Background()
	for _, sort := range []model.Sort{model.SortRelevance, model.SortDate} {
		t.Run(string(sort), func(t *testing.T) {
			want, err := New(ix, Options{}).Search(ctx, model.Query{Text: "Krong No", Size: 100, Sort: sort})
			if err != nil {
				t.Fatal(err)
			}
			s := New(ix, Options{Window: 6}) // caches sets of up to 24 ranked reports
			q := model.Query{Text: "Krong No", Size: 3, Sort: sort}
			var got []string
			pages := 0
			for {
				pages++
				res, err := s.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if res.TotalReports != 25 {
					t.Fatalf("total %d, want 25", res.TotalReports)
				}
				for _, r := range res.Reports {
					got = append(got, r.ReportID)
				}
				if res.NextCursor == "" {
					break
				}
				q.Cursor = res.NextCursor
			}
			var order []string
			for _, r := range want.Reports {
				order = append(order, r.ReportID)
			}
			if !slices.Equal(got, order) {
				t.Errorf("paged order\n%v\nwant\n%v", got, order)
			}
			// Past the first window, each computation ranks a window of
			// size+Window after the cursor, not one page: 25 reports in
			// pages of 3 take the first 6, then 9, 9 and the last 1.
			if n := s.aggregations.Load(); n != 4 {
				t.Errorf("%d pages computed pass 1 %d times, want 4", pages, n)
			}
		})
	}
}

// A repeated query and its next pages reuse the first page's pass 1; a
// write to the index makes a new search compute it again.
func TestResultCache(t *testing.T) {
	var docs []*model.Document
	for i := 1; i <= 6; i++ {
		docs = append(docs, report(fmt.Sprint(300+i), i, "")...)
	}
	ix := newIndex(t, docs...)
	s := New(ix, Options{})
	ctx := context.Background()
	q := model.Query{Text: "Krong No", Size: 2}
	steps := []struct {
		name  string
		do    func() *model.Result
		total int   // reports
		runs  int64 // pass 1 computations so far
	}{
		{"first", func() *model.Result { r, _ := s.Search(ctx, q); return r }, 6, 1},
		{"again", func() *model.Result { r, _ := s.Search(ctx, q); return r }, 6, 1},
		{"other size", func() *model.Result { r, _ := s.Search(ctx, model.Query{Text: "Krong No", Size: 5}); return r }, 6, 1},
		{"other filter", func() *model.Result { r, _ := s.Search(ctx, model.Query{Text: "Krong No lang:en"}); return r }, 6, 2},
		{"next page", func() *model.Result {
			r, _ := s.Search(ctx, q)
			next := q
			next.Cursor = r.NextCursor
			r, _ = s.Search(ctx, next)
			return r
		}, 6, 2},
		{"after a write", func() *model.Result {
			if err := ix.Upsert(report("399", 9, "")...); err != nil {
				t.Fatal(err)
			}
			r, _ := s.Search(ctx, q)
			return r
		}, 7, 3},
	}
	for _, st := range steps {
		res := st.do()
		if res == nil {
			t.Fatalf("%s: search failed", st.name)
		}
		if res.TotalReports != st.total || s.aggregations.Load() != st.runs {
			t.Errorf("%s: %d reports after %d pass 1 runs, want %d after %d", st.name, res.TotalReports,
				s.aggregations.Load(), st.total, st.runs)
		}
	}
}

func TestSnippetsEscapeCrawledText(t *testing.T) {
	docs := report("777", 3, `<script>alert(1)</script> <img src=x onerror=alert(2)> Krông Nô`)
	docs[1].Title = `<script>alert("title")</script> Krong No`
	s := New(newIndex(t, docs...), Options{})
	res, err := s.Search(context.Background(), model.Query{Text: "Krong No"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Reports) != 1 {
		t.Fatalf("%d reports", len(res.Reports))
	}
	for _, m := range res.Reports[0].Matched {
		if strings.Contains(m.Snippet, "<script") || strings.Contains(m.Snippet, "<img") {
			t.Errorf("%s snippet not escaped: %q", m.Lang, m.Snippet)
		}
		if !strings.Contains(m.Snippet, "<mark>") {
			t.Errorf("%s snippet lacks <mark>: %q", m.Lang, m.Snippet)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	s := New(newIndex(t, report("1", 1, "")...), Options{})
	tests := []struct {
		name  string
		q     model.Query
		param string
		pos   int
	}{
		{"unterminated phrase", model.Query{Text: `Krong "No`}, "q", 6},
		{"unknown field", model.Query{Text: `author:x`}, "q", 0},
		{"only exclusions", model.Query{Text: `-Krong`}, "q", 0},
		{"size too large", model.Query{Text: "Krong", Size: 1000}, "size", -1},
		{"bad cursor", model.Query{Text: "Krong", Cursor: "!!"}, "cursor", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Search(context.Background(), tt.q)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("err = %v, want *QueryError", err)
			}
			if qe.Param != tt.param || (tt.pos >= 0 && qe.Position != tt.pos) {
				t.Errorf("got param %q position %d (%s), want %q %d", qe.Param, qe.Position, qe.Reason, tt.param, tt.pos)
			}
		})
	}
}

func TestDeleteAndUpsert(t *testing.T) {
	docs := report("5", 5, "")
	ix := newIndex(t, docs...)
	s := New(ix, Options{})
	ctx := context.Background()
	// Indexing the same URL again replaces it.
	docs[1].Title = "Report on Krong No commune, revised"
	if err := ix.Upsert(docs[1]); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 2 {
		t.Fatalf("after re-upsert: %d documents, want 2", n)
	}
	rep, err := s.Report(ctx, "5")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Versions) != 2 || rep.Versions[1].Title != docs[1].Title {
		t.Errorf("report versions %+v", rep.Versions)
	}
	if err := ix.Delete(docs[1].URL); err != nil {
		t.Fatal(err)
	}
	rep, err = s.Report(ctx, "5")
	if err != nil || len(rep.Versions) != 1 {
		t.Fatalf("after delete: %v %+v", err, rep)
	}
	if _, err := s.Report(ctx, "404"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing report: err = %v, want ErrNotFound", err)
	}
}

// At most MaxAggregations pass 1 computations run at once; a search
// waiting for its turn gives up when its context ends.
func TestAggregationsCapped(t *testing.T) {
	var docs []*model.Document
	for i := 1; i <= 20; i++ {
		docs = append(docs, report(fmt.Sprint(500+i), i%28+1, fmt.Sprintf("chủ đề %d", i))...)
	}
	ix := newIndex(t, docs...)
	s := New(ix, Options{MaxAggregations: 2, CacheEntries: -1})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Go(func() {
			res, err := s.Search(ctx, model.Query{Text: fmt.Sprintf("Krong No %d", 501+i%20)})
			if err == nil && res.TotalReports == 0 {
				err = fmt.Errorf("query %d found nothing", i)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m := s.maxRunning.Load(); m < 1 || m > 2 {
		t.Errorf("%d pass 1 computations ran at once, want 1 or 2", m)
	}
	if n := s.aggregations.Load(); n != 32 {
		t.Errorf("%d computations, want 32 (no reuse)", n)
	}

	// Both slots taken: a search waits, then gives up with its context.
	s.slots <- struct{}{}
	s.slots <- struct{}{}
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := s.Search(tctx, model.Query{Text: "Krong No"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("search with every slot taken: %v, want a deadline error", err)
	}
	<-s.slots
	<-s.slots
	if _, err := s.Search(ctx, model.Query{Text: "Krong No"}); err != nil {
		t.Errorf("after the slots were freed: %v", err)
	}
}
