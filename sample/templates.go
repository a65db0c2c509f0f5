package sample

import (
	"fmt"
	"html/template"
)

// The markup below is what the extractor's site-specific selectors target;
// change it only together with them. html/template escapes all crawled
// text, including inside attributes and the JSON-LD block. Timestamps go
// in as whole attributes (see attr) because html/template would write the
// "+" of "+07:00" as "&#43;", which parsers accept but the real pages do
// not do.
const baoLamDongTemplates = `
{{define "bld-header"}}<header class="site-header"><a class="logo" href="/">Báo Lâm Đồng</a>
 <nav class="main-nav">{{range $i, $s := .}}{{if $i}} {{end}}<a href="/{{$s.Slug}}/">{{$s.Name}}</a>{{end}}</nav></header>{{end}}

{{define "bld-footer"}}<footer class="site-footer"><p>Báo Lâm Đồng - Cơ quan của Đảng bộ tỉnh Lâm Đồng, tiếng nói của chính quyền và nhân dân các dân tộc tỉnh Lâm Đồng</p></footer>{{end}}

{{define "bld-article"}}<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{{.Title}} | Báo Lâm Đồng</title>
<link rel="canonical" href="{{.Canonical}}">
<meta name="description" content="{{.Lead}}">
<meta name="keywords" content="{{.Keywords}}">
<meta property="og:type" content="article">
<meta property="og:title" content="{{.Title}}">
<meta property="og:description" content="{{.Lead}}">
<meta property="og:url" content="{{.Canonical}}">
<meta property="og:locale" content="vi_VN">
<meta property="article:published_time" {{.PublishedContent}}>
<meta property="article:section" content="{{.Section.Name}}">
<script type="application/ld+json">{{.JSONLD}}</script>
</head>
<body>
{{template "bld-header" .Sections}}
<main class="container">
 <div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/{{.Section.Slug}}/">{{.Section.Name}}</a></div>
 <article class="article-detail">
  <h1 class="article-title">{{.Title}}</h1>
  <div class="article-meta"><span class="article-author">{{.Author}}</span>
   <time class="article-time" {{.PublishedDatetime}}>{{.DateLine}}</time></div>
{{- if .Lead}}
  <h2 class="article-sapo">{{.Lead}}</h2>
{{- end}}
  <div class="article-content">
{{- range .Body}}
{{- if .Caption}}
   <figure class="image"><img src="{{.Img}}" alt="{{.Text}}"><figcaption>{{.Text}}</figcaption></figure>
{{- else}}
   <p>{{.Text}}</p>
{{- end}}
{{- end}}
  </div>
  <div class="article-tags">{{range $i, $t := .Tags}}{{if $i}} {{end}}<a href="/tag/{{$t.Slug}}">{{$t.Name}}</a>{{end}}</div>
 </article>
{{- if .Related}}
 <section class="related"><h3>Tin liên quan</h3><ul>{{range .Related}}<li><a href="{{.Href}}">{{.Title}}</a></li>{{end}}</ul></section>
{{- end}}
</main>
{{template "bld-footer"}}
</body></html>
{{end}}

{{define "bld-list-items"}}<ul class="article-list">
{{- range .}}
  <li><a href="{{.Href}}">{{.Title}}</a><p class="sapo">{{.Lead}}</p></li>
{{- end}}
 </ul>{{end}}

{{define "bld-listing"}}<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{{.Section.Name}}{{if gt .Page 1}} - Trang {{.Page}}{{end}} | Báo Lâm Đồng</title>
<link rel="canonical" href="{{.Canonical}}">
<link rel="alternate" type="application/rss+xml" title="{{.Section.Name}} - Báo Lâm Đồng" href="/rss/{{.Section.Slug}}.rss">
</head>
<body>
{{template "bld-header" .Sections}}
<main class="container">
 <div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/{{.Section.Slug}}/">{{.Section.Name}}</a></div>
 <h1 class="section-title">{{.Section.Name}}</h1>
 {{template "bld-list-items" .Items}}
 <div class="pagination">
{{- if .Prev}} <a class="prev" rel="prev" href="{{.Prev}}">Trang trước</a>{{end}}
{{- if .Next}} <a class="next" rel="next" href="{{.Next}}">Trang sau</a>{{end}}
 </div>
</main>
{{template "bld-footer"}}
</body></html>
{{end}}

{{define "bld-home"}}<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Báo Lâm Đồng - Tin tức mới nhất tỉnh Lâm Đồng</title>
<link rel="canonical" href="https://baolamdong.vn/">
</head>
<body>
{{template "bld-header" .Sections}}
<main class="container">
 <section class="latest"><h2>Tin mới nhất</h2>
 {{template "bld-list-items" .Items}}
 </section>
 <section class="sections"><h2>Chuyên mục</h2><ul>
{{- range .Sections}}
  <li><a href="/{{.Slug}}/">{{.Name}}</a> <a class="rss" href="/rss/{{.Slug}}.rss">RSS</a></li>
{{- end}}
 </ul></section>
</main>
{{template "bld-footer"}}
</body></html>
{{end}}

{{define "bld-404"}}<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Không tìm thấy trang | Báo Lâm Đồng</title></head>
<body><h1>404</h1><p>Không tìm thấy trang bạn yêu cầu.</p><p><a href="/">Trang chủ</a></p></body></html>
{{end}}
`

