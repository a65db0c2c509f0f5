// Package server is baoscope's HTTP API. It sees search only through the
// search.Service interface, so it can be tested against any
// implementation and never touches Bleve.
//
// Routes use Go 1.22 method patterns. Every error is a JSON body
// {"error":{"code","message","position"?}} with the matching status; a
// query the user can fix is a 400 that says where, never a 500.
package server
