// Package model holds the types every other baoscope package shares:
// the crawled Document, the Report that groups a Vietnamese original with
// its translations, and the Query and Result of a search.
//
// It imports nothing from the project, so any package may depend on it
// without creating an import cycle; keep it free of behaviour beyond small
// helpers on the types themselves.
package model
