package index

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Hit is a document matching a query, as VisitMatches hands it over; it
// is valid only during the call it is passed to.
type Hit struct {
	Score float64 // 0 when the visit asked for no scores
	id    bindex.IndexInternalID
	// locs are the positions of the terms the document matched, for a
	// visit with positions (VisitPositions).
	locs []search.FieldTermLocation
}

// Adjacent reports whether, in one of the hit's fields, one of the
// terms xs is followed by one of ys at the next position (terms as the
// index holds them, among those of the visit's query). Only a hit of
// VisitPositions has positions; for any other it is false.
func (h Hit) Adjacent(xs, ys []string) bool {
	type at struct {
		field string
		pos   uint64
	}
	var next map[at]bool
	for _, b := range h.locs {
		if slices.Contains(ys, b.Term) {
			if next == nil {
				next = map[at]bool{}
			}
			next[at{b.Field, b.Location.Pos}] = true
		}
	}
	for _, a := range h.locs {
		if next[at{a.Field, a.Location.Pos + 1}] && slices.Contains(xs, a.Term) {
			return true
		}
	}
	return false
}

// Shard reads the grouping values (group, language, section, date,
// originality) of one shard's hits: by array index from the columns of
// the snapshot searched when they are built, else from doc values. One
// Shard serves one goroutine.
type Shard struct {
	cols   *Columns
	reader bindex.IndexReader
	dv     *docValues // made at the first Values
	// fromDocValues counts the hits read from doc values.
	fromDocValues int
}

// Columns are the columns of the snapshot searched, or nil when they are
// not built yet: the visit has then started their build in the
// background (see BuildColumns).
func (s *Shard) Columns() *Columns { return s.cols }

// Column is the hit's position in Columns; false when there are none or
// they do not cover it.
func (s *Shard) Column(h Hit) (uint64, bool) {
	if s.cols == nil {
		return 0, false
	}
	d, ok := docNum(h.id)
	return d, ok && s.cols.Has(d)
}

// Values reads the hit's grouping values from doc values: slower than
// Column, for the hits of a snapshot whose columns are not built.
func (s *Shard) Values(h Hit) (*GroupValues, error) {
	s.fromDocValues++
	if s.dv == nil {
		dv, err := newDocValues(s.reader)
		if err != nil {
			return nil, err
		}
		s.dv = dv
	}
	return s.dv.read(h.id)
}

// Group is the hit's group key (model.ReportIDOf gives its report; ""
// for a page linked to no report): from the columns when they cover it,
// else its doc values.
func (s *Shard) Group(h Hit) (string, error) {
	if d, ok := s.Column(h); ok {
		if gi := s.cols.Group[d]; gi >= 0 {
			return s.cols.Groups[gi], nil
		}
		return "", nil
	}
	v, err := s.Values(h)
	if err != nil {
		return "", err
	}
	return string(v.Group), nil
}

// FromDocValues is how many hits Values has read.
func (s *Shard) FromDocValues() int { return s.fromDocValues }

// VisitMatches runs q and hands every matching document, in no order, to
// a hit function: forShard makes one per shard, with that shard's Shard,
// and the shards are visited in parallel. Without scores (score false)
// Bleve skips scoring every clause of every match.
//
// Bleve has no collapse: a document match handler, its hook for custom
// collection, sees every match where a top-N request would keep a heap.
func (ix *Index) VisitMatches(ctx context.Context, q bq.Query, score bool, forShard func(*Shard) func(Hit) error) error {
	return ix.visit(ctx, q, score, false, forShard)
}

// VisitPositions is VisitMatches, unscored, for hits that know where
// their terms matched (Hit.Adjacent): from the term vectors the text
// fields keep for highlighting. Meant for a query over few documents (a
// page's reports): reading positions costs on every match.
func (ix *Index) VisitPositions(ctx context.Context, q bq.Query, forShard func(*Shard) func(Hit) error) error {
	return ix.visit(ctx, q, false, true, forShard)
}

func (ix *Index) visit(ctx context.Context, q bq.Query, score, positions bool, forShard func(*Shard) func(Hit) error) error {
	maker := search.MakeDocumentMatchHandler(func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		s := &Shard{cols: ix.groupColumns(sctx.IndexReader), reader: sctx.IndexReader}
		visit := forShard(s)
		return func(h *search.DocumentMatch) error {
			if h == nil { // end of the shard's hits
				return nil
			}
			err := visit(Hit{Score: h.Score, id: h.IndexInternalID, locs: h.FieldTermLocations})
			sctx.DocumentMatchPool.Put(h)
			return err
		}, false, nil
	})
	req := bleve.NewSearchRequestOptions(q, 1, 0, false)
	if !score {
		req.Score = "none"
	}
	req.IncludeLocations = positions
	if _, err := ix.idx.SearchInContext(context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker), req); err != nil {
		return fmt.Errorf("visit matches: %w", err)
	}
	return nil
}
