// Package validate checks what a researcher asks of a search, whether it
// arrives as parameters of the API, as the search page's form or as flags
// of the search command, and turns it into a model.Query. The three share
// one set of rules and one set of messages, as miniflux's validator
// package serves its API and its forms: a date, a language code, a page
// size or a reversed range is refused the same way everywhere.
//
// What is particular to one way in stays there: the API refuses unknown
// parameters and reads its export format, the command takes the query
// text as arguments. The query text itself is parsed by package query,
// when the search runs.
package validate
