package pipeline

import (
	"errors"
	"fmt"

	"baoscope/model"
	"baoscope/store"
)

// linkReport gives every version of a report the report's section, which
// only the original's page states, whichever arrives first. It fills doc
// from the original when that is known, and when doc is the original
// returns the stored translations it updated, to be indexed again.
func (p *Pipeline) linkReport(doc *model.Document) ([]*model.Document, error) {
	if doc.ReportID == "" {
		return nil, nil
	}
	meta, err := p.store.LinkReport(doc.ReportID, doc.URL)
	if err != nil {
		return nil, err
	}
	if !doc.IsOriginal {
		if meta != nil && doc.Section == "" {
			doc.Section = meta.Section
		}
		return nil, nil
	}
	err = p.store.PutReport(doc.ReportID, store.ReportMeta{
		OriginalURL: doc.URL, Section: doc.Section, Published: doc.Published,
	})
	if err != nil {
		return nil, err
	}
	urls, err := p.store.ReportURLs(doc.ReportID)
	if err != nil {
		return nil, err
	}
	var updated []*model.Document
	for _, u := range urls {
		if u == doc.URL {
			continue
		}
		d, err := p.store.Get(u)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if d.Section == doc.Section {
			continue
		}
		d.Section = doc.Section
		if _, err := p.store.Put(d); err != nil {
			return nil, fmt.Errorf("update section of %s: %w", u, err)
		}
		updated = append(updated, d)
	}
	return updated, nil
}
