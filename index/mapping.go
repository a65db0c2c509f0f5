package index

import (
	"slices"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever the mapping changes in a way that needs
// a rebuild; an index built with another version refuses to open.
const MappingVersion = "6"

// Field names that are the same for every document. Only this package
// names fields, so that a change of the schema stays inside it: documents
// become fields in document.go and turn back into model types there, and
// other packages build queries with the helpers of query.go.
const (
	fieldURL          = "url"
	fieldGroup        = "group" // model.Document.GroupKey: the report id, or model.UnlinkedPrefix and the URL
	fieldReportID     = "report_id"
	fieldLang         = "lang"
	fieldDeclaredLang = "declared_lang"
	fieldLangMismatch = "lang_mismatch"
	fieldLangConf     = "lang_confidence"
	fieldSite         = "site"
	fieldSection      = "section"
	fieldOriginal     = "original"
	fieldPublished    = "published"
	fieldNeutral      = "neutral"
	fieldTitle        = "title" // stored only, for display
	fieldAuthor       = "author"
	fieldSourceURL    = "source_url"
	fieldTags         = "tags"
	// fieldIndexedAt is when the document was last written to the index:
	// search cursors exclude documents newer than the first page so that
	// pages stay stable while a crawl adds documents.
	fieldIndexedAt = "indexed_at"
)

// OtherLang is the field suffix for documents in a language without a
// dedicated analyzer (or whose language is unknown).
const OtherLang = "xx"

// Analyzer names defined in the mapping.
const (
	analyzerVi      = "baoscope_vi"
	analyzerViFold  = "baoscope_vi_fold"
	analyzerBigram  = "baoscope_bigram"
	analyzerNeutral = "baoscope_neutral"
	// analyzerNeutralQuery analyses queries against the neutral field: it
	// also romanises Cyrillic, so "Кронг Но" finds "Krong No".
	analyzerNeutralQuery = "baoscope_neutral_query"
)

// langAnalyzers maps each language with its own fields to its analyzer.
// Bleve's language analyzers stem and drop stop words; scripts without
// reliable word boundaries use bigrams; the rest fall back to standard.
var langAnalyzers = map[string]string{
	"vi": analyzerVi,
	"en": en.AnalyzerName, "de": de.AnalyzerName, "fr": fr.AnalyzerName,
	"es": es.AnalyzerName, "pt": pt.AnalyzerName, "it": it.AnalyzerName,
	"ru": ru.AnalyzerName, "ar": ar.AnalyzerName,
	"ko": analyzerBigram, "ja": analyzerBigram, "zh": analyzerBigram,
	"th": analyzerBigram, "lo": analyzerBigram, "km": analyzerBigram,
	"id": standard.Name, "ms": standard.Name,
	OtherLang: standard.Name,
}

// Langs returns the field languages of the index, sorted.
func Langs() []string {
	out := make([]string, 0, len(langAnalyzers))
	for l := range langAnalyzers {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// FieldSuffix maps a document language to the suffix of its text fields.
func FieldSuffix(lang string) string {
	if _, ok := langAnalyzers[lang]; ok {
		return lang
	}
	return OtherLang
}

// AnalyzerFor returns the analyzer of a field language.
func AnalyzerFor(lang string) string { return langAnalyzers[FieldSuffix(lang)] }

// Text field names.
func titleField(lang string) string { return "title_" + FieldSuffix(lang) }
func leadField(lang string) string  { return "lead_" + FieldSuffix(lang) }
func bodyField(lang string) string  { return "body_" + FieldSuffix(lang) }

// foldSuffix names the diacritic-folded twin of a Vietnamese field.
const foldSuffix = "_fold"

// buildMapping builds the index mapping.
func buildMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := addAnalyzers(im); err != nil {
		return nil, err
	}
	im.DefaultMapping = documentMapping()
	im.DefaultAnalyzer = standard.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// addAnalyzers defines the custom analyzers: a tokenizer and token
// filters each.
func addAnalyzers(im *mapping.IndexMappingImpl) error {
	for _, a := range []struct {
		name, tokenizer string
		filters         []any
	}{
		{analyzerVi, unicode.Name, []any{lowercase.Name, filterNumber}},
		{analyzerViFold, unicode.Name, []any{lowercase.Name, filterFold, filterNumber}},
		{analyzerBigram, tokenizerBigram, []any{lowercase.Name, filterNumber}},
		// filterNonLatin changes no term, only when words are dropped (see
		// nonLatinFilter); indexes built without it need no rebuild.
		{analyzerNeutral, unicode.Name, []any{lowercase.Name, filterNonLatin, filterFold, filterNumber, filterLatinOnly}},
		{analyzerNeutralQuery, unicode.Name, []any{lowercase.Name, filterCyrillic, filterFold, filterNumber, filterLatinOnly}},
	} {
		if err := im.AddCustomAnalyzer(a.name, map[string]any{
			"type": custom.Name, "tokenizer": a.tokenizer, "token_filters": a.filters,
		}); err != nil {
			return err
		}
	}
	return nil
}

// documentMapping maps every field; all are stored (results and report
// pages render from the index alone) and none goes to Bleve's _all.
func documentMapping() *mapping.DocumentMapping {
	doc := mapping.NewDocumentStaticMapping()
	add := func(name string, f *mapping.FieldMapping) {
		f.Store = true
		f.IncludeInAll = false
		doc.AddFieldMappingsAt(name, f)
	}
	for _, k := range []string{fieldURL, fieldGroup, fieldReportID, fieldLang, fieldDeclaredLang, fieldSite, fieldSection, fieldSourceURL, fieldTags} {
		add(k, mapping.NewKeywordFieldMapping())
	}
	for _, k := range []string{fieldOriginal, fieldLangMismatch} {
		add(k, mapping.NewBooleanFieldMapping())
	}
	for _, k := range []string{fieldPublished, fieldIndexedAt} {
		add(k, mapping.NewDateTimeFieldMapping())
	}
	conf := mapping.NewNumericFieldMapping()
	conf.Index = false
	add(fieldLangConf, conf)
	for _, k := range []string{fieldTitle, fieldAuthor} { // for display only
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.DocValues = false
		add(k, f)
	}
	text := func(name, analyzer string) {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		// Highlighting needs the stored text and term vectors.
		f.IncludeTermVectors = true
		f.DocValues = false
		add(name, f)
	}
	// The neutral field has them so that a version matched only by a name
	// or a figure still gets a highlighted snippet; it costs disk (the
	// text is stored twice), measured in docs/performance.md.
	text(fieldNeutral, analyzerNeutral)
	// The fields queries match are the fields mapped (TextFields). The
	// folded twins are stored too: a query typed without diacritics
	// matches only there, and highlighting needs the stored text (the
	// original, with its diacritics, since folding happens per token).
	for lang, an := range langAnalyzers {
		for _, f := range TextFields(lang, PartTitle, PartLead, PartBody) {
			if f.folded {
				text(f.name, analyzerViFold)
			} else {
				text(f.name, an)
			}
		}
	}
	return doc
}
