package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"baoscope/extract"
	"baoscope/index"
	"baoscope/langid"
	"baoscope/pipeline"
	"baoscope/search"
	"baoscope/server"
	"baoscope/store"
)

// langFlags configure the language detector.
type langFlags struct {
	langs       string
	lowAccuracy bool
}

func (l *langFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.langs, "detect-langs", "", "comma-separated ISO 639-1 codes the detector chooses among (default: vi, en and every vietnam.vn language)")
	fs.BoolVar(&l.lowAccuracy, "low-accuracy", false, "use lingua's low-accuracy mode: far less memory, less reliable on short texts")
}

// options are the detector's options the flags set.
func (l *langFlags) options(preload bool) langid.Options {
	opts := langid.Options{LowAccuracy: l.lowAccuracy, Preload: preload}
	if l.langs != "" {
		opts.Languages = splitList(l.langs)
	}
	return opts
}

func (l *langFlags) detector(preload bool) (*langid.Detector, error) {
	d, err := langid.New(l.options(preload))
	if err != nil {
		return nil, fmt.Errorf("language detector: %w", err)
	}
	return d, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dataFlags are the flags of every command that opens a data directory:
// where it is, how to log, which languages to detect.
type dataFlags struct {
	dir  string
	log  logFlags
	lang langFlags
}

func (d *dataFlags) register(fs *flag.FlagSet, dirUsage string) {
	fs.StringVar(&d.dir, "data", "", dirUsage)
	d.log.register(fs)
	d.lang.register(fs)
}

// orTemp makes d's directory a new temporary one when none was given,
// for the commands that crawl the bundled corpus; remove deletes it (and
// does nothing for a directory the user named).
func (d *dataFlags) orTemp(prefix string) (remove func(), err error) {
	if d.dir != "" {
		return func() {}, nil
	}
	tmp, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, fmt.Errorf("temporary data dir: %w", err)
	}
	d.dir = tmp
	return func() { os.RemoveAll(tmp) }, nil
}

// setupOptions is what a command asks of its set-up besides its flags.
type setupOptions struct {
	// LogTo receives the log: stderr, or a progress bar that prints log
	// lines above itself.
	LogTo io.Writer
	// Preload loads every language model at once, as a command that runs
	// for a while wants; a one-off search loads only what it meets.
	Preload bool
	// Pipeline is the pipeline's own options (AllSources, Rebuild,
	// Shards); the data directory, extractor, detector and logger are
	// filled in.
	Pipeline pipeline.Options
}

// session is what a command works with once set up.
type session struct {
	log *slog.Logger
	det *langid.Detector
	p   *pipeline.Pipeline
}

// setup builds, in this order, the process's one logger, the language
// detector and the pipeline over the data directory: the steps every
// command that opens one shares. The caller closes s.p.
func (d *dataFlags) setup(ctx context.Context, o setupOptions) (*session, error) {
	log, err := d.log.logger(o.LogTo)
	if err != nil {
		return nil, err
	}
	det, err := d.lang.detector(o.Preload)
	if err != nil {
		return nil, err
	}
	o.Pipeline.DataDir, o.Pipeline.Detector, o.Pipeline.Logger = d.dir, det, log
	p, err := openPipeline(ctx, o.Pipeline)
	if err != nil {
		return nil, err
	}
	return &session{log: log, det: det, p: p}, nil
}

// openPipeline opens the data directory o names with a fresh extractor.
func openPipeline(ctx context.Context, o pipeline.Options) (*pipeline.Pipeline, error) {
	if o.DataDir == "" {
		return nil, errors.New("--data is required")
	}
	o.Extractor = extract.New(extract.Options{Logger: o.Logger})
	p, err := pipeline.Open(ctx, o)
	if err != nil {
		return nil, withHeldAdvice(err)
	}
	return p, nil
}

// withHeldAdvice adds to the error of a data directory another process
// holds what to do about it: a server can be searched instead, any
// holder waited for or stopped.
func withHeldAdvice(err error) error {
	var he *store.HeldError
	if !errors.As(err, &he) {
		return err
	}
	h := he.Holder
	var advice string
	switch {
	case h == nil:
		advice = "if it is 'baoscope serve', search it with: baoscope search --server URL; otherwise wait for it to finish, or stop it, and try again"
	case h.Serving != "":
		advice = fmt.Sprintf("search it meanwhile with: baoscope search --server %s; to run this command, stop it (kill %d) first", h.Serving, h.PID)
	default:
		advice = fmt.Sprintf("wait for it to finish, or stop it (kill %d), and try again", h.PID)
	}
	return fmt.Errorf("%w\none process at a time uses a data directory: %s", err, advice)
}

