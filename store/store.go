package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"baoscope/model"
)

// ErrNotFound is returned for a URL the store does not hold: the one
// sentinel of model, so that callers of the store and of any other keeper
// of URL states test for the same.
var ErrNotFound = model.ErrNotFound

var (
	bucketDocs    = []byte("documents")     // URL → JSON model.Document
	bucketMeta    = []byte("meta")          // small named values (last crawl …)
	bucketState   = []byte("crawl_state")   // URL → JSON model.URLState
	bucketVisited = []byte("colly_visited") // Colly request hash → empty
	bucketCookies = []byte("colly_cookies") // host → cookie header line
)

// allBuckets are created when a store is opened.
func allBuckets() [][]byte {
	return [][]byte{bucketDocs, bucketMeta, bucketState, bucketVisited, bucketCookies}
}

// Store is a bbolt-backed document store. It is safe for concurrent use.
type Store struct {
	db      *bolt.DB
	path    string
	holder  Holder        // what the holder file says of this process
	w       committer     // durable writes waiting for their commit
	o       overlay       // deferred writes not yet committed
	commits atomic.Uint64 // write transactions committed, for Commits
}

// Open opens or creates the store file at path. A second process opening
// the same file waits up to timeout, then fails with a clear error rather
// than hanging: bbolt allows one writer process. That error is a
// *HeldError naming the holder, which every process that opens a store
// records beside it (HolderSuffix).
func Open(path string, timeout time.Duration) (*Store, error) {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		h, _ := ReadHolder(path)
		return nil, &HeldError{Path: path, Holder: h}
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	holder := thisProcess()
	if err := writeHolder(path, holder); err != nil {
		db.Close()
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets() {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		os.Remove(path + HolderSuffix)
		db.Close()
		return nil, fmt.Errorf("init store %s: %w", path, err)
	}
	s := &Store{db: db, path: path, holder: holder}
	s.o = overlay{puts: map[string]map[string]*pendingPut{}, delay: deferDelay, flush: s.flushDeferred}
	return s, nil
}

// Close commits the deferred writes still pending and closes the file.
func (s *Store) Close() error {
	var err error
	if s.o.close() {
		if err = s.update(noWrite); err != nil {
			err = fmt.Errorf("commit deferred writes: %w", err)
		}
	}
	s.removeHolder()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// Stored is what Put did.
type Stored struct {
	// Changed says the document was written: it is new, or differs from
	// the stored one in what the index holds.
	Changed bool
	// Existed says a document was stored under its URL before.
	Existed bool
	// Updated are the other stored versions of the document's report
	// that took its section (it is their original), written in the same
	// transaction; the index must take them again.
	Updated []*model.Document
}

// Put stores doc under its URL and reports what it did. A changed
// document is durable when Put returns (the pipeline indexes it next),
// and so is every deferred write made before Put was called. A call that
// changes nothing (a rerun, a revalidated page) commits nothing.
//
// A document of a report (ReportID set) is linked to the report in the
// same transaction, whichever version arrives first: a translation
// without a section takes the one its original recorded, and an original
// records the report's metadata and gives its section to the versions
// stored before it (returned in Updated). Because linking, reading the
// report and storing are one transaction, an original and a translation
// stored at the same moment cannot each miss the other, and a stored
// document is never missing from its report, even after a crash.
// doc.Section is set to the section the document was stored with.
func (s *Store) Put(doc *model.Document) (Stored, error) {
	if doc.URL == "" {
		return Stored{}, errors.New("store: document without URL")
	}
	enc := &encoder{doc: doc}
	var w *write
	// A read transaction decides the common unchanged case without a
	// commit.
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		w, err = plan(tx, doc, enc)
		return err
	})
	if err == nil && !w.empty() {
		err = s.update(func(tx *bolt.Tx) (err error) {
			// Planned again inside the transaction: another writer may
			// have stored this URL or a version of its report since the
			// read.
			if w, err = plan(tx, doc, enc); err != nil {
				return err
			}
			return w.apply(tx)
		})
	}
	if err != nil {
		return Stored{}, fmt.Errorf("put %s: %w", doc.URL, err)
	}
	doc.Section = w.section
	return Stored{Changed: w.val != nil, Existed: w.existed, Updated: w.updated}, nil
}

