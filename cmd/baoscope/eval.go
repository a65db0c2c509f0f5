package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"baoscope/eval"
	"baoscope/model"
	"baoscope/pipeline"
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

Examples:
  baoscope eval
  baoscope eval --data ./data --queries my-queries.jsonl --json > eval.json`, stderr)
	var (
		queries      string
		asJSON, mate bool
		df           dataFlags
	)
	df.register(fs, "data directory to evaluate (default: the bundled corpus, crawled into a temporary one)")
	fs.StringVar(&queries, "queries", "", "judged query file, JSON Lines (default: the bundled judged queries)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON, with every query's ranking")
	fs.BoolVar(&mate, "mate", true, "run the mate test")
	translate := fs.Bool("translate", true, "translate queries with the learned tables (false: words as written only, the figures before query translation)")
	secondStage := fs.Bool("second-stage", true, "score the first reports again by the adjacency of the query's words (false: the ranking before that stage)")
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
	bundled := df.dir == ""
	remove, err := df.orTemp("baoscope-eval-")
	if err != nil {
		return err
	}
	defer remove()
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Preload: true, Pipeline: pipeline.Options{Existing: !bundled}})
	if err != nil {
		return err
	}
	defer s.p.Close()
	if bundled {
		if err := crawlBundled(ctx, s.p, s.log, io.Discard); err != nil {
			return err
		}
		if _, err := s.p.Learn(ctx); err != nil {
			return err
		}
	}
	rep, err := evaluate(ctx, s.p, s.p.Searcher(search.Options{Logger: s.log, NoSecondStage: !*secondStage}), qs, mate, eval.Options{NoTranslate: !*translate, JudgedLang: *judgedLang})
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

// evaluate reads what the evaluation must know of the data directory
// from its store, then runs the judged queries and the mate test.
func evaluate(ctx context.Context, p *pipeline.Pipeline, s eval.Searcher, qs []eval.Judged, mate bool, o eval.Options) (*eval.Report, error) {
	var c eval.Corpus
	if err := p.Store().Each(func(d *model.Document) error {
		c.Add(d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read stored documents: %w", err)
	}
	rep, err := eval.Run(ctx, s, qs, c.Versions, o)
	if err != nil {
		return nil, err
	}
	if mate {
		if rep.Mate, err = eval.Mate(ctx, s, c.Titles, o); err != nil {
			return nil, err
		}
	}
	return rep, nil
}
