package extract

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"baoscope/sites"
)

// testdataPages returns every testdata page with the site it belongs to.
func testdataPages(tb testing.TB) (bodies [][]byte, translation []bool) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		bodies = append(bodies, b)
		translation = append(translation, strings.HasPrefix(filepath.Base(f), "vn-"))
	}
	return bodies, translation
}

func FuzzExtract(f *testing.F) {
	bodies, translation := testdataPages(f)
	for i, b := range bodies {
		f.Add(b, "", translation[i])
		f.Add(b, "text/html; charset=windows-1258", translation[i])
	}
	// Small pages of both shapes let mutations reach the code paths fast.
	f.Add([]byte(`<html lang="vi"><title>T | Báo Lâm Đồng</title><link rel="canonical" href="https://baolamdong.vn/a-123.html"><script type="application/ld+json">{"@type":"NewsArticle","headline":"H","author":["A"],"keywords":["k"]}</script><div class="breadcrumb"><a href="/chinh-tri/">CT</a></div><article class="article-detail"><h1 class="article-title">T</h1><span class="article-author">A</span><time class="article-time" datetime="2025-08-20T09:15:00+07:00">20/08/2025</time><h2 class="article-sapo">L</h2><div class="article-content"><p>Một.</p><figure><figcaption>Ảnh: X</figcaption></figure><p>Hai.</p></div></article>`), "", false)
	f.Add([]byte(`<html lang="ko"><meta property="og:locale" content="ko_KR"><article class="post"><h1 class="post-title">T</h1><div class="post-meta"><time datetime="2025-08-20">20/08/2025</time></div><div class="post-content"><p>하나.</p><p>.jpg)</p><p>둘.</p><p class="post-source">출처: <a href="https://baolamdong.vn/a-123.html">x</a></p></div><div class="post-comments">댓글 (0)</div></article>`), "", true)
	f.Add([]byte("<p>Source: https://baolamdong.vn/a-123.html</p>"), "text/html", true)
	f.Add([]byte("<title>"+strings.Repeat("<p>x", 400)), "", false)
	f.Add([]byte(strings.Repeat("<span>", 600)+"Lâm Đồng"), "", false)

	// A small fallback limit keeps each run fast; the fallback still runs.
	ex := New(Options{MaxFallbackNodes: 500})
	f.Fuzz(func(t *testing.T, body []byte, contentType string, vnSite bool) {
		p := Page{URL: url396102, Site: bld, ContentType: contentType, Body: body}
		if vnSite {
			p.URL, p.Site = "https://www.vietnam.vn/ko/"+slug396102, vn
		}
		doc, err := ex.Extract(p)
		if err != nil {
			return
		}
		if len(doc.Body) == 0 && doc.Lead == "" {
			t.Fatal("document without text")
		}
		for _, s := range append([]string{doc.Title, doc.Lead, doc.Author, doc.SourceURL}, doc.Body...) {
			if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
				t.Fatalf("not NFC UTF-8: %q", s)
			}
		}
		for _, para := range doc.Body {
			if para == "" || para != cleanText(para) || isChrome(para) || isTail(para) {
				t.Fatalf("unclean paragraph %q", para)
			}
		}
		if doc.ContentHash != ContentHash(doc) {
			t.Fatal("stale content hash")
		}
		if !doc.IsOriginal && doc.ReportID != "" {
			if id, ok := sites.ReportIDFromSource(doc.SourceURL); !ok || id != doc.ReportID {
				t.Fatalf("report id %q not from source %q", doc.ReportID, doc.SourceURL)
			}
		}
	})
}

func FuzzParseVietnameseTime(f *testing.F) {
	for _, s := range []string{
		"Thứ năm, 19/03/2026 - 17:58", "19/03/2026 17:58", "29/08/2023", "20/8/2025",
		"2025-08-20T09:15:00+07:00", "2025-08-20 09:15", "2025-08-20T09:15:00.5Z",
		"Việt NamViệt Nam29/08/2023", "ngày 20 tháng 8 năm 2025", "20/08/2025 09:15 (GMT+7)",
		"Wed, 20 Aug 2025 09:15:00 +0700", "31/02/2025", "17h58 19/03/2026",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseVietnameseTime(s)
		if !ok {
			return
		}
		if !validYear(got.Year()) {
			t.Fatalf("%q: year %d", s, got.Year())
		}
		if _, off := got.Zone(); off < -14*3600 || off > 14*3600 {
			t.Fatalf("%q: offset %d", s, off)
		}
		again, ok := ParseVietnameseTime(got.Format(time.RFC3339))
		if !ok || !again.Equal(got) {
			t.Fatalf("%q -> %v does not round-trip (%v, %v)", s, got, again, ok)
		}
	})
}

