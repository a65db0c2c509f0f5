package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Buckets that tie a report's versions together. They are created on
// first use, so stores written before them open unchanged.
var (
	bucketReports    = []byte("reports")     // report id → JSON ReportMeta
	bucketReportURLs = []byte("report_urls") // report id \x00 URL → empty
)

// ReportMeta is what every version of a report inherits from its
// original: a translation's page does not say which section it belongs to.
type ReportMeta struct {
	OriginalURL string    `json:"original_url"`
	Section     string    `json:"section,omitempty"`
	Published   time.Time `json:"published,omitempty"`
}

// LinkReport records that url is a version of report id and returns the
// report's metadata when its original is known.
func (s *Store) LinkReport(id, url string) (*ReportMeta, error) {
	var meta *ReportMeta
	err := s.db.Update(func(tx *bolt.Tx) error {
		urls, err := tx.CreateBucketIfNotExists(bucketReportURLs)
		if err != nil {
			return err
		}
		if err := urls.Put([]byte(id+"\x00"+url), nil); err != nil {
			return err
		}
		reps, err := tx.CreateBucketIfNotExists(bucketReports)
		if err != nil {
			return err
		}
		if v := reps.Get([]byte(id)); v != nil {
			meta = new(ReportMeta)
			return json.Unmarshal(v, meta)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("link %s to report %s: %w", url, id, err)
	}
	return meta, nil
}

// PutReport records a report's metadata, from its original.
func (s *Store) PutReport(id string, meta ReportMeta) error {
	val, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("encode report %s: %w", id, err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketReports)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), val)
	})
	if err != nil {
		return fmt.Errorf("put report %s: %w", id, err)
	}
	return nil
}

// ReportURLs lists the URLs of every known version of a report.
func (s *Store) ReportURLs(id string) ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReportURLs)
		if b == nil {
			return nil
		}
		prefix := []byte(id + "\x00")
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && len(k) > len(prefix) && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
			out = append(out, string(k[len(prefix):]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report %s urls: %w", id, err)
	}
	return out, nil
}
