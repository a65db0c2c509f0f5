// Package extract turns the raw bytes of a crawled page into a
// model.Document: the title, lead, body paragraphs, publication time,
// author, section, tags and declared language of a baolamdong.vn original
// or of its machine translation republished by www.vietnam.vn, together
// with the report id that links a translation to its original.
//
// # Layers
//
// Extraction is layered so that a redesign of either site degrades the
// result instead of breaking it:
//
//  1. Site-specific selectors (goquery) for the markup both sites use
//     today (article.article-detail on baolamdong.vn, article.post on
//     vietnam.vn).
//  2. JSON-LD (NewsArticle), OpenGraph and plain <meta> tags fill whatever
//     the selectors did not find.
//  3. go-trafilatura's main-content extraction supplies the body (and the
//     title, date and author if still missing) when the selectors find no
//     body at all.
//
// Every layer's paragraphs go through the same debris filters (see
// clean.go): page chrome such as the vietnam.vn header, the
// "paper-name-and-date" line, comment counters, related-article blocks,
// image-file debris (".jpg)") and photo captions never reach
// Document.Body. Figure captions are deliberately excluded from the body
// too: they are not article prose, they repeat names already in the text
// and, on vietnam.vn, they are often only the leftovers of an image
// filename.
//
// # Linking translations
//
// A translation's source line ("출처: https://baolamdong.vn/…-396102.html")
// becomes Document.SourceURL and is removed from the body. ReportID is set
// only when that URL is a current-form baolamdong.vn article; a bare label
// without a link, or a link to another paper, leaves the page unlinked.
//
// # Charsets
//
// Decode does not trust any single declaration: it tries the BOM, the
// Content-Type header, <meta charset> and content sniffing in that order,
// but rejects a UTF-8 declaration the bytes contradict and a legacy
// declaration for bytes that are valid multi-byte UTF-8, guessing among
// the legacy encodings the two sites' languages use (windows-1258,
// windows-1252, windows-1251, windows-1256) by the plausibility of the
// decoded text. The result is normalised to NFC so that Vietnamese decoded
// from windows-1258, which encodes tones as combining marks, equals the
// UTF-8 page byte for byte.
//
// # Cost
//
// An Extractor holds no per-page state and is safe for concurrent use.
// Everything it does is linear in the size of the page except the
// trafilatura fallback, which runs only when the selectors fail and is
// bounded by Options.MaxFallbackNodes.
package extract
