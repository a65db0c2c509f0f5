// Package query parses the search language researchers type into the
// baoscope search box into a small syntax tree that the search package
// translates into Bleve queries.
//
// The language is documented for users in docs/query-syntax.md. In short:
// bare words are ANDed, "phrases" may use the quotation marks of any of the
// newspaper's languages, OR (or |) binds tighter than the implicit AND,
// -x and NOT x exclude, parentheses group, and field:value restricts a
// clause to titles (title:), filters on keyword fields (lang:, section:,
// site:, id:, original:, url:) or selects a publication period
// (published:, alias date:).
//
// Parsing is deliberately separate from searching: the tree is the contract
// between the box and the index, it can be rendered back to canonical text
// (Node.String) to echo the query the engine understood, and every mistake
// is reported as an *Error carrying the rune offset of the offending
// character so that the UI can point at it.
//
// Words goes the other way for text that is not a query (a title searched
// for its report): terms taken literally, none of their characters read as
// syntax, that render as a query Parse reads back to the same words.
//
// The parser does not analyse text: it keeps figures such as 1.481,
// 99,8% or 05-CTr/DU as one token, does not fold case or diacritics and
// does not apply Unicode normalisation. Those are the analyser's job, which
// must treat the query text exactly as it treats the indexed text.
package query
