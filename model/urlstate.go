package model

import (
	"errors"
	"strings"
	"time"
)

// ErrNotFound is what a lookup of something never recorded wraps: a
// stored document, a URL's crawl state, a named value. It lives here
// because every keeper of URL states (the bbolt store, the Redis state of
// a shared crawl) must return the one the crawler tests for.
var ErrNotFound = errors.New("not found")

// URLState is what the crawler learnt about one URL, kept across runs so
// that a later run can skip it, revalidate it with a conditional GET, or
// leave a known-missing translation alone for a while. The bbolt store
// and the Redis state of a shared crawl keep it as JSON.
type URLState struct {
	URL  string `json:"url"`
	Kind string `json:"kind"` // "original", "translation", …

	// Status is the last HTTP status seen (0 when the fetch failed before
	// a response).
	Status int `json:"status"`
	// Outcome is how the last fetch ended.
	Outcome Outcome `json:"outcome"`

	// Validators for a conditional GET.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// ContentHash is the SHA-256 of the body last fetched, so that a 200
	// answer to a revalidation with the same bytes counts as unchanged.
	ContentHash string `json:"content_hash,omitempty"`

	// Published is the page's publication time when known; it decides
	// whether the page is recent enough to revalidate.
	Published time.Time `json:"published,omitempty"`
	// FetchedAt is when the URL was last requested, whatever the answer.
	FetchedAt time.Time `json:"fetched_at"`
	// NotFoundSince is the first of an unbroken run of 404/410 answers;
	// zero once the page was found.
	NotFoundSince time.Time `json:"not_found_since,omitempty"`
}

// Outcome is how the last fetch of a URL ended. The values are stored, in
// bbolt and in Redis, so they must not change.
type Outcome string

// Outcomes with no detail; OutcomeSkipped and OutcomeFailed add a reason.
const (
	OutcomeStored    Outcome = "stored"    // the handler kept the page (new, updated or identical)
	OutcomeUnchanged Outcome = "unchanged" // 304 or the same bytes, for a page not stored here
	OutcomeNotFound  Outcome = "not_found" // 404 or 410
	OutcomeRedirect  Outcome = "redirect"  // a 3xx, followed as a URL of its own
)

const (
	skippedPrefix = "skipped:"
	failedPrefix  = "failed:"
)

// OutcomeSkipped is the outcome of a page the handler chose not to keep,
// for reason (e.g. skipped:other_paper).
func OutcomeSkipped(reason string) Outcome { return Outcome(skippedPrefix + reason) }

// OutcomeFailed is the outcome of a fetch that failed, for reason (e.g.
// failed:timeout).
func OutcomeFailed(reason string) Outcome { return Outcome(failedPrefix + reason) }

// Skipped says the handler chose not to keep the page.
func (o Outcome) Skipped() bool { return strings.HasPrefix(string(o), skippedPrefix) }

// Held says whoever fetched the page last holds its document: it was
// stored, or answered unchanged. A shared crawl asks this of the state
// the other processes recorded.
func (o Outcome) Held() bool { return o == OutcomeStored || o == OutcomeUnchanged }
