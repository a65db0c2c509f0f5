package bench

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"

	"baoscope/align"
	"baoscope/extract"
	"baoscope/index"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/translate"
)

// Learn is what the learn phase measured: learning translation tables
// (package translate) from the run's documents, as a user pays for it
// after a crawl.
//
// The bench corpus is synthetic (sample.Generate): its translations have
// no translation relation to their originals, so these figures are the
// cost of learning (time, memory, size of the tables) and say nothing of
// the tables' quality.
type Learn struct {
	// Source says what was timed: LearnPipeline or LearnSpool.
	Source string `json:"source"`
	Docs   int    `json:"docs"` // documents read
	// Reports, Pairs and Entries are translate.Stats': reports with an
	// original and a translation, aligned segment pairs per language
	// (titles included), translations kept after pruning.
	Reports    int            `json:"reports"`
	Pairs      map[string]int `json:"pairs"`
	PairsTotal int            `json:"pairs_total"`
	Entries    int            `json:"entries"`
	TableBytes int64          `json:"table_bytes"` // translations.gob.gz
	// WallSec and CPUSec cover the whole phase: reading the documents,
	// learning, saving the tables. TrainSec is translate.Learn's own wall
	// time (translate.Stats.Duration), without reading or saving.
	WallSec  float64 `json:"wall_s"`
	CPUSec   float64 `json:"cpu_s"`
	TrainSec float64 `json:"train_s"`
	// AllocBytes is the heap allocated during the phase, in total.
	AllocBytes uint64 `json:"alloc_bytes"`
	// PeakRSS and PeakAnon are the phase's Peak and PeakAnon, repeated
	// here (VmHWM, negative when it could not be reset; RssAnon).
	PeakRSS  int64 `json:"peak_rss_bytes"`
	PeakAnon int64 `json:"peak_anon_bytes"`
	// StartAnon is RssAnon when the phase began, after a collection that
	// returned freed memory to the system: what the process held before
	// learning (the language detector's models, mostly), which the peaks
	// include.
	StartAnon int64  `json:"start_anon_bytes"`
	Note      string `json:"note"`
}

// What the learn phase timed (Learn.Source).
const (
	// LearnPipeline is pipeline.Learn on the crawl phase's data
	// directory, which the crawl left unlearned (pipeline.Options.Learn unset):
	// opening it, reading the store, learning, saving the tables. What
	// `baoscope crawl` adds after its crawl, and `baoscope learn` costs.
	LearnPipeline = "pipeline.Learn on the crawl's store"
	// LearnSpool is translate.Learn over the spooled documents, grouped
	// into reports as the pipeline groups stored ones, then Save: for runs
	// without a crawl (--skip-crawl, --direct). It does not count reading
	// a store.
	LearnSpool = "translate.Learn over the spooled documents"
)

// learnNote goes with every learn figure.
const learnNote = "synthetic corpus: translations unrelated to their originals, so this measures the cost of learning, not the quality of the tables"

// crawlDir is the crawl phase's data directory, which the learn phase
// learns in.
func (r *runner) crawlDir() string { return filepath.Join(r.dir, "crawl") }

// learnPhase runs the learn phase, with the memory the previous phases
// freed returned to the system first, so that its peak is its own, and
// the memory it freed returned after, so that the next phases' peaks do
// not include the gigabytes of heap learning leaves to the collector.
func (r *runner) learnPhase(ctx context.Context, fn func(context.Context) (*Learn, error)) error {
	if r.opts.SkipLearn {
		return nil
	}
	debug.FreeOSMemory()
	start := anonRSS()
	var l *Learn
	err := r.phase(ctx, "learn", func(ctx context.Context) error {
		var err error
		l, err = fn(ctx)
		return err
	})
	debug.FreeOSMemory()
	if err != nil {
		return err
	}
	l.PeakRSS, l.PeakAnon = r.res.Peak["learn"], r.res.PeakAnon["learn"]
	l.StartAnon, l.Note = start, learnNote
	r.res.Learn = l
	return nil
}

// learnCrawled times pipeline.Learn on the crawl phase's data directory,
// then removes the directory unless the run keeps its data.
func (r *runner) learnCrawled(ctx context.Context) (*Learn, error) {
	dir := r.crawlDir()
	if !r.opts.Keep {
		defer os.RemoveAll(dir)
	}
	m := startMeter()
	p, err := pipeline.Open(ctx, pipeline.Options{
		DataDir: dir, Extractor: extract.New(extract.Options{Logger: r.log}), Detector: r.det, Logger: r.log,
	})
	if err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	st, err := p.Learn(ctx)
	n, cerr := p.Store().Count()
	if e := p.Close(); err == nil {
		err = e
	}
	m.pause()
	if err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	// The query phase searches with these tables; the directory may go.
	kept := filepath.Join(r.dir, pipeline.TranslationsFile)
	if err := os.Rename(filepath.Join(dir, pipeline.TranslationsFile), kept); err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	return r.learned(LearnPipeline, n, st.Stats, kept, m)
}

// learnSpooled times translate.Learn over the spooled documents and the
// saving of its tables, for runs that did not crawl.
func (r *runner) learnSpooled(ctx context.Context) (*Learn, error) {
	m := startMeter()
	an, err := index.NewAnalyzer()
	if err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	reports, n, err := spooledReports(r.spoolPath())
	if err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	t, st, err := translate.Learn(ctx, slices.Values(reports), an.Terms, translate.Options{})
	if err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	path := filepath.Join(r.dir, fmt.Sprintf("translations-%d-%d-%d.gob.gz", r.res.Reports, r.opts.Langs, r.opts.Seed))
	if err := t.Save(path); err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	m.pause()
	return r.learned(LearnSpool, n, st, path, m)
}

func (r *runner) learned(source string, docs int, st *translate.Stats, tables string, m *meter) (*Learn, error) {
	fi, err := os.Stat(tables)
	if err != nil {
		return nil, fmt.Errorf("bench: learn: %w", err)
	}
	l := &Learn{
		Source: source, Docs: docs, Reports: st.Reports, Pairs: st.Pairs, Entries: st.Entries, TableBytes: fi.Size(),
		WallSec: m.wall.Seconds(), CPUSec: m.cpu.Seconds(), TrainSec: st.Duration.Seconds(), AllocBytes: m.bytes,
	}
	for _, n := range st.Pairs {
		l.PairsTotal += n
	}
	r.tables = tables
	return l, nil
}

// spooledReports groups the spooled documents into reports as
// pipeline.Learn groups stored ones (see pipeline's storedReports): by
// report id in id order, each report's versions in language order, the
// unlinked and undetected left out. It returns them and the number of
// documents read.
func spooledReports(path string) ([]translate.Report, int, error) {
	byID := map[string][]translate.Version{}
	n := 0
	err := spool{path}.each(func(d *model.Document) error {
		n++
		if d.ReportID == "" || d.Lang == "" || d.Lang == model.LangUnknown {
			return nil
		}
		byID[d.ReportID] = append(byID[d.ReportID], translate.Version{
			Lang: d.Lang, Title: d.Title, Segments: align.Segments(d.Lead, d.Body),
		})
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]translate.Report, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		vs := byID[id]
		slices.SortStableFunc(vs, func(a, b translate.Version) int { return cmp.Compare(a.Lang, b.Lang) })
		out = append(out, translate.Report{ID: id, Versions: vs})
	}
	return out, n, nil
}
