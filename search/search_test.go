package search

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
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

func TestCursorStableWhileDocumentsAreAdded(t *testing.T) {
	for _, sort := range []model.Sort{model.SortRelevance, model.SortDate} {
		t.Run(string(sort), func(t *testing.T) {
			var docs []*model.Document
			for i := 1; i <= 10; i++ {
				docs = append(docs, report(fmt.Sprint(100+i), i, strings.Repeat("Krông Nô ", i%3))...)
			}
			ix := newIndex(t, docs...)
			s := New(ix, Options{})
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
