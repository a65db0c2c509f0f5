package redisstate

import (
	"context"
	"errors"
	"time"

	"baoscope/model"
)

// Local is what a process's own data directory knows: its store is the
// truth for what this process holds.
type Local interface {
	URLState(rawURL string) (*model.URLState, error)
	PutURLState(st *model.URLState) error
	// Published says whether the document of url is stored, and when it
	// was published.
	Published(url string) (time.Time, bool)
}

// State is a shared crawl's per-URL state: the local store first (what
// this process fetched and holds survives anything Redis loses), then
// what any process recorded in Redis. It implements crawler.StateStore;
// Stored is the crawler's Config.Stored.
type State struct {
	local  Local
	shared *URLStates
	f      *Frontier
}

// NewState layers the shared state over local.
func NewState(local Local, shared *URLStates, f *Frontier) *State {
	return &State{local: local, shared: shared, f: f}
}

// URLState returns the local state of rawURL, else the shared one.
func (s *State) URLState(rawURL string) (*model.URLState, error) {
	st, err := s.local.URLState(rawURL)
	if err == nil || !errors.Is(err, model.ErrNotFound) {
		return st, err
	}
	return s.shared.URLState(rawURL)
}

// PutURLState records st locally and in Redis; a held document (the
// crawler records its state once the handler made it durable) is marked
// as this process's.
func (s *State) PutURLState(st *model.URLState) error {
	if err := s.local.PutURLState(st); err != nil {
		return err
	}
	if err := s.shared.PutURLState(st); err != nil {
		return err
	}
	if st.Outcome.Held() {
		if _, ok := s.local.Published(st.URL); ok {
			return s.f.MarkStored(context.Background(), st.URL)
		}
	}
	return nil
}

// Stored reports whether rawURL's document is held: by this process's
// store (with its publication time, so that a recent one is revalidated),
// or by another process's (never fetched here: storing it would put it
// in two directories). When Redis cannot say, it counts as held: a URL
// skipped now is fetched by a rerun, one stored twice stays so.
func (s *State) Stored(rawURL string) (time.Time, bool) {
	if p, ok := s.local.Published(rawURL); ok {
		return p, true
	}
	owner, err := s.f.Owner(context.Background(), rawURL)
	if err != nil {
		return time.Time{}, true
	}
	return time.Time{}, owner != "" && owner != s.f.Member()
}
