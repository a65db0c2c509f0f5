package bench

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"time"

	"baoscope/crawler"
	"baoscope/extract"
	"baoscope/index"
	"baoscope/langid"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/search"
	"baoscope/translate"
)

// Options say what one benchmark run measures.
type Options struct {
	Docs  int    // documents wanted, N·L; rounded up to whole reports
	Langs int    // L, languages per report (the original plus L-1)
	Seed  uint64 // generator seed
	// Shards > 1 indexes into that many Bleve indexes searched through an
	// alias (index.OpenSharded).
	Shards   int
	Clients  []int         // concurrency levels of the query load
	Duration time.Duration // of each level, per engine
	// DataDir holds everything the run writes. Empty means a temporary
	// directory, removed at the end unless Keep.
	DataDir string
	Keep    bool
	// ProfileDir, when set, receives CPU and allocation profiles of each
	// phase (crawl, learn, stages, index, fts5, query).
	ProfileDir string
	FTS5       bool // compare with SQLite FTS5 (needs the sqlite_fts5 tag)
	// Tables are translation tables (translate.Save's file) the query
	// phase translates queries with, instead of the learn phase's: those
	// learned from the bundled corpus have real translations of the
	// generator's words, where the learn phase's, from a synthetic
	// corpus, have random ones.
	Tables    string
	SkipCrawl bool // leave out the crawl→extract→detect→index stage
	// SkipLearn leaves out the learn phase: a rerun over a kept data
	// directory that measures the queries again (with Tables) need not
	// learn for an hour first.
	SkipLearn bool
	// Direct builds documents straight from the generator, skipping
	// rendering, extraction and detection (which are then not measured):
	// how the 1M-document index is built in reasonable time.
	Direct        bool
	CrawlParallel int // crawler requests in flight per host; 4 when 0
	Workers       int // generator goroutines in direct mode; GOMAXPROCS when 0
	// StartMirror, when set, serves the crawl phase's mirror outside this
	// process, so that the crawl stage's CPU time is the pipeline's
	// alone, as on a crawl of the real sites; the mirror's is reported on
	// its own. Nil serves the mirror in this process, its page rendering
	// counted in the crawl stage. bench starts no processes itself: the
	// command supplies this.
	StartMirror StartMirrorFunc
	Logger      *slog.Logger
	// Progress receives a line now and then, so that an hour-long run
	// shows it is alive. May be nil.
	Progress func(msg string)
}

// StartMirrorFunc starts a mirror of the corpus sample.Generate makes of
// reports, langs and seed, and returns its two base URLs and a stop that
// ends it and returns the CPU time it used.
type StartMirrorFunc func(ctx context.Context, reports, langs int, seed uint64) (baoURL, vnURL string, stop func() (cpu time.Duration, err error), err error)

// Stage is the throughput of one stage.
type Stage struct {
	Name          string  `json:"name"`
	Docs          int     `json:"docs"`
	WallSec       float64 `json:"wall_s"`
	CPUSec        float64 `json:"cpu_s"`
	DocsPerSec    float64 `json:"docs_per_s"`
	DocsPerCPUSec float64 `json:"docs_per_cpu_s"`
	NsPerOp       float64 `json:"cpu_ns_per_doc"`
	AllocsPerOp   float64 `json:"allocs_per_doc"`
	BytesPerOp    float64 `json:"bytes_per_doc"`
	Note          string  `json:"note,omitempty"`
}

// Machine describes where the run happened; the load average says how
// much of it the run had.
type Machine struct {
	GOOS, GOARCH string
	CPUs         int       `json:"cpus"`
	GOMAXPROCS   int       `json:"gomaxprocs"`
	GoVersion    string    `json:"go_version"`
	LoadStart    [3]string `json:"load_avg_start"`
	LoadEnd      [3]string `json:"load_avg_end"`
	MemTotal     string    `json:"mem_total"`
}

