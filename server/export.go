package server

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
	"baoscope/search"
)

// csvHeader is the export's CSV header: one row per version of each
// matching report.
var csvHeader = []string{"report_id", "lang", "url", "title", "is_original", "published", "section", "matched"}

// exportWriteWindow is how long the client gets to take each page of an
// export: the http.Server's WriteTimeout bounds a whole response, which
// an export of everything would outlive.
const exportWriteWindow = time.Minute

// export streams every matching report as JSON Lines or CSV. It follows
// the search's cursor page by page (pages of MaxPageSize) until there is
// no next page, so memory stays that of one page however many reports
// match, and stops as soon as the client goes away.
//
// The first page is fetched before anything is written, so a bad query
// is still a JSON 400. An error after that cannot change the status; the
// connection is cut instead (http.ErrAbortHandler), so the client sees a
// truncated transfer, not a complete-looking file.
func (s *Server) export(w http.ResponseWriter, r *http.Request, req searchRequest) {
	ctx := r.Context()
	q := req.query
	q.Size = s.opts.MaxPageSize
	res, err := s.search(ctx, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The client takes its time over each page: no search slot meanwhile
	// (see turn).
	turn := turnOf(ctx)
	turn.yield()

	h := w.Header()
	name := "baoscope-" + time.Now().In(model.Vietnam).Format("20060102-150405")
	if req.format == formatCSV {
		h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
		name += ".csv"
	} else {
		h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
		name += ".jsonl"
	}
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Total-Reports", strconv.Itoa(res.TotalReports))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return // the headers are the answer; do not walk every page
	}

	rc := http.NewResponseController(w)
	bw := bufio.NewWriterSize(w, 32<<10)
	var rows exportWriter
	if req.format == formatCSV {
		rows = newCSVExport(bw, req.bom)
	} else {
		rows = newJSONLExport(bw, s.reportTexts(req.text))
	}
	// Not supported by every ResponseWriter (httptest's recorder): then
	// the server's own timeout applies, which is all we can do.
	_ = rc.SetWriteDeadline(time.Now().Add(exportWriteWindow))
	search := func(ctx context.Context, q model.Query) (*model.Result, error) {
		if err := turn.take(ctx); err != nil {
			return nil, err
		}
		defer turn.yield()
		return s.search(ctx, q)
	}
	p := pager{search: search, afterPage: func() {
		_ = rc.Flush()
		_ = rc.SetWriteDeadline(time.Now().Add(exportWriteWindow))
	}}
	n, err := p.writeAll(ctx, q, res, rows, bw)
	if err != nil {
		s.abortExport(r, n, err)
	}
	s.log.Info("export", "format", req.format, "q", q.Text, "reports", n)
}

// abortExport logs why an export stopped and cuts the connection.
func (s *Server) abortExport(r *http.Request, written int, err error) {
	if r.Context().Err() != nil {
		s.log.Info("export canceled by the client", "after_reports", written)
	} else {
		s.log.Error("export failed", "after_reports", written, "err", err)
	}
	panic(http.ErrAbortHandler)
}

// pager walks the pages of a search for an export.
type pager struct {
	search func(ctx context.Context, q model.Query) (*model.Result, error)
	// afterPage runs after each page is written and flushed; may be nil.
	afterPage func()
}

