// Package server is baoscope's HTTP face: the JSON API under /api/v1 and
// the server-rendered web page researchers work in. It sees search only
// through the search.Service interface, so it can be tested against any
// implementation and never touches Bleve; what it needs from the rest of
// the program (readiness, the last crawl, the index's size on disk) comes
// in as functions in Options.
//
// Routes use Go 1.22 method patterns and are all registered through one
// helper, which labels metrics by route and records the route for the
// OpenAPI test. Every API error is a JSON body
// {"error":{"code","message","position"?,"param"?}} with the matching
// status; a query the user can fix is a 400 that says where, never a 500.
// Searches pass admission control (admission.go): a bounded number run at
// once, a short queue waits, and the rest get a 429 with Retry-After at
// once rather than a 503 after a long wait. HTTPServer is the http.Server
// around the handler, sized so that an oversized query string still gets
// the JSON 414.
//
// Pages are html/template (templates and CSS in package web) with no
// JavaScript at all: filters are a GET form, pagination and facets are
// links, and the timeline is SVG drawn on the server. Every piece of
// crawled text is escaped by the templates; the one HTML fragment that
// comes from search, the highlighted snippet, is re-escaped here so that
// only <mark> survives.
package server
