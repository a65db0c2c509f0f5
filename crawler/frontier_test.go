package crawler

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
)

func testFrontier(langs []string) *frontier {
	return newFrontier([]string{"a", "b"}, func(c task, i int) (task, bool) {
		if i >= len(langs) {
			return task{}, false
		}
		return task{url: "/" + langs[i] + "/" + c.url, kind: KindTranslation, site: "b", lang: langs[i], guessed: true}, true
	}, nil)
}

// drain pops every task of site until the frontier says the crawl is
// over, marking each done at once.
func drain(f *frontier, site string) []string {
	var out []string
	for {
		t, ok := f.pop(context.Background(), site)
		if !ok {
			return out
		}
		out = append(out, t.url)
		f.done(t)
	}
}

func TestFrontierDeduplicatesAndExpandsCandidates(t *testing.T) {
	f := testFrontier([]string{"en", "ko", "de"})
	f.push(task{url: "/x", kind: KindListing, site: "a"})
	f.push(task{url: "/x", kind: KindListing, site: "a"})
	if got := drain(f, "a"); !slices.Equal(got, []string{"/x"}) {
		t.Errorf("site a: %v", got)
	}
	// The site names /ko/s itself before the candidates are expanded:
	// the candidate is not queued a second time.
	f = testFrontier([]string{"en", "ko", "de"})
	f.push(task{url: "/ko/s", kind: KindTranslation, site: "b", lang: "ko"})
	f.push(task{url: "s", kind: kindCandidates, site: "b"})
	if got, want := drain(f, "b"), []string{"/ko/s", "/en/s", "/de/s"}; !slices.Equal(got, want) {
		t.Errorf("site b: %v, want %v", got, want)
	}
}

// TestFrontierGuessesLast: candidates wait until their site has nothing
// named left, queued or in flight, so that what the sites list is fetched
// (and the guessing rates learnt) before any URL is guessed.
func TestFrontierGuessesLast(t *testing.T) {
	f := testFrontier([]string{"en", "ko"})
	ctx := context.Background()
	f.push(task{url: "s", kind: kindCandidates, site: "b"})
	f.push(task{url: "/sitemap", kind: KindSitemap, site: "b"})
	sm, ok := f.pop(ctx, "b")
	if !ok || sm.url != "/sitemap" {
		t.Fatalf("first task %+v, want the sitemap", sm)
	}
	// The sitemap is in flight: no guess may start before it is read.
	waited := make(chan string, 1)
	go func() {
		g, _ := f.pop(ctx, "b")
		waited <- g.url
	}()
	f.push(task{url: "/ko/s", kind: KindTranslation, site: "b", lang: "ko"})
	if got := <-waited; got != "/ko/s" {
		t.Fatalf("while the sitemap was in flight, popped %q, want the translation it named", got)
	}
	f.done(sm)
	f.done(task{url: "/ko/s", site: "b"})
	if got, want := drain(f, "b"), []string{"/en/s"}; !slices.Equal(got, want) {
		t.Errorf("guesses %v, want %v (ko was named)", got, want)
	}
	if total, done := f.progress(); total != 3 || done != 3 {
		t.Errorf("progress %d/%d, want 3/3", done, total)
	}
}

func TestFrontierRequeuesConfirmedRememberedCandidate(t *testing.T) {
	f := testFrontier([]string{"en"})
	f.push(task{url: "s", kind: kindCandidates, site: "b"})
	ctx := context.Background()
	c, ok := f.pop(ctx, "b")
	if !ok || !c.guessed || f.confirmed(c.url) {
		t.Fatalf("candidate %+v ok=%v", c, ok)
	}
	f.remembered(c.url)
	// A sitemap names it afterwards: it must be asked after all.
	f.push(task{url: c.url, kind: KindTranslation, site: "b", lang: "en"})
	f.done(c)
	again, ok := f.pop(ctx, "b")
	if !ok || again.url != c.url || again.guessed || !f.confirmed(c.url) {
		t.Fatalf("requeued %+v ok=%v confirmed=%v", again, ok, f.confirmed(c.url))
	}
	f.done(again)
	// Named again: no third time.
	f.push(task{url: c.url, kind: KindTranslation, site: "b", lang: "en"})
	if rest := drain(f, "b"); len(rest) != 0 {
		t.Errorf("queued again: %v", rest)
	}
}

// TestFrontierEndsWhenAllSitesAreIdle runs workers of two sites where
// each task of one site feeds the other: no worker may quit while the
// other site still has work that could feed its queue.
func TestFrontierEndsWhenAllSitesAreIdle(t *testing.T) {
	f := testFrontier(nil)
	f.push(task{url: "a0", kind: KindListing, site: "a"})
	var (
		mu  sync.Mutex
		got []string
		wg  sync.WaitGroup
	)
	for _, site := range []string{"a", "b", "a", "b"} {
		wg.Go(func() {
			for {
				tk, ok := f.pop(context.Background(), site)
				if !ok {
					return
				}
				mu.Lock()
				got = append(got, tk.url)
				n := len(got)
				mu.Unlock()
				if n < 20 {
					other := map[string]string{"a": "b", "b": "a"}[site]
					f.push(task{url: fmt.Sprintf("%s%d", other, n), kind: KindListing, site: other})
				}
				f.done(tk)
			}
		})
	}
	wg.Wait()
	if len(got) != 20 {
		t.Errorf("%d tasks processed, want 20: %v", len(got), got)
	}
}

func TestFrontierStopsOnCancel(t *testing.T) {
	f := testFrontier(nil)
	f.push(task{url: "a0", kind: KindListing, site: "a"})
	ctx, cancel := context.WithCancel(context.Background())
	if _, ok := f.pop(ctx, "a"); !ok {
		t.Fatal("no task")
	}
	// In flight, nothing queued: the next pop waits until cancelled.
	done := make(chan bool)
	go func() {
		_, ok := f.pop(ctx, "a")
		done <- ok
	}()
	cancel()
	if <-done {
		t.Error("pop returned a task after cancel")
	}
}
