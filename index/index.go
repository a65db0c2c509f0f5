package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"baoscope/model"
)

// ErrMappingVersion means the index on disk was built by another version
// of the mapping; `baoscope reindex` rebuilds it from the store.
var ErrMappingVersion = errors.New("index: built with another mapping version; run `baoscope reindex`")

const internalMappingVersion = "baoscope_mapping_version"

// BatchSize is how many documents go into one Bleve batch: each batch
// becomes a segment that later merges cost again. One document per batch
// is several times slower; 1024 rather than 256 saved a further 18% of
// indexing CPU time on generated 3.8 KB documents (docs/performance.md).
const BatchSize = 1024

// Index is a Bleve index of documents. It is safe for concurrent use.
type Index struct {
	// idx is what searches go to: the one Bleve index, or an alias over
	// the shards of a sharded index (see OpenSharded).
	idx  bleve.Index
	path string
	// shards are the indexes written to when sharded; nil otherwise.
	shards []bleve.Index
	// gen counts writes through this Index (see Generation).
	gen atomic.Uint64
	// cols holds the grouping columns of the latest snapshots (see
	// groupColumns).
	cols columnCache
}

// Generation changes whenever documents are written or deleted through
// this Index, including by a write that failed part way. Caches of search
// results compare it to know whether they still describe the index; only
// one process can have an index open, so no write escapes it.
func (ix *Index) Generation() uint64 { return ix.gen.Load() }

// Open opens the index at path, creating it when absent. A directory
// made by OpenSharded opens with its shards.
func Open(path string) (*Index, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return Create(path)
	}
	if isSharded(path) {
		return OpenSharded(path, 0)
	}
	idx, err := bleve.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	v, err := idx.GetInternal([]byte(internalMappingVersion))
	if err != nil || string(v) != MappingVersion {
		idx.Close()
		return nil, fmt.Errorf("open index %s (version %q, want %q): %w", path, v, MappingVersion, ErrMappingVersion)
	}
	return &Index{idx: idx, path: path}, nil
}

// Create makes a new, empty index at path; path must not exist.
func Create(path string) (*Index, error) {
	m, err := buildMapping()
	if err != nil {
		return nil, fmt.Errorf("build mapping: %w", err)
	}
	idx, err := bleve.New(path, m)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := idx.SetInternal([]byte(internalMappingVersion), []byte(MappingVersion)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	return &Index{idx: idx, path: path}, nil
}

// Close closes the index (and every shard).
func (ix *Index) Close() error {
	ix.closeColumns()
	err := ix.idx.Close()
	for _, s := range ix.shards {
		if e := s.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Path is where the index lives.
func (ix *Index) Path() string { return ix.path }

// Upsert indexes documents, replacing any earlier version of the same URL,
// in batches of BatchSize.
func (ix *Index) Upsert(docs ...*model.Document) error {
	defer ix.gen.Add(1)
	if ix.shards != nil {
		return ix.upsertSharded(docs)
	}
	return upsert(ix.idx, docs, time.Now().UTC())
}

// upsert writes docs to one Bleve index in batches of BatchSize.
func upsert(idx bleve.Index, docs []*model.Document, now time.Time) error {
	b := idx.NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		b.Reset()
		return nil
	}
	for _, d := range docs {
		if d.URL == "" {
			return errors.New("index: document without URL")
		}
		f := fields(d)
		f[fieldIndexedAt] = now
		if err := b.Index(d.URL, f); err != nil {
			return fmt.Errorf("index %s: %w", d.URL, err)
		}
		if b.Size() >= BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// Delete removes documents by URL; absent URLs are ignored.
func (ix *Index) Delete(urls ...string) error {
	defer ix.gen.Add(1)
	// A URL's shard follows its report, which the caller need not know:
	// delete everywhere.
	for _, idx := range ix.parts() {
		b := idx.NewBatch()
		for _, u := range urls {
			b.Delete(u)
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
	}
	return nil
}

// Count is the number of documents indexed.
func (ix *Index) Count() (uint64, error) { return ix.idx.DocCount() }

// Stats counts documents by language and site, distinct reports, unlinked
// pages and declared/detected disagreements.
func (ix *Index) Stats(ctx context.Context) (*model.Stats, error) {
	req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet("lang", bleve.NewFacetRequest(fieldLang, 100))
	req.AddFacet("site", bleve.NewFacetRequest(fieldSite, 10))
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	st := &model.Stats{Documents: int(res.Total), BySite: map[string]int{}}
	for _, t := range res.Facets["lang"].Terms.Terms() {
		st.ByLang = append(st.ByLang, model.LangCount{Lang: t.Term, Count: t.Count})
	}
	st.BySiteLang = map[string]map[string]int{}
	for _, t := range res.Facets["site"].Terms.Terms() {
		st.BySite[t.Term] = t.Count
		// One small faceted query per site (there are two).
		site := query.NewTermQuery(t.Term)
		site.SetField(fieldSite)
		sr := bleve.NewSearchRequestOptions(site, 0, 0, false)
		sr.AddFacet("lang", bleve.NewFacetRequest(fieldLang, 100))
		r, err := ix.idx.SearchInContext(ctx, sr)
		if err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
		m := map[string]int{}
		for _, lt := range r.Facets["lang"].Terms.Terms() {
			m[lt.Term] = lt.Count
		}
		st.BySiteLang[t.Term] = m
	}
	count := func(q query.Query) (int, error) {
		r, err := ix.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
		if err != nil {
			return 0, fmt.Errorf("stats: %w", err)
		}
		return int(r.Total), nil
	}
	mm := query.NewBoolFieldQuery(true)
	mm.SetField(fieldLangMismatch)
	if st.LangMismatches, err = count(mm); err != nil {
		return nil, err
	}
	unlinked := query.NewPrefixQuery(model.UnlinkedPrefix)
	unlinked.SetField(fieldGroup)
	if st.Unlinked, err = count(unlinked); err != nil {
		return nil, err
	}
	if st.Reports, err = ix.distinctReports(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

// distinctReports counts report ids through the field dictionary, which
// is exact and cheap: one entry per distinct term. Shards hold disjoint
// sets of reports (documents are routed by report), so their counts add
// up.
func (ix *Index) distinctReports(ctx context.Context) (int, error) {
	total := 0
	for _, s := range ix.parts() {
		n, err := countTerms(ctx, s, fieldReportID)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// countTerms counts the distinct terms of a field that some document
// still holds.
func countTerms(ctx context.Context, idx bleve.Index, field string) (int, error) {
	dict, err := idx.FieldDict(field)
	if err != nil {
		return 0, fmt.Errorf("report dictionary: %w", err)
	}
	defer dict.Close()
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		e, err := dict.Next()
		if err != nil {
			return 0, fmt.Errorf("report dictionary: %w", err)
		}
		if e == nil {
			return n, nil
		}
		if e.Term != "" && e.Count > 0 {
			n++
		}
	}
}

// DiskSize is the total size of the regular files under path: an index's
// size on disk, sharded or not.
func DiskSize(path string) (int64, error) {
	var n int64
	err := filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", path, err)
	}
	return n, nil
}
