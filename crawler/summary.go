package crawler

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// Count names a counter of a Summary. The pipeline counts its documents
// per language with the same names for the same events (CountNew,
// CountUpdated, CountUnchanged, CountFailed, the Skip reasons), so they
// are spelt here once.
type Count string

// Counters of a Summary. Every article URL the crawl considered ends in
// exactly one of the outcome counters; retries and redirects count
// events.
const (
	CountFetched        Count = "fetched"         // article answered 200 and went to the handler
	CountNew            Count = "new"             // … and its document was not stored before
	CountUpdated        Count = "updated"         // … and replaced a stored document that changed
	CountUnchanged      Count = "unchanged"       // 304, same bytes, or a document identical to the stored one
	CountStored         Count = "already_stored"  // stored and not recent: not requested at all
	CountNotFound       Count = "not_found"       // 404 or 410
	CountRemembered404  Count = "remembered_404"  // a candidate that was 404 recently: not requested
	CountRememberedSkip Count = "remembered_skip" // skipped by the handler in an earlier run, not recent: not requested
	CountOverLimit      Count = "over_limit"      // not requested because of MaxPages
	CountRetries        Count = "retries"         // extra attempts after 429, 5xx or network errors
	CountRedirects      Count = "redirects"       // 3xx answers followed
	CountDiscovery      Count = "discovery"       // robots, sitemaps, feeds and listings fetched
	CountListingBudget  Count = "listing_budget"  // listing pages not requested: the host's budget was spent
	CountFailed         Count = "failed"          // given up on, whatever the reason (Failures has them)
)

// Reasons a Handler gives for not keeping a page (Result.Skip); each is
// counted under its own name.
const (
	SkipOtherPaper Count = "other_paper" // a translation whose source line names another paper
	SkipNotArticle Count = "not_article" // a listing, tag page or anything but one article
)

// Summary counts what a crawl did, per site and per language (the URL's:
// vi for originals, the /<lang>/ prefix for translations). Besides the
// counters above, reasons the handler gave for skipping a page
// (other_paper, not_article …) are counters too, and failures are counted
// by reason ("robots", "too_large", "timeout", "truncated" …).
type Summary struct {
	Started  time.Time                 `json:"started"`
	Finished time.Time                 `json:"finished"`
	Fetches  int64                     `json:"fetches"` // HTTP requests made, retries included
	Sites    map[string]map[string]int `json:"sites"`
	Langs    map[string]map[string]int `json:"langs,omitempty"`
	Failures map[string]map[string]int `json:"failures"`
	// Failed lists failed URLs (up to a cap) so a researcher can see them.
	Failed []FailedURL `json:"failed,omitempty"`
	// Sources counts the new documents by what named their URL first
	// (sitemap, feed, listing, link, guess).
	Sources map[string]int `json:"sources,omitempty"`
	// Guesses is, per vietnam.vn language, what guessing its URLs paid
	// and whether it is still guessed; the next run goes on from it.
	Guesses map[string]GuessStat `json:"guesses,omitempty"`

	mu       sync.Mutex
	requests atomic.Int64
	fetched  atomic.Int64
	failed   atomic.Int64
}

// FailedURL is one page that could not be fetched.
type FailedURL struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
	Error  string `json:"error,omitempty"`
}

const maxFailedListed = 200

func newSummary(now time.Time) *Summary {
	return &Summary{
		Started:  now.UTC(),
		Sites:    map[string]map[string]int{},
		Langs:    map[string]map[string]int{},
		Failures: map[string]map[string]int{},
		Sources:  map[string]int{},
	}
}

// source counts a new document under what named it.
func (s *Summary) source(src Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Sources[src.String()]++
}

func (s *Summary) setGuesses(g map[string]GuessStat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Guesses = g
}

func bump(m map[string]map[string]int, key, counter string) {
	if key == "" {
		return
	}
	c := m[key]
	if c == nil {
		c = map[string]int{}
		m[key] = c
	}
	c[counter]++
}

