package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	bolt "go.etcd.io/bbolt"

	"baoscope/model"
)

// URLState returns the state recorded for url; ErrNotFound when the URL
// was never recorded.
func (s *Store) URLState(rawURL string) (*model.URLState, error) {
	var st *model.URLState
	err := s.value(bucketState, []byte(rawURL), func(v []byte) error {
		if v == nil {
			return ErrNotFound
		}
		st = new(model.URLState)
		return json.Unmarshal(v, st)
	})
	if err != nil {
		return nil, fmt.Errorf("url state %s: %w", rawURL, err)
	}
	return st, nil
}

// PutURLState records st under st.URL, replacing what was there. It is a
// deferred write: URLState sees it at once, the next commit makes it
// durable (within deferDelay at the latest). A state lost to a crash
// costs one request on the next run, never a document: whether a page is
// stored is asked of the documents, which are durable before the crawler
// records their state.
func (s *Store) PutURLState(st *model.URLState) error {
	if st.URL == "" {
		return errors.New("store: url state without URL")
	}
	val, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode url state %s: %w", st.URL, err)
	}
	if err := s.putLater(bucketState, []byte(st.URL), val); err != nil {
		return fmt.Errorf("put url state %s: %w", st.URL, err)
	}
	return nil
}

// CountURLStates is the number of URLs with a recorded state, deferred
// ones included.
func (s *Store) CountURLStates() (int, error) {
	var n int
	queued := s.o.keys(bucketState, nil) // before the snapshot: see value
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketState)
		n = b.Stats().KeyN
		for _, k := range queued {
			if b.Get(k) == nil {
				n++
			}
		}
		return nil
	})
	return n, err
}

// CollyStorage is Colly's storage.Storage (visited request hashes and
// cookies) kept in the store's bbolt file, so that cookies a site sets
// survive a restart. It satisfies the interface structurally; package
// store does not import Colly.
//
// The crawler runs Colly with AllowURLRevisit, because revisits are
// decided by its frontier and the URL states (a stored page may need a
// conditional GET, a failed one a retry). Colly consults the visited set
// only when AllowURLRevisit is off, so a persistent visited set must
// never be combined with it: every URL of a previous run would be refused.
type CollyStorage struct {
	s *Store
}

// CollyStorage returns the store's Colly storage.
func (s *Store) CollyStorage() *CollyStorage { return &CollyStorage{s: s} }

// Init implements storage.Storage; the buckets exist since Open.
func (c *CollyStorage) Init() error { return nil }

func requestKey(id uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], id)
	return k[:]
}

// Visited records a request hash. It is a deferred write: a mark lost to
// a crash only lets Colly request the URL again, which a rerun may do
// anyway.
func (c *CollyStorage) Visited(requestID uint64) error {
	if err := c.s.putLater(bucketVisited, requestKey(requestID), nil); err != nil {
		return fmt.Errorf("visited %d: %w", requestID, err)
	}
	return nil
}

// IsVisited reports whether a request hash was recorded.
func (c *CollyStorage) IsVisited(requestID uint64) (bool, error) {
	var ok bool
	err := c.s.value(bucketVisited, requestKey(requestID), func(v []byte) error {
		ok = v != nil
		return nil
	})
	return ok, err
}

// cookieKey is the host cookies are kept under, as Colly's in-memory
// storage does.
func cookieKey(u *url.URL) []byte { return []byte(strings.ToLower(u.Host)) }

// Cookies returns the cookie line stored for u's host.
func (c *CollyStorage) Cookies(u *url.URL) string {
	var v string
	_ = c.s.value(bucketCookies, cookieKey(u), func(b []byte) error {
		v = string(b)
		return nil
	})
	return v
}

// SetCookies stores the cookie line for u's host, as a deferred write.
// Colly's interface has no error result; a failed or lost write only
// loses cookies, which the site sets again.
func (c *CollyStorage) SetCookies(u *url.URL, cookies string) {
	_ = c.s.putLater(bucketCookies, cookieKey(u), []byte(cookies))
}
