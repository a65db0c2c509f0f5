package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"baoscope/index"
	"baoscope/model"
	"baoscope/query"
)

// vnZone is Vietnam's time (UTC+7, no daylight saving): fixed, so no
// tzdata is needed.
var vnZone = model.Vietnam

// Service is what the HTTP layer and the CLI need from search.
type Service interface {
	Search(ctx context.Context, q model.Query) (*model.Result, error)
	Report(ctx context.Context, id string) (*model.Report, error)
	Stats(ctx context.Context) (*model.Stats, error)
}

// Errors callers map to responses.
var (
	ErrNotFound  = errors.New("search: not found")
	ErrBadCursor = errors.New("search: invalid cursor")
)

// QueryError is a query the user must fix: it wraps the parser's
// *query.Error (with its position) or names the bad parameter.
type QueryError struct {
	Param    string // "q", "size", "cursor" …
	Position int    // rune offset in q, or -1
	Reason   string
	Err      error
}

func (e *QueryError) Error() string {
	if e.Position >= 0 {
		return fmt.Sprintf("search: %s: at position %d: %s", e.Param, e.Position, e.Reason)
	}
	return fmt.Sprintf("search: %s: %s", e.Param, e.Reason)
}

func (e *QueryError) Unwrap() error { return e.Err }

// LanguageFunc detects the language of a query's text; it returns
// model.LangUnknown when unsure. Supplied by the caller (langid), so this
// package does not load language models itself.
type LanguageFunc func(text string) (lang string, confidence float64)

// Options configures a Searcher.
type Options struct {
	Language LanguageFunc // nil: every query is of unknown language
	// Sources lists the languages a query's words may be written in, to
	// translate them from (langid.Detector.QuerySources): the detected
	// one, with a close language a few words cannot tell it from (es/pt,
	// id/ms, kanji-only ja/zh), or the two likeliest when detection is
	// unsure. nil: the language Language detects, if any.
	Sources func(text string) []string
	// Translations returns the learned translation tables, or nil while
	// there are none; nil: words are searched as written only. A function
	// because tables are learned again while a server runs.
	Translations func() Translator
	// Analyzer analyses query words for translation; required with
	// Translations.
	Analyzer    Analyzer
	DefaultSize int // reports per page; 20 when 0
	MaxSize     int // cap on reports per page; 100 when 0
	// CacheEntries is how many queries' ranked reports are kept for
	// paging and repeated queries (see resultSet): 256 when 0. Negative
	// turns off every reuse of results, concurrent identical searches
	// included: each search does all its work (benchmarks).
	CacheEntries int
	// Window is how many reports of each query are ranked and kept:
	// 1,000 (50 pages of 20) when 0.
	Window int
	// MaxAggregations caps the pass 1 computations running at once:
	// 2×GOMAXPROCS when 0, no cap when negative. Pass 1 is CPU-bound and
	// holds every matching report in memory (≈ 17 MB for a name matching
	// 145,000 reports at 1M documents), so running 64 at once on two
	// cores finishes none sooner and multiplies the memory; the others
	// wait in line, or until their context ends.
	MaxAggregations int
	// CursorKey signs the cursors handed out (HMAC-SHA256), so that a
	// client can neither edit one nor use it on another search. The
	// pipeline keeps one in the data directory, so that cursors outlive a
	// process (search --cursor is a new one each page; serve restarts);
	// empty: a key of this Searcher's own.
	CursorKey []byte
	// NoSecondStage turns off the second stage of a best match, which
	// scores the first reports again by the adjacency of the query's
	// words (rerank): the ranking before it, for eval and benchmarks.
	NoSecondStage bool
	Logger        *slog.Logger
}

// Searcher implements Service on an index.
type Searcher struct {
	ix    *index.Index
	opts  Options
	cache *resultCache
	// cursors signs and checks cursors (Options.CursorKey).
	cursors signer
	// flight makes concurrent identical searches compute pass 1 once.
	flight singleflight.Group
	// slots holds a token per running pass 1 (Options.MaxAggregations);
	// nil when uncapped. running and maxRunning let tests see the cap.
	slots      chan struct{}
	running    atomic.Int64
	maxRunning atomic.Int64
	// aggregations counts pass 1 computations (tests see the cache work).
	aggregations atomic.Int64
}

