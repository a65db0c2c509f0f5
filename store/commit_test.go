package store

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"baoscope/model"
)

// openQuiet opens a store whose deferred writes wait for a commit that
// carries them: no timer commits them behind the test's back.
func openQuiet(t *testing.T) (*Store, string) {
	t.Helper()
	s, path := openTemp(t)
	s.o.delay = time.Hour
	return s, path
}

// closeAndReopen closes s cleanly and opens its file again; the test's
// cleanup closes the reopened store.
func closeAndReopen(t *testing.T, s *Store, path string) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reopened.Close() })
	return reopened
}

// crashCopy copies the store's file as a kill -9 at this moment would
// leave it (committed transactions only; bbolt writes nothing between
// commits) and opens the copy.
func crashCopy(t *testing.T, path string) *Store {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "crashed.db")
	if err := os.WriteFile(cp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(cp, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func lastTx(t *testing.T, s *Store) int {
	t.Helper()
	var id int
	if err := s.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

func testDoc(u string) *model.Document {
	return &model.Document{URL: u, Title: "t", Lang: "vi", ContentHash: "h-" + u}
}

// TestDurableWriteCarriesEarlierDeferredWrites: a deferred write made
// before a document's Put is in the file as soon as Put returns (a crash
// then keeps both); one made after it waits for a later commit, which
// Close makes.
func TestDurableWriteCarriesEarlierDeferredWrites(t *testing.T) {
	const doc = "https://baolamdong.vn/a-1.html"
	host, _ := url.Parse("https://baolamdong.vn/")
	tests := []struct {
		name   string
		before func(s *Store) error // deferred writes, then Put(doc)
		after  func(s *Store) error // deferred writes after Put(doc)
		// check reports what a store holds of the writes: before,
		// after.
		check func(s *Store) (before, after bool)
	}{
		{
			name: "url state",
			before: func(s *Store) error {
				return s.PutURLState(&model.URLState{URL: "https://x/before", Outcome: model.OutcomeNotFound})
			},
			after: func(s *Store) error {
				return s.PutURLState(&model.URLState{URL: "https://x/after", Outcome: model.OutcomeStored})
			},
			check: func(s *Store) (bool, bool) {
				_, e1 := s.URLState("https://x/before")
				_, e2 := s.URLState("https://x/after")
				return e1 == nil, e2 == nil
			},
		},
		{
			name: "colly visited mark and cookies",
			before: func(s *Store) error {
				s.CollyStorage().SetCookies(host, "session=s1")
				return s.CollyStorage().Visited(1)
			},
			after: func(s *Store) error { return s.CollyStorage().Visited(2) },
			check: func(s *Store) (bool, bool) {
				c := s.CollyStorage()
				v1, _ := c.IsVisited(1)
				v2, _ := c.IsVisited(2)
				return v1 && c.Cookies(host) == "session=s1", v2
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openQuiet(t)
			if err := tt.before(s); err != nil {
				t.Fatal(err)
			}
			if st, err := s.Put(testDoc(doc)); err != nil || !st.Changed {
				t.Fatalf("Put: %v %v", st.Changed, err)
			}
			if err := tt.after(s); err != nil {
				t.Fatal(err)
			}
			if b, a := tt.check(s); !b || !a {
				t.Errorf("the store itself sees before %v, after %v; want both", b, a)
			}
			crashed := crashCopy(t, path)
			if !crashed.Has(doc) {
				t.Error("document lost in the crash")
			}
			if b, a := tt.check(crashed); !b || a {
				t.Errorf("after a crash: before %v (want true), after %v (want false: not committed yet)", b, a)
			}
			reopened := closeAndReopen(t, s, path)
			if b, a := tt.check(reopened); !b || !a {
				t.Errorf("after Close: before %v, after %v; want both", b, a)
			}
		})
	}
}

// holdCommit starts a commit and holds it open until release is closed,
// so that writers arriving meanwhile queue for the next commit, which
// takes them all; queued waits until n writers are queued. wg waits for
// the held commit too.
func holdCommit(t *testing.T, s *Store, wg *sync.WaitGroup) (release chan struct{}, queued func(n int)) {
	t.Helper()
	release, holding := make(chan struct{}), make(chan struct{})
	wg.Go(func() {
		if err := s.update(func(*bolt.Tx) error { close(holding); <-release; return nil }); err != nil {
			t.Error(err)
		}
	})
	<-holding
	return release, func(n int) {
		for {
			s.w.mu.Lock()
			q := len(s.w.queue)
			s.w.mu.Unlock()
			if q == n {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// TestSharedTransaction queues several writers behind a commit in flight,
// so that the next commit takes them all, and makes one of them fail or
// panic. The others' functions then run again in a new transaction, which
// must leave their results as if each had committed alone; the failing
// writer gets its own error, or its own panic.
func TestSharedTransaction(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		bad  func(tx *bolt.Tx) error // the last writer queued; nil: none
		runs int32                   // runs of each good writer's function
	}{
		{"all succeed", nil, 1},
		{"one fails", func(*bolt.Tx) error { return errBoom }, 2},
		{"one panics", func(*bolt.Tx) error { panic(errBoom) }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openQuiet(t)
			var wg sync.WaitGroup
			release, queued := holdCommit(t, s, &wg)
			const good = 3
			var (
				runs    [good]atomic.Int32
				txids   [good]atomic.Int64
				changed atomic.Bool
			)
			for i := range good {
				wg.Go(func() {
					err := s.update(func(tx *bolt.Tx) error {
						runs[i].Add(1)
						txids[i].Store(int64(tx.ID()))
						return tx.Bucket(bucketMeta).Put(fmt.Appendf(nil, "k%d", i), []byte("v"))
					})
					if err != nil {
						t.Errorf("writer %d: %v", i, err)
					}
				})
				queued(i + 1)
			}
			// A document's Put, whose changed result is set inside the
			// transaction: a rerun must not turn it false.
			wg.Go(func() {
				st, err := s.Put(testDoc("https://baolamdong.vn/d-1.html"))
				if err != nil {
					t.Error(err)
				}
				changed.Store(st.Changed)
			})
			queued(good + 1)
			var (
				badErr   error
				badPanic any
			)
			if tt.bad != nil {
				wg.Go(func() {
					defer func() { badPanic = recover() }()
					badErr = s.update(tt.bad)
				})
				queued(good + 2)
			}
			close(release)
			wg.Wait()

			for i := range good {
				if n := runs[i].Load(); n != tt.runs {
					t.Errorf("writer %d ran %d times, want %d", i, n, tt.runs)
				}
				if txids[i].Load() != txids[0].Load() {
					t.Errorf("writer %d committed in transaction %d, writer 0 in %d: not shared", i, txids[i].Load(), txids[0].Load())
				}
			}
			if !changed.Load() {
				t.Error("Put of a new document reported no change")
			}
			switch {
			case tt.bad == nil:
			case tt.name == "one panics":
				if badPanic != errBoom {
					t.Errorf("panic %v, want %v in the panicking writer's goroutine", badPanic, errBoom)
				}
			default:
				if !errors.Is(badErr, errBoom) {
					t.Errorf("failing writer got %v, want %v", badErr, errBoom)
				}
			}
			crashed := crashCopy(t, path)
			for i := range good {
				var v []byte
				crashed.db.View(func(tx *bolt.Tx) error {
					v = tx.Bucket(bucketMeta).Get(fmt.Appendf(nil, "k%d", i))
					return nil
				})
				if string(v) != "v" {
					t.Errorf("writer %d's write not durable", i)
				}
			}
			if !crashed.Has("https://baolamdong.vn/d-1.html") {
				t.Error("document not durable")
			}
		})
	}
}

// TestConcurrentWritesDurable: pages written by many goroutines at once,
// as the crawler's workers do, are all in the file after a crash (the
// documents and what was deferred before them) and after Close (all).
func TestConcurrentWritesDurable(t *testing.T) {
	for _, workers := range []int{1, 8, 32} {
		t.Run(fmt.Sprintf("goroutines=%d", workers), func(t *testing.T) {
			s, path := openQuiet(t)
			const pages = 40
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					for i := range pages {
						u := fmt.Sprintf("https://baolamdong.vn/w%d-%d.html", w, i)
						d := testDoc(u)
						d.ReportID = fmt.Sprint(w)
						if _, err := s.Put(d); err != nil {
							t.Error(err)
						}
						if err := s.PutURLState(&model.URLState{URL: u, Outcome: model.OutcomeStored}); err != nil {
							t.Error(err)
						}
						if err := s.CollyStorage().Visited(uint64(w*pages + i)); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			check := func(s *Store, what string, lastDeferred bool) {
				t.Helper()
				if n, _ := s.Count(); n != workers*pages {
					t.Errorf("%s: %d documents, want %d", what, n, workers*pages)
				}
				for w := range workers {
					urls, err := s.ReportURLs(fmt.Sprint(w))
					if err != nil || len(urls) != pages {
						t.Errorf("%s: report %d links %d pages (%v), want %d", what, w, len(urls), err, pages)
					}
					for i := range pages {
						u := fmt.Sprintf("https://baolamdong.vn/w%d-%d.html", w, i)
						_, err := s.URLState(u)
						ok, _ := s.CollyStorage().IsVisited(uint64(w*pages + i))
						if i < pages-1 || lastDeferred {
							if err != nil || !ok {
								t.Errorf("%s: %s state %v, visited %v", what, u, err, ok)
							}
						}
					}
				}
			}
			check(s, "live", true)
			// After a crash, only each worker's last state and mark may
			// be missing: every earlier one preceded a Put.
			check(crashCopy(t, path), "after a crash", false)
			reopened := closeAndReopen(t, s, path)
			check(reopened, "after Close", true)
			if n, _ := reopened.CountURLStates(); n != workers*pages {
				t.Errorf("%d url states, want %d", n, workers*pages)
			}
		})
	}
}

// TestDeferredWrites covers the life of a deferred write besides the
// commits of others: seen at once, committed by the timer when no other
// commit comes, kept when a newer value arrives while its commit is in
// flight, refused after Close.
func TestDeferredWrites(t *testing.T) {
	const u = "https://www.vietnam.vn/en/a"
	tests := []struct {
		name string
		run  func(t *testing.T, s *Store, path string)
	}{
		{"seen at once and counted", func(t *testing.T, s *Store, path string) {
			if err := s.PutURLState(&model.URLState{URL: u, Status: 404}); err != nil {
				t.Fatal(err)
			}
			if st, err := s.URLState(u); err != nil || st.Status != 404 {
				t.Errorf("URLState = %+v, %v", st, err)
			}
			if n, err := s.CountURLStates(); n != 1 || err != nil {
				t.Errorf("CountURLStates = %d, %v", n, err)
			}
			if _, err := crashCopy(t, path).URLState(u); !errors.Is(err, ErrNotFound) {
				t.Errorf("committed before any commit: %v", err)
			}
		}},
		{"committed by the timer", func(t *testing.T, s *Store, path string) {
			s.o.mu.Lock()
			s.o.delay = 10 * time.Millisecond
			s.o.mu.Unlock()
			before := lastTx(t, s)
			if err := s.PutURLState(&model.URLState{URL: u, Status: 404}); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for lastTx(t, s) == before && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if _, err := crashCopy(t, path).URLState(u); err != nil {
				t.Errorf("not committed by the timer: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
			if n := lastTx(t, s); n != before+1 {
				t.Errorf("%d commits for one deferred write, want 1", n-before)
			}
		}},
		{"newer value during its commit", func(t *testing.T, s *Store, path string) {
			if err := s.PutURLState(&model.URLState{URL: u, Status: 404}); err != nil {
				t.Fatal(err)
			}
			release, holding := make(chan struct{}), make(chan struct{})
			done := make(chan error)
			go func() {
				// This commit carries the 404; it is held open while
				// the 200 arrives.
				done <- s.update(func(*bolt.Tx) error { close(holding); <-release; return nil })
			}()
			<-holding
			if err := s.PutURLState(&model.URLState{URL: u, Status: 200}); err != nil {
				t.Fatal(err)
			}
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if st, _ := s.URLState(u); st == nil || st.Status != 200 {
				t.Errorf("live state %+v, want the newer 200", st)
			}
			if st, _ := crashCopy(t, path).URLState(u); st == nil || st.Status != 404 {
				t.Errorf("committed state %+v, want the 404 its commit carried", st)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := Open(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if st, _ := r.URLState(u); st == nil || st.Status != 200 {
				t.Errorf("after Close %+v, want 200", st)
			}
		}},
		{"refused after Close", func(t *testing.T, s *Store, _ string) {
			s.Close()
			if err := s.PutURLState(&model.URLState{URL: u}); !errors.Is(err, errClosed) {
				t.Errorf("PutURLState after Close: %v", err)
			}
		}},
		{"invalid keys refused at once", func(t *testing.T, s *Store, _ string) {
			long := "https://x/" + string(make([]byte, bolt.MaxKeySize))
			if err := s.PutURLState(&model.URLState{URL: long}); err == nil {
				t.Error("a key over bbolt's limit was queued, and would fail every commit")
			}
			s.CollyStorage().SetCookies(&url.URL{}, "a=b") // no host: dropped
			if _, err := s.Put(testDoc("https://baolamdong.vn/b-2.html")); err != nil {
				t.Errorf("a commit after refused writes: %v", err)
			}
		}},
		{"unchanged writes commit nothing", func(t *testing.T, s *Store, _ string) {
			// An original: linked, and its report's metadata recorded.
			d := testDoc("https://baolamdong.vn/c-3.html")
			d.ReportID, d.IsOriginal, d.Section = "3", true, "xa-hoi"
			if _, err := s.Put(d); err != nil {
				t.Fatal(err)
			}
			// The same page handled again, as a rerun does.
			before := lastTx(t, s)
			d.FetchedAt = time.Now()
			if st, err := s.Put(d); st.Changed || err != nil {
				t.Errorf("Put again: changed %v, %v", st.Changed, err)
			}
			if n := len(s.o.pending()); n != 0 {
				t.Errorf("%d deferred writes pending, want none", n)
			}
			if n := lastTx(t, s); n != before {
				t.Errorf("%d commits, want none", n-before)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openQuiet(t)
			tt.run(t, s, path)
		})
	}
}
