package eval

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText prints the report as tables: by type, by language, by type
// and language, the mate test, then every query that missed a relevant
// report in its first 10 and every no-answer query that returned reports.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	section := func(title string, rows []Row) {
		fmt.Fprintf(tw, "%s\tn\tR@10\tMRR\tnDCG@10\tno-answer empty (+partial only)\terrors\t\n", title)
		for _, row := range rows {
			writeRow(tw, row)
		}
		fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	}
	section("by type", r.ByType)
	section("by language", r.ByLang)
	section("by type/language", r.ByTypeLang)
	if r.Mate != nil {
		section(fmt.Sprintf("mate test (%d skipped)", r.Mate.Skipped), append([]Row{r.Mate.All}, r.Mate.ByLang...))
	}
	r.writeDetection(tw)
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	r.writeMisses(w)
	for _, p := range r.Problems {
		fmt.Fprintf(w, "judgment problem: %s\n", p)
	}
	return nil
}

// writeDetection prints how the query language was read. Without
// translation nothing is translated from any language, so the table
// counts detection only: right, unsure (unknown) and another language.
func (r *Report) writeDetection(w io.Writer) {
	if r.NoTranslate {
		fmt.Fprintf(w, "query language (names aside; translation off: detection only)\tn\tright\tunsure\tanother language\t\t\t\n")
		for _, d := range r.Detection {
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t\t\t\n", d.Lang, d.N, d.Right, d.Unsure, d.Wrong)
		}
		return
	}
	fmt.Fprintf(w, "query language (names aside)\tn\tright\ttranslated from it too\twrong\t\t\t\n")
	for _, d := range r.Detection {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t\t\t\n", d.Lang, d.N, d.Right, d.Covered, d.Wrong)
	}
}

func writeRow(w io.Writer, r Row) {
	empty := ""
	if r.NoAnswer > 0 {
		empty = fmt.Sprintf("%d/%d", r.Empty, r.NoAnswer)
		if r.Partial > 0 {
			empty = fmt.Sprintf("%d/%d (+%d)", r.Empty, r.NoAnswer, r.Partial)
		}
	}
	errs := ""
	if r.Errors > 0 {
		errs = fmt.Sprint(r.Errors)
	}
	if r.N == r.NoAnswer {
		fmt.Fprintf(w, "%s\t%d\t-\t-\t-\t%s\t%s\t\n", r.Key, r.N, empty, errs)
		return
	}
	fmt.Fprintf(w, "%s\t%d\t%.3f\t%.3f\t%.3f\t%s\t%s\t\n", r.Key, r.N, r.Recall, r.MRR, r.NDCG, empty, errs)
}

func (r *Report) writeMisses(w io.Writer) {
	fmt.Fprintln(w, "queries short of their relevant reports in the first 10, and no-answer queries that answered:")
	for _, o := range r.Queries {
		switch {
		case o.Error != "":
			fmt.Fprintf(w, "  %s [%s %s] %q: error: %s\n", o.ID, o.Class, o.Lang, o.Query, o.Error)
		case o.Type == NoAnswer && o.Total > 0:
			fmt.Fprintf(w, "  %s [%s %s] %q: %d reports (%d complete in the first %d), top score %.3f\n", o.ID, o.Class, o.Lang, o.Query, o.Total, o.Complete, len(o.Ranked), o.TopScore)
		case o.Type != NoAnswer && o.Recall < 1:
			fmt.Fprintf(w, "  %s [%s %s] %q: R@10 %.2f, %d reports matched\n", o.ID, o.Class, o.Lang, o.Query, o.Recall, o.Total)
		}
	}
}
