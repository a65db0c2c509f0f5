package crawler

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Summary counts what a crawl did, per site. Counters are named
// ("fetched", "not_found", "stored", "retries", "over_limit") and
// failures are counted by reason ("robots", "too_large", "network" …).
type Summary struct {
	Started  time.Time                 `json:"started"`
	Finished time.Time                 `json:"finished"`
	Fetches  int64                     `json:"fetches"` // HTTP requests made, retries included
	Sites    map[string]map[string]int `json:"sites"`
	Failures map[string]map[string]int `json:"failures"`
	// Failed lists failed URLs (up to a cap) so a researcher can see them.
	Failed []FailedURL `json:"failed,omitempty"`

	mu      sync.Mutex
	fetched atomic.Int64
}

// FailedURL is one page that could not be fetched.
type FailedURL struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

const maxFailedListed = 200

func newSummary() *Summary {
	return &Summary{
		Started:  time.Now().UTC(),
		Sites:    map[string]map[string]int{},
		Failures: map[string]map[string]int{},
	}
}

func (s *Summary) add(site, counter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.Sites[site]
	if m == nil {
		m = map[string]int{}
		s.Sites[site] = m
	}
	m[counter]++
}

func (s *Summary) failure(site, reason, url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.Failures[site]
	if m == nil {
		m = map[string]int{}
		s.Failures[site] = m
	}
	m[reason]++
	if len(s.Failed) < maxFailedListed {
		s.Failed = append(s.Failed, FailedURL{URL: url, Reason: reason})
	}
}

func (s *Summary) fetch()       { s.fetched.Add(1) }
func (s *Summary) fetches() int { return int(s.fetched.Load()) }
func (s *Summary) finish() {
	s.mu.Lock()
	s.Finished = time.Now().UTC()
	s.Fetches = s.fetched.Load()
	s.mu.Unlock()
}

// Count returns one counter of one site.
func (s *Summary) Count(site, counter string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Sites[site][counter]
}

// Failures returns the failures of one site by reason.
func (s *Summary) FailureCount(site, reason string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Failures[site][reason]
}

// Write prints the summary as a few aligned lines.
func (s *Summary) Write(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(w, "crawl: %d requests in %s\n", s.Fetches, s.Finished.Sub(s.Started).Round(time.Millisecond))
	for _, site := range slices.Sorted(maps.Keys(s.Sites)) {
		fmt.Fprintf(w, "  %-14s", site)
		for _, k := range slices.Sorted(maps.Keys(s.Sites[site])) {
			fmt.Fprintf(w, " %s=%d", k, s.Sites[site][k])
		}
		fmt.Fprintln(w)
	}
	for _, site := range slices.Sorted(maps.Keys(s.Failures)) {
		fmt.Fprintf(w, "  %-14s failed:", site)
		for _, k := range slices.Sorted(maps.Keys(s.Failures[site])) {
			fmt.Fprintf(w, " %s=%d", k, s.Failures[site][k])
		}
		fmt.Fprintln(w)
	}
}
