package sample

import (
	"embed"
	"fmt"
	"io/fs"
)

// corpusFS is the demo corpus: handwritten reports and verbatim copies of
// real vietnam.vn pages. It is read-only by construction.
//
//go:embed corpus
var corpusFS embed.FS

// Load returns the embedded corpus, validated. Each call parses it afresh,
// so callers own what they get.
func Load() (*Corpus, error) {
	sub, err := fs.Sub(corpusFS, "corpus")
	if err != nil {
		return nil, fmt.Errorf("open embedded corpus: %w", err)
	}
	c, err := LoadFS(sub)
	if err != nil {
		return nil, fmt.Errorf("load embedded corpus: %w", err)
	}
	return c, nil
}