// add counts one event of a site and, when lang is known, of a language.
func (s *Summary) add(site, lang string, c Count) {
	s.mu.Lock()
	defer s.mu.Unlock()
	bump(s.Sites, site, string(c))
	bump(s.Langs, lang, string(c))
	if c == CountFetched {
		s.fetched.Add(1)
	}
}

// undo takes back one add.
func (s *Summary) undo(site, lang string, c Count) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Sites[site][string(c)]--
	if lang != "" {
		s.Langs[lang][string(c)]--
	}
}

func (s *Summary) failure(site, lang, reason, url string, err error) {
	s.failed.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	bump(s.Failures, site, reason)
	bump(s.Langs, lang, string(CountFailed))
	if len(s.Failed) < maxFailedListed {
		f := FailedURL{URL: url, Reason: reason}
		if err != nil {
			f.Error = err.Error()
		}
		s.Failed = append(s.Failed, f)
	}
}

func (s *Summary) request()          { s.requests.Add(1) }
func (s *Summary) requestCount() int { return int(s.requests.Load()) }

func (s *Summary) finish(now time.Time) {
	s.mu.Lock()
	s.Finished = now.UTC()
	s.Fetches = s.requests.Load()
	s.mu.Unlock()
}

// Count returns one counter of one site.
func (s *Summary) Count(site string, c Count) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Sites[site][string(c)]
}

// LangCount returns one counter of one URL language.
func (s *Summary) LangCount(lang string, c Count) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Langs[lang][string(c)]
}

// FailureCount returns the failures of one site for one reason.
func (s *Summary) FailureCount(site, reason string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Failures[site][reason]
}

// FailedTotal is the number of URLs that failed, all reasons.
func (s *Summary) FailedTotal() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.Failures {
		for _, v := range m {
			n += v
		}
	}
	return n
}

// columnOrder is the order counters are printed in; others follow
// alphabetically.
func columnOrder() []Count {
	return []Count{CountFetched, CountNew, CountUpdated, CountUnchanged, CountStored,
		CountNotFound, CountRemembered404, CountRememberedSkip, SkipOtherPaper, SkipNotArticle,
		CountFailed, CountOverLimit, CountRetries, CountRedirects, CountDiscovery, CountListingBudget}
}

// Write prints the summary: a table of counters per site and per URL
// language, then the failures by reason.
func (s *Summary) Write(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	took := s.Finished.Sub(s.Started)
	rate := 0.0
	if took > 0 {
		rate = float64(s.Fetches) / took.Seconds()
	}
	fmt.Fprintf(w, "crawl: %d requests in %s (%.1f/s)\n", s.Fetches, took.Round(time.Millisecond), rate)
	failed := map[string]int{}
	for site, m := range s.Failures {
		for _, v := range m {
			failed[site] += v
		}
	}
	// Columns: every counter that is non-zero somewhere.
	present := map[string]bool{}
	for _, m := range []map[string]map[string]int{s.Sites, s.Langs} {
		for _, c := range m {
			for k, v := range c {
				if v != 0 {
					present[k] = true
				}
			}
		}
	}
	if len(failed) > 0 {
		present[string(CountFailed)] = true
	}
	var cols []string
	for _, c := range columnOrder() {
		if present[string(c)] {
			cols = append(cols, string(c))
			delete(present, string(c))
		}
	}
	cols = append(cols, slices.Sorted(maps.Keys(present))...)
	// Names are padded to one width so that right alignment, which suits
	// the numbers, leaves them flush left.
	width := len("language")
	for _, m := range []map[string]map[string]int{s.Sites, s.Langs, s.Failures} {
		for k := range m {
			width = max(width, len(k)+2)
		}
	}
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(name string, c map[string]int, extraFailed int) {
		fmt.Fprintf(tw, "%-*s\t", width, name)
		for _, col := range cols {
			v := c[col]
			if col == string(CountFailed) && extraFailed >= 0 {
				v = extraFailed
			}
			fmt.Fprintf(tw, "%d\t", v)
		}
		fmt.Fprintln(tw)
	}
	// With AlignRight, tabwriter's padding indents the first column.
	fmt.Fprintf(tw, "%-*s\t%s\t\n", width, "site", strings.Join(cols, "\t"))
	for _, site := range slices.Sorted(maps.Keys(s.Sites)) {
		row(site, s.Sites[site], failed[site])
	}
	for site := range failed {
		if _, ok := s.Sites[site]; !ok {
			row(site, nil, failed[site])
		}
	}
	if len(s.Langs) > 0 {
		// A full row of empty cells: a shorter line would end the
		// table's column block.
		fmt.Fprintf(tw, "%-*s\t%s\n", width, "language", strings.Repeat("\t", len(cols)))
	}
	for _, lang := range slices.Sorted(maps.Keys(s.Langs)) {
		row("  "+lang, s.Langs[lang], -1)
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		if t := strings.TrimRight(line, " \n"); t != "" {
			fmt.Fprintln(w, t)
		}
	}
	for _, site := range slices.Sorted(maps.Keys(s.Failures)) {
		fmt.Fprintf(w, "  %s failed:", site)
		for _, k := range slices.Sorted(maps.Keys(s.Failures[site])) {
			fmt.Fprintf(w, " %s=%d", k, s.Failures[site][k])
		}
		fmt.Fprintln(w)
	}
	s.writeSources(w)
	s.writeGuesses(w)
}

