package store

import (
	bolt "go.etcd.io/bbolt"
)

// EachURL calls fn with the URL of every stored document, in key order,
// without decoding the documents (a shared crawl re-seeds its stored
// markers from this). It runs in one read transaction: writers go on.
func (s *Store) EachURL(fn func(url string) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDocs).ForEach(func(k, _ []byte) error {
			return fn(string(k))
		})
	})
}