// Result is everything one run measured.
type Result struct {
	Started     time.Time `json:"started"`
	Machine     Machine   `json:"machine"`
	Docs        int       `json:"docs"`
	Reports     int       `json:"reports"`
	Langs       int       `json:"langs"`
	Shards      int       `json:"shards"`
	Seed        uint64    `json:"seed"`
	Direct      bool      `json:"direct"`
	DetectorSec float64   `json:"detector_build_s"`
	Stages      []Stage   `json:"stages"`
	BleveBytes  int64     `json:"bleve_bytes"`
	// ColumnsSec is how long building the index's grouping columns took
	// (index.Columns): once per index snapshot, before the queries.
	ColumnsSec float64          `json:"columns_build_s"`
	FTS5Bytes  int64            `json:"fts5_bytes,omitempty"`
	Checks     []QueryCheck     `json:"checks"`
	Latency    []Latency        `json:"latency"`
	Peak       map[string]int64 `json:"peak_rss_bytes"` // per phase (VmHWM)
	PeakTotal  int64            `json:"peak_rss_total_bytes"`
	// PeakAnon is the highest RssAnon sampled per phase: memory the
	// process itself holds, without mapped index files.
	PeakAnon      map[string]int64  `json:"peak_anon_bytes"`
	PeakAnonTotal int64             `json:"peak_anon_total_bytes"`
	Queries       []Query           `json:"queries"`
	Notes         []string          `json:"notes"`
	Profiles      map[string]string `json:"profiles,omitempty"`
	// Mirror says where the crawl phase's mirror ran: MirrorInProcess or
	// MirrorProcess. MirrorCPUSec is the CPU time of a mirror in its own
	// process, start-up included, which the crawl stage does not count.
	Mirror       string  `json:"mirror,omitempty"`
	MirrorCPUSec float64 `json:"mirror_cpu_s,omitempty"`
	// Learn is the learn phase: translation tables learned from the
	// run's documents (cost only: the synthetic corpus's translations
	// are not translations).
	Learn *Learn `json:"learn,omitempty"`
}

func (r *Result) stage(name string) *Stage {
	for i := range r.Stages {
		if r.Stages[i].Name == name {
			return &r.Stages[i]
		}
	}
	return nil
}

func (r *Result) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// Stage names.
const (
	StageCrawl   = "crawl→extract→detect→index"
	StageExtract = "extract"
	StageDetect  = "detect"
	StageIndex   = "index (Bleve)"
	StageFTS5    = "index (FTS5)"
)

// Where the crawl phase's mirror ran (Result.Mirror).
const (
	MirrorInProcess = "in-process"
	MirrorProcess   = "process"
)

// runner carries a run's state between phases.
type runner struct {
	opts   Options
	res    *Result
	corpus *sample.Corpus
	det    *langid.Detector
	log    *slog.Logger
	dir    string
	tables string // the learn phase's tables, for the query phase
}

// Run measures what opts ask for.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Docs < 1 || opts.Langs < 1 {
		return nil, fmt.Errorf("bench: need at least one document in one language")
	}
	if opts.FTS5 && !FTS5Available {
		return nil, ErrNoFTS5
	}
	if opts.Shards < 1 {
		opts.Shards = 1
	}
	if opts.Shards > index.MaxShards {
		return nil, fmt.Errorf("bench: at most %d shards", index.MaxShards)
	}
	if opts.Duration <= 0 {
		opts.Duration = 10 * time.Second
	}
	if len(opts.Clients) == 0 {
		opts.Clients = []int{1, 8, 64}
	}
	if opts.CrawlParallel <= 0 {
		opts.CrawlParallel = 4
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Progress == nil {
		opts.Progress = func(string) {}
	}
	reports := (opts.Docs + opts.Langs - 1) / opts.Langs
	r := &runner{opts: opts, log: opts.Logger, res: &Result{
		Started: time.Now().UTC(), Machine: machine(), Reports: reports, Docs: reports * opts.Langs,
		Langs: opts.Langs, Shards: opts.Shards, Seed: opts.Seed, Direct: opts.Direct,
		Peak: map[string]int64{}, PeakAnon: map[string]int64{}, Queries: Queries(), Profiles: map[string]string{},
	}}
	dir := opts.DataDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "baoscope-bench-")
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		dir = tmp
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if !opts.Keep {
		defer os.RemoveAll(dir)
	}
	r.dir = dir
	if opts.ProfileDir != "" {
		if err := os.MkdirAll(opts.ProfileDir, 0o755); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
	}
	if err := r.run(ctx); err != nil {
		return r.res, err
	}
	r.res.Machine.LoadEnd = loadAvg()
	return r.res, nil
}

