package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"baoscope/model"
	"baoscope/validate"
)

// searchParams are the parameters GET /api/v1/search accepts; anything
// else is a 400, so that a typo (langs=ko) is not silently a search of
// everything. The OpenAPI test checks this list against the description.
var searchParams = []string{"q", "lang", "section", "from", "to", "originals", "sort", "size", "cursor", "translate", "qlang", "format", "text", "bom"}

// Export formats of GET /api/v1/search.
const (
	formatJSON  = "json"
	formatJSONL = "jsonl"
	formatCSV   = "csv"
	formatAtom  = "atom"
)

// searchRequest is a parsed GET /api/v1/search (or search page) request.
type searchRequest struct {
	query  model.Query
	format string
	text   bool // format=jsonl: every version's title, lead and body
	bom    bool // format=csv: a byte-order mark first
}

// parseSearch reads a search request from URL parameters: the search
// itself as package validate reads it for every way in, then what only
// the API has (no unknown parameters, the export format). extra names
// parameters the caller handles itself (the page's pagination stack).
func (s *Server) parseSearch(ctx context.Context, v url.Values, extra ...string) (searchRequest, *validate.Error) {
	for k := range v {
		if !slices.Contains(searchParams, k) && !slices.Contains(extra, k) {
			return searchRequest{}, &validate.Error{Field: k, Message: fmt.Sprintf("unknown parameter %q; known: %s", k, strings.Join(searchParams, ", "))}
		}
	}
	q, verr := validate.Query(validate.Params(v), s.limits(ctx))
	if verr != nil {
		return searchRequest{}, verr
	}
	req := searchRequest{query: q, format: v.Get("format")}
	switch req.format {
	case "":
		req.format = formatJSON
	case formatJSON, formatJSONL, formatCSV, formatAtom:
	default:
		return searchRequest{}, &validate.Error{Field: "format", Message: "format must be json, jsonl, csv or atom"}
	}
	if req.text, verr = exportFlag(v, "text", formatJSONL, req.format); verr != nil {
		return searchRequest{}, verr
	}
	if req.bom, verr = exportFlag(v, "bom", formatCSV, req.format); verr != nil {
		return searchRequest{}, verr
	}
	return req, nil
}

// exportFlag reads a true/false option of one export format; asking for
// it with another format is an error rather than silently nothing.
func exportFlag(v url.Values, name, only, format string) (bool, *validate.Error) {
	raw := v.Get(name)
	if raw == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, &validate.Error{Field: name, Message: name + " must be true or false"}
	}
	if b && format != only {
		return false, &validate.Error{Field: name, Message: name + "=true needs format=" + only}
	}
	return b, nil
}

// limits are what validate checks a search against. The languages are
// the configured ones and those of the index: an index built with other
// detector languages still has its own searchable.
func (s *Server) limits(ctx context.Context) validate.Limits {
	lim := validate.Limits{DefaultSize: s.opts.DefaultPageSize, MaxSize: s.opts.MaxPageSize}
	if len(s.opts.Languages) > 0 {
		lim.Langs = validate.Languages(s.opts.Languages, s.langs.get(ctx, s.svc, s.log))
	}
	return lim
}

// search runs one page of a query under the query timeout.
func (s *Server) search(ctx context.Context, q model.Query) (*model.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.QueryTimeout)
	defer cancel()
	return s.svc.Search(ctx, q)
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	req, perr := s.parseSearch(r.Context(), r.URL.Query())
	if perr != nil {
		badParam(w, perr.Field, perr.Message)
		return
	}
	switch req.format {
	case formatJSONL, formatCSV:
		s.export(w, r, req)
		return
	case formatAtom:
		s.feed(w, r, req)
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
