package search_test

import (
	"context"
	"path/filepath"
	"testing"

	"baoscope/bench"
	"baoscope/index"
	"baoscope/model"
	"baoscope/sample"
	"baoscope/search"
)

// BenchmarkSearch runs the fixed query set of the bench command, in turn,
// against 5,000 generated documents (parse, three Bleve passes, grouping,
// highlighting; no query-language detection).
//
//	go test -run '^$' -bench Search -benchmem -cpuprofile cpu.out ./search/
func BenchmarkSearch(b *testing.B) {
	ix := generatedIndex(b, false)
	searchInTurn(b, search.New(ix, search.Options{}))
}

// BenchmarkSearchNoReuse is BenchmarkSearch with every pass computed for
// every search (no result cache) over built grouping columns: pass 1's
// hot path, as at a server's start or after a write.
//
//	go test -run '^$' -bench SearchNoReuse -benchmem ./search/
func BenchmarkSearchNoReuse(b *testing.B) {
	ix := generatedIndex(b, true)
	searchInTurn(b, search.New(ix, search.Options{CacheEntries: -1}))
}

// BenchmarkBrowseNoReuse is a browse (no query: every report, newest
// first, what the home page shows) computed in full every time, over
// the same 5,000 documents: the cost of the home page after each write
// to the index.
//
//	go test -run '^$' -bench BrowseNoReuse -benchmem ./search/
func BenchmarkBrowseNoReuse(b *testing.B) {
	ix := generatedIndex(b, true)
	s := search.New(ix, search.Options{CacheEntries: -1})
	ctx := context.Background()
	for b.Loop() {
		res, err := s.Search(ctx, model.Query{Size: 20})
		if err != nil {
			b.Fatal(err)
		}
		if res.TotalReports != 1000 {
			b.Fatalf("browsed %d reports, want 1000", res.TotalReports)
		}
	}
}

// generatedIndex indexes 1,000 generated reports in five languages (5,000
// documents), with the grouping columns built when columns is set.
func generatedIndex(b *testing.B, columns bool) *index.Index {
	b.Helper()
	c, err := sample.Generate(sample.GenerateOptions{Reports: 1000, Langs: 5, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ix, err := index.Create(filepath.Join(b.TempDir(), "ix"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	if err := ix.Upsert(bench.Documents(c)...); err != nil {
		b.Fatal(err)
	}
	if columns {
		if err := ix.BuildColumns(); err != nil {
			b.Fatal(err)
		}
	}
	return ix
}

// searchInTurn runs the bench command's queries in turn, one per loop.
func searchInTurn(b *testing.B, s *search.Searcher) {
	qs := bench.Queries()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.Search(ctx, qs[i%len(qs)].Q); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