// New returns a Searcher over ix.
func New(ix *index.Index, opts Options) *Searcher {
	if opts.DefaultSize <= 0 {
		opts.DefaultSize = 20
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = 100
	}
	if opts.CacheEntries == 0 {
		opts.CacheEntries = 256
	}
	if opts.Window <= 0 {
		opts.Window = 1000
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxAggregations == 0 {
		opts.MaxAggregations = 2 * runtime.GOMAXPROCS(0)
	}
	// A ranked set four windows long is a researcher deep in the results;
	// beyond that each page is recomputed rather than held.
	key := opts.CursorKey
	if len(key) == 0 {
		key = NewCursorKey()
	}
	s := &Searcher{ix: ix, opts: opts, cache: newResultCache(opts.CacheEntries, 4*opts.Window), cursors: signer{key: key}}
	if opts.MaxAggregations > 0 {
		s.slots = make(chan struct{}, opts.MaxAggregations)
	}
	return s
}

// acquire waits for a pass 1 slot; release gives it back.
func (s *Searcher) acquire(ctx context.Context) (release func(), err error) {
	if s.slots != nil {
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	n := s.running.Add(1)
	for {
		m := s.maxRunning.Load()
		if n <= m || s.maxRunning.CompareAndSwap(m, n) {
			break
		}
	}
	return func() {
		s.running.Add(-1)
		if s.slots != nil {
			<-s.slots
		}
	}, nil
}

var _ Service = (*Searcher)(nil)

// Search runs q and groups the matching documents by report.
func (s *Searcher) Search(ctx context.Context, q model.Query) (*model.Result, error) {
	start := time.Now()
	ast, err := parseQuery(q.Text)
	if err != nil {
		return nil, err
	}
	size := q.Size
	switch {
	case size == 0:
		size = s.opts.DefaultSize
	case size < 0 || size > s.opts.MaxSize:
		return nil, &QueryError{Param: "size", Position: -1, Reason: fmt.Sprintf("must be between 1 and %d", s.opts.MaxSize)}
	}
	mode := cursorRelevance
	if q.Sort == model.SortDate || ast == nil {
		mode = cursorDate
	}
	tag := queryTag(q)
	after, err := s.cursors.decode(q.Cursor, tag)
	if err != nil {
		return nil, &QueryError{Param: "cursor", Position: -1, Reason: err.Error(), Err: err}
	}

	res := &model.Result{Query: q.Text, QueryLang: model.LangUnknown, Reports: []model.ReportHit{}}
	if q.QueryLang != "" {
		res.QueryLang = q.QueryLang
	} else if s.opts.Language != nil {
		if text := query.TextOf(ast); text != "" {
			if lang, _ := s.opts.Language(text); lang != "" {
				res.QueryLang = lang
			}
		}
	}
	b := builder{queryLang: res.QueryLang, only: filteredLangs(ast, q), an: s.opts.Analyzer}
	var tables Translator
	if s.opts.Translations != nil && s.opts.Analyzer != nil && !q.NoTranslate {
		tables = s.opts.Translations()
	}
	var from []string
	if tables != nil && ast != nil {
		from = s.sourceLangs(ast, q, res.QueryLang, tables)
	}
	if len(from) > 0 {
		b.psq = newPSQ(tables, s.opts.Analyzer, from, ast)
	}
	b.stop = s.stopWords(res.QueryLang, from)
	res.Reading = &model.QueryReading{Words: b.psq.reading()}
	if ast != nil {
		res.Reading.Canonical = ast.String()
	}
	if b.psq != nil {
		res.Reading.From = from
	}
	key := cacheKey(q, res.QueryLang, from, tables)
	rs, err := s.resultSet(ctx, key, b, ast, q, mode, after, size, start)
	if err != nil {
		return nil, err
	}
	res.TotalDocuments, res.TotalReports, res.Facets = rs.docs, rs.reports, rs.facets
	pageGroups, first, _, err := rs.page(mode, after, size)
	if err != nil {
		return nil, &QueryError{Param: "cursor", Position: -1, Reason: err.Error(), Err: err}
	}
	last := first + len(pageGroups)
	if last < rs.reports && len(pageGroups) > 0 {
		res.NextCursor = s.cursors.encode(mode, pageGroups[len(pageGroups)-1], last, rs.asOf, tag)
	}
	if len(pageGroups) == 0 {
		res.TookMillis = msSince(start)
		return res, nil
	}
	hits, err := s.reportHits(ctx, b, ast, q, rs, pageGroups)
	if err != nil {
		return nil, err
	}
	res.Reports = append(res.Reports, hits...)
	res.TookMillis = msSince(start)
	return res, nil
}

// parseQuery parses the query text. A blank text is a browse: a nil
// tree, which matches every report (with the request's filters), newest
// first whatever the sort asked for, since nothing is there to rank by.
func parseQuery(text string) (query.Node, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	ast, err := query.Parse(text)
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			return nil, &QueryError{Param: "q", Position: qe.Pos, Reason: qe.Reason, Err: err}
		}
		return nil, &QueryError{Param: "q", Position: -1, Reason: err.Error(), Err: err}
	}
	return ast, nil
}

