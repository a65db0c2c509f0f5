package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"

	"baoscope/server"
	"baoscope/validate"
)

func runExport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "--data DIR [--q QUERY] [--text]", `
Write every report in DIR, newest first, or every report matching QUERY,
best first, to standard output as JSON Lines: one report a line, exactly
as the API's GET /api/v1/search?format=jsonl (docs/api.md). --text adds
every version's title, lead and body ("texts"), as &text=true does.

Examples:
  baoscope export --data ./data --text > corpus.jsonl
  baoscope export --data ./data --q 'Krong No lang:ko' > krong-no.jsonl`, stderr)
	var (
		q    string
		text bool
		df   dataFlags
	)
	df.register(fs, "data directory")
	fs.StringVar(&q, "q", "", "export only the reports matching this query (docs/query-syntax.md); all when empty")
	fs.BoolVar(&text, "text", false, "add every version's title, lead and body")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "export: unexpected argument %q (the query goes in --q)\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	query, verr := validate.Query(validate.Search{Text: q, Size: strconv.Itoa(validate.MaxPageSize)}, validate.Limits{})
	if verr != nil {
		return fmt.Errorf("--%s: %s", verr.Field, verr.Message)
	}
	s, err := df.setup(ctx, setupOptions{LogTo: stderr})
	if err != nil {
		return err
	}
	defer s.p.Close()
	bw := bufio.NewWriter(stdout)
	n, err := server.WriteJSONL(ctx, newSearcher(s.p, s.log), query, text, bw)
	if err != nil {
		return fmt.Errorf("export: after %d reports: %w", n, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	s.log.Info("exported", "reports", n)
	return nil
}
