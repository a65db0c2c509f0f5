package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"baoscope/search"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (no global default registry), so two servers in one test binary do not
// collide.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// routeUnmatched labels requests that matched no route.
const routeUnmatched = "unmatched"

func newMetrics(reg *prometheus.Registry, svc search.Service, indexSize func() (int64, error), log *slog.Logger) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "baoscope", Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "baoscope", Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern (exports included: they stream).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 120},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration, newIndexCollector(svc, indexSize, log))
	return m
}

// instrument counts and times a route's requests under its pattern, never
// under the raw path, so that report ids do not explode the label set.
func (m *metrics) instrument(pattern string, h http.Handler) http.Handler {
	labels := prometheus.Labels{"route": pattern}
	return promhttp.InstrumentHandlerCounter(m.requests.MustCurryWith(labels),
		promhttp.InstrumentHandlerDuration(m.duration.MustCurryWith(labels), h))
}

// unmatched counts a request answered before routing.
func (m *metrics) unmatched(code int) {
	m.requests.WithLabelValues(routeUnmatched, "", strconv.Itoa(code)).Inc()
}

func (m *metrics) handler() http.Handler {
	// ContinueOnError: when the index cannot be read, the request
	// metrics are still worth scraping.
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// indexCollector reads the index's figures at scrape time, so they are
// never stale and cost nothing between scrapes.
type indexCollector struct {
	svc  search.Service
	size func() (int64, error)
	log  *slog.Logger

	descSize, descDocuments, descReports *prometheus.Desc
}

func newIndexCollector(svc search.Service, size func() (int64, error), log *slog.Logger) *indexCollector {
	return &indexCollector{
		svc: svc, size: size, log: log,
		descSize:      prometheus.NewDesc("baoscope_index_size_bytes", "Size of the index on disk.", nil, nil),
		descDocuments: prometheus.NewDesc("baoscope_index_documents", "Indexed documents by detected language.", []string{"lang"}, nil),
		descReports:   prometheus.NewDesc("baoscope_index_reports", "Distinct reports in the index.", nil, nil),
	}
}

func (c *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.descSize
	ch <- c.descDocuments
	ch <- c.descReports
}

// statsScrapeTimeout bounds the index read of one scrape.
const statsScrapeTimeout = 5 * time.Second

func (c *indexCollector) Collect(ch chan<- prometheus.Metric) {
	if c.size != nil {
		if n, err := c.size(); err != nil {
			ch <- prometheus.NewInvalidMetric(c.descSize, err)
		} else {
			ch <- prometheus.MustNewConstMetric(c.descSize, prometheus.GaugeValue, float64(n))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), statsScrapeTimeout)
	defer cancel()
	st, err := c.svc.Stats(ctx)
	if err != nil {
		c.log.Warn("metrics: index stats", "err", err)
		ch <- prometheus.NewInvalidMetric(c.descDocuments, err)
		return
	}
	for _, lc := range st.ByLang {
		ch <- prometheus.MustNewConstMetric(c.descDocuments, prometheus.GaugeValue, float64(lc.Count), lc.Lang)
	}
	ch <- prometheus.MustNewConstMetric(c.descReports, prometheus.GaugeValue, float64(st.Reports))
}
