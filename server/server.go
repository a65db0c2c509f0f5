package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
	"baoscope/search"
)

// Options configures the server.
type Options struct {
	Logger *slog.Logger
	// Ready reports whether the server can answer (index open, languages
	// loaded); nil means always ready.
	Ready func(ctx context.Context) error
	// QueryTimeout bounds one search; 10s when 0.
	QueryTimeout time.Duration
}

// Server routes the API.
type Server struct {
	svc  search.Service
	opts Options
	mux  *http.ServeMux
	log  *slog.Logger
}

// New returns the API handler.
func New(svc search.Service, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.QueryTimeout <= 0 {
		opts.QueryTimeout = 10 * time.Second
	}
	s := &Server{svc: svc, opts: opts, mux: http.NewServeMux(), log: opts.Logger}
	s.mux.HandleFunc("GET /api/v1/search", s.handleSearch)
	s.mux.HandleFunc("GET /api/v1/reports/{id}", s.handleReport)
	s.mux.HandleFunc("GET /api/v1/stats", s.handleStats)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /readyz", s.handleReady)
	s.mux.HandleFunc("GET /{$}", s.handleRoot)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// apiError is the body of every error response.
type apiError struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Position *int   `json:"position,omitempty"`
	Param    string `json:"param,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, e apiError) {
	writeJSON(w, status, map[string]apiError{"error": e})
}

// fail maps an error from search to a response.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var qe *search.QueryError
	switch {
	case errors.As(err, &qe):
		e := apiError{Code: "bad_query", Message: qe.Reason, Param: qe.Param}
		if qe.Position >= 0 {
			p := qe.Position
			e.Position = &p
		}
		writeError(w, http.StatusBadRequest, e)
	case errors.Is(err, search.ErrNotFound):
		writeError(w, http.StatusNotFound, apiError{Code: "not_found", Message: "no such report"})
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, apiError{Code: "timeout", Message: "the query took too long"})
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads the answer.
		writeError(w, 499, apiError{Code: "canceled", Message: "request canceled"})
	default:
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, apiError{Code: "internal", Message: "internal error"})
	}
}

func badParam(w http.ResponseWriter, param, msg string) {
	writeError(w, http.StatusBadRequest, apiError{Code: "bad_parameter", Message: msg, Param: param})
}

// parseQuery reads a model.Query from URL parameters.
func parseQuery(r *http.Request) (model.Query, string, string) {
	v := r.URL.Query()
	q := model.Query{Text: v.Get("q"), Section: v.Get("section"), Cursor: v.Get("cursor")}
	for _, l := range v["lang"] {
		for _, p := range strings.Split(l, ",") {
			if p = strings.TrimSpace(strings.ToLower(p)); p != "" {
				q.Langs = append(q.Langs, p)
			}
		}
	}
	if s := v.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return q, "size", "size must be a whole number"
		}
		q.Size = n
	}
	switch v.Get("sort") {
	case "", "relevance":
		q.Sort = model.SortRelevance
	case "date":
		q.Sort = model.SortDate
	default:
		return q, "sort", "sort must be relevance or date"
	}
	if o := v.Get("originals"); o != "" {
		b, err := strconv.ParseBool(o)
		if err != nil {
			return q, "originals", "originals must be true or false"
		}
		q.OriginalsOnly = b
	}
	var err error
	if q.From, err = parseDay(v.Get("from"), false); err != nil {
		return q, "from", "from must be a date YYYY-MM-DD"
	}
	if q.To, err = parseDay(v.Get("to"), true); err != nil {
		return q, "to", "to must be a date YYYY-MM-DD"
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, "to", "to must not be before from"
	}
	return q, "", ""
}

// vnZone is Vietnam's time zone; fixed, so no tzdata is needed.
var vnZone = time.FixedZone("ICT", 7*3600)

// parseDay reads YYYY-MM-DD in Vietnam time; an end date is inclusive, so
// it becomes the start of the next day.
func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, vnZone)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q, param, msg := parseQuery(r)
	if param != "" {
		badParam(w, param, msg)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.QueryTimeout)
	defer cancel()
	res, err := s.svc.Search(ctx, q)
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

func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Stats(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(r.Context()); err != nil {
			writeError(w, http.StatusServiceUnavailable, apiError{Code: "not_ready", Message: err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// handleRoot points a person who opens the address in a browser to the
// API until the web page exists.
func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"name": "baoscope",
		"endpoints": []string{
			"GET /api/v1/search?q=…&lang=…&section=…&from=YYYY-MM-DD&to=YYYY-MM-DD&originals=true&sort=relevance|date&size=20&cursor=…",
			"GET /api/v1/reports/{id}", "GET /api/v1/stats", "GET /healthz", "GET /readyz",
		},
	})
}
