package server

import (
	"log/slog"
	"net/http"
	"time"
)

// MaxHeaderBytes bounds a request's line and headers as the connection
// reads them. Go answers anything longer itself, with a plain-text 431
// and before any handler runs, so the bound is well above the query
// string's own (Options.MaxQueryBytes, 8 KiB): a longer query string
// reaches ServeHTTP and gets the API's JSON 414. 1 MiB is Go's default;
// the server used to set 64 KiB, which made query strings between 64 KiB
// and that a plain-text 431.
const MaxHeaderBytes = 1 << 20

// HTTPServer is the http.Server that serves h in baoscope serve and demo:
// timeouts against slow clients, and the header bound above.
func HTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Bounds an ordinary response; exports push their own deadline
		// forward page by page.
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: MaxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
