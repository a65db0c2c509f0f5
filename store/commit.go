package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Writes reach the file in one of two ways.
//
// Durable writes (documents, deletes, meta values) return once committed
// and fsynced. Concurrent ones share a transaction (group commit): the
// first writer to arrive commits at once, and writers arriving while a
// commit is in flight queue up and go together in the next one. bbolt's
// own DB.Batch is not used: it holds every batch open for MaxBatchDelay
// (10 ms by default) waiting for company, where a commit takes a fraction
// of a millisecond, and a crawl with few pages in flight has little
// company to wait for. Measured with BenchmarkPutParallel, Batch made a
// page's writes about 6 times slower from 8 goroutines and 40 times
// slower from one.
//
// A document's report links and metadata are written by its own Put, in
// the same transaction (see Put), not deferred: whether a stored version
// is linked to its report must not depend on a later commit.
//
// Deferred writes (URL states, Colly's visited marks and cookies) return
// at once. They go to an overlay in memory
// that this Store's reads consult, and the next commit, whoever's, writes
// them too; deferDelay after the first of them at the latest, or at
// Close, a commit of their own does. Each is taken into a commit inside
// that commit's transaction, so a deferred write made before a durable
// write began is in the same transaction or an earlier one. After a
// crash the file therefore holds, of what each goroutine wrote, a prefix
// that reaches at least its last durable write to have returned, as when
// every write was its own commit; only deferred writes made after that
// one can be missing, and those are what a later run does again at the
// cost of a request.

// deferDelay is how long a deferred write may wait for a commit to carry
// it before one is made for it.
const deferDelay = 200 * time.Millisecond

// errClosed refuses deferred writes after Close: nothing would ever
// commit them.
var errClosed = errors.New("store: closed")

// Signals on a queued writer's channel, besides its result.
var (
	// errLead: the commit before is done; commit the queue now.
	errLead = errors.New("store: lead the next commit")
	// errSolo: this writer's function failed inside a shared transaction;
	// run it in one of its own, so that its result does not depend on
	// the other writers'.
	errSolo = errors.New("store: commit alone")
)

// call is one writer waiting for a commit.
type call struct {
	fn   func(*bolt.Tx) error
	done chan error // errLead or errSolo, or the commit's result
}

// committer is the group commit's queue.
type committer struct {
	mu      sync.Mutex
	queue   []*call
	leading bool // a writer is committing; newcomers wait in queue
}

// update runs fn in a write transaction, possibly shared with other
// writers, and returns once that transaction is committed. When another
// writer's function fails, the shared transaction is rolled back and run
// again without it, so fn may run more than once: it must set its
// results afresh on every run and have no effect outside tx.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	c := &call{fn: fn, done: make(chan error, 1)}
	w := &s.w
	w.mu.Lock()
	w.queue = append(w.queue, c)
	lead := !w.leading
	w.leading = true
	w.mu.Unlock()
	if !lead {
		if err := <-c.done; err != errLead {
			return s.solo(c.fn, err)
		}
	}
	s.lead()
	return s.solo(c.fn, <-c.done)
}

// lead commits everything queued, c among it, in one transaction, then
// hands the lead to the first writer that queued meanwhile: each writer
// waits for at most the commit in flight and its own.
func (s *Store) lead() {
	w := &s.w
	w.mu.Lock()
	calls := w.queue
	w.queue = nil
	w.mu.Unlock()
	for len(calls) > 0 {
		fns := make([]func(*bolt.Tx) error, len(calls))
		for i, c := range calls {
			fns[i] = safely(c.fn)
		}
		failed, err := s.transact(fns...)
		if failed >= 0 {
			calls[failed].done <- errSolo
			calls = slices.Delete(calls, failed, failed+1)
			continue
		}
		for _, c := range calls {
			c.done <- err
		}
		break
	}
	w.mu.Lock()
	if len(w.queue) == 0 {
		w.leading = false
		w.mu.Unlock()
		return
	}
	next := w.queue[0]
	w.mu.Unlock()
	next.done <- errLead
}

// solo runs fn in a transaction of its own when told to (errSolo), in
// the caller's goroutine, so that a panic in fn reaches its caller.
func (s *Store) solo(fn func(*bolt.Tx) error, err error) error {
	if err != errSolo {
		return err
	}
	_, err = s.transact(fn)
	return err
}

// transact commits fns in one transaction, together with every deferred
// write, and reports which function failed (-1: none did; the commit's
// own error, if any, is err).
func (s *Store) transact(fns ...func(*bolt.Tx) error) (failed int, err error) {
	var carried []*pendingPut
	failed = -1
	err = s.db.Update(func(tx *bolt.Tx) error {
		failed = -1
		// Taken inside the transaction, where no other commit can run:
		// what the overlay holds is the newest value of each key, and
		// what it held before this commit began is all in it.
		carried = s.o.pending()
		if err := putAll(tx, carried); err != nil {
			return fmt.Errorf("deferred writes: %w", err)
		}
		for i, fn := range fns {
			if err := fn(tx); err != nil {
				failed = i
				return err
			}
		}
		return nil
	})
	if err == nil {
		s.commits.Add(1)
		s.o.settle(carried)
	}
	return failed, err
}