// identity is what same compares; decoding only these fields skips the
// stored body's paragraphs.
type identity struct {
	ContentHash  string `json:"content_hash"`
	Lang         string `json:"lang"`
	ReportID     string `json:"report_id"`
	DeclaredLang string `json:"declared_lang"`
	Section      string `json:"section"`
}

// same says whether the stored encoding old (nil: none) and doc stored
// with section would index identically; FetchedAt alone changing is not
// a change. The section counts because a translation's comes from its
// original, which may arrive after it.
func same(old []byte, doc *model.Document, section string) bool {
	if old == nil {
		return false
	}
	var a identity
	if json.Unmarshal(old, &a) != nil {
		return false
	}
	return a.ContentHash != "" && a.ContentHash == doc.ContentHash &&
		a.Lang == doc.Lang && a.ReportID == doc.ReportID && a.DeclaredLang == doc.DeclaredLang &&
		a.Section == section
}

// Get returns the document stored under url.
func (s *Store) Get(url string) (*model.Document, error) {
	var doc *model.Document
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDocs).Get([]byte(url))
		if v == nil {
			return ErrNotFound
		}
		doc = new(model.Document)
		return json.Unmarshal(v, doc)
	})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", url, err)
	}
	return doc, nil
}

// Published returns the publication time of the document stored under
// url, and whether one is stored: the crawler's test of whether a stored
// page is recent enough to revalidate.
func (s *Store) Published(url string) (time.Time, bool) {
	var (
		t  time.Time
		ok bool
	)
	_ = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDocs).Get([]byte(url))
		if v == nil {
			return nil
		}
		ok = true
		// Only the date is needed; decoding into a small struct skips
		// the body's paragraphs.
		var d struct {
			Published time.Time `json:"published"`
		}
		if json.Unmarshal(v, &d) == nil {
			t = d.Published
		}
		return nil
	})
	return t, ok
}

// Has reports whether url is stored.
func (s *Store) Has(url string) bool {
	var ok bool
	_ = s.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketDocs).Get([]byte(url)) != nil
		return nil
	})
	return ok
}

// Delete removes a document, durably; deleting an absent URL is not an
// error.
func (s *Store) Delete(url string) error {
	err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDocs).Delete([]byte(url))
	})
	if err != nil {
		return fmt.Errorf("delete %s: %w", url, err)
	}
	return nil
}

// Count is the number of stored documents.
func (s *Store) Count() (int, error) {
	var n int
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketDocs).Stats().KeyN
		return nil
	})
	return n, err
}

// Each calls fn for every stored document in URL order, in pages of
// batch documents so that no read transaction stays open while fn works
// (fn may write to the index for seconds). Stops at fn's first error.
func (s *Store) Each(fn func(*model.Document) error) error {
	const batch = 500
	var after []byte
	for {
		var docs []*model.Document
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketDocs).Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(docs) < batch; k, v = c.Next() {
				d := new(model.Document)
				if err := json.Unmarshal(v, d); err != nil {
					return fmt.Errorf("decode %s: %w", k, err)
				}
				docs = append(docs, d)
				after = append(after[:0], k...)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, d := range docs {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(docs) < batch {
			return nil
		}
	}
}

// PutMeta stores a small JSON value under name, durably.
func (s *Store) PutMeta(name string, v any) error {
	val, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode meta %s: %w", name, err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte(name), val)
	})
	if err != nil {
		return fmt.Errorf("put meta %s: %w", name, err)
	}
	return nil
}

// GetMeta decodes the value stored under name into v; ErrNotFound when
// absent.
func (s *Store) GetMeta(name string, v any) error {
	return s.db.View(func(tx *bolt.Tx) error {
		val := tx.Bucket(bucketMeta).Get([]byte(name))
		if val == nil {
			return ErrNotFound
		}
		return json.Unmarshal(val, v)
	})
}
