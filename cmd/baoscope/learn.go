package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"baoscope/pipeline"
	"baoscope/translate"
)

// bundledText registers --bundled-text, for the commands that learn.
func bundledText(fs *flag.FlagSet) *bool {
	return fs.Bool("bundled-text", true, "learn translations from the bundled corpus's reports too, beside DIR's own (a small crawl's translations alone teach few words of each language; a report DIR holds is learned from as DIR has it)")
}

// parallelText is pipeline.Options.Parallel as --bundled-text says.
func parallelText(on bool) func() ([]translate.Report, error) {
	if !on {
		return nil
	}
	return bundledReports
}

func runLearn(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("learn", "--data DIR [--json]", `
Learn DIR's translation tables from the reports stored there: each
translation's paragraphs are aligned with its original's, and word
translation probabilities are estimated from the aligned pairs (IBM
Model 1, both directions, every language against Vietnamese). Search
uses them to find a report in any language, whatever languages it was
published in. Crawl and reindex learn them too; run this after an
upgrade, or to see the figures (docs/retrieval.md).

The bundled corpus's 87 translated reports are learned from as well,
unless --bundled-text=false: they teach the words a crawl of a few
hundred reports has not seen translated yet (docs/retrieval.md measures
what they add to a crawl of half the corpus).`, stderr)
	var (
		asJSON bool
		df     dataFlags
	)
	df.register(fs, "data directory")
	fs.BoolVar(&asJSON, "json", false, "print the learning figures as JSON")
	bundled := bundledText(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Pipeline: pipeline.Options{Existing: true, Parallel: parallelText(*bundled)}})
	if err != nil {
		return err
	}
	defer s.p.Close()
	st, err := s.p.Learn(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	var pairs []string
	for _, l := range slices.Sorted(maps.Keys(st.Pairs)) {
		pairs = append(pairs, fmt.Sprintf("%s %d", l, st.Pairs[l]))
	}
	var common []string
	for _, l := range slices.Sorted(maps.Keys(st.Common)) {
		common = append(common, fmt.Sprintf("%s %d", l, st.Common[l]))
	}
	fmt.Fprintf(stdout, "learned from %d reports (%d of them bundled) in %s: %d translations kept\naligned pairs: %s\nterms too common to be a translation: %s\n",
		st.Reports, st.Parallel, st.Duration.Round(time.Millisecond), st.Entries, strings.Join(pairs, ", "), strings.Join(common, ", "))
	return nil
}
