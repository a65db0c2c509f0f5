package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"baoscope/crawler"
	"baoscope/extract"
	"baoscope/index"
	"baoscope/langid"
	"baoscope/model"
	"baoscope/store"
	"baoscope/translate"
)

// File names inside a data directory.
const (
	StoreFile = "store.db"
	IndexDir  = "index.bleve"
)

// Store keys of the pipeline's own values.
const (
	metaLastCrawl = "last_crawl" // the last crawl's summary
	metaCursorKey = "cursor_key" // the key search signs cursors with
)

// Options configures a Pipeline.
type Options struct {
	DataDir   string
	Extractor *extract.Extractor
	Detector  *langid.Detector
	// AllSources indexes translations whose source line names another
	// paper; by default they are skipped and counted.
	AllSources bool
	// Rebuild opens a data directory whose index cannot be opened (built
	// by another mapping version) so that Reindex can replace it; a
	// Shards unlike the index's is then no warning, Reindex applying it.
	Rebuild bool
	// Shards is how many Bleve indexes a new index is split into (see
	// index.OpenSharded), and how many Reindex builds; 0 keeps what the
	// data directory has (1 for a new one). An existing index keeps its
	// count until Reindex.
	Shards int
	// Existing opens only a data directory that holds data (a store
	// file): search, serve and the other readers ask for it, so that a
	// mistyped path is an error (ErrNoData) rather than a new, empty
	// directory. Only crawl and demo create one.
	Existing bool
	// Learn learns translation tables after a Crawl or Reindex that
	// changed what is stored (see Learn). It reads the whole store, so
	// the commands ask for it and tests and benchmarks do not.
	Learn bool
	// Parallel returns aligned reports to learn translations from beside
	// the stored ones (the command line gives the bundled corpus): a
	// small crawl's own translations teach too few words of each
	// language, as PSQ systems learn from parallel text beyond the
	// collection they search. Nil learns from the store alone.
	Parallel func() ([]translate.Report, error)
	Logger   *slog.Logger
}

// Pipeline owns a data directory's store and index.
type Pipeline struct {
	opts   Options
	store  *store.Store
	index  *index.Index // nil only while a Rebuild-opened pipeline awaits Reindex
	ixPath string
	log    *slog.Logger

	// queueMu orders each report's versions into the index queue as the
	// store committed them: an original's Put may rewrite a translation
	// stored a moment before, and the translation's own, older copy must
	// not reach the queue after the rewritten one. Striped by report, so
	// that pages of other reports still share commits.
	queueMu [queueStripes]sync.Mutex

	mu      sync.Mutex
	pending []*model.Document
	flushed time.Time                 // last flush
	counts  map[string]map[string]int // lang → outcome → n

	crawler atomic.Pointer[crawler.Crawler] // the running or last crawl
	stored  atomic.Int64                    // documents stored by it

	tables atomic.Pointer[translate.Tables] // learned translations; nil before the first Learn

	cursorKey []byte // signs search cursors (search.Options.CursorKey)
}

