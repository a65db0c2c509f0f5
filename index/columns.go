package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
	"weak"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Columns holds the grouping values of every document of one Bleve index
// snapshot, by internal document number: the report it belongs to, its
// language, section, date and originality, as small integers into tables
// of distinct values.
//
// Why: grouping every match of a query by report (search's pass 1) needs
// those five values for each matching document. Read from Bleve's doc
// values they cost a chunk lookup, a decompression and a callback per
// field per match — a third of a query's time at a million documents,
// where a frequent name matches 200,000. Read from columns they cost an
// array index. A snapshot's documents never change, so its columns are
// built once (one pass over the doc values of every document, in the
// background, see BuildColumns) and reused by every search of that
// snapshot: what Lucene calls global ordinals.
type Columns struct {
	// Group, Lang and Section index Groups, Langs and Sections; -1 or 0
	// (for Lang and Section: 0 means none, i+1 is entry i) when the
	// document has no such value.
	Group   []int32
	Lang    []uint8
	Section []uint16
	// Published is in Unix nanoseconds, NoDate when absent.
	Published []int64
	Original  []bool

	Groups   []string
	Langs    []string
	Sections []string
}

// ErrClosed is returned by BuildColumns once the index is closing.
var ErrClosed = errors.New("index: closed")

// NoDate marks a document without a publication date in Columns.Published.
const NoDate = math.MinInt64

// docNum is a hit's position in the columns of the snapshot it came from.
// Scorch numbers documents across a snapshot's segments and writes the
// number as 8 big-endian bytes.
func docNum(id bindex.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// Has reports whether d is covered by the columns.
func (c *Columns) Has(d uint64) bool { return d < uint64(len(c.Group)) }

// readColumns reads the grouping values of every live document of r, a
// scorch snapshot (groupColumns keeps them; tests compare them with doc
// values). It gives up when ctx ends.
func readColumns(ctx context.Context, r bindex.IndexReader) (*Columns, error) {
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	defer ids.Close()
	dv, err := newDocValues(r)
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	n, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	c := &Columns{
		Group: make([]int32, 0, n), Lang: make([]uint8, 0, n), Section: make([]uint16, 0, n),
		Published: make([]int64, 0, n), Original: make([]bool, 0, n),
	}
	t := newColumnTables()
	var d, live uint64
	for {
		id, err := ids.Next()
		if err != nil {
			return nil, fmt.Errorf("columns: %w", err)
		}
		if id == nil {
			break
		}
		num, ok := docNum(id)
		if !ok {
			return nil, fmt.Errorf("columns: unexpected internal id %x", []byte(id))
		}
		// A closing index stops a build rather than wait for it: a
		// one-off search may have started one it will never use.
		if live%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("columns: %w", err)
			}
		}
		live++
		// Deleted documents leave holes; they never match.
		for d < num {
			c.append(-1, 0, 0, NoDate, false)
			d++
		}
		v, err := dv.read(id)
		if err != nil {
			return nil, fmt.Errorf("columns: %w", err)
		}
		t.add(c, v)
		d++
	}
	if t.truncated {
		// Thousands of languages or sections: not this corpus. Searches
		// read doc values instead.
		return nil, fmt.Errorf("columns: too many distinct languages or sections")
	}
	return c, nil
}

// columnTables number the distinct values of a columns build.
type columnTables struct {
	groups    map[string]int32
	langs     map[string]uint8
	sections  map[string]uint16
	truncated bool // a language or section found no room
}

func newColumnTables() *columnTables {
	return &columnTables{groups: map[string]int32{}, langs: map[string]uint8{}, sections: map[string]uint16{}}
}

// add appends one document's values to c.
func (t *columnTables) add(c *Columns, v *GroupValues) {
	group, lang, section := int32(-1), uint8(0), uint16(0)
	if v.Group != nil {
		g, ok := t.groups[string(v.Group)]
		if !ok {
			g = int32(len(c.Groups))
			t.groups[string(v.Group)] = g
			c.Groups = append(c.Groups, string(v.Group))
		}
		group = g
	}
	var ok bool
	if v.Lang != nil {
		if lang, ok = intern(t.langs, &c.Langs, v.Lang); !ok {
			t.truncated = true
		}
	}
	if v.Section != nil {
		if section, ok = intern(t.sections, &c.Sections, v.Section); !ok {
			t.truncated = true
		}
	}
	c.append(group, lang, section, v.Published, v.Original)
}

