package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/validate"
)

func runSearch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("search", "--data DIR [flags] QUERY", `
Search DIR and print one row per report: the versions that matched, with
a snippet, and every language the report exists in. The query syntax
(words, "phrases", -excluded, OR, title:, lang:, section:, published:) is
in docs/query-syntax.md.

Examples:
  baoscope search --data ./data 'Krong No'
  baoscope search --data ./data --json 'Cư Jút lang:de'
  baoscope search --data ./data --from 2025-08-01 --to 2025-08-31 'chính quyền hai cấp'`, stderr)
	var (
		asJSON bool
		sf     searchFlags
		df     dataFlags
		server string
	)
	df.register(fs, "data directory")
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON (the API's format)")
	fs.StringVar(&server, "server", "", "ask the running 'baoscope serve' at this URL (e.g. http://127.0.0.1:8080) instead of opening --data")
	sf.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "search: missing QUERY")
		fs.Usage()
		return errUsage
	}
	q, err := sf.query(fs.Args())
	if err != nil {
		return err
	}
	if server != "" {
		res, err := searchRemote(ctx, server, sf.params(fs.Args()))
		if err != nil {
			return err
		}
		return writeResult(stdout, res, asJSON)
	}
	// High accuracy by default even for one query: it loads in about a
	// second, and low accuracy gets short queries' language wrong (see
	// docs/langid.md); --low-accuracy is there for small machines. No
	// preloading: one query needs the models of its own script.
	s, err := df.setup(ctx, setupOptions{LogTo: stderr, Pipeline: pipeline.Options{Existing: true}})
	if err != nil {
		return err
	}
	defer s.p.Close()
	res, err := newSearcher(s.p, s.log).Search(ctx, q)
	if err != nil {
		return err
	}
	return writeResult(stdout, res, asJSON)
}

// writeResult prints a result as a table, or as JSON (the API's format).
func writeResult(w io.Writer, res *model.Result, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printResult(w, res)
	return nil
}

// searchFlags are the search's filters, named as the API's parameters
// and checked by the same validator.
type searchFlags struct {
	langs, section, from, to, sort, cursor, qlang string
	size                                          int
	originals, translate                          bool
}

func (f *searchFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.langs, "lang", "", "only versions in these languages (comma-separated)")
	fs.StringVar(&f.section, "section", "", "only reports of this section (e.g. chinh-tri)")
	fs.StringVar(&f.from, "from", "", "published on or after YYYY-MM-DD")
	fs.StringVar(&f.to, "to", "", "published on or before YYYY-MM-DD")
	fs.BoolVar(&f.originals, "originals", false, "only the Vietnamese originals")
	fs.StringVar(&f.sort, "sort", string(model.SortRelevance), "relevance or date")
	fs.IntVar(&f.size, "size", validate.DefaultPageSize, "reports per page")
	fs.StringVar(&f.cursor, "cursor", "", "cursor of the next page, from a previous result")
	fs.BoolVar(&f.translate, "translate", true, "also search the query's words as their learned translations (--translate=false: as written only)")
	fs.StringVar(&f.qlang, "qlang", "", "the query's language (e.g. de), instead of detecting it")
}

// query is the search the flags and the query words ask for; an error
// names the flag to fix.
func (f *searchFlags) query(words []string) (model.Query, error) {
	in := validate.Search{
		Text: strings.Join(words, " "), Section: f.section, From: f.from, To: f.to,
		Originals: strconv.FormatBool(f.originals), Sort: f.sort, Size: strconv.Itoa(f.size), Cursor: f.cursor,
		Translate: strconv.FormatBool(f.translate), QLang: f.qlang,
	}
	if f.langs != "" {
		in.Langs = []string{f.langs}
	}
	q, verr := validate.Query(in, validate.Limits{})
	if verr != nil {
		return model.Query{}, fmt.Errorf("--%s: %s", verr.Field, verr.Message)
	}
	return q, nil
}

var tagRe = regexp.MustCompile(`</?mark>`)

// terminalSnippet turns an HTML snippet into plain text with the matches
// in brackets.
func terminalSnippet(s string) string {
	s = tagRe.ReplaceAllStringFunc(s, func(t string) string {
		if t == "<mark>" {
			return "["
		}
		return "]"
	})
	s = html.UnescapeString(s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 110 {
		s = string(r[:110]) + "…"
	}
	return s
}

func printResult(w io.Writer, res *model.Result) {
	fmt.Fprintf(w, "%d reports, %d documents matched (query language: %s, %.1f ms)\n\n",
		res.TotalReports, res.TotalDocuments, res.QueryLang, res.TookMillis)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, r := range res.Reports {
		id := r.ReportID
		if id == "" {
			id = "(unlinked)"
		}
		var langs []string
		for _, v := range r.Versions {
			l := v.Lang
			if v.IsOriginal {
				l += "*"
			}
			langs = append(langs, l)
		}
		date := ""
		if !r.Published.IsZero() {
			date = r.Published.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%d.\t%s\t%s\t%s\tversions: %s\n", i+1, id, date, r.Section, strings.Join(langs, " "))
		for _, m := range r.Matched {
			fmt.Fprintf(tw, "\t%s\t%s\t\t%s\n", m.Lang, truncate(m.Title, 60), m.URL)
			if sn := terminalSnippet(m.Snippet); sn != "" {
				fmt.Fprintf(tw, "\t\t%s\t\t\n", sn)
			}
		}
	}
	tw.Flush()
	if res.NextCursor != "" {
		fmt.Fprintf(w, "\nmore: --cursor %s\n", res.NextCursor)
	}
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
