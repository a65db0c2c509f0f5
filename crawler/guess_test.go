package crawler

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"
)

func TestWilson(t *testing.T) {
	tests := []struct {
		hits, n      int
		lower, upper float64
	}{
		{0, 0, 0, 1},
		{0, 72, 0, 0.0507}, // one more miss and a 0.05 floor drops the language
		{0, 73, 0, 0.04999},
		{79, 100, 0.7002, 0.8583},
		{10, 10, 0.7225, 1},
	}
	for _, tt := range tests {
		lo, up := wilson(tt.hits, tt.n)
		if math.Abs(lo-tt.lower) > 5e-5 || math.Abs(up-tt.upper) > 5e-5 {
			t.Errorf("wilson(%d, %d) = %.4f, %.4f; want %.4f, %.4f", tt.hits, tt.n, lo, up, tt.lower, tt.upper)
		}
	}
	if _, up := wilson(0, 73); up >= DefaultGuessFloor {
		t.Errorf("73 misses: upper %.5f, want below the default floor", up)
	}
	if _, up := wilson(0, 72); up < DefaultGuessFloor {
		t.Errorf("72 misses: upper %.5f, want at least the default floor", up)
	}
}

// TestGuesserDecides pins when a translation URL is guessed: never for an
// original the sitemaps cover (unless the language's listing proved
// incomplete, or every guess is forced), and in a language only while its
// share may reach the floor.
func TestGuesserDecides(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	newG := func(cfg Config) *guesser {
		cfg.Langs = []string{"en", "it"}
		if cfg.GuessFloor == 0 {
			cfg.GuessFloor = DefaultGuessFloor
		}
		cfg.TranslationLag = DefaultTranslationLag
		g := newGuesser(context.Background(), cfg)
		g.sitemapDate(day(1, 23).Format(time.RFC3339))
		g.sitemapDate(day(10, 23).Format(time.RFC3339))
		// 40 originals translated into English, none into Italian.
		for i := range 40 {
			g.listedURL("https://www.vietnam.vn/en/slug-"+string(rune('a'+i%26))+string(rune('a'+i/26)), day(5, 8).Format(time.RFC3339))
		}
		return g
	}
	g := newG(Config{})
	if !g.covered(day(10, 8)) || g.covered(day(10, 12)) || g.covered(day(11, 1)) || !g.covered(day(1, 0)) {
		t.Errorf("coverage: day 10 8h %v, 10 12h %v, 11 1h %v, 1 0h %v; want covered, not, not, covered",
			g.covered(day(10, 8)), g.covered(day(10, 12)), g.covered(day(11, 1)), g.covered(day(1, 0)))
	}
	if g.covered(time.Time{}) {
		t.Error("an unknown publication date counts as covered")
	}
	if g.want("en", true) || !g.want("en", false) {
		t.Error("en: want a guess only for an original the sitemaps do not cover")
	}
	// Italian: 0 of 40 listed originals, upper bound 0.088: still guessed.
	if !g.want("it", false) {
		t.Error("it dropped on 40 listed originals alone")
	}
	for range 40 {
		g.result("it", false, false)
	}
	if g.want("it", false) {
		t.Error("it: 80 originals without Italian, still guessed")
	}
	st := g.snapshot()
	if it := st["it"]; it.Guessed || it.Skipped != 1 || it.Guesses != 40 {
		t.Errorf("it: %+v", it)
	}
	if en := st["en"]; !en.Guessed || en.Listed != 40 || en.Share != 1 {
		t.Errorf("en: %+v", en)
	}
	if order := g.orderLangs(); order[0] != "en" {
		t.Errorf("order %v: the likeliest language first", order)
	}

	// A hit for a covered original: the listing of that language is
	// incomplete, so covered originals are guessed in it too.
	g.result("en", true, true)
	if !g.want("en", true) {
		t.Error("en listing proved incomplete, covered originals not guessed")
	}

	// The rates of earlier runs count; --guess-all overrides everything.
	prior := newG(Config{GuessPrior: map[string]GuessStat{"it": {Guesses: 80}}})
	if prior.want("it", false) {
		t.Error("it guessed again despite 80 misses in earlier runs")
	}
	all := newG(Config{GuessAll: true, GuessPrior: map[string]GuessStat{"it": {Guesses: 80}}})
	if !all.want("it", true) || !all.want("en", true) {
		t.Error("--guess-all declined a guess")
	}
	never := newG(Config{GuessFloor: -1, GuessPrior: map[string]GuessStat{"it": {Guesses: 1000}}})
	if !never.want("it", false) {
		t.Error("a negative floor dropped a language")
	}
}

// sharedDates is the run's sitemap extent as a map, shared by the
// guessers of a test's "processes".
type sharedDates struct {
	mu       sync.Mutex
	from, to time.Time
	shares   int
}

func (s *sharedDates) ShareSitemapDates(_ context.Context, from, to time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shares++
	if s.from.IsZero() || from.Before(s.from) {
		s.from = from
	}
	if to.After(s.to) {
		s.to = to
	}
	return nil
}

func (s *sharedDates) SitemapDates(context.Context) (time.Time, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.from, s.to, nil
}

// TestGuesserSharedCoverage: in a shared crawl an original is covered by
// sitemaps another process read; before, each process guessed every
// original it queued until it had read the sitemaps itself (e2e
// TestSharedCrawlFetchesEachPageOnce: 52 to 130 of 246 to 324 requests
// were guesses answered 404).
func TestGuesserSharedCoverage(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	dates := &sharedDates{}
	cfg := Config{Langs: []string{"en"}, GuessFloor: DefaultGuessFloor, TranslationLag: DefaultTranslationLag}
	reader, other := newGuesser(context.Background(), cfg), newGuesser(context.Background(), cfg)
	reader.shared, other.shared = dates, dates
	if other.covered(day(5, 8)) {
		t.Fatal("covered before any sitemap was read")
	}
	reader.sitemapDate(day(1, 23).Format(time.RFC3339))
	reader.sitemapDate(day(10, 23).Format(time.RFC3339))
	reader.share()
	reader.share() // nothing new: not shared again
	if dates.shares != 1 {
		t.Errorf("shared %d times, want once per widening", dates.shares)
	}
	if !other.covered(day(5, 8)) || other.covered(day(10, 12)) {
		t.Errorf("the other process: day 5 covered %v, day 10 12h %v; want true, false", other.covered(day(5, 8)), other.covered(day(10, 12)))
	}
	if other.want("en", other.covered(day(5, 8))) {
		t.Error("the other process guesses an original the sitemaps cover")
	}
	other.share() // what it learnt from the others is not sent back
	if dates.shares != 1 {
		t.Errorf("shared %d times, want 1", dates.shares)
	}
	// A sitemap read by other, not shared yet when a lookup merges the
	// others' extent, is shared all the same.
	other.sitemapDate(day(12, 23).Format(time.RFC3339))
	if other.covered(day(15, 8)) {
		t.Error("day 15 covered")
	}
	other.share()
	if _, to, _ := dates.SitemapDates(context.Background()); !to.Equal(day(12, 23)) || dates.shares != 2 {
		t.Errorf("shared extent ends %v after %d shares, want day 12 23h after 2", to, dates.shares)
	}
}
