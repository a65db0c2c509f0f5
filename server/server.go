package server

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"baoscope/align"
	"baoscope/search"
	"baoscope/validate"
	"baoscope/web"
)

// Defaults of Options; page sizes default to validate's.
const (
	DefaultQueryTimeout    = 10 * time.Second
	DefaultMaxRequestBytes = 64 << 10
	DefaultMaxQueryBytes   = 8 << 10
)

// contentSecurityPolicy allows nothing but the page's own stylesheet and
// icon: the pages have no script at all, so none may run, and crawled text
// that slipped through escaping still could not load or execute anything.
// Inline SVG is markup, not a resource, so the timeline needs no source.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Options configures the server. Everything the server needs from the rest
// of the program comes in here as a function, so the package imports
// neither Bleve nor the pipeline.
type Options struct {
	Logger *slog.Logger
	// Ready reports whether the server can answer (index open, languages
	// loaded); nil means always ready.
	Ready func(ctx context.Context) error
	// LastCrawl returns the summary of the last crawl, or nil (and no
	// error) when the data directory has none; nil means unknown.
	LastCrawl func(ctx context.Context) (*CrawlInfo, error)
	// IndexSize returns the index's size on disk in bytes, for /metrics;
	// nil leaves the metric out.
	IndexSize func() (int64, error)
	// QueryTimeout bounds one search (one page of an export); 10s when 0.
	QueryTimeout time.Duration
	// DefaultPageSize and MaxPageSize bound the reports per page
	// (validate.DefaultPageSize and validate.MaxPageSize when 0). Exports
	// fetch pages of MaxPageSize.
	DefaultPageSize int
	MaxPageSize     int
	// MaxRequestBytes caps a request body and MaxQueryBytes its query
	// string (64 KiB and 8 KiB when 0): every route is a GET, so anything
	// bigger is a mistake or an attack.
	MaxRequestBytes int64
	MaxQueryBytes   int
	// Registry receives the server's metrics and is what /metrics serves;
	// a fresh registry (with Go and process collectors) when nil.
	Registry *prometheus.Registry
	// Languages are the languages lang= and qlang= may name: the
	// detector's configured ones, to which the server adds those of the
	// index ("unknown" is always allowed for lang). Any other is a 400
	// that lists them. Empty accepts any well-formed code.
	Languages []string
	// MaxSearches bounds the searches running at once (the search API,
	// exports and the search page): DefaultMaxSearches when 0, no bound
	// when negative. SearchQueue more wait for a slot, up to QueueWait
	// (2×MaxSearches and DefaultQueueWait when 0; a negative SearchQueue
	// queues none); beyond, a search is answered 429 at once (admission.go).
	MaxSearches int
	SearchQueue int
	QueueWait   time.Duration
	// Align pairs the segments (align.Segments) of report's original and
	// its lang translation for the report page; nil aligns them by
	// lengths and shared figures and names alone (align.Align).
	Align func(report, lang string, left, right []string) []align.Bead
}

// CrawlInfo is what /api/v1/stats says about the last crawl. The caller
// converts the pipeline's summary into it.
type CrawlInfo struct {
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Fetches  int64     `json:"fetches"` // HTTP requests, retries included
	// Sites holds, per site, its counters ("fetched", "not_found",
	// "stored" …) and failures by reason ("robots", "network" …).
	Sites map[string]SiteCrawl `json:"sites"`
	// Documents counts the pipeline's outcomes per language ("new",
	// "updated", "other_paper" …).
	Documents map[string]map[string]int `json:"documents,omitempty"`
	// Sources counts the new documents by what named them ("sitemap",
	// "feed", "listing", "link", "guess").
	Sources map[string]int `json:"sources,omitempty"`
	// Guessing is, per vietnam.vn language, how guessing translation
	// URLs paid and whether the language is still guessed.
	Guessing map[string]GuessRate `json:"guessing,omitempty"`
}