// intern returns term's number in names (1-based: 0 means none), adding
// it; false when the number type has no room left.
func intern[T uint8 | uint16](numbers map[string]T, names *[]string, term []byte) (T, bool) {
	if n, ok := numbers[string(term)]; ok {
		return n, true
	}
	if T(len(*names)+1) == 0 { // wrapped: no room
		return 0, false
	}
	*names = append(*names, string(term))
	n := T(len(*names))
	numbers[string(term)] = n
	return n, true
}

func (c *Columns) append(group int32, lang uint8, section uint16, published int64, original bool) {
	c.Group = append(c.Group, group)
	c.Lang = append(c.Lang, lang)
	c.Section = append(c.Section, section)
	c.Published = append(c.Published, published)
	c.Original = append(c.Original, original)
}

// columnCache keeps the columns of each shard's latest snapshot and
// builds them in the background.
type columnCache struct {
	mu       sync.Mutex
	run      sync.Mutex  // held by the running build
	sets     []columnSet // at most one per shard
	building bool
	closed   bool
	notAfter time.Time          // no build starts before
	cancel   context.CancelFunc // stops the running build
	wg       sync.WaitGroup
	// builds counts finished builds, for tests (ColumnBuilds).
	builds    int
	lastBuild time.Duration
}

type columnSet struct {
	snap weak.Pointer[scorch.IndexSnapshot]
	cols *Columns
}

// buildDuty bounds the CPU share of background builds while the index
// keeps changing (a crawl writes a batch every few seconds): after a
// build that took d, the next starts no sooner than buildDuty·d later.
const buildDuty = 4

// groupColumns returns the columns of the snapshot a search reads (the
// IndexReader of its search context), or nil when they are not built:
// the search then reads doc values, and a build of every shard's current
// snapshot starts in the background unless one runs or ran too recently.
func (ix *Index) groupColumns(r bindex.IndexReader) *Columns {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	key := weak.Make(snap)
	c := &ix.cols
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.sets {
		if s.snap == key {
			return s.cols
		}
	}
	if !c.building && !c.closed && !time.Now().Before(c.notAfter) {
		c.building = true
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			ix.buildColumns() //nolint:errcheck // searches fall back to doc values
		}()
	}
	return nil
}

// BuildColumns builds the columns of every shard's current snapshot now;
// Open does not wait for them, servers and benchmarks may (the first
// searches after an index change read doc values, which is slower).
func (ix *Index) BuildColumns() error {
	c := &ix.cols
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.building = true
	c.wg.Add(1)
	c.mu.Unlock()
	defer c.wg.Done()
	return ix.buildColumns()
}

// ColumnBuilds is how many column builds finished and how long the last
// took.
func (ix *Index) ColumnBuilds() (int, time.Duration) {
	ix.cols.mu.Lock()
	defer ix.cols.mu.Unlock()
	return ix.cols.builds, ix.cols.lastBuild
}

// buildColumns builds every shard's columns; the caller has set
// building and added to wg.
func (ix *Index) buildColumns() (err error) {
	c := &ix.cols
	c.run.Lock()
	defer c.run.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	c.mu.Lock()
	closed := c.closed
	c.cancel = cancel
	c.mu.Unlock()
	if closed {
		cancel()
	}
	start := time.Now()
	var sets []columnSet
	defer func() {
		took := time.Since(start)
		c.mu.Lock()
		defer c.mu.Unlock()
		cancel()
		c.cancel = nil
		c.building = false
		c.notAfter = time.Now().Add(buildDuty * took)
		if err == nil {
			c.sets = sets
			c.builds++
			c.lastBuild = took
		}
	}()
	for _, idx := range ix.parts() {
		adv, err := idx.Advanced()
		if err != nil {
			return fmt.Errorf("columns: %w", err)
		}
		r, err := adv.Reader()
		if err != nil {
			return fmt.Errorf("columns: %w", err)
		}
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			r.Close()
			return fmt.Errorf("columns: index reader is %T, not a scorch snapshot", r)
		}
		cols, err := readColumns(ctx, r)
		r.Close()
		if ctx.Err() != nil {
			return ErrClosed // only Close cancels a build
		}
		if err != nil {
			return err
		}
		sets = append(sets, columnSet{snap: weak.Make(snap), cols: cols})
	}
	return nil
}

// closeColumns stops a running build, waits for it (it reads the index's
// segments) and prevents new ones.
func (ix *Index) closeColumns() {
	ix.cols.mu.Lock()
	ix.cols.closed = true
	if ix.cols.cancel != nil {
		ix.cols.cancel()
	}
	ix.cols.mu.Unlock()
	ix.cols.wg.Wait()
}
