package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"baoscope/pipeline"
)

func runLearn(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("learn", "--data DIR [--json]", `
Learn DIR's translation tables from the reports stored there: each
translation's paragraphs are aligned with its original's, and word
translation probabilities are estimated from the aligned pairs (IBM
Model 1, both directions, every language against Vietnamese). Search
uses them to find a report in any language, whatever languages it was
published in. Crawl and reindex learn them too; run this after an
upgrade, or to see the figures (docs/retrieval.md).`, stderr)
	var (
		asJSON bool
		df     dataFlags
	)
	df.register(fs, "data directory")
	fs.BoolVar(&asJSON, "json", false, "print the learning figures as JSON")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Pipeline: pipeline.Options{Existing: true}})
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
	fmt.Fprintf(stdout, "learned from %d reports in %s: %d translations kept\naligned pairs: %s\nterms too common to be a translation: %s\n",
		st.Reports, st.Duration.Round(time.Millisecond), st.Entries, strings.Join(pairs, ", "), strings.Join(common, ", "))
	return nil
}
