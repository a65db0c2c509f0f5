package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"baoscope/langid"
)

// maxDetectInput bounds what `baoscope detect` reads as one text, and
// maxDetectLine one line of --lines input: a researcher's file, not a dump.
const (
	maxDetectInput = 64 << 20
	maxDetectLine  = 1 << 20
)

// errEmptyInput is returned when there is nothing to detect.
var errEmptyInput = errors.New("detect: empty input: give a FILE, or text on standard input")

// runDetect implements `baoscope detect [--json] [--lines] [--low-accuracy] [--detect-langs vi,en,…] [FILE|-]`.
func runDetect(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("detect", "[--json] [--lines] [--query] [--low-accuracy] [--detect-langs vi,en,…] [FILE|-]", `
Detect the language of a text (FILE, or standard input when FILE is - or
missing) and print it with its confidence, the runner-up languages and what
decided it: "script" (Hangul, kana, Thai, Lao, Khmer… name one language),
"lingua" (lingua-go's n-gram models), or "rule" (Vietnamese syllables, with
or without diacritics; names only, for --query).

With --lines every non-blank line is detected on its own and printed with
its line number, so a whole file can be labelled in one run; --json prints
one JSON object, or JSON Lines with --lines. With --query the text is taken
as a search query, as the server does: place and person names are set
aside, and below the query threshold the language is "unknown".

Examples:
  baoscope detect article.txt
  echo 'chinh quyen hai cap' | baoscope detect
  baoscope detect --lines --json titles.txt > titles.jsonl
  baoscope detect --query --lines queries.txt
  baoscope detect --detect-langs vi,en,ko --low-accuracy -`, stderr)
	var (
		asJSON, lines, query bool
		lf                   langFlags
		threshold            float64
	)
	fs.BoolVar(&asJSON, "json", false, "print JSON (JSON Lines with --lines)")
	fs.BoolVar(&lines, "lines", false, "detect each non-blank line on its own")
	fs.BoolVar(&query, "query", false, "treat the text as a search query (names set aside, threshold applies)")
	lf.register(fs)
	fs.Float64Var(&threshold, "threshold", 0, fmt.Sprintf("with --query, the confidence a language needs (default %.2f, %.2f with --low-accuracy)",
		langid.DefaultQueryThreshold, langid.DefaultLowAccuracyQueryThreshold))
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "detect: one FILE at most, got %d arguments\n", fs.NArg())
		fs.Usage()
		return errUsage
	}

	// No preloading: one run needs the models of the scripts it sees, and
	// only those are loaded.
	opts := lf.options(false)
	opts.QueryThreshold = threshold
	det, err := langid.New(opts)
	if err != nil {
		return fmt.Errorf("detect: %w", err)
	}
	detect := det.Detect
	if query {
		detect = det.DetectQuery
	}

	in := stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("detect: %w", err)
		}
		defer f.Close()
		in = f
	}
	if lines {
		return detectLines(ctx, in, stdout, detect, asJSON)
	}

	b, err := io.ReadAll(io.LimitReader(in, maxDetectInput+1))
	if err != nil {
		return fmt.Errorf("detect: read input: %w", err)
	}
	if len(b) > maxDetectInput {
		return fmt.Errorf("detect: input larger than %d MiB; use --lines for big files", maxDetectInput>>20)
	}
	text := strings.ToValidUTF8(string(b), "\uFFFD")
	if strings.TrimSpace(text) == "" {
		return errEmptyInput
	}
	d := detect(text)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	fmt.Fprintf(stdout, "%s  %.2f  %s%s\n", d.Lang, d.Confidence, d.Method, runnerUpsText(d.Candidates, "  (runner-up: ", ")"))
	return nil
}

// lineDetection is one line of `detect --lines --json` output.
type lineDetection struct {
	Line int    `json:"line"`
	Text string `json:"text"`
	langid.Detection
}

// detectLines detects each non-blank line of in.
func detectLines(ctx context.Context, in io.Reader, stdout io.Writer, detect func(string) langid.Detection, asJSON bool) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxDetectLine)
	var (
		enc *json.Encoder
		tw  *tabwriter.Writer
	)
	if asJSON {
		enc = json.NewEncoder(stdout)
	} else {
		tw = tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LINE\tLANG\tCONF\tMETHOD\tRUNNER-UP\tTEXT")
	}
	n, detected := 0, 0
	for sc.Scan() {
		n++
		if err := ctx.Err(); err != nil {
			return err
		}
		text := strings.ToValidUTF8(strings.TrimRight(sc.Text(), "\r"), "\uFFFD")
		if strings.TrimSpace(text) == "" {
			continue
		}
		detected++
		d := detect(text)
		if asJSON {
			if err := enc.Encode(lineDetection{Line: n, Text: text, Detection: d}); err != nil {
				return fmt.Errorf("detect: %w", err)
			}
			continue
		}
		fmt.Fprintf(tw, "%d\t%s\t%.2f\t%s\t%s\t%s\n", n, d.Lang, d.Confidence, d.Method,
			runnerUpsText(d.Candidates, "", ""), clipLine(text, 60))
		if detected%100 == 0 {
			// Let a long file show progress; tabwriter aligns each batch.
			if err := tw.Flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("detect: line %d longer than %d KiB", n+1, maxDetectLine>>10)
		}
		return fmt.Errorf("detect: read input: %w", err)
	}
	if detected == 0 {
		return errEmptyInput
	}
	if tw != nil {
		return tw.Flush()
	}
	return nil
}

// runnerUpsText formats up to three candidates as "ja 0.01, zh 0.01",
// wrapped in prefix and suffix; "" when there are none ("-" in a table).
func runnerUpsText(cs []langid.Candidate, prefix, suffix string) string {
	if len(cs) == 0 {
		if prefix == "" {
			return "-"
		}
		return ""
	}
	parts := make([]string, 0, 3)
	for _, c := range cs[:min(3, len(cs))] {
		parts = append(parts, fmt.Sprintf("%s %.2f", c.Lang, c.Confidence))
	}
	return prefix + strings.Join(parts, ", ") + suffix
}

// clipLine shortens s to n runes for a table cell, tabs made spaces.
func clipLine(s string, n int) string {
	s = strings.ReplaceAll(s, "\t", " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
