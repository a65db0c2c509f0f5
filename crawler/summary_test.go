package crawler

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSummaryWrite pins the final summary a crawl prints.
func TestSummaryWrite(t *testing.T) {
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s := newSummary(start)
	add := func(site, lang string, counter Count, n int) {
		for range n {
			s.add(site, lang, counter)
		}
	}
	add("baolamdong.vn", "vi", CountFetched, 12)
	add("baolamdong.vn", "vi", CountNew, 11)
	add("baolamdong.vn", "vi", CountUpdated, 1)
	add("baolamdong.vn", "vi", CountStored, 40)
	add("baolamdong.vn", "", CountDiscovery, 9)
	add("vietnam.vn", "en", CountFetched, 10)
	add("vietnam.vn", "en", CountNew, 9)
	add("vietnam.vn", "en", SkipOtherPaper, 1)
	add("vietnam.vn", "ko", CountUnchanged, 4)
	add("vietnam.vn", "ko", CountNotFound, 3)
	add("vietnam.vn", "de", CountRemembered404, 30)
	add("vietnam.vn", "", CountDiscovery, 5)
	s.failure("baolamdong.vn", "vi", "timeout", "https://baolamdong.vn/a-1.html", errors.New("deadline"))
	s.failure("baolamdong.vn", "vi", "robots", "https://baolamdong.vn/admin/202501/x/", nil)
	s.failure("vietnam.vn", "en", "too_large", "https://www.vietnam.vn/en/x", nil)
	for range 20 {
		s.source(SourceSitemap)
	}
	s.source(SourceListing)
	s.source(SourceGuess)
	g := newGuesser(context.Background(), Config{Langs: []string{"en", "it"}, GuessFloor: DefaultGuessFloor, TranslationLag: DefaultTranslationLag,
		GuessPrior: map[string]GuessStat{"it": {Guesses: 80}, "en": {Guesses: 10, Hits: 7}}})
	g.listedURL("https://www.vietnam.vn/en/a", "")
	g.result("en", true, false)
	g.want("it", false)
	s.setGuesses(g.snapshot())
	for range 150 {
		s.request()
	}
	s.finish(start.Add(75 * time.Second))
	var buf bytes.Buffer
	s.Write(&buf)
	file := filepath.Join("testdata", "summary.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("summary differs from %s (rerun with -update after review):\n%s", file, got)
	}
	if s.FailedTotal() != 3 || s.LangCount("en", CountFailed) != 1 {
		t.Errorf("failed total %d, en failed %d", s.FailedTotal(), s.LangCount("en", CountFailed))
	}
}