// newSearcher is the pipeline's search service (pipeline.Searcher).
func newSearcher(p *pipeline.Pipeline, log *slog.Logger) *search.Searcher {
	return p.Searcher(search.Options{Logger: log})
}

// shutdownGrace is how long in-flight requests get to finish after
// SIGINT/SIGTERM before their connections are closed.
const shutdownGrace = 10 * time.Second

// serveHTTP serves h on addr until ctx is done, then shuts down
// gracefully: the listener closes at once, requests in flight get
// shutdownGrace to finish, and whatever still runs then (a long export)
// is cut. ready is called with the base URL once listening.
func serveHTTP(ctx context.Context, addr string, h http.Handler, log *slog.Logger, ready func(baseURL string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := server.HTTPServer(h, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready("http://" + ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace)
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		// Requests outlived the grace period: cut them.
		log.Warn("shutdown: closing connections still busy", "err", err)
		if err := srv.Close(); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	return nil
}

// apiHandler builds the HTTP API and web pages over a pipeline's index.
// The server imports neither Bleve nor the pipeline: what it needs from
// them comes in as functions.
// adm is the admission control's settings (serve's flags; the demo's
// defaults).
func apiHandler(p *pipeline.Pipeline, det *langid.Detector, log *slog.Logger, adm admissionFlags) http.Handler {
	// Build the index's grouping columns now rather than on the first
	// search, which would read doc values meanwhile (index.Columns).
	go func() {
		start := time.Now()
		if err := p.Index().BuildColumns(); err != nil {
			if !errors.Is(err, index.ErrClosed) {
				log.Warn("grouping columns not built; searches read doc values", "err", err)
			}
			return
		}
		log.Debug("grouping columns built", "took", time.Since(start).Round(time.Millisecond))
	}()
	return server.New(newSearcher(p, log), server.Options{
		Logger:    log,
		Languages: det.Languages(),
		Ready: func(ctx context.Context) error {
			if _, err := p.Index().Count(); err != nil {
				return fmt.Errorf("index: %w", err)
			}
			if len(det.Languages()) == 0 {
				return errors.New("language detector: no languages loaded")
			}
			return nil
		},
		LastCrawl: func(ctx context.Context) (*server.CrawlInfo, error) {
			sum, err := p.LastCrawl()
			if errors.Is(err, store.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return crawlInfo(sum), nil
		},
		IndexSize:   func() (int64, error) { return index.DiskSize(p.Index().Path()) },
		Align:       p.Align,
		MaxSearches: adm.maxSearches,
		SearchQueue: adm.queue,
		QueueWait:   adm.wait,
	})
}

// crawlInfo converts the pipeline's crawl summary for the stats endpoint.
func crawlInfo(sum *pipeline.Summary) *server.CrawlInfo {
	ci := &server.CrawlInfo{Sites: map[string]server.SiteCrawl{}, Documents: sum.Langs}
	c := sum.Crawl
	if c == nil {
		return ci
	}
	ci.Started, ci.Finished, ci.Fetches = c.Started, c.Finished, c.Fetches
	ci.Sources = c.Sources
	if len(c.Guesses) > 0 {
		ci.Guessing = map[string]server.GuessRate{}
		for lang, g := range c.Guesses {
			ci.Guessing[lang] = server.GuessRate(g)
		}
	}
	for site, counts := range c.Sites {
		ci.Sites[site] = server.SiteCrawl{Counts: counts, Failures: c.Failures[site]}
	}
	for site, fails := range c.Failures {
		if _, ok := ci.Sites[site]; !ok {
			ci.Sites[site] = server.SiteCrawl{Counts: map[string]int{}, Failures: fails}
		}
	}
	return ci
}

// printSummaryLine prints "N reports, M documents (vi 12, en 9 …)".
func printSummaryLine(ctx context.Context, w io.Writer, p *pipeline.Pipeline) error {
	st, err := p.Index().Stats(ctx)
	if err != nil {
		return err
	}
	var parts []string
	for _, lc := range st.ByLang {
		parts = append(parts, fmt.Sprintf("%s %d", lc.Lang, lc.Count))
	}
	fmt.Fprintf(w, "%d reports, %d documents (%s), %d unlinked\n", st.Reports, st.Documents, strings.Join(parts, ", "), st.Unlinked)
	return nil
}