// writeAll writes the reports of res, the first page of q, and of every
// page after it, flushing bw after each page. It returns how many
// reports it wrote.
func (p pager) writeAll(ctx context.Context, q model.Query, res *model.Result, rows exportWriter, bw *bufio.Writer) (int, error) {
	if err := rows.begin(); err != nil {
		return 0, fmt.Errorf("write: %w", err)
	}
	n := 0
	for {
		for i := range res.Reports {
			if err := rows.write(ctx, &res.Reports[i]); err != nil {
				return n, fmt.Errorf("write: %w", err)
			}
			n++
		}
		if err := bw.Flush(); err != nil {
			return n, fmt.Errorf("write: %w", err)
		}
		if p.afterPage != nil {
			p.afterPage()
		}
		if res.NextCursor == "" || len(res.Reports) == 0 {
			return n, nil
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
		q.Cursor = res.NextCursor
		var err error
		if res, err = p.search(ctx, q); err != nil {
			return n, err
		}
	}
}

// WriteJSONL writes every report q matches to w as JSON Lines, exactly
// as GET /api/v1/search?format=jsonl does (with text, as &text=true):
// the command line's export. q.Size is the page size it walks by.
func WriteJSONL(ctx context.Context, svc search.Service, q model.Query, text bool, w io.Writer) (int, error) {
	res, err := svc.Search(ctx, q)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	var texts textsFunc
	if text {
		texts = func(ctx context.Context, h *model.ReportHit) ([]VersionText, error) {
			return versionTexts(ctx, svc.Report, h)
		}
	}
	return pager{search: svc.Search}.writeAll(ctx, q, res, newJSONLExport(bw, texts), bw)
}

// exportWriter writes one report of an export.
type exportWriter interface {
	begin() error // before the first report, even when there is none
	write(ctx context.Context, r *model.ReportHit) error
}

// VersionText is one version's text in a JSON Lines export with
// text=true: what a researcher needs to read or analyse it offline.
type VersionText struct {
	Lang       string   `json:"lang"`
	URL        string   `json:"url"`
	IsOriginal bool     `json:"is_original,omitempty"`
	Title      string   `json:"title"`
	Lead       string   `json:"lead,omitempty"`
	Body       []string `json:"body"` // paragraphs
}

// textsFunc returns the texts of a result's versions; nil leaves them
// out.
type textsFunc func(ctx context.Context, h *model.ReportHit) ([]VersionText, error)

// reportTexts is the server's textsFunc: nil unless asked for.
func (s *Server) reportTexts(want bool) textsFunc {
	if !want {
		return nil
	}
	return func(ctx context.Context, h *model.ReportHit) ([]VersionText, error) {
		return versionTexts(ctx, func(ctx context.Context, id string) (*model.Report, error) {
			ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
			defer cancel()
			return s.svc.Report(ctx, id)
		}, h)
	}
}

// versionTexts reads the full text of every version of a result through
// the report endpoint's lookup (an unlinked page by its url: id).
func versionTexts(ctx context.Context, report func(context.Context, string) (*model.Report, error), h *model.ReportHit) ([]VersionText, error) {
	id := fetchID(*h)
	if id == "" {
		return []VersionText{}, nil
	}
	rep, err := report(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("texts of %s: %w", id, err)
	}
	out := make([]VersionText, 0, len(rep.Documents))
	for _, d := range rep.Documents {
		body := d.Body
		if body == nil {
			body = []string{}
		}
		out = append(out, VersionText{Lang: d.Lang, URL: d.URL, IsOriginal: d.IsOriginal, Title: d.Title, Lead: d.Lead, Body: body})
	}
	return out, nil
}

type jsonlExport struct {
	enc   *json.Encoder
	texts textsFunc
}

func newJSONLExport(w io.Writer, texts textsFunc) *jsonlExport {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return &jsonlExport{enc: enc, texts: texts}
}

func (e *jsonlExport) begin() error { return nil }

// textLine is a line of a JSON Lines export with text=true: the result
// and its versions' texts.
type textLine struct {
	*model.ReportHit
	Texts []VersionText `json:"texts"`
}

// write puts the report as one line: json.Encoder ends every value with
// a newline and escapes newlines inside strings.
func (e *jsonlExport) write(ctx context.Context, r *model.ReportHit) error {
	if e.texts == nil {
		return e.enc.Encode(r)
	}
	texts, err := e.texts(ctx, r)
	if err != nil {
		return err
	}
	return e.enc.Encode(textLine{ReportHit: r, Texts: texts})
}

type csvExport struct {
	out io.Writer
	w   *csv.Writer
	bom bool
}

func newCSVExport(w io.Writer, bom bool) *csvExport {
	return &csvExport{out: w, w: csv.NewWriter(w), bom: bom}
}

// byteOrderMark starts a CSV export with bom=true: spreadsheets that
// assume a legacy code page for CSV (Excel) then read it as UTF-8.
const byteOrderMark = "\ufeff"

func (e *csvExport) begin() error {
	if e.bom {
		if _, err := io.WriteString(e.out, byteOrderMark); err != nil {
			return err
		}
	}
	if err := e.w.Write(csvHeader); err != nil {
		return err
	}
	e.w.Flush()
	return e.w.Error()
}

func (e *csvExport) write(_ context.Context, r *model.ReportHit) error {
	matched := map[string]bool{}
	for _, m := range r.Matched {
		matched[m.URL] = true
	}
	for _, v := range r.Versions {
		published := ""
		if !v.Published.IsZero() {
			published = v.Published.Format(time.RFC3339)
		}
		rec := []string{r.ReportID, v.Lang, v.URL, csvText(v.Title), strconv.FormatBool(v.IsOriginal),
			published, r.Section, strconv.FormatBool(matched[v.URL])}
		if err := e.w.Write(rec); err != nil {
			return err
		}
	}
	e.w.Flush()
	return e.w.Error()
}

// csvText keeps a crawled title from being taken for a formula by a
// spreadsheet (CSV injection): a cell that starts with =, +, -, @, a tab
// or a carriage return gets a leading apostrophe, which spreadsheets hide
// and treat as "this is text". Titles rarely start so; when one does, the
// apostrophe is the lesser harm.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
