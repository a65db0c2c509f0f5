// Package web holds the assets of baoscope's pages: html/template files
// and the stylesheet, embedded in the binary so that `baoscope serve`
// needs nothing beside it. Rendering (the data behind each page) lives in
// package server; this package only parses and serves files.
//
// There is no JavaScript and no front-end build step: the pages are plain
// HTML forms and links, which keeps them keyboard accessible by default
// and lets the Content-Security-Policy forbid scripts outright.
package web