// sourceLangs are the languages a query's words are translated from:
// the one the user named (qlang), else Options.Sources', else the
// detected one; of those, the ones the tables know.
func (s *Searcher) sourceLangs(ast query.Node, q model.Query, lang string, tables Translator) []string {
	var from []string
	switch {
	case q.QueryLang != "":
		from = []string{q.QueryLang}
	case s.opts.Sources != nil:
		from = s.opts.Sources(query.TextOf(ast))
	case lang != model.LangUnknown:
		from = []string{lang}
	}
	known := tables.Langs()
	return slices.DeleteFunc(from, func(l string) bool { return !slices.Contains(known, l) })
}

// stopWords is the builder's stop word test: a word the analysis of the
// query's language, or of every language it is translated from, keeps
// nothing of. Nil without an analyser or a language.
func (s *Searcher) stopWords(lang string, from []string) func(string) bool {
	langs := from
	if lang != model.LangUnknown {
		langs = []string{lang}
	}
	if s.opts.Analyzer == nil || len(langs) == 0 {
		return nil
	}
	return func(word string) bool {
		for _, l := range langs {
			if len(s.opts.Analyzer.Terms(l, word)) > 0 {
				return false
			}
		}
		return true
	}
}

// reportHits runs passes 2 and 3 for a page of groups: the matching
// versions of each, highlighted, and every version, matching or not.
func (s *Searcher) reportHits(ctx context.Context, b builder, ast query.Node, q model.Query, rs *resultSet,
	pageGroups []*group) ([]model.ReportHit, error) {
	// Pass 2 looks for matches only in the languages that matched.
	var pageLangs uint64
	page := make([]string, len(pageGroups))
	for i, g := range pageGroups {
		pageLangs |= g.langs
		page[i] = g.key
	}
	b.only = rs.langs.fieldLangs(pageLangs)
	main, err := b.build(ast)
	if err != nil {
		return nil, err
	}
	// Versions indexed since the set was computed are not part of it.
	full := withFilters(main, q)
	if !rs.fresh || rs.gen != s.ix.Generation() {
		full = indexedBefore(full, rs.asOf)
	}
	matched, err := s.ix.MatchingVersions(ctx, full, page)
	if err != nil {
		return nil, err
	}
	reports, err := s.ix.Reports(ctx, page)
	if err != nil {
		return nil, err
	}
	out := make([]model.ReportHit, 0, len(pageGroups))
	// Without a coverage pass (one concept or none, a phrase, filters;
	// builder.coverage), every match is whole.
	allWhole := !b.coverage(ast)
	for _, g := range pageGroups {
		rh := model.ReportHit{ReportID: model.ReportIDOf(g.key), Score: g.score, Matched: matched[g.key], Complete: g.whole || allWhole}
		if rep, ok := reports[g.key]; ok {
			rh.Versions, rh.Published, rh.Section = localVersions(rep.Versions), local(rep.Published), rep.Section
		}
		if rh.Matched == nil {
			rh.Matched = []model.VersionHit{}
		}
		out = append(out, rh)
	}
	return out, nil
}

