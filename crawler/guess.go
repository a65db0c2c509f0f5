package crawler

import (
	"cmp"
	"context"
	"math"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

// Source is what named a URL to the crawl first: the documents a crawl
// stores are counted by it, so that a researcher sees what the sites
// listed and what had to be guessed.
type Source uint8

const (
	SourceNone    Source = iota // a starting point (robots.txt, sitemap.xml, the home page)
	SourceSitemap               // a sitemap urlset entry
	SourceFeed                  // an RSS item
	SourceListing               // a link on the home page or a section listing
	SourceLink                  // a link inside an article, or a translation's source line
	SourceGuess                 // a translation URL guessed from an original's slug
)

func (s Source) String() string {
	switch s {
	case SourceSitemap:
		return "sitemap"
	case SourceFeed:
		return "feed"
	case SourceListing:
		return "listing"
	case SourceLink:
		return "link"
	case SourceGuess:
		return "guess"
	}
	return "start"
}

// Defaults of the guessing policy.
const (
	// DefaultGuessFloor is the share of originals a language must
	// plausibly translate to be guessed: below it, 20 guesses buy less
	// than one page.
	DefaultGuessFloor = 0.05
	// DefaultTranslationLag is how long after an original its
	// translations may still appear on vietnam.vn (the mirror's appear
	// one to three hours later): an original published within this of the
	// newest translation sitemap is not yet covered by the sitemaps.
	DefaultTranslationLag = 12 * time.Hour
	// wilsonZ is the normal quantile of the Wilson bounds (95 %).
	wilsonZ = 1.96
)

// GuessStat is what a crawl knows of one language's translations: how
// often guessing its URL found a page, and how many the sitemaps listed.
// Guesses, Hits and Unlisted add up over runs (the data directory keeps
// them with the last crawl's summary); the others are this run's.
type GuessStat struct {
	Guesses  int `json:"guesses"`            // guesses for originals the sitemaps do not cover, answered 2xx or 404/410
	Hits     int `json:"hits"`               // … with a page (2xx)
	Unlisted int `json:"unlisted,omitempty"` // hits for originals the sitemaps covered: the listing of this language is incomplete
	Listed   int `json:"listed,omitempty"`   // translations the sitemaps named in this run
	Skipped  int `json:"skipped,omitempty"`  // guesses not made in this run: the language was below the floor
	// Share estimates the share of originals the language translates:
	// (Hits + Listed) / (Guesses + originals the sitemaps name in any
	// language); Lower and Upper are its Wilson bounds.
	Share float64 `json:"share"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	// Guessed says whether the language is still guessed: its Upper bound
	// reaches the floor (not enough evidence that it does not pay), or
	// every guess is forced.
	Guessed bool `json:"guessed"`
}

// wilson returns the Wilson score interval of hits successes in n trials;
// 0, 1 without trials.
func wilson(hits, n int) (lower, upper float64) {
	if n <= 0 {
		return 0, 1
	}
	p, nf, z2 := float64(hits)/float64(n), float64(n), wilsonZ*wilsonZ
	centre := p + z2/(2*nf)
	spread := wilsonZ * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	den := 1 + z2/nf
	return max(0, (centre-spread)/den), min(1, (centre+spread)/den)
}

// guesser decides, for one run, which translation URLs are worth
// guessing. What the sites say comes first: a guess is made only for an
// original the translation sitemaps do not cover (published after the
// newest, or before the oldest, or no sitemaps at all), or in a language
// whose listing proved incomplete; and only in languages whose rate —
// hits of earlier guesses and listings of the sitemaps — may reach the
// floor.
type guesser struct {
	langs []string // configured, in the configuration's order
	floor float64
	all   bool
	lag   time.Duration

	// shared, in a shared crawl, is the extent of the translation
	// sitemaps every process of the run has read: a process guesses when
	// it queues an original, and the sitemaps may have been read by
	// another (nil: this process's own reading only).
	shared SitemapDates
	ctx    context.Context

	mu       sync.Mutex
	stats    map[string]*GuessStat
	slugs    map[string]struct{} // slugs the translation sitemaps name, any language
	listed   map[string]struct{} // translation URLs the sitemaps name (for Listed, once each)
	from, to time.Time           // oldest and newest date of the translation sitemaps
	widened  bool                // from, to changed since they were last shared
	order    []string            // cached guessing order; nil when stale
}

func newGuesser(ctx context.Context, cfg Config) *guesser {
	g := &guesser{langs: cfg.Langs, floor: cfg.GuessFloor, all: cfg.GuessAll, lag: cfg.TranslationLag,
		stats: map[string]*GuessStat{}, slugs: map[string]struct{}{}, listed: map[string]struct{}{}, ctx: ctx}
	if cfg.Frontier != nil {
		g.shared = cfg.Frontier
	}
	for _, l := range cfg.Langs {
		st := &GuessStat{}
		if p, ok := cfg.GuessPrior[l]; ok {
			st.Guesses, st.Hits, st.Unlisted = p.Guesses, p.Hits, p.Unlisted
		}
		g.stats[l] = st
	}
	return g
}

// sitemapDate widens the extent of the translation sitemaps with the
// lastmod of a daily sitemap or of one of its entries.
func (g *guesser) sitemapDate(lastmod string) {
	t, ok := parseDate(lastmod)
	if !ok {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.widen(t, t)
}

// widen extends the extent of the translation sitemaps to [from, to];
// g.mu is held.
func (g *guesser) widen(from, to time.Time) {
	if !from.IsZero() && (g.from.IsZero() || from.Before(g.from)) {
		g.from, g.widened = from, true
	}
	if to.After(g.to) {
		g.to, g.widened = to, true
	}
}

// share tells the other processes of a shared crawl what this one's
// reading of the sitemaps added to their extent; once a sitemap is read,
// not once an entry. A failure only costs guesses.
func (g *guesser) share() {
	if g.shared == nil {
		return
	}
	g.mu.Lock()
	from, to, widened := g.from, g.to, g.widened
	g.widened = false
	g.mu.Unlock()
	if widened {
		_ = g.shared.ShareSitemapDates(g.ctx, from, to)
	}
}

// listedURL records a translation a vietnam.vn sitemap names.
func (g *guesser) listedURL(u string, lastmod string) {
	p, err := url.Parse(u)
	if err != nil {
		return
	}
	lang, slug, ok := sites.ParseTranslationPath(p.Path)
	if !ok {
		return
	}
	g.sitemapDate(lastmod)
	g.mu.Lock()
	defer g.mu.Unlock()
	key := lang + "/" + slug
	if _, dup := g.listed[key]; dup {
		return
	}
	g.listed[key] = struct{}{}
	g.slugs[slug] = struct{}{}
	if st := g.stats[lang]; st != nil {
		st.Listed++
		g.order = nil
	}
}

// covered says whether the translation sitemaps cover an original
// published at pub: its translations, if any, are listed there.
func (g *guesser) covered(pub time.Time) bool {
	if pub.IsZero() {
		return false
	}
	if ok := g.coveredBy(pub); ok || g.shared == nil {
		return ok
	}
	// Another process may have read the sitemaps that cover it.
	from, to, err := g.shared.SitemapDates(g.ctx)
	if err != nil || to.IsZero() {
		return false
	}
	g.mu.Lock()
	// What the others know needs no sharing back; a widening of this
	// process's own not shared yet (a sitemap being read) still does.
	pending := g.widened
	g.widen(from, to)
	g.widened = pending
	g.mu.Unlock()
	return g.coveredBy(pub)
}

// coveredBy says whether the extent known to this process covers pub.
func (g *guesser) coveredBy(pub time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.to.IsZero() && !pub.Add(g.lag).After(g.to) && !pub.Before(g.from.Add(-24*time.Hour))
}

// want says whether lang is worth guessing for an original the sitemaps
// do (covered) or do not cover, and counts a guess it declines for the
// rate.
func (g *guesser) want(lang string, covered bool) bool {
	if g.all {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.stats[lang]
	if st == nil {
		return true
	}
	if covered && st.Unlisted == 0 {
		return false
	}
	if _, upper := g.bounds(st); upper < g.floor {
		st.Skipped++
		return false
	}
	return true
}

// bounds are the Wilson bounds of a language's share, from guesses and
// listings together.
func (g *guesser) bounds(st *GuessStat) (lower, upper float64) {
	return wilson(st.Hits+st.Listed, st.Guesses+len(g.slugs))
}

// result counts the answer to a guess: a page or a 404. A guess for an
// original the sitemaps cover says only whether their listing is complete:
// the listing already counts for the language's share, and of such guesses
// only those the sitemaps did not name are asked at all.
func (g *guesser) result(lang string, hit, covered bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.stats[lang]
	if st == nil {
		return
	}
	if covered {
		if hit {
			st.Unlisted++
		}
		return
	}
	st.Guesses++
	if hit {
		st.Hits++
	}
	g.order = nil
}

// orderLangs is the order an original's languages are guessed in: the
// likeliest first (by estimated share), ties in the configured order.
func (g *guesser) orderLangs() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.order != nil {
		return g.order
	}
	share := func(l string) float64 {
		st := g.stats[l]
		n := st.Guesses + len(g.slugs)
		if n == 0 {
			return 1
		}
		return float64(st.Hits+st.Listed) / float64(n)
	}
	order := slices.Clone(g.langs)
	slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(share(b), share(a)) })
	g.order = order
	return order
}

// snapshot is every language's figures, for the summary.
func (g *guesser) snapshot() map[string]GuessStat {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]GuessStat, len(g.stats))
	for l, st := range g.stats {
		s := *st
		n := s.Guesses + len(g.slugs)
		if n > 0 {
			s.Share = float64(s.Hits+s.Listed) / float64(n)
		}
		s.Lower, s.Upper = g.bounds(st)
		s.Guessed = g.all || s.Upper >= g.floor
		out[l] = s
	}
	return out
}

// expandCandidate is the frontier's expansion of a candidates entry: the
// i-th language's /<lang>/<slug>, or a task without URL when that
// language is not worth a guess for this original.
func (r *run) expandCandidate(c task, i int) (task, bool) {
	langs := c.langs
	if langs == nil {
		langs = r.guess.orderLangs()
	}
	if i >= len(langs) {
		return task{}, false
	}
	covered := c.pub != 0 && r.guess.covered(time.Unix(c.pub, 0))
	if !r.guess.want(langs[i], covered) {
		return task{}, true // no URL: nothing to fetch for this language
	}
	return task{
		url:  resolve(r.c.cfg.VietnamVN, sites.TranslationPath(langs[i], c.url)),
		kind: KindTranslation, site: model.SiteVietnamVN, lang: langs[i], guessed: true,
		src: SourceGuess, covered: covered,
	}, true
}

// guessStatsLine is a language's figures in the summary's table.
func guessStatsLine(st GuessStat) []string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	status := "guessed"
	if !st.Guessed {
		status = "dropped"
	}
	return []string{strconv.Itoa(st.Listed), strconv.Itoa(st.Guesses), strconv.Itoa(st.Hits),
		strconv.Itoa(st.Unlisted), strconv.Itoa(st.Skipped), f(st.Share), f(st.Lower), f(st.Upper), status}
}
