// Package e2e holds baoscope's end-to-end tests: the embedded sample site
// served on loopback, crawled by the real crawler, extracted, detected,
// stored and indexed into a real Bleve index in a temporary directory, and
// queried through the real HTTP API with httptest. It has no non-test
// code.
package e2e
