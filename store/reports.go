package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"baoscope/model"
)

// Buckets that tie a report's versions together. They are created by the
// first document stored with a report id, so stores written before them
// open unchanged.
var (
	bucketReports    = []byte("reports")     // report id → JSON reportMeta
	bucketReportURLs = []byte("report_urls") // report id \x00 URL → empty
)

// reportMeta is what every version of a report inherits from its
// original: a translation's page does not say which section it belongs to.
type reportMeta struct {
	OriginalURL string    `json:"original_url"`
	Section     string    `json:"section,omitempty"`
	Published   time.Time `json:"published,omitempty"`
}

// reportURLKey is the key linking url to report id.
func reportURLKey(id, url string) []byte { return []byte(id + "\x00" + url) }

// write is what storing one document changes in the file; nil slices are
// what needs no writing.
type write struct {
	key     []byte // the document's URL
	val     []byte // its encoding; nil: unchanged
	existed bool
	section string // the section it is stored with

	report []byte // its report id; nil: none
	link   []byte // the report_urls key to add; nil: linked already
	meta   []byte // the report's metadata, from an original; nil: unchanged

	updated     []*model.Document // versions that take an original's section
	updatedVals [][]byte          // their encodings
}

// plan reads what tx holds of doc's URL and report and decides the write.
// It has no effect: it runs once in a read transaction and again in the
// write transaction.
func plan(tx *bolt.Tx, doc *model.Document, enc *encoder) (*write, error) {
	w := &write{key: []byte(doc.URL), section: doc.Section}
	old := tx.Bucket(bucketDocs).Get(w.key)
	w.existed = old != nil
	if doc.ReportID != "" {
		if err := w.planReport(tx, doc); err != nil {
			return nil, fmt.Errorf("report %s: %w", doc.ReportID, err)
		}
	}
	if !same(old, doc, w.section) {
		val, err := enc.encode(w.section)
		if err != nil {
			return nil, err
		}
		w.val = val
	}
	return w, nil
}

// planReport links doc to its report and applies the report's rule: only
// the original's page states the section, and every version carries it.
func (w *write) planReport(tx *bolt.Tx, doc *model.Document) error {
	w.report = []byte(doc.ReportID)
	urls := tx.Bucket(bucketReportURLs) // nil until the first link
	link := reportURLKey(doc.ReportID, doc.URL)
	if urls == nil || urls.Get(link) == nil {
		w.link = link
	}
	var old []byte
	if b := tx.Bucket(bucketReports); b != nil {
		old = b.Get(w.report)
	}
	if !doc.IsOriginal {
		if old != nil && doc.Section == "" {
			var m reportMeta
			if err := json.Unmarshal(old, &m); err != nil {
				return fmt.Errorf("decode metadata: %w", err)
			}
			w.section = m.Section
		}
		return nil
	}
	meta, err := json.Marshal(reportMeta{OriginalURL: doc.URL, Section: doc.Section, Published: doc.Published})
	if err != nil {
		return fmt.Errorf("encode metadata: %w", err)
	}
	if !bytes.Equal(old, meta) {
		w.meta = meta
	}
	if urls == nil {
		return nil
	}
	return w.planSections(tx, urls, doc)
}

// planSections gives an original's section to the versions of its report
// stored before it.
func (w *write) planSections(tx *bolt.Tx, urls *bolt.Bucket, orig *model.Document) error {
	docs := tx.Bucket(bucketDocs)
	prefix := reportURLKey(orig.ReportID, "")
	c := urls.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		u := k[len(prefix):]
		if len(u) == 0 || string(u) == orig.URL {
			continue
		}
		v := docs.Get(u)
		if v == nil {
			continue
		}
		// The section alone first: most versions have it already, and
		// this skips decoding their paragraphs.
		var sec struct {
			Section string `json:"section"`
		}
		if err := json.Unmarshal(v, &sec); err != nil {
			return fmt.Errorf("decode %s: %w", u, err)
		}
		if sec.Section == orig.Section {
			continue
		}
		d := new(model.Document)
		if err := json.Unmarshal(v, d); err != nil {
			return fmt.Errorf("decode %s: %w", u, err)
		}
		d.Section = orig.Section
		val, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode %s: %w", u, err)
		}
		w.updated = append(w.updated, d)
		w.updatedVals = append(w.updatedVals, val)
	}
	return nil
}

// empty says the write changes nothing.
func (w *write) empty() bool {
	return w.val == nil && w.link == nil && w.meta == nil && len(w.updated) == 0
}

// apply makes the write in tx.
func (w *write) apply(tx *bolt.Tx) error {
	if w.link != nil {
		b, err := tx.CreateBucketIfNotExists(bucketReportURLs)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", bucketReportURLs, err)
		}
		if err := b.Put(w.link, []byte{}); err != nil {
			return fmt.Errorf("link to report %s: %w", w.report, err)
		}
	}
	if w.meta != nil {
		b, err := tx.CreateBucketIfNotExists(bucketReports)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", bucketReports, err)
		}
		if err := b.Put(w.report, w.meta); err != nil {
			return fmt.Errorf("report %s: %w", w.report, err)
		}
	}
	docs := tx.Bucket(bucketDocs)
	for i, d := range w.updated {
		if err := docs.Put([]byte(d.URL), w.updatedVals[i]); err != nil {
			return fmt.Errorf("update section of %s: %w", d.URL, err)
		}
	}
	if w.val != nil {
		return docs.Put(w.key, w.val)
	}
	return nil
}

// encoder encodes a document with the section it is stored with, once
// per section: the write transaction that plans again reuses what the
// read before it encoded, so that encoding stays out of the transaction
// in the common case.
type encoder struct {
	doc     *model.Document
	section string
	val     []byte
}

func (e *encoder) encode(section string) ([]byte, error) {
	if e.val != nil && e.section == section {
		return e.val, nil
	}
	d := *e.doc // shallow: the copy is only read
	d.Section = section
	val, err := json.Marshal(&d)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	e.val, e.section = val, section
	return val, nil
}

// ReportURLs lists the URLs of every known version of a report.
func (s *Store) ReportURLs(id string) ([]string, error) {
	var out []string
	prefix := reportURLKey(id, "")
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
	return out, nil
}