// Commits is the number of write transactions this Store has committed
// since Open: what one commit per stored page is measured by.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// safely turns a panic in fn into an error, so that one writer's panic
// in a shared transaction does not leave the others waiting; the writer
// then runs fn alone and panics in its own goroutine.
func safely(fn func(*bolt.Tx) error) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("store: panic in write: %v", p)
			}
		}()
		return fn(tx)
	}
}

// pendingPut is one deferred write. It is never modified: a newer value
// of its key replaces it in the overlay, so that a commit that carried
// it knows whether to drop it.
type pendingPut struct {
	bucket, key, val []byte
}

// overlay holds the deferred writes not yet committed.
type overlay struct {
	mu     sync.Mutex
	puts   map[string]map[string]*pendingPut // bucket → key → write
	n      int                               // writes in puts
	timer  *time.Timer                       // running while n > 0
	delay  time.Duration
	flush  func() // what the timer runs
	closed bool
}

// putLater queues a deferred write of key in bucket. It checks what
// bbolt's Put would, so that a deferred write cannot fail the commit that
// carries it (and every writer's in it).
func (s *Store) putLater(bucket, key, val []byte) error {
	switch {
	case len(key) == 0:
		return berrors.ErrKeyRequired
	case len(key) > bolt.MaxKeySize:
		return berrors.ErrKeyTooLarge
	case int64(len(val)) > bolt.MaxValueSize:
		return berrors.ErrValueTooLarge
	}
	if val == nil {
		val = []byte{}
	}
	o := &s.o
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errClosed
	}
	b := o.puts[string(bucket)]
	if b == nil {
		b = map[string]*pendingPut{}
		o.puts[string(bucket)] = b
	}
	if _, ok := b[string(key)]; !ok {
		o.n++
	}
	b[string(key)] = &pendingPut{bucket: bucket, key: bytes.Clone(key), val: val}
	if o.timer == nil {
		o.timer = time.AfterFunc(o.delay, o.flush)
	}
	return nil
}

// flushDeferred commits the deferred writes that no other commit carried
// within deferDelay. A failure leaves them queued for the next commit;
// Close reports it if it lasts.
func (s *Store) flushDeferred() {
	o := &s.o
	o.mu.Lock()
	o.timer = nil
	idle := o.closed || o.n == 0
	o.mu.Unlock()
	if !idle {
		_ = s.update(noWrite)
	}
}

// noWrite is the function of a commit made only for deferred writes.
func noWrite(*bolt.Tx) error { return nil }

// pending returns the deferred writes not yet committed.
func (o *overlay) pending() []*pendingPut {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]*pendingPut, 0, o.n)
	for _, b := range o.puts {
		for _, p := range b {
			out = append(out, p)
		}
	}
	return out
}

// settle drops committed writes from the overlay, unless a newer value
// of their key came meanwhile.
func (o *overlay) settle(committed []*pendingPut) {
	if len(committed) == 0 {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, p := range committed {
		if b := o.puts[string(p.bucket)]; b[string(p.key)] == p {
			delete(b, string(p.key))
			o.n--
		}
	}
	if o.n == 0 && o.timer != nil {
		o.timer.Stop()
		o.timer = nil
	}
}

// get returns the deferred value of key in bucket, if one is pending.
func (o *overlay) get(bucket, key []byte) ([]byte, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p, ok := o.puts[string(bucket)][string(key)]
	if !ok {
		return nil, false
	}
	return p.val, true
}

// keys returns the pending keys of bucket that start with prefix.
func (o *overlay) keys(bucket, prefix []byte) [][]byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out [][]byte
	for _, p := range o.puts[string(bucket)] {
		if bytes.HasPrefix(p.key, prefix) {
			out = append(out, p.key)
		}
	}
	return out
}

// close refuses further deferred writes and reports whether some are
// still pending.
func (o *overlay) close() (pending bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	if o.timer != nil {
		o.timer.Stop()
		o.timer = nil
	}
	return o.n > 0
}

// putAll writes deferred writes into tx, creating a bucket the file
// lacks (one added after the file was written).
func putAll(tx *bolt.Tx, puts []*pendingPut) error {
	for _, p := range puts {
		b, err := tx.CreateBucketIfNotExists(p.bucket)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", p.bucket, err)
		}
		if err := b.Put(p.key, p.val); err != nil {
			return fmt.Errorf("put %s in %s: %w", strings.ToValidUTF8(string(p.key), "?"), p.bucket, err)
		}
	}
	return nil
}

// value calls fn with key's value in bucket as this Store sees it: the
// deferred value if one is pending, else the committed one (nil: none),
// valid only during fn. The overlay is asked before the read transaction
// begins: a deferred write committed and dropped from the overlay in
// between is then in the transaction's snapshot, where it would not be
// if the transaction had begun first.
func (s *Store) value(bucket, key []byte, fn func(v []byte) error) error {
	if v, ok := s.o.get(bucket, key); ok {
		return fn(v)
	}
	return s.db.View(func(tx *bolt.Tx) error {
		var v []byte
		if b := tx.Bucket(bucket); b != nil {
			v = b.Get(key) // non-nil for a key with an empty value
		}
		return fn(v)
	})
}
