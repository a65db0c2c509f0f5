// Package langid is the one place in baoscope that knows languages: it
// tells which language a crawled document or a search query is written in.
//
// A Detector is built once (New) for a set of languages — by default
// Vietnamese, English and every language www.vietnam.vn translates
// baolamdong.vn into — and shared by the crawler and the server; it is safe
// for concurrent use.
//
// Detection works in two layers. First the letters of the text are counted
// by Unicode script. A script written by only one configured language
// decides by itself: Hangul is Korean, kana Japanese, Thai Thai, and Lao and
// Khmer — which lingua-go does not know — Lao and Khmer. Han without kana
// is Chinese. This is what keeps a Korean page with a Vietnamese header line
// or a dozen romanised names Korean. For scripts several configured
// languages share (Latin above all), the words in that script go to
// lingua-go's n-gram models, restricted to those languages; a rule first
// recognises Vietnamese from the shape of its syllables, so that Vietnamese
// typed without diacritics is still Vietnamese. A mixed text is scored by
// how much of it each script carries.
//
// Queries get one more step (DetectQuery): place and person names are set
// aside, and below a confidence threshold the answer is model.LangUnknown,
// because search uses the query language to boost results and a wrong
// boost is worse than none.
//
// Memory and speed of each configuration, as measured, are in
// docs/langid.md.
package langid