func (r *runner) run(ctx context.Context) error {
	var err error
	r.corpus, err = sample.Generate(sample.GenerateOptions{Reports: r.res.Reports, Langs: r.opts.Langs, Seed: r.opts.Seed})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	t0 := time.Now()
	// Preloaded, as crawl and serve build it: the first documents must
	// not pay for loading models.
	r.det, err = langid.New(langid.Options{Preload: true, Logger: r.log})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	r.res.DetectorSec = time.Since(t0).Seconds()
	r.opts.Progress(fmt.Sprintf("detector built in %.1fs; %d reports × %d languages", r.res.DetectorSec, r.res.Reports, r.opts.Langs))

	// Learning follows the crawl, as in `baoscope crawl`, on the store
	// the crawl left unlearned; without a crawl it learns from the
	// spooled documents.
	if !r.opts.SkipCrawl {
		if err := r.phase(ctx, "crawl", r.crawl); err != nil {
			return err
		}
		if err := r.learnPhase(ctx, r.learnCrawled); err != nil {
			return err
		}
	}
	if err := r.phase(ctx, "stages", r.stages); err != nil {
		return err
	}
	if r.opts.SkipCrawl {
		if err := r.learnPhase(ctx, r.learnSpooled); err != nil {
			return err
		}
	}
	if err := r.phase(ctx, "index", r.index); err != nil {
		return err
	}
	var fts ftsEngine
	if r.opts.FTS5 {
		if err := r.phase(ctx, "fts5", func(ctx context.Context) error {
			var err error
			fts, err = r.fts5(ctx)
			return err
		}); err != nil {
			return err
		}
		defer fts.close()
	}
	return r.phase(ctx, "query", func(ctx context.Context) error { return r.queries(ctx, fts) })
}

// phase runs one phase with its own peak-memory window and profiles.
func (r *runner) phase(ctx context.Context, name string, fn func(context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	runtime.GC()
	reset := resetPeakRSS()
	var stopProfile func() error
	if r.opts.ProfileDir != "" {
		p := filepath.Join(r.opts.ProfileDir, name+".cpu.pprof")
		f, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("bench: profile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("bench: profile: %w", err)
		}
		r.res.Profiles[name+".cpu"] = p
		stopProfile = func() error {
			pprof.StopCPUProfile()
			return f.Close()
		}
	}
	r.opts.Progress("phase " + name)
	stopSampler := sampleAnon()
	err := fn(ctx)
	anon := stopSampler()
	r.res.PeakAnon[name] = anon
	r.res.PeakAnonTotal = max(r.res.PeakAnonTotal, anon)
	if stopProfile != nil {
		if e := stopProfile(); err == nil {
			err = e
		}
		p := filepath.Join(r.opts.ProfileDir, name+".allocs.pprof")
		if e := writeProfile("allocs", p); err == nil {
			err = e
		}
		r.res.Profiles[name+".allocs"] = p
	}
	peak := peakRSS()
	r.res.Peak[name] = peak
	if !reset {
		// Without clear_refs the peak is the process's so far.
		r.res.Peak[name] = -peak
	}
	r.res.PeakTotal = max(r.res.PeakTotal, peak)
	return err
}

// sampleAnon samples RssAnon every 100 ms until the returned function is
// called, which returns the highest value seen. The kernel keeps no
// high-water mark of the anonymous part alone.
func sampleAnon() func() int64 {
	done := make(chan struct{})
	result := make(chan int64, 1)
	go func() {
		peak := anonRSS()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				result <- max(peak, anonRSS())
				return
			case <-t.C:
				peak = max(peak, anonRSS())
			}
		}
	}()
	return func() int64 {
		close(done)
		return <-result
	}
}

