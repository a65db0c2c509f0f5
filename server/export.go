package server

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
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
		rows = newCSVExport(bw)
	} else {
		rows = newJSONLExport(bw)
	}
	if err := rows.begin(); err != nil {
		s.abortExport(r, 0, fmt.Errorf("write: %w", err))
	}
	reports := 0
	for {
		// Not supported by every ResponseWriter (httptest's recorder):
		// then the server's own timeout applies, which is all we can do.
		_ = rc.SetWriteDeadline(time.Now().Add(exportWriteWindow))
		for i := range res.Reports {
			if err := rows.write(&res.Reports[i]); err != nil {
				s.abortExport(r, reports, fmt.Errorf("write: %w", err))
			}
			reports++
		}
		if err := bw.Flush(); err != nil {
			s.abortExport(r, reports, fmt.Errorf("write: %w", err))
		}
		_ = rc.Flush()
		if res.NextCursor == "" || len(res.Reports) == 0 {
			break
		}
		if err := ctx.Err(); err != nil {
			s.abortExport(r, reports, err)
		}
		q.Cursor = res.NextCursor
		if res, err = s.search(ctx, q); err != nil {
			s.abortExport(r, reports, err)
		}
	}
	s.log.Info("export", "format", req.format, "q", q.Text, "reports", reports)
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

// exportWriter writes one report of an export.
type exportWriter interface {
	begin() error // before the first report, even when there is none
	write(r *model.ReportHit) error
}

type jsonlExport struct {
	enc *json.Encoder
}

func newJSONLExport(w *bufio.Writer) *jsonlExport {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return &jsonlExport{enc: enc}
}

func (e *jsonlExport) begin() error { return nil }

// write puts the report as one line: json.Encoder ends every value with
// a newline and escapes newlines inside strings.
func (e *jsonlExport) write(r *model.ReportHit) error { return e.enc.Encode(r) }

type csvExport struct {
	w *csv.Writer
}

func newCSVExport(w *bufio.Writer) *csvExport { return &csvExport{w: csv.NewWriter(w)} }

func (e *csvExport) begin() error {
	if err := e.w.Write(csvHeader); err != nil {
		return err
	}
	e.w.Flush()
	return e.w.Error()
}

func (e *csvExport) write(r *model.ReportHit) error {
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
