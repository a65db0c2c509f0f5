package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
	"golang.org/x/term"

	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/search"
	"baoscope/validate"
)

func runSearch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("search", "--data DIR [flags] QUERY", `
Search DIR and print how the query was read (its canonical form, the
languages its words were translated from, each word's likeliest
translations), then one block per report: its id, date, section, "partial"
when it matches only part of the query, every language it exists in (*
the original), and each version that matched with its title, URL and a
snippet, laid out to fit the terminal (--width). The query syntax (words,
"phrases", -excluded, OR, title:, lang:, section:, published:) is in
docs/query-syntax.md.

Flags may come before or after the query. After "--" everything is query,
for a -excluded word that is also a flag's name.

Examples:
  baoscope search --data ./data 'Krong No'
  baoscope search 'Krong No' --data ./data --lang ko,zh --width 80
  baoscope search --data ./data --json 'Cư Jút lang:de'
  baoscope search --data ./data --from 2025-08-01 --to 2025-08-31 'chính quyền hai cấp'`, stderr)
	var (
		asJSON bool
		width  int
		sf     searchFlags
		df     dataFlags
		server string
	)
	df.register(fs, "data directory")
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON (the API's format)")
	fs.StringVar(&server, "server", "", "ask the running 'baoscope serve' at this URL (e.g. http://127.0.0.1:8080) instead of opening --data")
	fs.IntVar(&width, "width", 0, fmt.Sprintf("columns to lay the result out in (default: the terminal's, or %d when the output is no terminal)", defaultWidth))
	sf.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "search: missing QUERY")
		fs.Usage()
		return errUsage
	}
	// The form of every flag is checked before anything is opened; the
	// languages, against those searched here, once the index is open.
	q, err := sf.query(fs.Args(), validate.Limits{})
	if err != nil {
		return err
	}
	rp := resultPrinter{w: stdout, width: outputWidth(width, stdout), cond: runewidth.NewCondition(), noTranslate: !sf.translate}
	if server != "" {
		res, err := searchRemote(ctx, server, sf.params(fs.Args()))
		if err != nil {
			return err
		}
		return writeResult(rp, res, asJSON)
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
	searcher := newSearcher(s.p, s.log)
	if len(q.Langs) > 0 || q.QueryLang != "" {
		if q, err = sf.queryHere(ctx, fs.Args(), s.det.Languages(), searcher); err != nil {
			return err
		}
	}
	res, err := searcher.Search(ctx, q)
	if err != nil {
		return err
	}
	return writeResult(rp, res, asJSON)
}

