package langid

import (
	"fmt"
	"testing"

	"baoscope/model"
	"baoscope/sample"
)

// The sample corpus (package sample) is what the crawler's end-to-end
// tests and the pipeline benchmark detect: real vietnam.vn translations and
// Báo Lâm Đồng originals, and reports generated from them. Its documents
// are long, so they exercise what the labelled set (mostly single
// paragraphs) does not: the chunks lingua-go is given, the Vietnamese rule
// over a whole article, names set aside in a whole Korean page.

// corpusDocument is the document the pipeline stores for version v: title,
// lead and body, captions included as the extractor keeps them.
func corpusDocument(v *sample.Version) *model.Document {
	d := &model.Document{Title: v.Title, Lead: v.Lead, DeclaredLang: v.Lang}
	for _, p := range v.Body {
		d.Body = append(d.Body, p.Text)
	}
	return d
}

// corpusCase is one document of the sample corpus with its language.
type corpusCase struct {
	// minConf is the confidence the detection must reach.
	minConf    float64
	name, lang string
	doc        *model.Document
}

// corpusCases returns every version of every report of the embedded corpus,
// its unlinked pages, and the versions of the first generated reports.
func corpusCases(tb testing.TB, generated int) []corpusCase {
	tb.Helper()
	c, err := sample.Load()
	if err != nil {
		tb.Fatal(err)
	}
	var out []corpusCase
	for r := range c.All() {
		for i := range r.Versions {
			v := &r.Versions[i]
			out = append(out, corpusCase{0.9, r.ID + "/" + v.Lang, v.Lang, corpusDocument(v)})
		}
	}
	for _, p := range c.Unlinked() {
		d := &model.Document{Title: p.Title, DeclaredLang: p.Lang}
		for _, b := range p.Body {
			d.Body = append(d.Body, b.Text)
		}
		out = append(out, corpusCase{0.9, "unlinked/" + p.Slug, p.Lang, d})
	}
	if generated > 0 {
		g, err := sample.Generate(sample.GenerateOptions{Reports: generated, Langs: 11, Seed: 1})
		if err != nil {
			tb.Fatal(err)
		}
		for i := range g.Len() {
			r := g.At(i)
			for k := range r.Versions {
				v := &r.Versions[k]
				// Generated text is a word-bigram salad: right for its
				// language, but for the look-alike pairs (id/ms, es/pt)
				// without the marker words that real pages carry and that
				// make the detection confident (see lookalike.go).
				out = append(out, corpusCase{0.8, fmt.Sprintf("generated/%d/%s", i, v.Lang), v.Lang, corpusDocument(v)})
			}
		}
	}
	return out
}

// TestSampleCorpus: every document of the sample corpus is detected as the
// language it is in, confidently, without a mismatch, and Detect and
// DetectDocument agree on it.
func TestSampleCorpus(t *testing.T) {
	d := newDetector(t, Options{})
	generated := 60
	if testing.Short() {
		generated = 0
	}
	cases := corpusCases(t, generated)
	wrong := 0
	for _, c := range cases {
		doc := *c.doc
		d.DetectDocument(&doc)
		full := d.Detect(c.doc.Text())
		if doc.Lang != c.lang || doc.LangMismatch || doc.LangConfidence < c.minConf {
			wrong++
			t.Errorf("%s: DetectDocument = %s %.4f mismatch %v, want %s ≥ %.1f (Detect: %s %.4f %s %v)",
				c.name, doc.Lang, doc.LangConfidence, doc.LangMismatch, c.lang, c.minConf, full.Lang, full.Confidence, full.Method, full.Candidates)
		}
		if full.Lang != doc.Lang || full.Confidence != doc.LangConfidence {
			t.Errorf("%s: Detect = %s %.4f, DetectDocument = %s %.4f", c.name, full.Lang, full.Confidence, doc.Lang, doc.LangConfidence)
		}
	}
	t.Logf("%d documents, %d wrong", len(cases), wrong)
}
