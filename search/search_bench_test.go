package search_test

import (
	"context"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"baoscope/align"
	"baoscope/bench"
	"baoscope/index"
	"baoscope/langid"
	"baoscope/model"
	"baoscope/sample"
	"baoscope/search"
	"baoscope/translate"
)

// BenchmarkSearch runs the fixed query set of the bench command, in turn,
// against 5,000 generated documents (parse, three Bleve passes, grouping,
// highlighting; no query-language detection).
//
//	go test -run '^$' -bench Search -benchmem -cpuprofile cpu.out ./search/
func BenchmarkSearch(b *testing.B) {
	ix := generatedIndex(b, false)
	searchQueries(b, search.New(ix, search.Options{}), bench.Queries())
}

// BenchmarkSearchNoReuse is BenchmarkSearch with every pass computed for
// every search (no result cache) over built grouping columns: pass 1's
// hot path, as at a server's start or after a write.
//
//	go test -run '^$' -bench SearchNoReuse -benchmem ./search/
func BenchmarkSearchNoReuse(b *testing.B) {
	ix := generatedIndex(b, true)
	searchQueries(b, search.New(ix, search.Options{CacheEntries: -1}), bench.Queries())
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

// BenchmarkSearchTranslated is BenchmarkSearchNoReuse with the query's
// words translated (PSQ) by tables learned from the bundled corpus (the
// generated corpus's versions are unrelated text), beside the same
// queries searched as written: the cost of translation, as a ratio of
// the two sub-benchmarks run side by side; a third is the translated
// search without its second stage (the adjacency of the query's words),
// that stage's cost.
//
// Besides wall time it reports the process's CPU time per query
// (cpu-ms/op), which other work on a shared machine disturbs less: the
// queries run one at a time, so it is the search's own time plus the
// garbage collector's. -translated-reports sets the index's size,
// -translated-by-query times each query on its own.
//
//	go test -run '^$' -bench SearchTranslated -benchtime 10s ./search/ -translated-reports 4000
//	go test -run '^$' -bench SearchTranslated -benchtime 20x ./search/ -translated-by-query
func BenchmarkSearchTranslated(b *testing.B) {
	ix, err := index.Create(filepath.Join(b.TempDir(), "ix"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	gen, err := sample.Generate(sample.GenerateOptions{Reports: *translatedReports, Langs: 5, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.Upsert(bench.Documents(gen)...); err != nil {
		b.Fatal(err)
	}
	if err := ix.BuildColumns(); err != nil {
		b.Fatal(err)
	}
	tables, an := bundledTables(b)
	det, err := langid.New(langid.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, run := range []struct {
		name               string
		translated, second bool
	}{{"translate=false", false, true}, {"translate=true", true, true}, {"translate=true,second-stage=false", true, false}} {
		o := search.Options{CacheEntries: -1, NoSecondStage: !run.second, Language: func(text string) (string, float64) {
			d := det.DetectQuery(text)
			return d.Lang, d.Confidence
		}}
		if run.translated {
			o.Translations, o.Analyzer, o.Sources = func() search.Translator { return tables }, an, det.QuerySources
		}
		s := search.New(ix, o)
		b.Run(run.name, func(b *testing.B) {
			if !*translatedByQuery {
				searchQueries(b, s, bench.Queries())
				return
			}
			for _, q := range bench.Queries() {
				b.Run(strings.ReplaceAll(q.Name, " ", "_"), func(b *testing.B) { searchQueries(b, s, []bench.Query{q}) })
			}
		})
	}
}

// searchQueries runs qs in turn, one per loop (the bench command's
// query set, or one query), and reports the CPU time per query beside
// the wall time.
func searchQueries(b *testing.B, s *search.Searcher, qs []bench.Query) {
	i := 0
	cpu := cpuTime(b)
	for b.Loop() {
		if _, err := s.Search(context.Background(), qs[i%len(qs)].Q); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/1000/float64(i), "cpu-ms/op")
}

// bundledTables learns translation tables from the bundled corpus, as
// pipeline.Learn would from its crawl.
func bundledTables(b *testing.B) (*translate.Tables, *index.Analyzer) {
	b.Helper()
	c, err := sample.Load()
	if err != nil {
		b.Fatal(err)
	}
	an, err := index.NewAnalyzer()
	if err != nil {
		b.Fatal(err)
	}
	var reports []translate.Report
	for r := range c.All() {
		tr := translate.Report{ID: r.ID}
		for i := range r.Versions {
			d := bench.DocumentOf(r, &r.Versions[i])
			tr.Versions = append(tr.Versions, translate.Version{Lang: d.Lang, Title: d.Title, Segments: align.Segments(d.Lead, d.Body)})
		}
		reports = append(reports, tr)
	}
	t, _, err := translate.Learn(context.Background(), slices.Values(reports), an.Terms, translate.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return t, an
}

var (
	translatedReports = flag.Int("translated-reports", 1000, "BenchmarkSearchTranslated: generated reports (5 versions each)")
	translatedByQuery = flag.Bool("translated-by-query", false, "BenchmarkSearchTranslated: one sub-benchmark per query")
)

// cpuTime is the process's user and system time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
