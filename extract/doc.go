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
//  2. JSON-LD (NewsArticle, BreadcrumbList), OpenGraph and plain <meta>
//     tags fill whatever the selectors did not find.
//  3. go-trafilatura's main-content extraction supplies the body (and the
//     title, date and author if still missing) when the selectors find no
//     body at all. Its configuration is built once, in New.
//
// Every layer's paragraphs go through the same debris filters (clean.go):
// page chrome such as the vietnam.vn header, the paper-name-and-date line
// ("Báo Lâm ĐồngBáo Lâm Đồng20/08/2025"), comment counters in any language
// ("댓글 (0)"), related-article blocks ("Same tag", "Tin liên quan": the
// heading and everything after it), "No data", image-file debris (".jpg)")
// and lines ending in a photo credit ("… Ảnh: Hoàng Yến") never reach
// Document.Body.
//
// Figure captions are excluded from the body by design: they are not
// article prose, they repeat names the text already has, and on vietnam.vn
// they are often only the leftovers of an image file name. A caption the
// page prints as an ordinary paragraph without a credit cannot be told
// from prose and stays.
//
// # Originals and translations
//
// An original's report id comes from its URL (/<slug>-<id>.html), else
// from its canonical link, og:url or JSON-LD; its section is the slug of
// the breadcrumb's section link, else of the older URL form
// (/<section>/<yyyymm>/<slug>/). A translation has no lead of its own in
// the markup (the translated lead is the first paragraph of the content),
// so its Lead is empty and every paragraph is in Body; its Section is
// empty. Its source line ("출처: https://baolamdong.vn/…-396102.html"),
// whether in p.post-source or as a plain paragraph among the last ones,
// becomes SourceURL and is removed from the body; ReportID is set only
// when that URL is a current-form baolamdong.vn article. A bare label
// without a link (the Nghe An page's "원천") or a link to another paper
// leaves the page unlinked.
//
// DeclaredLang is <html lang>, else og:locale, else JSON-LD inLanguage,
// else the vietnam.vn URL prefix, else "vi" for baolamdong.vn, reduced to
// the ISO 639-1 code ("ko-KR" → "ko").
//
// Times without a zone are Vietnamese time, UTC+7, as a fixed zone so that
// nothing depends on tzdata; a bare date loses to a full timestamp from
// another source (vietnam.vn prints the date, its meta tags the time).
//
// # Charsets
//
// Decode does not trust any single declaration: it tries the BOM, the
// Content-Type header, <meta charset> and content sniffing in that order,
// but skips a UTF-8 declaration the bytes contradict and a legacy
// declaration for bytes that are valid multi-byte UTF-8, and guesses among
// the legacy encodings the two sites' languages use (windows-1258, -1252,
// -1251, -1256) by the plausibility of the decoded text. The result is
// normalised to NFC so that Vietnamese decoded from windows-1258, which
// writes tones as combining marks, equals the UTF-8 page byte for byte.
//
// # Cost
//
// An Extractor holds no per-page state and is safe for concurrent use.
// Everything it does is linear in the size of the page except the
// trafilatura fallback, which runs only when the selectors find no body
// and only on pages within Options.MaxFallbackNodes and MaxFallbackText.
package extract
