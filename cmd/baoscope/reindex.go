package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"baoscope/extract"
	"baoscope/pipeline"
)

func runReindex(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("reindex", "--data DIR", `
Rebuild DIR's search index from the documents stored there, re-detecting
each document's language, without fetching anything. Needed after an
upgrade changes the index mapping. The old index keeps serving reads until
the new one is complete.`, stderr)
	var (
		data   string
		shards int
		lf     logFlags
		df     langFlags
	)
	fs.StringVar(&data, "data", "", "data directory")
	fs.IntVar(&shards, "shards", 0, "build the new index with this many shards (default: as many as the current one)")
	lf.register(fs)
	df.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	det, err := df.detector(true)
	if err != nil {
		return err
	}
	if data == "" {
		return errors.New("--data is required")
	}
	p, err := pipeline.Open(ctx, pipeline.Options{
		DataDir: data, Extractor: extract.New(extract.Options{Logger: log}),
		Detector: det, Rebuild: true, Shards: shards, Logger: log,
	})
	if err != nil {
		return err
	}
	n, err := p.Reindex(ctx, nil)
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reindexed %d documents\n", n)
	return nil
}
