package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Analyzer gives the terms the index makes of a text in a language, so
// that what is learned from text outside the index (translation tables)
// speaks the index's terms: stems, Vietnamese syllables, CJK and Thai
// bigrams, normalised figures.
type Analyzer struct {
	m *mapping.IndexMappingImpl
}

// NewAnalyzer builds the index's analyzers without opening an index.
func NewAnalyzer() (*Analyzer, error) {
	m, err := buildMapping()
	if err != nil {
		return nil, fmt.Errorf("index analyzers: %w", err)
	}
	return &Analyzer{m: m}, nil
}

// Terms analyses text as the body field of lang does. It is safe for
// concurrent use.
func (a *Analyzer) Terms(lang, text string) []string {
	an := a.m.AnalyzerNamed(AnalyzerFor(lang))
	if an == nil {
		return nil
	}
	return termsOf(an.Analyze([]byte(text)))
}

func termsOf(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}
