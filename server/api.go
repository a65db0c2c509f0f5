package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
)

// searchParams are the parameters GET /api/v1/search accepts; anything
// else is a 400, so that a typo (langs=ko) is not silently a search of
// everything. The OpenAPI test checks this list against the description.
var searchParams = []string{"q", "lang", "section", "from", "to", "originals", "sort", "size", "cursor", "format"}

// Export formats of GET /api/v1/search.
const (
	formatJSON  = "json"
	formatJSONL = "jsonl"
	formatCSV   = "csv"
)

// paramError is a parameter the user must fix.
type paramError struct {
	param, msg string
}

func (e *paramError) Error() string { return e.param + ": " + e.msg }

// searchRequest is a parsed GET /api/v1/search (or search page) request.
type searchRequest struct {
	query  model.Query
	format string
}

// parseSearch reads a search request from URL parameters. extra names
// parameters the caller handles itself (the page's pagination stack).
func (s *Server) parseSearch(v url.Values, extra ...string) (searchRequest, *paramError) {
	for k := range v {
		if !slices.Contains(searchParams, k) && !slices.Contains(extra, k) {
			return searchRequest{}, &paramError{k, fmt.Sprintf("unknown parameter %q; known: %s", k, strings.Join(searchParams, ", "))}
		}
	}
	q := model.Query{Text: v.Get("q"), Section: strings.TrimSpace(v.Get("section")), Cursor: v.Get("cursor")}
	for _, l := range v["lang"] {
		for _, p := range strings.Split(l, ",") {
			p = strings.TrimSpace(strings.ToLower(p))
			if p == "" {
				continue
			}
			if !validLang(p) {
				return searchRequest{}, &paramError{"lang", fmt.Sprintf("%q is not a language code (two letters, e.g. ko, or unknown)", p)}
			}
			if !slices.Contains(q.Langs, p) {
				q.Langs = append(q.Langs, p)
			}
		}
	}
	if sz := v.Get("size"); sz != "" {
		n, err := strconv.Atoi(sz)
		if err != nil || n < 1 || n > s.opts.MaxPageSize {
			return searchRequest{}, &paramError{"size", fmt.Sprintf("size must be a whole number from 1 to %d", s.opts.MaxPageSize)}
		}
		q.Size = n
	} else {
		q.Size = s.opts.DefaultPageSize
	}
	switch v.Get("sort") {
	case "", "relevance":
		q.Sort = model.SortRelevance
	case "date":
		q.Sort = model.SortDate
	default:
		return searchRequest{}, &paramError{"sort", "sort must be relevance or date"}
	}
	switch o := v.Get("originals"); o {
	case "":
	case "on": // an HTML checkbox
		q.OriginalsOnly = true
	default:
		b, err := strconv.ParseBool(o)
		if err != nil {
			return searchRequest{}, &paramError{"originals", "originals must be true or false"}
		}
		q.OriginalsOnly = b
	}
	var err error
	if q.From, err = parseDay(v.Get("from"), false); err != nil {
		return searchRequest{}, &paramError{"from", "from must be a date YYYY-MM-DD"}
	}
	if q.To, err = parseDay(v.Get("to"), true); err != nil {
		return searchRequest{}, &paramError{"to", "to must be a date YYYY-MM-DD"}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return searchRequest{}, &paramError{"to", "to must not be before from"}
	}
	f := v.Get("format")
	switch f {
	case "":
		f = formatJSON
	case formatJSON, formatJSONL, formatCSV:
	default:
		return searchRequest{}, &paramError{"format", "format must be json, jsonl or csv"}
	}
	return searchRequest{query: q, format: f}, nil
}

func validLang(s string) bool {
	if s == model.LangUnknown {
		return true
	}
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// vnZone is Vietnam's time zone (UTC+7, no daylight saving); fixed, so no
// tzdata is needed. Dates in parameters are the newspaper's dates.
var vnZone = time.FixedZone("ICT", 7*3600)

// parseDay reads YYYY-MM-DD in Vietnam time; an end date is inclusive, so
// it becomes the start of the next day.
func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, vnZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// search runs one page of a query under the query timeout.
func (s *Server) search(ctx context.Context, q model.Query) (*model.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
	defer cancel()
	return s.svc.Search(ctx, q)
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	req, perr := s.parseSearch(r.URL.Query())
	if perr != nil {
		badParam(w, perr.param, perr.msg)
		return
	}
	switch req.format {
	case formatJSONL, formatCSV:
		s.export(w, r, req)
		return
	}
	res, err := s.search(r.Context(), req.query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.QueryTimeout)
	defer cancel()
	rep, err := s.svc.Report(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// statsResponse is the index's statistics and the last crawl.
type statsResponse struct {
	*model.Stats
	LastCrawl *CrawlInfo `json:"last_crawl"` // null when no crawl is recorded
}

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.QueryTimeout)
	defer cancel()
	st, err := s.svc.Stats(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := statsResponse{Stats: st}
	if s.opts.LastCrawl != nil {
		if resp.LastCrawl, err = s.opts.LastCrawl(ctx); err != nil {
			s.fail(w, r, fmt.Errorf("last crawl: %w", err))
			return
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(r.Context()); err != nil {
			s.log.Warn("not ready", "err", err)
			writeError(w, http.StatusServiceUnavailable, apiError{Code: "not_ready", Message: err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPISpec)
}

// errAborted is returned by an export that cannot go on once its
// response has started; the connection is then cut, so the client sees a
// truncated transfer rather than a complete-looking file.
var errAborted = errors.New("export aborted")
