package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Buckets that tie a report's versions together. They are created on
// first use (by the commit that carries the first deferred write to
// them), so stores written before them open unchanged.
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
// report's metadata when its original is known. The link is a deferred
// write: the Put of url's document that follows commits it, so that a
// stored document is never missing from its report.
func (s *Store) LinkReport(id, url string) (*ReportMeta, error) {
	key := []byte(id + "\x00" + url)
	var (
		meta   *ReportMeta
		linked bool
	)
	err := s.value(bucketReportURLs, key, func(v []byte) error {
		linked = v != nil
		return nil
	})
	if err == nil {
		err = s.value(bucketReports, []byte(id), func(v []byte) error {
			if v == nil {
				return nil
			}
			meta = new(ReportMeta)
			return json.Unmarshal(v, meta)
		})
	}
	if err == nil && !linked {
		err = s.putLater(bucketReportURLs, key, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("link %s to report %s: %w", url, id, err)
	}
	return meta, nil
}

// PutReport records a report's metadata, from its original. It is a
// deferred write, committed by the Put of the original's document (or of
// a translation's the original updates) that follows; unchanged metadata
// is not written again.
func (s *Store) PutReport(id string, meta ReportMeta) error {
	val, err := json.Marshal(meta)
	if err != nil {
		return fmt.Errorf("encode report %s: %w", id, err)
	}
	var same bool
	err = s.value(bucketReports, []byte(id), func(old []byte) error {
		same = old != nil && bytes.Equal(old, val)
		return nil
	})
	if err == nil && !same {
		err = s.putLater(bucketReports, []byte(id), val)
	}
	if err != nil {
		return fmt.Errorf("put report %s: %w", id, err)
	}
	return nil
}

// ReportURLs lists the URLs of every known version of a report.
func (s *Store) ReportURLs(id string) ([]string, error) {
	var out []string
	prefix := []byte(id + "\x00")
	// Links not yet committed first: one committed meanwhile is then
	// found by the cursor too, and dropped as a duplicate below.
	for _, k := range s.o.keys(bucketReportURLs, prefix) {
		if len(k) > len(prefix) {
			out = append(out, string(k[len(prefix):]))
		}
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReportURLs)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && len(k) > len(prefix) && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, string(k[len(prefix):]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report %s urls: %w", id, err)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