// writeResult prints a result as rp lays it out, or as JSON (the API's
// format): the one way local and remote results are printed.
func writeResult(rp resultPrinter, res *model.Result, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(rp.w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	rp.print(res)
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
	fs.StringVar(&f.langs, "lang", "", "only versions in these languages (comma-separated; those of --detect-langs and of the index, or unknown)")
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

// query is the search the flags and the query words ask for, checked
// against lim; an error names the flag to fix.
func (f *searchFlags) query(words []string, lim validate.Limits) (model.Query, error) {
	in := validate.Search{
		Text: strings.Join(words, " "), Section: f.section, From: f.from, To: f.to,
		Originals: strconv.FormatBool(f.originals), Sort: f.sort, Size: strconv.Itoa(f.size), Cursor: f.cursor,
		Translate: strconv.FormatBool(f.translate), QLang: f.qlang,
	}
	if f.langs != "" {
		in.Langs = []string{f.langs}
	}
	q, verr := validate.Query(in, lim)
	if verr != nil {
		return model.Query{}, fmt.Errorf("--%s: %s", verr.Field, verr.Message)
	}
	return q, nil
}

// queryHere is query checked as serve's API checks it: --lang and --qlang
// must name languages searched here, the detector's and the index's
// (validate.Languages), so that a mistyped code is an error listing them
// rather than a search that matches nothing.
func (f *searchFlags) queryHere(ctx context.Context, words []string, configured []string, s *search.Searcher) (model.Query, error) {
	stats, err := s.Stats(ctx)
	if err != nil {
		return model.Query{}, fmt.Errorf("index languages: %w", err)
	}
	var indexed []string
	for _, lc := range stats.ByLang {
		indexed = append(indexed, lc.Lang)
	}
	return f.query(words, validate.Limits{Langs: validate.Languages(configured, indexed)})
}

var tagRe = regexp.MustCompile(`</?mark>`)

// terminalSnippet turns an HTML snippet into plain text on one line, with
// the matches in brackets.
func terminalSnippet(s string) string {
	s = tagRe.ReplaceAllStringFunc(s, func(t string) string {
		if t == "<mark>" {
			return "["
		}
		return "]"
	})
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// Widths of the search output: defaultWidth when stdout is no terminal
// and --width is not given, minWidth the narrowest it is laid out for.
const (
	defaultWidth = 100
	minWidth     = 40
)

// outputWidth is the width the result is laid out for: --width when
// given, else the terminal's when stdout is one, else defaultWidth.
func outputWidth(flagWidth int, stdout io.Writer) int {
	w := flagWidth
	if w <= 0 {
		w = defaultWidth
		if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			if tw, _, err := term.GetSize(int(f.Fd())); err == nil && tw > 0 {
				w = tw
			}
		}
	}
	return max(w, minWidth)
}

// resultPrinter lays a result out for a terminal: no line wider than
// width columns (URLs and the cursor, never cut, aside), widths counted
// as the terminal shows them (Hangul and Han take two columns, Thai vowel
// and tone marks none), so that rows in every script line up.
type resultPrinter struct {
	w     io.Writer
	width int
	cond  *runewidth.Condition
	// noTranslate: the user asked for the words as written only.
	noTranslate bool
}

func (p *resultPrinter) print(res *model.Result) {
	for _, l := range p.wrap([]string{
		fmt.Sprintf("%d reports, %d documents matched", res.TotalReports, res.TotalDocuments),
		fmt.Sprintf("(query language: %s, %.1f ms)", res.QueryLang, res.TookMillis),
	}, " ", p.width) {
		p.line(l)
	}
	p.reading(res.Reading)
	p.reports(res.Reports)
	if res.NextCursor != "" {
		fmt.Fprintf(p.w, "\nmore: --cursor %s\n", res.NextCursor)
	}
}

// line prints s cut to the width.
func (p *resultPrinter) line(s string) {
	fmt.Fprintln(p.w, p.cond.Truncate(s, p.width, "…"))
}

// pad fills s with spaces to w columns.
func (p *resultPrinter) pad(s string, w int) string { return p.cond.FillRight(s, w) }

// reading prints how the query was read, as the page does: the canonical
// query, the languages its words were translated from and, per word, its
// likeliest translations in each language.
func (p *resultPrinter) reading(r *model.QueryReading) {
	if r == nil {
		return
	}
	p.line("read as: " + r.Canonical)
	switch {
	case len(r.From) > 0:
		p.line("words translated from: " + strings.Join(r.From, ", "))
	case p.noTranslate:
		p.line("words searched as written only (--translate=false)")
	default:
		p.line("no translation (names, figures, or no learned tables)")
	}
	wordW := 0
	for _, w := range r.Words {
		wordW = max(wordW, p.cond.StringWidth(w.Word))
	}
	for _, w := range r.Words {
		var items []string
		for _, lt := range w.To {
			item := lt.Lang
			for _, t := range lt.Terms[:min(termsShown, len(lt.Terms))] {
				item += " " + t.Term + " " + strconv.FormatFloat(t.P, 'f', 2, 64)
			}
			items = append(items, item)
		}
		if len(items) == 0 {
			items = []string{"(as written only)"}
		}
		if len(w.Parts) > 0 {
			items = append([]string{"(parts: " + strings.Join(w.Parts, " + ") + ")"}, items...)
		}
		indent := "  " + p.pad(w.Word, wordW) + "  "
		for i, l := range p.wrap(items, " · ", p.width-p.cond.StringWidth(indent)) {
			if i > 0 {
				indent = strings.Repeat(" ", p.cond.StringWidth(indent))
			}
			p.line(indent + l)
		}
	}
}

// termsShown is how many translations per language a word shows, as on
// the page; --json has all that were searched.
const termsShown = 3

// wrap joins items with sep into lines of at most width columns, breaking
// only between items (one too wide is cut when printed).
func (p *resultPrinter) wrap(items []string, sep string, width int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case p.cond.StringWidth(cur+sep+it) <= width:
			cur += sep + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// reports prints one block per report: a row with its rank, id, date,
// section, a partial mark and its versions (* the original), then per
// matched version its language and title, URL and snippet, in columns.
func (p *resultPrinter) reports(hits []model.ReportHit) {
	if len(hits) == 0 {
		return
	}
	var idW, dateW, secW, markW, langW int
	for _, r := range hits {
		idW = max(idW, p.cond.StringWidth(reportLabel(r)))
		secW = max(secW, p.cond.StringWidth(r.Section))
		if !r.Published.IsZero() {
			dateW = len("2006-01-02")
		}
		if !r.Complete {
			markW = len(partialMark)
		}
		for _, m := range r.Matched {
			langW = max(langW, p.cond.StringWidth(m.Lang))
		}
	}
	if markW > 0 {
		p.line(partialMark + ": matches part of the query only")
	}
	fmt.Fprintln(p.w)
	rankW := len(strconv.Itoa(len(hits)))
	indent := strings.Repeat(" ", rankW+2)
	sub := indent + strings.Repeat(" ", langW+2)
	for i, r := range hits {
		var langs []string
		for _, v := range r.Versions {
			if v.IsOriginal {
				langs = append(langs, v.Lang+"*")
			} else {
				langs = append(langs, v.Lang)
			}
		}
		mark := ""
		if !r.Complete {
			mark = partialMark
		}
		date := ""
		if !r.Published.IsZero() {
			date = r.Published.Format("2006-01-02")
		}
		head := fmt.Sprintf("%*d. ", rankW, i+1) + joinColumns([]string{p.pad(reportLabel(r), idW), p.pad(date, dateW), p.pad(r.Section, secW), p.pad(mark, markW)})
		if vs := strings.Join(langs, " "); p.cond.StringWidth(head+"  "+vs) <= p.width {
			p.line(head + "  " + vs)
		} else {
			// Too many versions for the row: they wrap below it rather
			// than being cut.
			p.line(strings.TrimRight(head, " "))
			for _, l := range p.wrap(langs, " ", p.width-len(indent)) {
				p.line(indent + l)
			}
		}
		for _, m := range r.Matched {
			p.line(indent + p.pad(m.Lang, langW) + "  " + strings.Join(strings.Fields(m.Title), " "))
			fmt.Fprintln(p.w, sub+m.URL)
			if sn := terminalSnippet(m.Snippet); sn != "" {
				p.line(sub + sn)
			}
		}
	}
}

// partialMark marks a report that matches only part of the query
// (model.ReportHit.Complete false).
const partialMark = "partial"

// reportLabel is a report's id, or what stands for a page linked to none.
func reportLabel(r model.ReportHit) string {
	if r.ReportID == "" {
		return "(unlinked)"
	}
	return r.ReportID
}

// joinColumns joins padded columns two spaces apart, leaving out the
// empty ones (no report has a date, none is partial).
func joinColumns(cols []string) string {
	var out []string
	for _, c := range cols {
		if c != "" {
			out = append(out, c)
		}
	}
	return strings.Join(out, "  ")
}
