package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"baoscope/eval"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/search"
)

func runEval(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval", "[--data DIR] [--queries FILE] [--json] [--mate=false]", `
Measure retrieval quality: run judged queries through the search service
the API uses and print Recall@10, MRR and nDCG@10 by query type (topical,
cross, cross/vi-only, name, figure, none) and by query language, then the
mate test: every version's title searched with its own language excluded
must find its report.

Without --data the bundled sample corpus is crawled into a temporary
directory first (about as long as the demo takes to start); without
--queries the bundled judged queries are used. The file format is in
docs/retrieval.md, so you can bring your own judgments.

--fold K/N evaluates on reports the search has never seen, as a
researcher's first crawl is: only fold K of the bundled corpus (every
Nth report, in id order, from the Kth) is crawled, translation tables are
learned from it and from the other folds' translated reports (none with
--bundled-text=false), and the judgments are restricted to the fold (a
query whose relevant reports all lie outside it is left out; topical and
cross are labelled again by the versions the fold holds). --fold all/N
evaluates every fold in turn and pools the figures: each query is asked
of each fold that holds some of its reports (a no-answer query of every
fold), and the means are over the pooled queries.

Examples:
  baoscope eval
  baoscope eval --fold all/2
  baoscope eval --fold 1/2 --bundled-text=false
  baoscope eval --data ./data --queries my-queries.jsonl --json > eval.json`, stderr)
	var (
		queries      string
		asJSON, mate bool
		df           dataFlags
		fold         foldFlag
	)
	df.register(fs, "data directory to evaluate (default: the bundled corpus, crawled into a temporary one)")
	fs.StringVar(&queries, "queries", "", "judged query file, JSON Lines (default: the bundled judged queries)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON, with every query's ranking")
	fs.BoolVar(&mate, "mate", true, "run the mate test")
	translate := fs.Bool("translate", true, "translate queries with the learned tables (false: words as written only, the figures before query translation)")
	secondStage := fs.Bool("second-stage", true, "score the first reports again by the adjacency of the query's words (false: the ranking before that stage)")
	fs.Var(&fold, "fold", "K/N: crawl only fold K of N of the bundled corpus and evaluate on it; all/N: every fold, pooled (see above)")
	bundledTextOn := fs.Bool("bundled-text", true, "with --fold: learn from the other folds' translated reports too, as crawl and learn do from the bundled corpus (false: from the fold alone)")
	judgedLang := fs.Bool("judged-lang", false, "give each query its judged language (qlang) instead of detecting it: the figures with a perfect query language detector")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "eval: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	qs, err := judgedQueries(queries)
	if err != nil {
		return err
	}
	if fold.n > 0 && df.dir != "" {
		return errors.New("eval: --fold is a fold of the bundled corpus; it takes no --data")
	}
	e := evalRun{df: df, fold: fold, parallel: *bundledTextOn, qs: qs, logTo: stderr, eo: evalOptions{
		mate: mate, restrict: fold.n > 0, secondStage: *secondStage,
		run: eval.Options{NoTranslate: !*translate, JudgedLang: *judgedLang},
	}}
	var rep *eval.Report
	if fold.n > 0 && fold.k == 0 {
		rep, err = e.folds(ctx)
	} else {
		rep, err = e.once(ctx)
	}
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.WriteText(stdout)
}

// evalRun is one evaluation as the flags ask for it.
type evalRun struct {
	df       dataFlags
	fold     foldFlag // n 0: the whole corpus or df's directory
	parallel bool     // --bundled-text, for a fold
	qs       []eval.Judged
	logTo    io.Writer
	eo       evalOptions
}

// once evaluates df's data directory or, without one, the bundled
// corpus or its fold, crawled into a temporary directory and learned.
func (e evalRun) once(ctx context.Context) (*eval.Report, error) {
	bundled := e.df.dir == ""
	remove, err := e.df.orTemp("baoscope-eval-")
	if err != nil {
		return nil, err
	}
	defer remove()
	po := pipeline.Options{Existing: !bundled}
	if e.fold.n > 0 {
		po.Parallel = parallelText(e.parallel)
	}
	s, err := e.df.setup(ctx, setupOptions{LogTo: e.logTo, Preload: true, Pipeline: po})
	if err != nil {
		return nil, err
	}
	defer s.p.Close()
	if bundled {
		corpus, err := e.fold.corpus()
		if err != nil {
			return nil, err
		}
		if err := crawlCorpus(ctx, corpus, s.p, s.log, io.Discard); err != nil {
			return nil, err
		}
		if _, err := s.p.Learn(ctx); err != nil {
			return nil, err
		}
	}
	return evaluate(ctx, s.p, s.p.Searcher(search.Options{Logger: s.log, NoSecondStage: !e.eo.secondStage}), e.qs, e.eo)
}

// folds evaluates every fold in turn and pools them (eval.Pool): a
// judged query is asked of each fold holding some of its relevant
// reports, judged on those; a no-answer query of every fold.
func (e evalRun) folds(ctx context.Context) (*eval.Report, error) {
	var reps []*eval.Report
	for k := 1; k <= e.fold.n; k++ {
		f := e
		f.fold.k = k
		rep, err := f.once(ctx)
		if err != nil {
			return nil, fmt.Errorf("fold %d/%d: %w", k, e.fold.n, err)
		}
		reps = append(reps, rep)
	}
	return eval.Pool(reps...), nil
}

func judgedQueries(file string) ([]eval.Judged, error) {
	if file == "" {
		return eval.Bundled()
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("judged queries: %w", err)
	}
	defer f.Close()
	qs, err := eval.ParseJudged(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return qs, nil
}

// evalOptions say what evaluate runs.
type evalOptions struct {
	mate        bool // the mate test too
	restrict    bool // judgments restricted to the stored reports (eval.Restrict)
	secondStage bool // the search's second stage (search.Options.NoSecondStage)
	run         eval.Options
}

// evaluate reads what the evaluation must know of the data directory
// from its store, then runs the judged queries and the mate test.
func evaluate(ctx context.Context, p *pipeline.Pipeline, s eval.Searcher, qs []eval.Judged, eo evalOptions) (*eval.Report, error) {
	o := eo.run
	var c eval.Corpus
	if err := p.Store().Each(func(d *model.Document) error {
		c.Add(d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read stored documents: %w", err)
	}
	if eo.restrict {
		qs = eval.Restrict(qs, c.Versions)
	}
	rep, err := eval.Run(ctx, s, qs, c.Versions, o)
	if err != nil {
		return nil, err
	}
	if eo.mate {
		if rep.Mate, err = eval.Mate(ctx, s, c.Titles, o); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// foldFlag is --fold K/N: the Kth of N folds of the bundled corpus, or
// with K "all" (k 0) every fold in turn.
type foldFlag struct{ k, n int }

func (f *foldFlag) String() string {
	switch {
	case f.n == 0:
		return ""
	case f.k == 0:
		return fmt.Sprintf("all/%d", f.n)
	}
	return fmt.Sprintf("%d/%d", f.k, f.n)
}

func (f *foldFlag) Set(v string) error {
	ks, ns, ok := strings.Cut(v, "/")
	k, kerr := strconv.Atoi(ks)
	all := ks == "all"
	if all {
		k, kerr = 0, nil
	}
	n, nerr := strconv.Atoi(ns)
	if !ok || kerr != nil || nerr != nil || n < 2 || k > n || (k < 1 && !all) {
		return fmt.Errorf("want K/N with 1 ≤ K ≤ N and N ≥ 2, as 1/2, or all/N")
	}
	f.k, f.n = k, n
	return nil
}

// corpus is the bundled corpus, or its fold: the reports whose place in
// id order is K-1 modulo N.
func (f *foldFlag) corpus() (*sample.Corpus, error) {
	corpus, err := sample.Load()
	if err != nil || f.n == 0 {
		return corpus, err
	}
	var ids []string
	for r := range corpus.All() {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	in := map[string]bool{}
	for i, id := range ids {
		in[id] = i%f.n == f.k-1
	}
	return corpus.Subset(func(r *sample.Report) bool { return in[r.ID] }), nil
}