// GuessRate is one language's guessing figures (see docs/crawler.md).
type GuessRate struct {
	Guesses  int     `json:"guesses"`
	Hits     int     `json:"hits"`
	Unlisted int     `json:"unlisted"`
	Listed   int     `json:"listed"`
	Skipped  int     `json:"skipped"`
	Share    float64 `json:"share"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
	Guessed  bool    `json:"guessed"`
}

// SiteCrawl is one site's outcome in the last crawl.
type SiteCrawl struct {
	Counts   map[string]int `json:"counts"`
	Failures map[string]int `json:"failures,omitempty"`
}

// Server routes the API and the web pages.
type Server struct {
	svc     search.Service
	opts    Options
	mux     *http.ServeMux
	log     *slog.Logger
	pages   map[string]*template.Template
	static  fs.FS
	metrics *metrics
	routes  []string   // registered patterns, for the OpenAPI test
	langs   langCache  // the index's languages, for the search form
	apiView *apiView   // the API reference page, read from openapi.json
	adm     *admission // nil: no admission control
}

// New returns the HTTP handler. The templates are embedded and parsed
// here; a template that does not parse is a bug caught by every test, so
// New panics on it rather than making every caller handle an error that
// cannot happen in a built binary.
func New(svc search.Service, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.QueryTimeout <= 0 {
		opts.QueryTimeout = DefaultQueryTimeout
	}
	if opts.MaxPageSize <= 0 {
		opts.MaxPageSize = validate.MaxPageSize
	}
	if opts.DefaultPageSize <= 0 {
		opts.DefaultPageSize = min(validate.DefaultPageSize, opts.MaxPageSize)
	}
	if opts.MaxRequestBytes <= 0 {
		opts.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if opts.MaxQueryBytes <= 0 {
		opts.MaxQueryBytes = DefaultMaxQueryBytes
	}
	pages, err := web.Pages(templateFuncs())
	if err != nil {
		panic(err)
	}
	av, err := newAPIView(openAPISpec)
	if err != nil {
		panic(err) // embedded, and read by every test
	}
	s := &Server{
		svc: svc, opts: opts, mux: http.NewServeMux(), log: opts.Logger,
		pages: pages, static: web.Static(), apiView: av,
	}
	s.metrics = newMetrics(opts.Registry, svc, opts.IndexSize, s.log)
	s.adm = newAdmission(opts.MaxSearches, opts.SearchQueue, opts.QueueWait, s.metrics.reg)

	s.handle("GET /api/v1/search", s.admit(s.handleSearch))
	s.handle("GET /api/v1/reports/{id}", s.handleReport)
	s.handle("GET /api/v1/stats", s.handleStats)
	s.handle("GET /api/v1/openapi.json", s.handleOpenAPI)
	s.handle("GET /healthz", s.handleHealth)
	s.handle("GET /readyz", s.handleReady)
	s.handle("GET /metrics", s.metrics.handler().ServeHTTP)
	s.handle("GET /{$}", s.admit(s.handleSearchPage))
	s.handle("GET /reports/{id}", s.handleReportPage)
	s.handle("GET /api", s.handleAPIPage)
	s.handle("GET /static/{file}", s.handleStatic)
	return s
}

// handle registers a route, instrumented under its pattern.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, s.metrics.instrument(pattern, h))
}

// Routes lists the registered route patterns ("GET /api/v1/search" …).
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// ServeHTTP implements http.Handler: headers every response carries, the
// request-size caps, and JSON or HTML answers for unknown routes (the
// mux's own are plain text).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	// Researchers' queries are in our URLs; the sites they click through
	// to need not see them. Our own pages do: the report page's "back to
	// the search" link is the referring search.
	h.Set("Referrer-Policy", "same-origin")

	if len(r.URL.RawQuery) > s.opts.MaxQueryBytes {
		s.metrics.unmatched(http.StatusRequestURITooLong)
		s.errorFor(w, r, http.StatusRequestURITooLong, apiError{Code: "uri_too_long", Message: "the query string is too long"})
		return
	}
	if r.ContentLength > s.opts.MaxRequestBytes {
		s.metrics.unmatched(http.StatusRequestEntityTooLarge)
		s.errorFor(w, r, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "the request body is too large"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxRequestBytes)
	// r.URL.Query() silently drops pairs it cannot decode, which would
	// turn "cursor=%%%" into no cursor at all: refuse the request instead.
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		s.metrics.unmatched(http.StatusBadRequest)
		s.errorFor(w, r, http.StatusBadRequest, apiError{Code: "bad_parameter", Message: "the query string is not valid URL encoding"})
		return
	}

	if _, pattern := s.mux.Handler(r); pattern == "" {
		// Every route is a GET: if the path exists for GET, the method
		// was wrong.
		probe := r.Clone(r.Context())
		probe.Method = http.MethodGet
		if _, p := s.mux.Handler(probe); p != "" {
			h.Set("Allow", "GET, HEAD")
			s.metrics.unmatched(http.StatusMethodNotAllowed)
			s.errorFor(w, r, http.StatusMethodNotAllowed, apiError{Code: "method_not_allowed", Message: "only GET is allowed here"})
			return
		}
		s.metrics.unmatched(http.StatusNotFound)
		s.errorFor(w, r, http.StatusNotFound, apiError{Code: "not_found", Message: "no such route"})
		return
	}
	s.mux.ServeHTTP(w, r)
}

// errorFor answers an API path with JSON and anything else with a page.
func (s *Server) errorFor(w http.ResponseWriter, r *http.Request, status int, e apiError) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeError(w, status, e)
		return
	}
	s.renderError(w, r, status, e.Message)
}

// apiError is the body of every error response.
type apiError struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Position *int   `json:"position,omitempty"` // characters from 0, in q
	Param    string `json:"param,omitempty"`    // the parameter at fault
}

// writeJSON writes a success (or any) body. HTML-significant characters
// are escaped (\u003c) so that a JSON body sniffed as HTML is inert.
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

// statusClientClosed is nginx's code for a client that went away; nobody
// reads it, but logs and metrics tell it from a server error.
const statusClientClosed = 499

// classify maps an error from search to a status and an error body.
func (s *Server) classify(r *http.Request, err error) (int, apiError) {
	var qe *search.QueryError
	switch {
	case errors.As(err, &qe):
		e := apiError{Code: "bad_query", Message: qe.Reason, Param: qe.Param}
		if qe.Param != "q" && qe.Param != "" {
			e.Code = "bad_parameter"
		}
		if qe.Position >= 0 {
			p := qe.Position
			e.Position = &p
		}
		return http.StatusBadRequest, e
	case errors.Is(err, search.ErrBadCursor):
		return http.StatusBadRequest, apiError{Code: "bad_parameter", Message: "invalid cursor", Param: "cursor"}
	case errors.Is(err, search.ErrNotFound):
		return http.StatusNotFound, apiError{Code: "not_found", Message: "no such report"}
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, apiError{Code: "timeout", Message: "the query took too long; narrow it down"}
	case errors.Is(err, context.Canceled):
		return statusClientClosed, apiError{Code: "canceled", Message: "request canceled"}
	default:
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		return http.StatusInternalServerError, apiError{Code: "internal", Message: "internal error"}
	}
}

// fail answers an API request with the error from search.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, e := s.classify(r, err)
	writeError(w, status, e)
}

func badParam(w http.ResponseWriter, param, msg string) {
	writeError(w, http.StatusBadRequest, apiError{Code: "bad_parameter", Message: msg, Param: param})
}