// resultSet returns the ranked reports for a page of the query: from the
// cache when a set there still describes what the page must show, else
// computed (pass 1) and cached.
//
// A first page (no cursor) may use a set only if the index has not been
// written since; a cursor's page uses the set of its first page whatever
// was written since, which is what keeps pages stable while a crawl runs.
// Without that set (evicted, or another process), the page is computed
// again ignoring documents indexed after the first page.
func (s *Searcher) resultSet(ctx context.Context, key string, b builder, ast query.Node, q model.Query, mode string,
	after *cursor, size int, now time.Time) (*resultSet, error) {
	gen := s.ix.Generation()
	usable := func(rs *resultSet) bool {
		if rs == nil {
			return false
		}
		if after == nil {
			if !rs.fresh || rs.gen != gen {
				return false
			}
		} else if !rs.asOf.Equal(after.asOf()) {
			return false
		}
		_, _, ok, err := rs.page(mode, after, size)
		return ok || err != nil
	}
	if rs := s.cache.get(key); usable(rs) {
		return rs, nil
	}
	asOf := now.UTC()
	if after != nil {
		asOf = after.asOf()
	}
	// Identical searches arriving together (a page shared by a class, a
	// load test) compute once. The flight key includes everything that
	// makes the set differ.
	fkey := fmt.Sprintf("%s|%d|%d", key, asOf.UnixNano(), gen)
	if after != nil {
		fkey += "|" + after.Key
	}
	compute := func() (any, error) {
		if rs := s.cache.get(key); usable(rs) {
			return rs, nil
		}
		main, err := b.build(ast)
		if err != nil {
			return nil, err
		}
		full := withFilters(main, q)
		// Documents indexed after the first page are left out of the
		// later ones, so that a crawl running meanwhile cannot shift the
		// pages. The first page needs no such filter: everything it can
		// see was indexed before it. Leaving it out matters, since a range
		// over indexed_at expands into a disjunction over every batch's
		// timestamp, which grows with the index.
		if after != nil {
			full = indexedBefore(full, asOf)
		}
		release, err := s.acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("search %q: waiting for a turn: %w", q.Text, err)
		}
		s.aggregations.Add(1)
		agg, err := s.aggregate(ctx, full, mode == cursorRelevance)
		release()
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		if b.coverage(ast) {
			if err := s.markWhole(ctx, b, ast, q, after, asOf, agg.groups); err != nil {
				return nil, fmt.Errorf("search %q: %w", q.Text, err)
			}
		}
		if mode == cursorRelevance && !s.opts.NoSecondStage {
			if err := s.rerank(ctx, q, after, asOf, b.adjacency(ast), agg.groups); err != nil {
				return nil, fmt.Errorf("search %q: %w", q.Text, err)
			}
		}
		rs := &resultSet{gen: gen, asOf: asOf, fresh: after == nil, docs: agg.docs, reports: len(agg.groups),
			facets: facets(agg.groups, agg.langs), langs: agg.langs}
		rs.rank(agg.groups, mode, after, size, s.opts.Window)
		s.cache.put(key, rs)
		return rs, nil
	}
	var (
		v   any
		err error
	)
	if s.cache == nil {
		v, err = compute()
	} else {
		v, err, _ = s.flight.Do(fkey, compute)
	}
	if err != nil {
		return nil, err
	}
	return v.(*resultSet), nil
}

// markWhole marks the groups of which a version covers every concept of
// the query: by relevance they rank first, by score among themselves,
// before those covering part of it (best match: coverage first, BM25
// within); by date the mark is only shown (ReportHit.Complete). One
// more pass over the index, unscored, with every concept required.
func (s *Searcher) markWhole(ctx context.Context, b builder, ast query.Node, q model.Query, after *cursor,
	asOf time.Time, gs []*group) error {
	b.allConcepts = true
	all, err := b.build(ast)
	if err != nil {
		return err
	}
	full := withFilters(all, q)
	if after != nil {
		full = indexedBefore(full, asOf)
	}
	release, err := s.acquire(ctx)
	if err != nil {
		return fmt.Errorf("waiting for a turn: %w", err)
	}
	agg, err := s.aggregate(ctx, full, false)
	release()
	if err != nil {
		return err
	}
	whole := make(map[string]bool, len(agg.groups))
	for _, g := range agg.groups {
		whole[g.key] = true
	}
	for _, g := range gs {
		g.whole = whole[g.key]
	}
	return nil
}

func msSince(t time.Time) float64 {
	return float64(time.Since(t).Microseconds()) / 1000
}

// maxUnlinkedID bounds the id of a page linked to no report: its URL
// with the prefix; crawled URLs are shorter.
const maxUnlinkedID = 2048

// Report returns every version of a report with its full text; id is a
// report id or, for a page linked to no report, model.UnlinkedPrefix
// followed by its URL (the group key search results carry).
func (s *Searcher) Report(ctx context.Context, id string) (*model.Report, error) {
	// A report id is a number; a page linked to no report is fetched by
	// its group key, model.UnlinkedPrefix and its URL.
	maxLen := 64
	if strings.HasPrefix(id, model.UnlinkedPrefix) {
		maxLen = maxUnlinkedID
	}
	if id == "" || len(id) > maxLen {
		return nil, fmt.Errorf("report %q: %w", id, ErrNotFound)
	}
	rep, err := s.ix.Report(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(rep.Versions) == 0 {
		return nil, fmt.Errorf("report %s: %w", id, ErrNotFound)
	}
	rep.Published = local(rep.Published)
	localVersions(rep.Versions)
	for i := range rep.Documents {
		rep.Documents[i].Published = local(rep.Documents[i].Published)
	}
	return rep, nil
}

// local shows an instant in Vietnam's time: the index gives instants in UTC;
// researchers read Vietnamese dates. The zero time stays as it is.
func local(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(vnZone)
}

// localVersions shows the versions' dates in Vietnam's time (see local).
func localVersions(vs []model.Version) []model.Version {
	for i := range vs {
		vs[i].Published = local(vs[i].Published)
	}
	return vs
}

// Stats summarises the index.
func (s *Searcher) Stats(ctx context.Context) (*model.Stats, error) { return s.ix.Stats(ctx) }
