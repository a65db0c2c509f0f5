package index_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"baoscope/bench"
	"baoscope/index"
	"baoscope/model"
	"baoscope/sample"
)

// generatedDocs returns n generated documents (n/5 reports in 5 languages).
func generatedDocs(b *testing.B, n int) []*model.Document {
	b.Helper()
	c, err := sample.Generate(sample.GenerateOptions{Reports: (n + 4) / 5, Langs: 5, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return bench.Documents(c)[:n]
}

// create makes an empty index at dir, sharded when shards > 1.
func create(tb testing.TB, dir string, shards int) *index.Index {
	tb.Helper()
	var ix *index.Index
	var err error
	if shards > 1 {
		ix, err = index.OpenSharded(dir, shards)
	} else {
		ix, err = index.Create(dir)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

// BenchmarkUpsert indexes 2048 generated documents per iteration into a
// fresh index, unsharded and sharded; ns/op is per document.
//
//	go test -run '^$' -bench Upsert -benchmem -cpuprofile cpu.out ./index/
func BenchmarkUpsert(b *testing.B) {
	docs := generatedDocs(b, 2048)
	for _, shards := range []int{1, 2} {
		b.Run(fmt.Sprintf("shards=%d", shards), func(b *testing.B) {
			n := 0
			for b.Loop() {
				b.StopTimer()
				ix := create(b, filepath.Join(b.TempDir(), fmt.Sprint(n)), shards)
				n++
				b.StartTimer()
				for i := 0; i < len(docs); i += index.BatchSize * shards {
					if err := ix.Upsert(docs[i:min(i+index.BatchSize*shards, len(docs))]...); err != nil {
						b.Fatal(err)
					}
				}
				if err := ix.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
			b.ReportMetric(float64(b.N*len(docs))/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
