package main

import (
	"context"
	"fmt"
	"io"

	"baoscope/pipeline"
)

func runReindex(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("reindex", "--data DIR", `
Rebuild DIR's search index from the documents stored there, re-detecting
each document's language, without fetching anything. Needed after an
upgrade changes the index mapping. The old index keeps serving reads until
the new one is complete.`, stderr)
	var (
		shards int
		df     dataFlags
	)
	df.register(fs, "data directory")
	fs.IntVar(&shards, "shards", 0, "build the new index with this many shards (default: as many as the current one)")
	learn := fs.Bool("learn", true, "learn translation tables from the stored reports afterwards (see 'baoscope learn --help')")
	bundled := bundledText(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	// Rebuild: an index built by another mapping version is what reindex
	// is for, not a reason to refuse the directory.
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Preload: true, Pipeline: pipeline.Options{Existing: true, Rebuild: true, Shards: shards, Learn: *learn, Parallel: parallelText(*bundled)}})
	if err != nil {
		return err
	}
	p := s.p
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
