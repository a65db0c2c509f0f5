package extract

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomBytes is n bytes of noise, reproducible: what issue 16 served as
// text/html and saw indexed as a document.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 16))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// TestNotText: bodies that are not text are ErrNotText whatever their
// declared type, and real pages, in legacy encodings too, are not.
func TestNotText(t *testing.T) {
	ex := New(Options{})
	article := readTestdata(t, "bld-article.html")
	articleWith := func(old, new string) []byte {
		return bytes.Replace(article, []byte(old), []byte(new), 1)
	}
	// An article whose text is all digits and punctuation.
	digits := []byte(`<html><body><article class="article-detail"><h1 class="article-title">2025 — 10/15</h1>` +
		`<div class="article-content"><p>1.234.567 — 89 %</p><p>(12) [34] 56-78</p></div></article></body></html>`)
	tests := []struct {
		name  string
		body  []byte
		ctype string
		want  error
	}{
		{"200 KB of random bytes as text/html", randomBytes(200<<10, 1), "text/html", ErrNotText},
		{"random bytes declared utf-8", randomBytes(200<<10, 2), "text/html; charset=utf-8", ErrNotText},
		{"random bytes declared windows-1258", randomBytes(50<<10, 3), "text/html; charset=windows-1258", ErrNotText},
		{"random bytes after an html start", append([]byte("<html><head><title>x</title></head><body>"), randomBytes(100<<10, 4)...), "text/html", ErrNotText},
		{"no letter in the article", digits, "text/html", ErrNotText},
		{"the article", article, "text/html; charset=utf-8", nil},
		{"the article with a stray control character", articleWith("Krông", "Kr\x01ông"), "text/html", nil},
		{"the article with a few broken bytes", articleWith("Krông", "Kr\xffông"), "text/html", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ex.Extract(Page{URL: url396102, Site: bld, ContentType: tt.ctype, Body: tt.body})
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, doc %.200v; want %v", err, doc, tt.want)
				}
				return
			}
			if err != nil || !strings.Contains(doc.Title, "Kr") {
				t.Fatalf("err = %v, doc %.200v", err, doc)
			}
		})
	}
}

// The legacy-encoded pages of the test data are text.
func TestLegacyPagesAreText(t *testing.T) {
	for _, tc := range pageCases {
		if tc.wantErr != nil {
			continue
		}
		t.Run(tc.file, func(t *testing.T) {
			text, err := Decode(readTestdata(t, tc.file), tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkText(text); err != nil {
				t.Error(err)
			}
		})
	}
}