func writeProfile(name, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: profile: %w", err)
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("bench: profile: %w", err)
	}
	return f.Close()
}

// crawl runs the whole pipeline against the loopback mirror: discovery,
// fetching, extraction, detection, storage and indexing, with no
// politeness delay (the mirror is ours), and without learning translation
// tables (pipeline.Options.Learn unset), so that its figures compare with
// runs before learning existed; the learn phase times that on its own,
// in the data directory this leaves.
func (r *runner) crawl(ctx context.Context) error {
	dir := r.crawlDir()
	// A crawl skips what the store holds: start empty to crawl everything.
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	bao, vn, stopMirror, err := r.startMirror(ctx)
	if err != nil {
		return fmt.Errorf("bench: mirror: %w", err)
	}
	st, crawlErr := r.crawlMirror(ctx, dir, bao, vn)
	mirrorCPU, mirrorErr := stopMirror()
	if mirrorErr != nil {
		mirrorErr = fmt.Errorf("bench: mirror: %w", mirrorErr)
	}
	if err := errors.Join(crawlErr, mirrorErr); err != nil {
		return err
	}
	st.Note = fmt.Sprintf("%d requests in flight per host, no delay; includes discovery and the store", r.opts.CrawlParallel)
	if r.res.Mirror == MirrorProcess {
		r.res.MirrorCPUSec = mirrorCPU.Seconds()
		st.Note += fmt.Sprintf("; mirror in a separate process (%.1f CPU-s, not counted)", r.res.MirrorCPUSec)
	} else {
		st.Note += "; mirror in this process, its page rendering counted"
	}
	if st.Docs < r.res.Docs {
		st.Note += fmt.Sprintf("; only %d of %d documents found", st.Docs, r.res.Docs)
	}
	r.res.Stages = append(r.res.Stages, st)
	return nil
}

// startMirror serves the generated corpus through opts.StartMirror, or in
// this process when that is nil, and returns the two base URLs.
func (r *runner) startMirror(ctx context.Context) (bao, vn *url.URL, stop func() (time.Duration, error), err error) {
	var baoRaw, vnRaw string
	if r.opts.StartMirror == nil {
		srv, err := sample.Start(r.corpus, sample.Options{})
		if err != nil {
			return nil, nil, nil, err
		}
		r.res.Mirror = MirrorInProcess
		baoRaw, vnRaw = srv.BaoLamDongURL, srv.VietnamVNURL
		stop = func() (time.Duration, error) { return 0, srv.Close() }
	} else {
		// The same generator options as r.corpus: the same pages, so the
		// crawl finds the same documents wherever the mirror runs.
		baoRaw, vnRaw, stop, err = r.opts.StartMirror(ctx, r.res.Reports, r.opts.Langs, r.opts.Seed)
		if err != nil {
			return nil, nil, nil, err
		}
		r.res.Mirror = MirrorProcess
	}
	if bao, err = mirrorURL(baoRaw); err == nil {
		vn, err = mirrorURL(vnRaw)
	}
	if err != nil {
		_, serr := stop()
		return nil, nil, nil, errors.Join(err, serr)
	}
	return bao, vn, stop, nil
}

func mirrorURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base URL %q: want http://host:port", raw)
	}
	return u, nil
}

