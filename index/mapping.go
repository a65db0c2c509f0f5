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

// Field names that are the same for every document.
const (
	FieldURL          = "url"
	FieldGroup        = "group" // report id, or "url:<url>" for an unlinked page
	FieldReportID     = "report_id"
	FieldLang         = "lang"
	FieldDeclaredLang = "declared_lang"
	FieldLangMismatch = "lang_mismatch"
	FieldLangConf     = "lang_confidence"
	FieldSite         = "site"
	FieldSection      = "section"
	FieldOriginal     = "original"
	FieldPublished    = "published"
	FieldNeutral      = "neutral"
	FieldTitle        = "title" // stored only, for display
	FieldAuthor       = "author"
	FieldSourceURL    = "source_url"
	FieldTags         = "tags"
	// FieldIndexedAt is when the document was last written to the index:
	// search cursors exclude documents newer than the first page so that
	// pages stay stable while a crawl adds documents.
	FieldIndexedAt = "indexed_at"
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
	// AnalyzerNeutralQuery analyses queries against the neutral field: it
	// also romanises Cyrillic, so "Кронг Но" finds "Krong No".
	AnalyzerNeutralQuery = "baoscope_neutral_query"
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
func TitleField(lang string) string { return "title_" + FieldSuffix(lang) }
func LeadField(lang string) string  { return "lead_" + FieldSuffix(lang) }
func BodyField(lang string) string  { return "body_" + FieldSuffix(lang) }

// FoldSuffix names the diacritic-folded twin of a Vietnamese field.
const FoldSuffix = "_fold"

// buildMapping builds the index mapping.
func buildMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomAnalyzer(analyzerVi, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, filterNumber},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerViFold, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, filterFold, filterNumber},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerBigram, map[string]any{
		"type": custom.Name, "tokenizer": tokenizerBigram,
		"token_filters": []any{lowercase.Name, filterNumber},
	}); err != nil {
		return nil, err
	}
	// filterNonLatin changes no term, only when words are dropped (see
	// nonLatinFilter); indexes built without it need no rebuild.
	if err := im.AddCustomAnalyzer(analyzerNeutral, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, filterNonLatin, filterFold, filterNumber, filterLatinOnly},
	}); err != nil {
		return nil, err
	}

	if err := im.AddCustomAnalyzer(AnalyzerNeutralQuery, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, filterCyrillic, filterFold, filterNumber, filterLatinOnly},
	}); err != nil {
		return nil, err
	}

	doc := mapping.NewDocumentStaticMapping()
	keyword := func(name string) {
		f := mapping.NewKeywordFieldMapping()
		f.Store = true
		f.IncludeInAll = false
		doc.AddFieldMappingsAt(name, f)
	}
	for _, k := range []string{FieldURL, FieldGroup, FieldReportID, FieldLang, FieldDeclaredLang, FieldSite, FieldSection, FieldSourceURL, FieldTags} {
		keyword(k)
	}
	for _, k := range []string{FieldOriginal, FieldLangMismatch} {
		f := mapping.NewBooleanFieldMapping()
		f.Store = true
		f.IncludeInAll = false
		doc.AddFieldMappingsAt(k, f)
	}
	pub := mapping.NewDateTimeFieldMapping()
	pub.Store = true
	pub.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldPublished, pub)
	at := mapping.NewDateTimeFieldMapping()
	at.Store = true
	at.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldIndexedAt, at)
	conf := mapping.NewNumericFieldMapping()
	conf.Store = true
	conf.Index = false
	conf.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldLangConf, conf)
	for _, k := range []string{FieldTitle, FieldAuthor} {
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.DocValues = false
		doc.AddFieldMappingsAt(k, f)
	}
	neutral := mapping.NewTextFieldMapping()
	neutral.Analyzer = analyzerNeutral
	// Stored with term vectors so that a version matched only by a name
	// or a figure still gets a highlighted snippet; it costs disk (the
	// text is stored twice), measured in docs/performance.md.
	neutral.Store = true
	neutral.IncludeTermVectors = true
	neutral.IncludeInAll = false
	neutral.DocValues = false
	doc.AddFieldMappingsAt(FieldNeutral, neutral)

	text := func(name, analyzer string, store bool) {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		// Highlighting needs the stored text and term vectors.
		f.Store = store
		f.IncludeTermVectors = store
		f.IncludeInAll = false
		f.DocValues = false
		doc.AddFieldMappingsAt(name, f)
	}
	for lang, an := range langAnalyzers {
		text(TitleField(lang), an, true)
		text(LeadField(lang), an, true)
		text(BodyField(lang), an, true)
	}
	// The folded twins are stored too: a query typed without diacritics
	// matches only there, and highlighting needs the stored text (the
	// original, with its diacritics, since folding happens per token).
	text(TitleField("vi")+FoldSuffix, analyzerViFold, true)
	text(LeadField("vi")+FoldSuffix, analyzerViFold, true)
	text(BodyField("vi")+FoldSuffix, analyzerViFold, true)

	im.DefaultMapping = doc
	im.DefaultAnalyzer = standard.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}
