package store

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"baoscope/model"
)

// BenchmarkPutParallel measures the store's share of a kept page as the
// crawler produces it: the document (Put), then the URL's crawl state
// (PutURLState), then Colly's visited mark, from several goroutines at
// once as the crawler's workers do (4 in flight per host, two hosts: 8).
// One op is one page; each page has its own URL.
func BenchmarkPutParallel(b *testing.B) {
	body := []string{strings.Repeat("Đoàn công tác đã kiểm tra tiến độ dự án tại huyện Krông Nô. ", 64)} // ≈ 4 KB, like a sample page
	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("goroutines=%d", workers), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "store.db")
			s, err := Open(path, time.Second)
			if err != nil {
				b.Fatal(err)
			}
			c := s.CollyStorage()
			now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			var next atomic.Int64
			txBefore := lastCommit(b, s)
			b.ReportAllocs()
			b.ResetTimer()
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						u := fmt.Sprintf("https://baolamdong.vn/bai-%d.html", i)
						doc := &model.Document{URL: u, Title: "Krông Nô", Body: body, Lang: "vi", ContentHash: u, FetchedAt: now}
						if _, err := s.Put(doc); err != nil {
							b.Error(err)
							return
						}
						if err := s.PutURLState(&model.URLState{URL: u, Kind: "original", Status: 200, Outcome: model.OutcomeStored, FetchedAt: now}); err != nil {
							b.Error(err)
							return
						}
						if err := c.Visited(uint64(i)); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			// Commits (each with its fsyncs) are what the machine's
			// noisy disk makes ns/op hide; the deferred writes' last
			// commit is counted too.
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			s, err = Open(path, time.Second)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			// Less the commit Open makes.
			b.ReportMetric(float64(lastCommit(b, s)-txBefore-1)/float64(b.N), "commits/op")
		})
	}
}

// lastCommit is the id of the store's last committed transaction.
func lastCommit(b *testing.B, s *Store) int {
	var id int
	if err := s.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		b.Fatal(err)
	}
	return id
}