// crawlMirror crawls the mirror at bao and vn into dir and measures it;
// the meter does not see the mirror start or stop.
func (r *runner) crawlMirror(ctx context.Context, dir string, bao, vn *url.URL) (Stage, error) {
	p, err := pipeline.Open(ctx, pipeline.Options{
		DataDir: dir, Extractor: extract.New(extract.Options{Logger: r.log}), Detector: r.det, Logger: r.log,
	})
	if err != nil {
		return Stage{}, fmt.Errorf("bench: %w", err)
	}
	cfg := crawler.Config{BaoLamDong: bao, VietnamVN: vn, Delay: 0, Parallel: r.opts.CrawlParallel, Logger: r.log}
	done := make(chan struct{})
	go r.watch(done, "crawl", func() int { n, _ := p.Store().Count(); return n })
	m := startMeter()
	_, crawlErr := p.Crawl(ctx, cfg)
	n, cerr := p.Store().Count()
	closeErr := p.Close()
	st := m.stop(StageCrawl, n)
	close(done)
	if err := errors.Join(crawlErr, cerr, closeErr); err != nil {
		return Stage{}, fmt.Errorf("bench: crawl: %w", err)
	}
	return st, nil
}

// watch reports progress every 30 s until done.
func (r *runner) watch(done <-chan struct{}, what string, count func() int) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	start := time.Now()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			n := count()
			r.opts.Progress(fmt.Sprintf("%s: %d of %d documents, %.0f/s", what, n, r.res.Docs, float64(n)/time.Since(start).Seconds()))
		}
	}
}

func (r *runner) spoolPath() string {
	mode := "extracted"
	if r.opts.Direct {
		mode = "direct"
	}
	return filepath.Join(r.dir, fmt.Sprintf("docs-%d-%d-%d-%s.gob", r.res.Reports, r.opts.Langs, r.opts.Seed, mode))
}

// stages renders every page, extracts and detects it, timing extraction
// and detection each on their own, and spools the documents for the
// indexing phases. In direct mode it only spools generated documents
// (reusing a complete spool of a kept data directory).
func (r *runner) stages(ctx context.Context) error {
	path := r.spoolPath()
	if r.opts.Direct {
		if _, err := os.Stat(path + ".done"); err == nil {
			r.res.note("documents read from the spool of an earlier run (%s)", filepath.Base(path))
			return nil
		}
	}
	w, err := createSpool(path)
	if err != nil {
		return err
	}
	n := 0
	if r.opts.Direct {
		err = generated(ctx, r.corpus, r.res.Reports, r.opts.Workers, func(d *model.Document) error {
			if n++; n%50000 == 0 {
				r.opts.Progress(fmt.Sprintf("generated %d documents", n))
			}
			return w.add(d)
		})
		r.res.note("direct: documents built from the generator; rendering, extraction and detection not measured")
	} else {
		err = r.extractDetect(ctx, w)
	}
	if cerr := w.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.WriteFile(path+".done", nil, 0o644)
}

// extractDetect is the per-stage measurement: one goroutine locked to its
// thread, so that the thread's CPU time is the stage's alone.
func (r *runner) extractDetect(ctx context.Context, w *spoolWriter) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rd, err := newRenderer(r.corpus)
	if err != nil {
		return err
	}
	ex := extract.New(extract.Options{Logger: r.log})
	ext, det := threadMeter(), threadMeter()
	n := 0
	for i := range r.res.Reports {
		if err := ctx.Err(); err != nil {
			return err
		}
		rep := r.corpus.At(i)
		pages, err := rd.pages(rep)
		if err != nil {
			return err
		}
		// Only the original's page names the section; the pipeline gives
		// it to the translations (store.Put), and so does this.
		section := ""
		for _, p := range pages {
			ext.resume()
			d, err := ex.Extract(extract.Page{URL: p.url, Site: p.site, ContentType: p.contentType, Body: p.body})
			ext.pause()
			if err != nil {
				return fmt.Errorf("bench: extract %s: %w", p.url, err)
			}
			if d.DeclaredLang == "" {
				d.DeclaredLang = p.lang
			}
			if d.IsOriginal {
				section = d.Section
			} else if d.Section == "" {
				d.Section = section
			}
			det.resume()
			r.det.DetectDocument(d)
			det.pause()
			if err := w.add(d); err != nil {
				return err
			}
			if n++; n%20000 == 0 {
				r.opts.Progress(fmt.Sprintf("extracted and detected %d documents", n))
			}
		}
	}
	r.res.Stages = append(r.res.Stages, ext.stage(StageExtract, n), det.stage(StageDetect, n))
	return nil
}