const vietnamVNTemplates = `
{{define "vn-header"}}<header class="vnvn-header"><a class="brand" href="/">Vietnam.vn - Nền tảng quảng bá Việt Nam</a>
 <nav class="lang-switch">{{range $i, $l := .}}{{if $i}} {{end}}<a hreflang="{{$l.Code}}" href="{{$l.Href}}">{{$l.Name}}</a>{{end}}</nav></header>{{end}}

{{define "vn-footer"}}<footer class="vnvn-footer"><p>Vietnam.vn - Nền tảng quảng bá Việt Nam</p></footer>{{end}}

{{define "vn-post"}}<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head><meta charset="utf-8">
<title>{{.Title}}</title>
<link rel="canonical" href="{{.Canonical}}">
<meta property="og:type" content="article"><meta property="og:title" content="{{.Title}}">
<meta property="og:url" content="{{.Canonical}}"><meta property="og:locale" content="{{.Locale}}">
<meta property="article:published_time" {{.PublishedContent}}>
</head>
<body>
{{template "vn-header" .Langs}}
<main>
 <article class="post">
  <h1 class="post-title">{{.Title}}</h1>
  <div class="post-meta"><span class="post-paper">{{.Paper}}</span><span class="post-paper-name">{{.Paper}}</span><time datetime="{{.DateISO}}">{{.Date}}</time></div>
  <div class="post-content">
{{- if .Lead}}
   <p>{{.Lead}}</p>
{{- end}}
{{- range .Body}}
{{- if .Caption}}
   <figure><img src="{{.Img}}"><figcaption>{{.Text}}</figcaption></figure>
{{- else}}
   <p>{{.Text}}</p>
{{- end}}
{{- end}}
{{- if .SourceURL}}
   <p class="post-source">{{.SourceLabel}}: <a href="{{.SourceURL}}" rel="nofollow">{{.SourceURL}}</a></p>
{{- else if .SourceLabel}}
   <p class="post-source">{{.SourceLabel}}</p>
{{- end}}
  </div>
  <div class="post-comments"><span>{{.Comment}} (0)</span></div>
{{- range .Related}}
  <section class="related{{if .Class}} {{.Class}}{{end}}"><h3>{{.Heading}}</h3>
{{- if .Links}}<ul>{{range .Links}}<li>{{if .Href}}<a href="{{.Href}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}</li>{{end}}</ul>
{{- else}}<p class="no-data">No data</p>{{end}}</section>
{{- end}}
 </article>
</main>
{{template "vn-footer"}}
</body></html>
{{end}}

{{define "vn-home"}}<!DOCTYPE html>
<html lang="vi" dir="ltr">
<head><meta charset="utf-8">
<title>Vietnam.vn - Nền tảng quảng bá Việt Nam</title>
<link rel="canonical" href="https://www.vietnam.vn/">
</head>
<body>
{{template "vn-header" .Langs}}
<main>
 <section class="latest"><h2>Bài viết mới</h2><ul class="post-list">
{{- range .Items}}
  <li><a hreflang="{{.Lang}}" href="{{.Href}}">{{.Title}}</a> <time datetime="{{.DateISO}}">{{.Date}}</time></li>
{{- end}}
 </ul></section>
</main>
{{template "vn-footer"}}
</body></html>
{{end}}

{{define "vn-404"}}<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Page not found - Vietnam.vn</title></head>
<body><h1>404</h1><p>Page not found.</p><p><a href="/">Vietnam.vn</a></p></body></html>
{{end}}
`

// parseTemplates builds a Site's templates; each Site has its own set.
func parseTemplates() (*template.Template, error) {
	t, err := template.New("bld").Parse(baoLamDongTemplates)
	if err != nil {
		return nil, fmt.Errorf("parse baolamdong templates: %w", err)
	}
	if _, err := t.New("vn").Parse(vietnamVNTemplates); err != nil {
		return nil, fmt.Errorf("parse vietnam.vn templates: %w", err)
	}
	return t, nil
}
