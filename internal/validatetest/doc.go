// Package validatetest holds the searches, as typed, that every way into
// a search must treat alike: the validator's own tests, the API's, the
// search page's and the search command's run the same table, so that a
// rule changed in one place and not in another fails a test.
package validatetest
