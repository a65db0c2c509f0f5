package index_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"baoscope/index"
	"baoscope/model"
)

// reader opens a reader on the index's current snapshot; the caller
// closes it before the index.
func reader(t *testing.T, ix *index.Index) bindex.IndexReader {
	t.Helper()
	r, err := index.SnapshotReader(ix)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// columnsInSearch runs a search and counts the shards searched and those
// whose snapshot had columns, asking as search does: while the search
// holds the snapshot.
func columnsInSearch(t *testing.T, ix *index.Index) (have, searched int) {
	t.Helper()
	var mu sync.Mutex
	forShard := func(s *index.Shard) func(index.Hit) error {
		mu.Lock()
		searched++
		if s.Columns() != nil {
			have++
		}
		mu.Unlock()
		return func(index.Hit) error { return nil }
	}
	if err := ix.VisitMatches(context.Background(), bq.NewMatchAllQuery(), true, forShard); err != nil {
		t.Fatal(err)
	}
	return have, searched
}

// columnDocs are documents with every combination of missing values.
func columnDocs() []*model.Document {
	pub := time.Date(2025, 8, 3, 9, 0, 0, 0, time.UTC)
	return []*model.Document{
		{URL: "https://baolamdong.vn/a-1.html", ReportID: "1", IsOriginal: true, Lang: "vi", Section: "chinh-tri", Published: pub, Title: "a"},
		{URL: "https://www.vietnam.vn/en/a", ReportID: "1", Lang: "en", Section: "chinh-tri", Published: pub.Add(time.Hour), Title: "a"},
		{URL: "https://www.vietnam.vn/ko/b", Lang: "ko", Title: "b"}, // unlinked, no section, no date
		{URL: "https://baolamdong.vn/c-3.html", ReportID: "3", IsOriginal: true, Lang: "vi", Section: "xa-hoi", Published: pub, Title: "c"},
		{URL: "https://baolamdong.vn/d-4.html", ReportID: "4", IsOriginal: true, Title: "d"}, // no language
	}
}

// ReadColumns gives each live document its values, and deleted documents
// (holes in the numbering) none.
func TestReadColumns(t *testing.T) {
	ix, err := index.Create(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := columnDocs()
	if err := ix.Upsert(docs...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete("https://baolamdong.vn/c-3.html"); err != nil {
		t.Fatal(err)
	}
	r := reader(t, ix)
	defer r.Close() // before the index
	cols, err := index.ReadColumns(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	// A closing index stops a build: an ended context ends the read.
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := index.ReadColumns(ended, r); !errors.Is(err, context.Canceled) {
		t.Errorf("read with an ended context: %v, want context.Canceled", err)
	}
	want := map[string]string{
		"https://baolamdong.vn/a-1.html": "1 vi chinh-tri 2025-08-03T09:00:00Z true",
		"https://www.vietnam.vn/en/a":    "1 en chinh-tri 2025-08-03T10:00:00Z false",
		"https://www.vietnam.vn/ko/b":    "url:https://www.vietnam.vn/ko/b ko  none false",
		"https://baolamdong.vn/d-4.html": "4   none true",
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		t.Fatal(err)
	}
	defer ids.Close()
	seen := 0
	for {
		id, err := ids.Next()
		if err != nil {
			t.Fatal(err)
		}
		if id == nil {
			break
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			t.Fatal(err)
		}
		d, ok := index.DocNum(id)
		if !ok || !cols.Has(d) {
			t.Fatalf("%s: document number %d not in the columns (%d)", ext, d, len(cols.Group))
		}
		t.Run(ext, func(t *testing.T) {
			at := func(i int, names []string) string {
				if i == 0 {
					return ""
				}
				return names[i-1]
			}
			date := "none"
			if p := cols.Published[d]; p != index.NoDate {
				date = time.Unix(0, p).UTC().Format(time.RFC3339)
			}
			got := fmt.Sprintf("%s %s %s %s %v", cols.Groups[cols.Group[d]], at(int(cols.Lang[d]), cols.Langs),
				at(int(cols.Section[d]), cols.Sections), date, cols.Original[d])
			if got != want[ext] {
				t.Errorf("got %q, want %q", got, want[ext])
			}
		})
		seen++
	}
	if seen != len(want) {
		t.Errorf("%d live documents, want %d", seen, len(want))
	}
	// The deleted document's number is a hole without a group.
	holes := 0
	for _, g := range cols.Group {
		if g < 0 {
			holes++
		}
	}
	if len(cols.Group) == len(want)+1 && holes != 1 {
		t.Errorf("%d holes in %d numbers", holes, len(cols.Group))
	}
	if slices.Contains(cols.Groups, "3") && holes == 0 {
		t.Error("the deleted report's group is read but no hole left")
	}
}

// groupColumns answers nil (a Shard without Columns) for a snapshot whose columns are not built and
// builds them in the background; every shard gets its own; Close stops a
// running build and waits for it.
func TestGroupColumnsBuiltInBackground(t *testing.T) {
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			ix := create(t, filepath.Join(t.TempDir(), "ix"), shards)
			if err := ix.Upsert(columnDocs()...); err != nil {
				t.Fatal(err)
			}
			// Eventually every shard's current snapshot has columns: the
			// first calls start a build; a persist or a merge may replace
			// a snapshot meanwhile, and the next call builds again.
			deadline := time.Now().Add(20 * time.Second)
			for {
				if have, searched := columnsInSearch(t, ix); have == shards && searched == shards {
					break
				}
				if time.Now().After(deadline) {
					n, _ := ix.ColumnBuilds()
					t.Fatalf("columns not built after 20 s (%d builds)", n)
				}
				time.Sleep(10 * time.Millisecond)
			}
			n, took := ix.ColumnBuilds()
			if n == 0 || took <= 0 {
				t.Errorf("%d builds, last took %v", n, took)
			}
			// A write makes a new snapshot without columns.
			if err := ix.Upsert(&model.Document{URL: "https://baolamdong.vn/e-5.html", ReportID: "5", Lang: "vi", Title: "e"}); err != nil {
				t.Fatal(err)
			}
			columnsInSearch(t, ix) // starts a build
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			if err := ix.BuildColumns(); err == nil {
				t.Error("BuildColumns on a closed index succeeded")
			}
		})
	}
}

// A Shard gives a hit's grouping values from the columns and from doc
// values alike: one decoder serves both.
func TestShardValuesMatchColumns(t *testing.T) {
	ix := create(t, filepath.Join(t.TempDir(), "ix"), 1)
	defer ix.Close()
	if err := ix.Upsert(columnDocs()...); err != nil {
		t.Fatal(err)
	}
	seen := 0
	deadline := time.Now().Add(20 * time.Second)
	for seen == 0 {
		if err := ix.BuildColumns(); err != nil {
			t.Fatal(err)
		}
		// A persist or merge may replace the snapshot the build read:
		// try again until a search reads the one with columns.
		err := ix.VisitMatches(context.Background(), bq.NewMatchAllQuery(), false, func(s *index.Shard) func(index.Hit) error {
			return func(h index.Hit) error {
				d, ok := s.Column(h)
				if !ok {
					return nil
				}
				seen++
				v, err := s.Values(h)
				if err != nil {
					return err
				}
				c := s.Columns()
				name := func(i int, names []string) string {
					if i == 0 {
						return ""
					}
					return names[i-1]
				}
				col := fmt.Sprintf("%s|%s|%s|%d|%v", c.Groups[c.Group[d]], name(int(c.Lang[d]), c.Langs),
					name(int(c.Section[d]), c.Sections), c.Published[d], c.Original[d])
				dv := fmt.Sprintf("%s|%s|%s|%d|%v", v.Group, v.Lang, v.Section, v.Published, v.Original)
				if col != dv {
					t.Errorf("columns %s, doc values %s", col, dv)
				}
				return nil
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("no search read the columns in 20 s")
		}
	}
	if seen != len(columnDocs()) {
		t.Errorf("%d documents compared, want %d", seen, len(columnDocs()))
	}
}
