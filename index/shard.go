package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"baoscope/model"
)

// ErrShards means a sharded index was opened with another shard count
// than it was built with, or a directory is not a complete sharded index.
var ErrShards = errors.New("index: shard layout mismatch")

// shardManifest names the file that makes a directory a sharded index. It
// is written last when the index is created, so a directory without it is
// an interrupted creation, never a usable index.
const shardManifest = "shards.json"

// MaxShards bounds the shard count: each shard is a Bleve index with its
// own files, merger and persister goroutines.
const MaxShards = 64

type manifest struct {
	Shards         int    `json:"shards"`
	MappingVersion string `json:"mapping_version"`
}

// isSharded reports whether dir holds a sharded index.
func isSharded(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, shardManifest))
	return err == nil
}

func shardPath(dir string, i int) string {
	return filepath.Join(dir, fmt.Sprintf("shard-%03d", i))
}

// OpenSharded opens the sharded index in dir, or creates one of n shards
// when dir does not exist. n = 0 opens whatever dir holds; otherwise it
// must match the count dir was built with (resharding means rebuilding
// from the store).
//
// Writes are routed by the document's group key (its report), so every
// version of a report lives in one shard and the shards are written in
// parallel, one Bleve batch per shard at a time. Searches go through a
// Bleve index alias over all shards: Bleve merges the shards' hits in the
// request's sort order before the search package groups them, so
// grouping is correct wherever the versions live. Keeping a report in one
// shard is what lets Stats count reports per shard and add the counts,
// and what a later per-shard collapse would need. Scores use each
// shard's own term statistics, so relevance can differ slightly from an
// unsharded index of the same documents.
func OpenSharded(dir string, n int) (*Index, error) {
	if n < 0 || n > MaxShards {
		return nil, fmt.Errorf("index %s: %d shards: %w (want 1..%d)", dir, n, ErrShards, MaxShards)
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if n == 0 {
			return nil, fmt.Errorf("index %s: no such sharded index: %w", dir, ErrShards)
		}
		return createSharded(dir, n)
	}
	b, err := os.ReadFile(filepath.Join(dir, shardManifest))
	if err != nil {
		return nil, fmt.Errorf("index %s: not a sharded index (%w): %w", dir, err, ErrShards)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("index %s: %s: %w", dir, shardManifest, err)
	}
	if m.Shards < 1 || m.Shards > MaxShards || (n != 0 && n != m.Shards) {
		return nil, fmt.Errorf("index %s has %d shards, %d asked for: %w", dir, m.Shards, n, ErrShards)
	}
	shards := make([]bleve.Index, 0, m.Shards)
	for i := range m.Shards {
		ix, err := Open(shardPath(dir, i))
		if err != nil {
			closeAll(shards)
			return nil, err
		}
		shards = append(shards, ix.idx)
	}
	return newSharded(dir, shards), nil
}

func createSharded(dir string, n int) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	shards := make([]bleve.Index, 0, n)
	for i := range n {
		ix, err := Create(shardPath(dir, i))
		if err != nil {
			closeAll(shards)
			return nil, err
		}
		shards = append(shards, ix.idx)
	}
	b, err := json.Marshal(manifest{Shards: n, MappingVersion: MappingVersion})
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, shardManifest), b, 0o644)
	}
	if err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	return newSharded(dir, shards), nil
}

func newSharded(dir string, shards []bleve.Index) *Index {
	alias := bleve.NewIndexAlias(shards...)
	// Every shard has the same mapping; telling the alias saves it from
	// asking (it refuses to answer for more than one index).
	if err := alias.SetIndexMapping(shards[0].Mapping()); err != nil {
		// Only fails on a closed alias, and this one was just made.
		panic(err)
	}
	return &Index{idx: alias, path: dir, shards: shards}
}

func closeAll(idx []bleve.Index) {
	for _, i := range idx {
		i.Close() //nolint:errcheck // already failing with a better error
	}
}

// Shards is the number of shards, 1 for an unsharded index.
func (ix *Index) Shards() int { return max(len(ix.shards), 1) }

// parts are the Bleve indexes that hold the documents: the shards, or the
// one index. (ix.idx is an alias over the shards, which can search but
// neither write nor fetch a document.)
func (ix *Index) parts() []bleve.Index {
	if ix.shards == nil {
		return []bleve.Index{ix.idx}
	}
	return ix.shards
}

// shardOf routes a group key to a shard: FNV-1a, stable across runs and
// versions, since a document must be found again in the shard it went to.
func shardOf(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

// upsertSharded writes each shard's documents in parallel. A document
// whose group changed (an unlinked page later linked to its report) may
// have an older copy in another shard, so every other shard deletes its
// URL in the same batches: a delete of an absent id costs one dictionary
// lookup per segment, far less than analysing the document.
func (ix *Index) upsertSharded(docs []*model.Document) error {
	n := len(ix.shards)
	route := make([]int, len(docs))
	for i, d := range docs {
		if d.URL == "" {
			return errors.New("index: document without URL")
		}
		route[i] = shardOf(d.GroupKey(), n)
	}
	now := time.Now().UTC()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for s := range n {
		wg.Go(func() { errs[s] = writeShard(ix.shards[s], s, docs, route, now) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writeShard indexes the documents routed to shard s and deletes the
// others' URLs from it. A batch is cut after BatchSize documents indexed,
// not operations, so that a shard's segments are as large as an
// unsharded index's; the deletes ride along.
func writeShard(idx bleve.Index, s int, docs []*model.Document, route []int, now time.Time) error {
	b := idx.NewBatch()
	indexed := 0
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("index batch (shard %d): %w", s, err)
		}
		b.Reset()
		indexed = 0
		return nil
	}
	for i, d := range docs {
		if route[i] != s {
			b.Delete(d.URL)
			continue
		}
		f := fields(d)
		f[fieldIndexedAt] = now
		if err := b.Index(d.URL, f); err != nil {
			return fmt.Errorf("index %s: %w", d.URL, err)
		}
		if indexed++; indexed >= BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// CreateShards makes a new, empty index at path with n shards: an
// unsharded index when n is 1 (or less).
func CreateShards(path string, n int) (*Index, error) {
	if n <= 1 {
		return Create(path)
	}
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("create index %s: already exists", path)
	}
	return OpenSharded(path, n)
}

// ShardsAt is the shard count of the index at path: its manifest's for a
// sharded index, 1 for an unsharded or absent one, 0 when the manifest
// cannot be read.
func ShardsAt(path string) int {
	if !isSharded(path) {
		return 1
	}
	b, err := os.ReadFile(filepath.Join(path, shardManifest))
	if err != nil {
		return 0
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil {
		return 0
	}
	return m.Shards
}

// Has reports whether a document with this URL is indexed. A Bleve alias
// cannot fetch documents, so a sharded index asks every shard (a URL's
// shard follows its report, which may have changed).
func (ix *Index) Has(url string) (bool, error) {
	for _, idx := range ix.parts() {
		d, err := idx.Document(url)
		if err != nil {
			return false, fmt.Errorf("index: look up %s: %w", url, err)
		}
		if d != nil {
			return true, nil
		}
	}
	return false, nil
}
