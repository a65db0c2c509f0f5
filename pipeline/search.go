package pipeline

import (
	"errors"
	"fmt"

	"baoscope/align"
	"baoscope/index"
	"baoscope/search"
	"baoscope/store"
)

// Searcher is the search service over the pipeline's index, as every
// caller wires it (serve, search, eval, the tests): the pipeline's
// detector reads each query's language and the languages to translate
// it from, and the
// pipeline's translation tables, once learned, translate its words.
// opts supplies the rest (cache, limits, logger); its language and
// translation fields are replaced.
func (p *Pipeline) Searcher(opts search.Options) *search.Searcher {
	det := p.opts.Detector
	opts.Language = func(text string) (string, float64) {
		d := det.DetectQuery(text)
		return d.Lang, d.Confidence
	}
	opts.Sources = det.QuerySources
	opts.CursorKey = p.cursorKey
	opts.Translations, opts.Analyzer = nil, nil
	if an, err := index.NewAnalyzer(); err != nil {
		p.log.Warn("query translation off", "err", err)
	} else {
		opts.Translations, opts.Analyzer = p.translator, an
	}
	return search.New(p.Index(), opts)
}

// cursorKey is the key the data directory's searches sign cursors with,
// made on first use. Kept in the store rather than made per process: a
// cursor printed by search --data pages on in the next search process,
// and one a server handed out survives its restart; and it never
// leaves the directory, which is what a secret needs.
func cursorKey(st *store.Store) ([]byte, error) {
	var key []byte
	err := st.GetMeta(metaCursorKey, &key)
	if err == nil && len(key) == search.CursorKeySize {
		return key, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("cursor key: %w", err)
	}
	key = search.NewCursorKey()
	if err := st.PutMeta(metaCursorKey, key); err != nil {
		return nil, fmt.Errorf("cursor key: %w", err)
	}
	return key, nil
}

// translator is the tables as search asks for them: an untyped nil while
// there are none, not a nil *translate.Tables.
func (p *Pipeline) translator() search.Translator {
	if t := p.Translations(); t != nil {
		return t
	}
	return nil
}

// Align pairs the segments of report's original and its lang
// translation for the report page: as learning last aligned them, or,
// for a translation learned from no longer (or not yet), by lengths and
// shared figures and names alone.
func (p *Pipeline) Align(report, lang string, left, right []string) []align.Bead {
	if bs, ok := p.Translations().Aligned(report, lang, len(left), len(right)); ok {
		return bs
	}
	return align.Align(left, right, nil)
}