// indexDir is where the Bleve index of this configuration lives; several
// shard counts can share a kept data directory.
func (r *runner) indexDir() string {
	return filepath.Join(r.dir, fmt.Sprintf("bleve-%d-%d-%d-s%d", r.res.Reports, r.opts.Langs, r.opts.Seed, r.opts.Shards))
}

// index writes the spooled documents to Bleve in chunks of
// index.BatchSize per shard, timing only the writes (and the final
// close, which persists what is left). A kept, complete index is reused;
// an unsharded one left half-built resumes where it stopped.
func (r *runner) index(ctx context.Context) error {
	dir := r.indexDir()
	skip := 0
	if _, err := os.Stat(dir); err == nil {
		ix, err := index.Open(dir)
		if err == nil {
			n, cerr := ix.Count()
			ix.Close()
			switch {
			case cerr == nil && int(n) == r.res.Docs:
				r.res.note("Bleve index reused from an earlier run (%s): indexing not measured", filepath.Base(dir))
				return nil
			case cerr == nil && r.opts.Shards == 1 && n > 0:
				// Batches are atomic and in spool order, so the first n
				// documents are in; the last chunk is redone to be sure.
				skip = max(int(n)-index.BatchSize, 0)
				r.res.note("Bleve index resumed after %d documents: throughput is that of the rest", skip)
			}
		}
		if skip == 0 {
			if err := os.RemoveAll(dir); err != nil {
				return fmt.Errorf("bench: %w", err)
			}
		}
	}
	var ix *index.Index
	var err error
	if r.opts.Shards > 1 {
		ix, err = index.OpenSharded(dir, r.opts.Shards)
	} else {
		ix, err = index.Open(dir)
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	chunk := index.BatchSize * r.opts.Shards
	batch := make([]*model.Document, 0, chunk)
	var m meter
	n, seen := 0, 0
	last := time.Now()
	flush := func() error {
		m.resume()
		err := ix.Upsert(batch...)
		m.pause()
		n += len(batch)
		batch = batch[:0]
		if time.Since(last) > 30*time.Second {
			last = time.Now()
			r.opts.Progress(fmt.Sprintf("indexed %d of %d documents, %.0f/s", skip+n, r.res.Docs, float64(n)/m.wall.Seconds()))
		}
		return err
	}
	err = spool{r.spoolPath()}.each(func(d *model.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if seen++; seen <= skip {
			return nil
		}
		batch = append(batch, d)
		if len(batch) >= chunk {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	m.resume()
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	m.pause()
	if err != nil {
		return fmt.Errorf("bench: index: %w", err)
	}
	st := m.stage(StageIndex, n)
	st.Note = fmt.Sprintf("%d docs per Upsert, %d shard(s); wall includes the final close", chunk, r.opts.Shards)
	r.res.Stages = append(r.res.Stages, st)
	return nil
}

// fts5 loads the same spooled documents into SQLite FTS5, in
// transactions of index.BatchSize documents.
func (r *runner) fts5(ctx context.Context) (ftsEngine, error) {
	path := filepath.Join(r.dir, fmt.Sprintf("fts5-%d-%d-%d.db", r.res.Reports, r.opts.Langs, r.opts.Seed))
	if f, err := openFTS5(path, 1); err == nil {
		n, cerr := f.count()
		if cerr == nil && n == r.res.Docs {
			r.res.note("FTS5 database reused from an earlier run: its indexing not measured")
			sz, _ := f.size()
			r.res.FTS5Bytes = sz
			return f, nil
		}
		f.close()
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	f, err := openFTS5(path, 1)
	if err != nil {
		return nil, err
	}
	var m meter
	n := 0
	batch := make([]*model.Document, 0, index.BatchSize)
	flush := func() error {
		m.resume()
		err := f.add(batch)
		m.pause()
		n += len(batch)
		batch = batch[:0]
		return err
	}
	err = spool{r.spoolPath()}.each(func(d *model.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = append(batch, d)
		if len(batch) >= index.BatchSize {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err == nil {
		m.resume()
		err = f.finish()
		m.pause()
	}
	if err != nil {
		f.close()
		return nil, err
	}
	st := m.stage(StageFTS5, n)
	st.Note = fmt.Sprintf("%d docs per transaction, WAL, synchronous=NORMAL; wall includes 'optimize'", index.BatchSize)
	r.res.Stages = append(r.res.Stages, st)
	r.res.FTS5Bytes, _ = f.size()
	return f, nil
}

// Engines of the query phase besides "baoscope" (with its result cache,
// and translating queries when there are tables) and "FTS5".
const (
	// EngineCold is baoscope without result reuse, searching the query's
	// words as written.
	EngineCold = "baoscope-cold"
	// EnginePSQCold is baoscope without result reuse, translating the
	// query's words with the tables (query translation's cost).
	EnginePSQCold = "baoscope-psq-cold"
)

// queryTables loads the tables the query phase translates with:
// Options.Tables, else the learn phase's; nil when there are none.
func (r *runner) queryTables() (*translate.Tables, error) {
	path := cmp.Or(r.opts.Tables, r.tables)
	if path == "" {
		return nil, nil
	}
	t, err := translate.Load(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return t, nil
}

// queries measures the query path: baoscope's whole search (parse, query
// language detection, three Bleve passes, grouping, highlighting), with
// and without its result cache, then FTS5's equivalent, at each
// concurrency level.
func (r *runner) queries(ctx context.Context, fts ftsEngine) error {
	dir := r.indexDir()
	size, err := index.DiskSize(dir)
	if err != nil {
		return err
	}
	r.res.BleveBytes = size
	ix, err := index.Open(dir)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer ix.Close()
	// As serve does at start: build the grouping columns of the index's
	// snapshot before the first search, and say how long that took.
	start := time.Now()
	if err := ix.BuildColumns(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	r.res.ColumnsSec = time.Since(start).Seconds()
	// Two searchers on the one index: the default, which keeps ranked
	// results for repeated queries and pages (warmed by the checks below,
	// as a running server is by its users), and one that reuses nothing,
	// so every query does all its work: the figure to compare with FTS5,
	// which caches nothing of its own here.
	tables, err := r.queryTables()
	if err != nil {
		return err
	}
	an, err := index.NewAnalyzer()
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	newSearcher := func(cacheEntries int, tr search.Translator) func(ctx context.Context, q Query) (int, error) {
		o := search.Options{
			Language: func(text string) (string, float64) {
				d := r.det.DetectQuery(text)
				return d.Lang, d.Confidence
			},
			CacheEntries: cacheEntries,
			Logger:       r.log,
		}
		if tr != nil {
			o.Translations, o.Analyzer, o.Sources = func() search.Translator { return tr }, an, r.det.QuerySources
		}
		s := search.New(ix, o)
		return func(ctx context.Context, q Query) (int, error) {
			res, err := s.Search(ctx, q.Q)
			if err != nil {
				return 0, err
			}
			return res.TotalReports, nil
		}
	}
	// The cached searcher translates, as serve does when it has tables;
	// the two cold ones compare searching the words as written with
	// translating them, side by side.
	var tr search.Translator
	if tables != nil {
		tr = tables
	}
	bao, cold := newSearcher(0, tr), newSearcher(-1, nil)
	var psq func(ctx context.Context, q Query) (int, error)
	if tr != nil {
		psq = newSearcher(-1, tr)
	}
	qs := r.res.Queries
	r.res.Checks = append(r.res.Checks, check(ctx, "baoscope", qs, bao)...)
	if fts != nil {
		r.res.Checks = append(r.res.Checks, check(ctx, "FTS5", qs, fts.search)...)
	}
	for _, c := range r.opts.Clients {
		r.opts.Progress(fmt.Sprintf("queries: %d clients", c))
		r.res.Latency = append(r.res.Latency, runLoad(ctx, "baoscope", c, r.opts.Duration, qs, bao))
		r.res.Latency = append(r.res.Latency, runLoad(ctx, EngineCold, c, r.opts.Duration, qs, cold))
		if psq != nil {
			r.res.Latency = append(r.res.Latency, runLoad(ctx, EnginePSQCold, c, r.opts.Duration, qs, psq))
		}
		if fts != nil {
			fts.setConns(c)
			r.res.Latency = append(r.res.Latency, runLoad(ctx, "FTS5", c, r.opts.Duration, qs, fts.search))
		}
	}
	return ctx.Err()
}

// meter accumulates wall and CPU time and allocations over the intervals
// between resume and pause. Its CPU clock is the process's, or, for a
// meter made by threadMeter, the calling thread's.
type meter struct {
	wall, cpu      time.Duration
	allocs, bytes  uint64
	t0             time.Time
	cpu0           time.Duration
	allocs0, byts0 uint64

	thread bool // read threadCPU instead of processCPU
}

func startMeter() *meter {
	m := &meter{}
	m.resume()
	return m
}

// threadMeter times single operations run on a locked thread.
func threadMeter() *meter { return &meter{thread: true} }

func (m *meter) clock() time.Duration {
	if m.thread {
		return threadCPU()
	}
	return processCPU()
}

func (m *meter) resume() {
	m.allocs0, m.byts0 = heapAllocs()
	m.cpu0 = m.clock()
	m.t0 = time.Now()
}

func (m *meter) pause() {
	m.wall += time.Since(m.t0)
	m.cpu += m.clock() - m.cpu0
	a, b := heapAllocs()
	m.allocs += a - m.allocs0
	m.bytes += b - m.byts0
}

func (m *meter) stop(name string, n int) Stage {
	m.pause()
	return m.stage(name, n)
}

func (m *meter) stage(name string, n int) Stage {
	st := makeStage(name, n, m.wall, m.cpu, m.allocs, m.bytes)
	if m.thread {
		st.Note = "one goroutine on a locked thread; CPU time is the thread's"
	}
	return st
}

func makeStage(name string, n int, wall, cpu time.Duration, allocs, bytes uint64) Stage {
	st := Stage{Name: name, Docs: n, WallSec: wall.Seconds(), CPUSec: cpu.Seconds()}
	if n > 0 {
		st.AllocsPerOp = float64(allocs) / float64(n)
		st.BytesPerOp = float64(bytes) / float64(n)
		st.NsPerOp = float64(cpu.Nanoseconds()) / float64(n)
	}
	if wall > 0 {
		st.DocsPerSec = float64(n) / wall.Seconds()
	}
	if cpu > 0 {
		st.DocsPerCPUSec = float64(n) / cpu.Seconds()
	}
	return st
}

// heapAllocs reads the cumulative heap allocation counters without
// stopping the world (runtime.ReadMemStats would, per document).
func heapAllocs() (objects, bytes uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

func machine() Machine {
	m := Machine{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, CPUs: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(), LoadStart: loadAvg()}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				m.MemTotal = strings.TrimSpace(rest)
			}
		}
	}
	return m
}

func loadAvg() [3]string {
	var out [3]string
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return out
	}
	f := strings.Fields(string(b))
	for i := range min(3, len(f)) {
		out[i] = f[i]
	}
	return out
}

// WriteJSON writes the result as indented JSON.
func (r *Result) WriteJSON(w interface{ Write([]byte) (int, error) }) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