func FuzzDecode(f *testing.F) {
	// Short seeds (the head, where declarations are, and a piece of text)
	// keep the fuzzer's minimisation of new inputs cheap.
	bodies, _ := testdataPages(f)
	for _, b := range bodies {
		f.Add(b[:min(len(b), 400)], "")
		mid := len(b) / 2
		f.Add(b[mid:min(len(b), mid+300)], "text/html; charset=utf-8")
	}
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"), "text/html")
	f.Add([]byte("<meta charset=windows-1258>Lo\xcc"), "text/html; charset=utf-8")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		s, err := Decode(body, contentType)
		if err != nil {
			return
		}
		if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
			t.Fatalf("not NFC UTF-8: %q", s)
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	ex := New(Options{})
	for _, bc := range []struct{ name, file, url, site string }{
		{"baolamdong", "bld-article.html", url396102, bld},
		{"translation", "vn-ko-396102.html", "https://www.vietnam.vn/ko/" + slug396102, vn},
		{"fallback", "bld-redesigned.html", url386694, bld},
	} {
		body := readTestdata(b, bc.file)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := ex.Extract(Page{URL: bc.url, Site: bc.site, Body: body}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLargeInputs feeds 5 MB pages (the crawler's cap) of the shapes that
// make naive extractors quadratic and checks they finish promptly.
func TestLargeInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	const size = 5 << 20
	article := readTestdata(t, "bld-article.html")
	fill := func(unit string) []byte {
		return []byte(strings.Repeat(unit, size/len(unit)))
	}
	para := "<p>Đồng chí Lưu Văn Trung làm việc với xã Krông Nô (0) 20/08/2025.</p>\n"
	// Just under both fallback limits: trafilatura runs on it.
	var nearLimit strings.Builder
	nearLimit.WriteString("<html><body><div>")
	for i := 0; i < DefaultMaxFallbackNodes-100 && nearLimit.Len() < DefaultMaxFallbackText-100; i++ {
		fmt.Fprintf(&nearLimit, "<p>Đoạn %d của bài báo.</p>", i)
	}
	var paras strings.Builder
	for i := 0; paras.Len() < size; i++ {
		fmt.Fprintf(&paras, "<p>Đoạn %d: đồng chí Lưu Văn Trung làm việc với xã Krông Nô (0) 20/08/2025.</p>\n", i)
	}
	tests := []struct {
		name string
		body []byte
	}{
		{"article with 5 MB of paragraphs", bytes.Replace(article, []byte(`<div class="article-content">`), append([]byte(`<div class="article-content">`), paras.String()...), 1)},
		{"redesigned page just under the fallback limits", []byte(nearLimit.String())},
		{"nested divs", fill("<div>")},
		{"unclosed spans with text", fill("<span>Lâm Đồng ")},
		{"one huge text node", append([]byte(`<article class="article-detail"><div class="article-content"><p>`), fill("Lâm Đồng 20/08/2025 ")...)},
		{"huge attribute", append([]byte(`<div class="article-content"><p title="`), fill("x")...)},
		{"runaway title", append([]byte("<title>"), fill("<p>Lâm Đồng</p>")...)},
		{"redesigned page, many elements", append([]byte("<html><body><div>"), fill(para)...)},
		{"invalid utf-8", fill("L\xe2m \xd0\xf4\xccng ")},
	}
	ex := New(Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			doc, err := ex.Extract(Page{URL: url396102, Site: bld, Body: tc.body})
			el := time.Since(start)
			n := 0
			if doc != nil {
				n = len(doc.Body)
			}
			t.Logf("%d bytes: %v, %d paragraphs, err %v", len(tc.body), el, n, err)
			if el > 20*time.Second {
				t.Errorf("took %v", el)
			}
			if doc != nil && len(doc.Body) > DefaultMaxParagraphs {
				t.Errorf("%d paragraphs, cap is %d", len(doc.Body), DefaultMaxParagraphs)
			}
		})
	}
}