// writeSources prints the new documents by source, in discovery order.
func (s *Summary) writeSources(w io.Writer) {
	total := 0
	for _, n := range s.Sources {
		total += n
	}
	if total == 0 {
		return
	}
	fmt.Fprintf(w, "new documents by source:")
	for _, src := range []Source{SourceSitemap, SourceFeed, SourceListing, SourceLink, SourceGuess, SourceNone} {
		if n := s.Sources[src.String()]; n > 0 {
			fmt.Fprintf(w, " %s=%d", src, n)
		}
	}
	if s.Fetches > 0 {
		fmt.Fprintf(w, " (%.2f requests per new document)", float64(s.Fetches)/float64(total))
	}
	fmt.Fprintln(w)
}

// writeGuesses prints each language's guessing figures.
func (s *Summary) writeGuesses(w io.Writer) {
	if len(s.Guesses) == 0 {
		return
	}
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  guessing\tlisted\tguesses\thits\tunlisted\tskipped\tshare\tlower\tupper\tstatus\t")
	for _, lang := range slices.Sorted(maps.Keys(s.Guesses)) {
		fmt.Fprintf(tw, "  %s\t%s\t\n", lang, strings.Join(guessStatsLine(s.Guesses[lang]), "\t"))
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		if t := strings.TrimRight(line, " \n"); t != "" {
			fmt.Fprintln(w, t)
		}
	}
}

// Progress is a live view of a running crawl.
type Progress struct {
	Requests int // HTTP requests made, retries included
	Fetched  int // article pages handed to the handler
	Failed   int // URLs given up on
	Queued   int // frontier entries waiting (an original's candidates count once)
	InFlight int
	Elapsed  time.Duration
	// Total is the URLs the sites have announced so far (sitemaps,
	// feeds, listings, links) and the guesses made, growing as discovery
	// finds more; Done those finished. Both 0 for a shared crawl, whose
	// queue is not this process's.
	Total, Done int
}

// Rate is the URLs finished per second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done) / p.Elapsed.Seconds()
}

// ETA is the time the URLs announced so far would take at the rate so
// far; false when there is no total or no rate yet.
func (p Progress) ETA() (time.Duration, bool) {
	rate := p.Rate()
	if p.Total == 0 || rate == 0 {
		return 0, false
	}
	return time.Duration(float64(p.Total-p.Done) / rate * float64(time.Second)), true
}
