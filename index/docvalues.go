package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/numeric"
	bindex "github.com/blevesearch/bleve_index_api"
)

// GroupValues are one document's grouping values as its doc values hold
// them.
type GroupValues struct {
	// Group, Lang and Section are nil when the document has no such term;
	// "" is a term (a document of unknown language has the empty
	// language). They are overwritten by the next read.
	Group, Lang, Section []byte
	Published            int64 // Unix nanoseconds, NoDate when absent
	Original             bool
}

// groupFields are the fields of GroupValues.
var groupFields = []string{fieldGroup, fieldLang, fieldSection, fieldPublished, fieldOriginal}

// docValues decodes documents' grouping values from Bleve's doc values:
// the one decoder of them, for the columns and for searches that find
// none built.
type docValues struct {
	dvr   bindex.DocValueReader
	visit bindex.DocValueVisitor
	v     GroupValues
	// bufs back v's byte slices; never nil, so that an empty term reads
	// as present.
	bufs [3][]byte
}

func newDocValues(r bindex.IndexReader) (*docValues, error) {
	dvr, err := r.DocValueReader(groupFields)
	if err != nil {
		return nil, fmt.Errorf("doc values: %w", err)
	}
	d := &docValues{dvr: dvr}
	for i := range d.bufs {
		d.bufs[i] = make([]byte, 0, 32)
	}
	d.visit = func(field string, term []byte) {
		switch field {
		case fieldGroup:
			d.bufs[0] = append(d.bufs[0][:0], term...)
			d.v.Group = d.bufs[0]
		case fieldLang:
			d.bufs[1] = append(d.bufs[1][:0], term...)
			d.v.Lang = d.bufs[1]
		case fieldSection:
			d.bufs[2] = append(d.bufs[2][:0], term...)
			d.v.Section = d.bufs[2]
		case fieldPublished:
			// Dates are indexed at several precisions; the full one has
			// shift 0.
			p := numeric.PrefixCoded(term)
			if shift, err := p.Shift(); err == nil && shift == 0 {
				if v, err := p.Int64(); err == nil {
					d.v.Published = v
				}
			}
		case fieldOriginal:
			// Booleans are indexed as the terms "T" and "F".
			d.v.Original = len(term) == 1 && term[0] == 'T'
		}
	}
	return d, nil
}

// read decodes the document's values; the result is overwritten by the
// next read.
func (d *docValues) read(id bindex.IndexInternalID) (*GroupValues, error) {
	d.v = GroupValues{Published: NoDate}
	if err := d.dvr.VisitDocValues(id, d.visit); err != nil {
		return nil, fmt.Errorf("doc values: %w", err)
	}
	return &d.v, nil
}