// Open opens (or creates) the data directory and reconciles the index
// with the store.
func Open(ctx context.Context, opts Options) (*Pipeline, error) {
	if opts.DataDir == "" {
		return nil, errors.New("pipeline: no data directory")
	}
	if opts.Extractor == nil || opts.Detector == nil {
		return nil, errors.New("pipeline: extractor and detector are required")
	}
	if opts.Shards < 0 || opts.Shards > index.MaxShards {
		return nil, fmt.Errorf("pipeline: %d shards: want 0 (as the index has) to %d: %w", opts.Shards, index.MaxShards, index.ErrShards)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Existing {
		if err := holdsData(opts.DataDir); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(opts.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	st, err := store.Open(filepath.Join(opts.DataDir, StoreFile), 0)
	if err != nil {
		return nil, err
	}
	ixPath := filepath.Join(opts.DataDir, IndexDir)
	// The store is held: no other process uses the directory, and what
	// an earlier, killed reindex left can go.
	if err := cleanReindexLeftovers(ixPath, opts.Logger); err != nil {
		st.Close()
		return nil, err
	}
	var ix *index.Index
	if _, serr := os.Stat(ixPath); errors.Is(serr, os.ErrNotExist) && opts.Shards > 1 {
		ix, err = index.CreateShards(ixPath, opts.Shards)
	} else {
		ix, err = index.Open(ixPath)
	}
	if err != nil && !(opts.Rebuild && errors.Is(err, index.ErrMappingVersion)) {
		st.Close()
		return nil, err
	}
	p := &Pipeline{opts: opts, store: st, index: ix, ixPath: ixPath, log: opts.Logger, counts: map[string]map[string]int{}}
	if p.cursorKey, err = cursorKey(st); err == nil {
		err = p.loadTranslations()
	}
	if err != nil {
		st.Close()
		if ix != nil {
			ix.Close()
		}
		return nil, err
	}
	if ix != nil && !opts.Rebuild && opts.Shards > 0 && ix.Shards() != opts.Shards {
		p.log.Warn("the index keeps its shard count until reindex", "path", ixPath, "shards", ix.Shards(), "asked", opts.Shards)
	}
	if ix == nil {
		p.log.Warn("index built by another mapping version; it will be rebuilt", "path", ixPath)
		return p, nil
	}
	if err := p.reconcile(ctx); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Close flushes pending documents and closes store and index.
func (p *Pipeline) Close() error {
	var err error
	if p.index != nil {
		err = p.flush()
		if e := p.index.Close(); err == nil {
			err = e
		}
	}
	if e := p.store.Close(); err == nil {
		err = e
	}
	return err
}

// Index is the pipeline's index, for serving searches from the same
// process (the demo).
func (p *Pipeline) Index() *index.Index { return p.index }

// Store is the pipeline's document store.
func (p *Pipeline) Store() *store.Store { return p.store }

// reconcile indexes stored documents the index lacks: what a process
// killed between store commit and index batch left behind.
func (p *Pipeline) reconcile(ctx context.Context) error {
	n, err := p.store.Count()
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	m, err := p.index.Count()
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	if uint64(n) == m {
		return nil
	}
	p.log.Info("reconciling index with store", "stored", n, "indexed", m)
	var batch []*model.Document
	err = p.store.Each(func(d *model.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		has, err := p.index.Has(d.URL)
		if err != nil {
			return err
		}
		if !has {
			batch = append(batch, d)
		}
		if len(batch) >= index.BatchSize {
			err = p.index.Upsert(batch...)
			batch = batch[:0]
		}
		return err
	})
	if err == nil {
		err = p.index.Upsert(batch...)
	}
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	return nil
}

// HandlePage implements crawler.Handler: extract, detect, store, queue
// for indexing. It tells the crawler whether the page was kept and when it
// was published, which the crawler records for the next run.
func (p *Pipeline) HandlePage(ctx context.Context, page *crawler.Page) (crawler.Result, error) {
	doc, err := p.opts.Extractor.Extract(extract.Page{
		URL: page.URL, Site: page.Site, ContentType: page.Header.Get("Content-Type"), Body: page.Body,
	})
	if err != nil {
		if errors.Is(err, extract.ErrNotArticle) {
			p.count(page.Lang, crawler.SkipNotArticle)
			return crawler.Result{Skip: crawler.SkipNotArticle}, nil
		}
		if errors.Is(err, extract.ErrNotText) {
			// Noise served as a page: a failure of the crawl, under
			// its own reason, never a document.
			p.count(page.Lang, CountNotText)
			return crawler.Result{}, &crawler.Failure{Reason: CountNotText, Err: fmt.Errorf("extract %s: %w", page.URL, err)}
		}
		p.count(page.Lang, CountExtractFailed)
		return crawler.Result{}, fmt.Errorf("extract %s: %w", page.URL, err)
	}
	doc.FetchedAt = page.FetchedAt
	if doc.DeclaredLang == "" {
		doc.DeclaredLang = page.Lang
	}
	p.opts.Detector.DetectDocument(doc)
	res := crawler.Result{Published: doc.Published}
	if !doc.IsOriginal && doc.ReportID == "" && doc.SourceURL != "" && !p.opts.AllSources {
		// A translation of another paper: vietnam.vn republishes many.
		p.count(doc.Lang, crawler.SkipOtherPaper)
		p.log.Debug("skipped", "url", doc.URL, "reason", crawler.SkipOtherPaper, "source", doc.SourceURL)
		res.Skip = crawler.SkipOtherPaper
		return res, nil
	}
	changed, err := p.add(doc)
	res.Changed = changed
	return res, err
}

// Outcomes the pipeline counts per language besides the crawler's
// (crawler.CountNew, CountUpdated, CountUnchanged, CountFailed and the
// Skip reasons it gives the crawler).
const (
	CountUnlinked      crawler.Count = "unlinked"       // stored, linked to no report
	CountExtractFailed crawler.Count = "extract_failed" // the page could not be read as a document
	CountNotText       crawler.Count = "not_text"       // the body is not text (extract.ErrNotText): refused, a crawl failure
)

// Add stores a document and queues it for indexing when it changed.
func (p *Pipeline) Add(doc *model.Document) error {
	_, err := p.add(doc)
	return err
}

// add stores a document, queues it for indexing when it changed, and
// reports whether it did.
func (p *Pipeline) add(doc *model.Document) (bool, error) {
	unlock := p.lockReport(doc.ReportID)
	// The store links the document to its report in the same transaction
	// (one commit), and hands back the versions the report's section
	// changed.
	st, err := p.store.Put(doc)
	if err != nil {
		unlock()
		p.count(doc.Lang, crawler.CountFailed)
		return false, err
	}
	if !st.Changed {
		p.queue(st.Updated...)
		unlock()
		p.count(doc.Lang, crawler.CountUnchanged)
		return false, nil
	}
	full := p.queue(append([]*model.Document{doc}, st.Updated...)...)
	unlock()
	outcome := crawler.CountNew
	switch {
	case st.Existed:
		outcome = crawler.CountUpdated
	case doc.ReportID == "":
		outcome = CountUnlinked
	}
	p.count(doc.Lang, outcome)
	// Committed to the store (fsynced) before it is indexed: the line a
	// crash test waits for.
	p.log.Debug("stored", "url", doc.URL, "lang", doc.Lang, "report", doc.ReportID, "outcome", outcome)
	p.stored.Add(1)
	if full {
		return true, p.flush()
	}
	return true, nil
}

// queueStripes is how many locks queueMu spreads reports over.
const queueStripes = 64

// lockReport takes the lock that orders report id's versions into the
// queue. A page of no report needs none: no other page's Put rewrites it.
func (p *Pipeline) lockReport(id string) (unlock func()) {
	if id == "" {
		return func() {}
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	mu := &p.queueMu[h.Sum32()%queueStripes]
	mu.Lock()
	return mu.Unlock
}

// queue adds documents to the index queue and reports whether it is due
// for a flush: on a full batch, or when documents have waited long
// enough that a researcher searching meanwhile would miss them.
func (p *Pipeline) queue(docs ...*model.Document) (full bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = append(p.pending, docs...)
	return len(docs) > 0 && (len(p.pending) >= index.BatchSize || time.Since(p.flushed) > maxIndexDelay)
}

func (p *Pipeline) count(lang string, outcome crawler.Count) {
	if lang == "" {
		lang = model.LangUnknown
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.counts[lang]
	if m == nil {
		m = map[string]int{}
		p.counts[lang] = m
	}
	m[string(outcome)]++
}

// maxIndexDelay bounds how long a stored document waits for its batch.
const maxIndexDelay = 2 * time.Second

// Flush indexes the queued documents now.
func (p *Pipeline) Flush() error { return p.flush() }

// flush indexes the queued documents.
func (p *Pipeline) flush() error {
	p.mu.Lock()
	docs := p.pending
	p.pending = nil
	p.flushed = time.Now()
	p.mu.Unlock()
	if len(docs) == 0 {
		return nil
	}
	return p.index.Upsert(docs...)
}

// Summary is what a crawl did: the crawler's fetch counts and the
// pipeline's outcomes per language.
type Summary struct {
	Crawl *crawler.Summary          `json:"crawl"`
	Langs map[string]map[string]int `json:"langs"`
}

// Write prints the summary.
func (s *Summary) Write(w io.Writer) {
	if s.Crawl != nil {
		s.Crawl.Write(w)
	}
	if len(s.Langs) == 0 {
		// A rerun that found nothing new: no empty header.
		fmt.Fprintln(w, "documents: none new or changed")
		return
	}
	fmt.Fprintln(w, "documents, by detected language:")
	for _, l := range slices.Sorted(maps.Keys(s.Langs)) {
		fmt.Fprintf(w, "  %-8s", l)
		for _, k := range slices.Sorted(maps.Keys(s.Langs[l])) {
			fmt.Fprintf(w, " %s=%d", k, s.Langs[l][k])
		}
		fmt.Fprintln(w)
	}
}

// Crawl runs the crawler with this pipeline as its handler and the data
// directory's store as the crawl state: pages the store holds are not
// fetched again unless recent (then with a conditional GET), translation
// candidates that were missing are not asked again for a while, and
// Colly's cookies persist.
func (p *Pipeline) Crawl(ctx context.Context, cfg crawler.Config) (*Summary, error) {
	if cfg.State == nil {
		// A shared crawl brings its own (in Redis); otherwise the store
		// keeps each URL's state beside its document.
		cfg.State = p.store
	}
	if cfg.Stored == nil {
		cfg.Stored = p.store.Published
	}
	if cfg.CollyStorage == nil {
		cfg.CollyStorage = p.store.CollyStorage()
	}
	if cfg.Logger == nil {
		cfg.Logger = p.log
	}
	c, err := crawler.New(cfg)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.counts = map[string]map[string]int{}
	p.mu.Unlock()
	p.stored.Store(0)
	p.crawler.Store(c)
	cs, crawlErr := c.Run(ctx, p)
	if err := p.flush(); err != nil {
		return nil, errors.Join(crawlErr, err)
	}
	p.mu.Lock()
	sum := &Summary{Crawl: cs, Langs: p.counts}
	p.mu.Unlock()
	if err := p.store.PutMeta(metaLastCrawl, sum); err != nil {
		return sum, errors.Join(crawlErr, err)
	}
	if err := p.learnAfter(ctx, p.stored.Load() > 0); err != nil {
		return sum, errors.Join(crawlErr, err)
	}
	return sum, crawlErr
}

// learnAfter learns translation tables after a crawl or reindex that
// changed what is stored, or when there are none yet.
func (p *Pipeline) learnAfter(ctx context.Context, changed bool) error {
	if !p.opts.Learn || ctx.Err() != nil || (!changed && p.tables.Load() != nil) {
		return nil
	}
	_, err := p.Learn(ctx)
	return err
}

// Progress is a live view of a crawl through the pipeline.
type Progress struct {
	crawler.Progress
	// Stored is the number of documents stored (new or changed) so far
	// in this crawl; each is indexed in the next batch.
	Stored int
}

// Progress reports on the running (or last) crawl.
func (p *Pipeline) Progress() Progress {
	var pr Progress
	if c := p.crawler.Load(); c != nil {
		pr.Progress = c.Progress()
	}
	pr.Stored = int(p.stored.Load())
	return pr
}

// LastCrawl returns the summary of the last crawl recorded in the data
// directory.
func (p *Pipeline) LastCrawl() (*Summary, error) {
	var s Summary
	if err := p.store.GetMeta(metaLastCrawl, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// Reindex rebuilds the index from the store, without fetching: a new
// index is built beside the old one and swapped in only when complete.
func (p *Pipeline) Reindex(ctx context.Context, progress func(n int)) (int, error) {
	if p.index != nil {
		if err := p.flush(); err != nil {
			return 0, err
		}
	}
	final := p.ixPath
	tmp := final + reindexNew + time.Now().UTC().Format("20060102T150405")
	shards := p.opts.Shards
	if shards <= 0 {
		shards = index.ShardsAt(final)
		if p.index != nil {
			shards = p.index.Shards()
		}
	}
	fresh, err := index.CreateShards(tmp, shards)
	if err != nil {
		return 0, err
	}
	n := 0
	var batch []*model.Document
	err = p.store.Each(func(d *model.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Re-detect: the detector may have improved since the crawl.
		p.opts.Detector.DetectDocument(d)
		batch = append(batch, d)
		n++
		if len(batch) >= index.BatchSize {
			if err := fresh.Upsert(batch...); err != nil {
				return err
			}
			batch = batch[:0]
			if progress != nil {
				progress(n)
			}
		}
		return nil
	})
	if err == nil {
		err = fresh.Upsert(batch...)
	}
	if cerr := fresh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return n, fmt.Errorf("reindex: %w", err)
	}
	if p.index != nil {
		if err := p.index.Close(); err != nil {
			return n, fmt.Errorf("reindex: close old index: %w", err)
		}
		p.index = nil
	}
	old := final + reindexOld
	os.RemoveAll(old)
	if err := os.Rename(final, old); err != nil {
		return n, fmt.Errorf("reindex: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return n, fmt.Errorf("reindex: %w", err)
	}
	os.RemoveAll(old)
	if p.index, err = index.Open(final); err != nil {
		return n, fmt.Errorf("reindex: reopen: %w", err)
	}
	if progress != nil {
		progress(n)
	}
	return n, p.learnAfter(ctx, true)
}
