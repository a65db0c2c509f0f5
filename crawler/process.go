package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"

	"baoscope/model"
)

// process handles one task.
func (r *run) process(ctx context.Context, t task) {
	if t.kind.article() {
		r.article(ctx, t)
		return
	}
	r.discovery(ctx, t)
}

// overLimit counts and reports a task dropped by MaxPages.
func (r *run) overLimit(t task) bool {
	if r.c.cfg.MaxPages > 0 && r.sum.requestCount() >= r.c.cfg.MaxPages {
		r.sum.add(t.site, langOf(t), CountOverLimit)
		return true
	}
	return false
}

// discovery fetches a robots.txt, sitemap, feed or listing and queues
// what it names. Discovery pages are fetched on every run: they are how
// new reports are found.
func (r *run) discovery(ctx context.Context, t task) {
	if r.overLimit(t) || r.overBudget(t) {
		return
	}
	resp, err := r.get(ctx, t, nil)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		r.fail(t, err)
		return
	}
	switch s := resp.StatusCode; {
	case isRedirect(s):
		r.redirect(t, resp)
		return
	case s == http.StatusNotFound || s == http.StatusGone:
		// A site need not offer every discovery source.
		r.c.log.Debug("discovery page not found", "url", t.url, "kind", t.kind)
		return
	case s < 200 || s > 299:
		r.fail(t, fmt.Errorf("%w %d", ErrStatus, s))
		return
	}
	r.sum.add(t.site, "", CountDiscovery)
	switch t.kind {
	case KindSitemap:
		if err := r.c.discoverSitemap(r.f, resp.Body, r.guess); err != nil {
			r.fail(t, err)
		}
		r.guess.share()
	case KindFeed:
		if err := r.c.discoverFeed(r.f, resp.Body); err != nil {
			r.fail(t, err)
		}
	case KindListing:
		r.c.discoverHTML(r.f, resp.Request.URL, resp.Body,
			&listingPage{stale: int(t.stale), limit: max(r.c.cfg.StalePages, 0), isNew: r.newListed})
	}
}

// overBudget counts and reports a listing page beyond its host's budget.
func (r *run) overBudget(t task) bool {
	if t.kind != KindListing || r.c.cfg.ListingPages < 0 {
		return false
	}
	if r.listings[t.site].Add(1) > int64(r.c.cfg.ListingPages) {
		r.sum.add(t.site, "", CountListingBudget)
		return true
	}
	return false
}

// newListed reports whether a listing names article URL u for the first
// time in this run.
func (r *run) newListed(u string) bool {
	k := maphash.String(r.seed, u)
	r.listedMu.Lock()
	defer r.listedMu.Unlock()
	if _, ok := r.listed[k]; ok {
		return false
	}
	r.listed[k] = struct{}{}
	return true
}

// forgetListed empties the memory of listed articles when a shared
// crawl rejoins after its state was lost: discovery restarts, and the
// articles this process saw listed before the loss were queued only in
// the lost run. Remembered, they would make the listings' first pages
// look stale and end their pagination before the articles they name.
func (r *run) forgetListed() {
	r.listedMu.Lock()
	defer r.listedMu.Unlock()
	clear(r.listed)
}

// article decides whether an original or translation needs a request at
// all, makes it (conditional when revalidating), and records what the
// answer says, handing a 2xx page to the handler.
func (r *run) article(ctx context.Context, t task) {
	v, ok := r.decide(t)
	if !ok || r.overLimit(t) {
		return
	}
	r.c.log.Debug("request", "url", t.url, "conditional", v.revalidate)
	resp, err := r.get(ctx, t, v.header())
	if ctx.Err() != nil {
		return
	}
	r.record(ctx, t, v, resp, err)
}

// visit is what is known of an article URL before it is requested.
type visit struct {
	now        time.Time
	st         *model.URLState // what earlier runs recorded; nil: nothing
	published  time.Time       // the stored document's publication time
	stored     bool            // the document is held
	revalidate bool            // held or skipped before, and recent: ask again, conditionally
}

// decide says whether t needs a request: not when its document is held
// and not recent, nor when it is a guessed candidate that answered 404
// within NotFoundTTL, nor when the handler skipped it before and it is
// not recent. What it skips it counts.
func (r *run) decide(t task) (visit, bool) {
	cfg := &r.c.cfg
	v := visit{now: cfg.Now()}
	if !t.guessed && r.f.unremember(t.url) {
		// Skipped as a guessed candidate earlier in this run, named by
		// the site since: this visit replaces that outcome.
		r.sum.undo(t.site, langOf(t), CountRemembered404)
	}
	v.st = r.loadState(t.url)
	if cfg.Stored != nil {
		v.published, v.stored = cfg.Stored(t.url)
	}
	st := v.st
	switch {
	case v.stored:
		if !r.recent(v.published, v.now) {
			r.count(t, CountStored)
			r.afterOriginal(t, v.published)
			return v, false
		}
		v.revalidate = true
	case st != nil && st.Outcome == model.OutcomeNotFound && t.guessed && cfg.NotFoundTTL > 0 &&
		v.now.Sub(st.FetchedAt) < cfg.NotFoundTTL && !r.f.confirmed(t.url):
		r.count(t, CountRemembered404)
		r.f.remembered(t.url)
		return v, false
	case st != nil && st.Outcome.Skipped():
		if !r.recent(st.Published, v.now) {
			r.count(t, CountRememberedSkip)
			return v, false
		}
		v.revalidate = true
	}
	return v, true
}

// header is a revalidation's conditional headers, from the validators
// the last fetch recorded; nil for a plain GET.
func (v visit) header() http.Header {
	if !v.revalidate || v.st == nil {
		return nil
	}
	hdr := http.Header{}
	if v.st.ETag != "" {
		hdr.Set("If-None-Match", v.st.ETag)
	}
	if v.st.LastModified != "" {
		hdr.Set("If-Modified-Since", v.st.LastModified)
	}
	return hdr
}

// next is the state this visit records: what was recorded before, fetched
// now.
func (v visit) next(t task) *model.URLState {
	next := &model.URLState{URL: t.url, Kind: t.kind.String()}
	if v.st != nil {
		*next = *v.st
	}
	next.FetchedAt = v.now.UTC()
	return next
}

// record counts the answer to an article request (or its failure) and
// records the URL's state; a 2xx page goes on to keep.
func (r *run) record(ctx context.Context, t task, v visit, resp *colly.Response, err error) {
	next := v.next(t)
	if err != nil {
		r.fail(t, err)
		next.Status, next.Outcome = 0, model.OutcomeFailed(reasonOf(err))
		r.saveState(next)
		return
	}
	next.Status = resp.StatusCode
	switch s := resp.StatusCode; {
	case isRedirect(s):
		r.redirect(t, resp)
		next.Outcome = model.OutcomeRedirect
	case s == http.StatusNotModified:
		r.count(t, CountUnchanged)
		next.Outcome = model.OutcomeUnchanged
		if v.stored {
			next.Outcome = model.OutcomeStored
		}
		r.saveState(next)
		r.afterOriginal(t, v.published)
		return
	case s == http.StatusNotFound || s == http.StatusGone:
		r.count(t, CountNotFound)
		if t.guessed {
			r.guess.result(t.lang, false, t.covered)
		}
		if next.NotFoundSince.IsZero() || next.Outcome != model.OutcomeNotFound {
			next.NotFoundSince = v.now.UTC()
		}
		next.Outcome = model.OutcomeNotFound
		if v.stored {
			// Kept: an archive does not forget a report the site removed.
			r.c.log.Info("stored page now missing", "url", t.url, "status", s)
		}
	case s < 200 || s > 299:
		err := fmt.Errorf("%w %d", ErrStatus, s)
		r.fail(t, err)
		next.Outcome = model.OutcomeFailed(reasonOf(err))
	default:
		r.keep(ctx, t, v, resp, next)
		return
	}
	r.saveState(next)
}

// keep hands a 2xx page to the handler, unless a revalidation got the
// bytes it had, and records what the handler did with it.
func (r *run) keep(ctx context.Context, t task, v visit, resp *colly.Response, next *model.URLState) {
	sum := sha256.Sum256(resp.Body)
	hash := hex.EncodeToString(sum[:])
	next.ETag = resp.Headers.Get("ETag")
	next.LastModified = resp.Headers.Get("Last-Modified")
	next.NotFoundSince = time.Time{}
	if v.revalidate && v.st != nil && v.st.ContentHash == hash {
		// The server ignored the validators but sent the same bytes.
		r.count(t, CountUnchanged)
		next.ContentHash = hash
		r.saveState(next)
		r.afterOriginal(t, v.published)
		return
	}
	r.count(t, CountFetched)
	if t.guessed {
		r.guess.result(t.lang, true, t.covered)
	}
	if t.kind == KindOriginal {
		r.c.discoverHTML(r.f, resp.Request.URL, resp.Body, nil)
	} else {
		r.c.discoverSource(r.f, resp.Request.URL, resp.Body)
	}
	if !r.claim(ctx, t) {
		return
	}
	res, err := r.h.HandlePage(ctx, &Page{
		URL: t.url, Site: t.site, Kind: t.kind, Lang: t.lang,
		StatusCode: resp.StatusCode, Header: resp.Headers.Clone(), Body: resp.Body,
		FetchedAt: v.now.UTC(),
	})
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		err = fmt.Errorf("%w: %w", errHandler, err)
		r.fail(t, err)
		next.Outcome = model.OutcomeFailed(reasonOf(err))
		r.saveState(next)
		return
	}
	next.ContentHash = hash
	if !res.Published.IsZero() {
		next.Published = res.Published.UTC()
	}
	c, outcome := handled(res, v.stored)
	r.count(t, c)
	if c == CountNew {
		r.sum.source(t.src)
	}
	next.Outcome = outcome
	r.saveState(next)
	if res.Skip == "" {
		r.afterOriginal(t, res.Published)
	}
}

// handled is what a handler's result counts as, and the outcome the URL's
// state records.
func handled(res Result, stored bool) (Count, model.Outcome) {
	switch {
	case res.Skip != "":
		return res.Skip, model.OutcomeSkipped(string(res.Skip))
	case !res.Changed:
		return CountUnchanged, model.OutcomeStored
	case stored:
		return CountUpdated, model.OutcomeStored
	}
	return CountNew, model.OutcomeStored
}

// afterOriginal queues an original's translation candidates, unless Since
// says the original is too old to look for them.
func (r *run) afterOriginal(t task, published time.Time) {
	if t.kind != KindOriginal {
		return
	}
	if r.c.beforeSince(published) {
		return
	}
	r.enqueueTranslations(t.url, published)
}

// recent says whether a page published at p is within the revalidation
// window. An unknown date is not recent: revalidating every undated page
// on every run would refetch the whole archive.
func (r *run) recent(p, now time.Time) bool {
	w := r.c.cfg.Revalidate
	return w > 0 && !p.IsZero() && now.Sub(p) < w
}

func (r *run) loadState(u string) *model.URLState {
	if r.c.cfg.State == nil {
		return nil
	}
	st, err := r.c.cfg.State.URLState(u)
	if err != nil {
		if !errors.Is(err, model.ErrNotFound) {
			r.c.log.Warn("read crawl state", "url", u, "err", err)
		}
		return nil
	}
	return st
}

// saveState records a URL's state, after the handler has stored the
// page. A failure to write it is logged, not fatal: the document itself
// is already stored, and the state only saves requests on the next run.
// For the same reason the write need not be durable at once (see
// StateStore), which spares a commit, and its fsync, per request.
func (r *run) saveState(st *model.URLState) {
	if r.c.cfg.State == nil {
		return
	}
	if err := r.c.cfg.State.PutURLState(st); err != nil {
		r.c.log.Warn("write crawl state", "url", st.URL, "err", err)
	}
}

func (r *run) count(t task, c Count) { r.sum.add(t.site, langOf(t), c) }

func (r *run) fail(t task, err error) {
	reason := reasonOf(err)
	r.sum.failure(t.site, langOf(t), reason, t.url, err)
	r.c.log.Warn("fetch failed", "url", t.url, "kind", t.kind, "reason", reason, "err", err)
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// redirect turns a 3xx answer into a task for its Location: checked like
// any discovered URL (configured hosts only), and refused when it closes a
// loop or makes the chain longer than maxRedirects.
func (r *run) redirect(t task, resp *colly.Response) {
	loc := resp.Headers.Get("Location")
	target, err := resp.Request.URL.Parse(loc)
	if loc == "" || err != nil {
		r.fail(t, fmt.Errorf("%w %d without a usable Location %q", ErrStatus, resp.StatusCode, loc))
		return
	}
	target.Fragment = ""
	chain := append(slices.Clip(t.chain), t.url)
	switch {
	case target.String() == t.url && len(chain) == 1:
		// A page redirecting to itself once, as sites do to set a
		// cookie: ask again.
		r.count(t, CountRedirects)
		r.f.pushAgain(task{url: t.url, kind: t.kind, site: t.site, lang: t.lang, chain: chain})
		return
	case slices.Contains(chain, target.String()):
		r.fail(t, fmt.Errorf("%w: %s → %s", ErrRedirectLoop, strings.Join(chain, " → "), target))
		return
	case len(chain) >= maxRedirects:
		r.fail(t, fmt.Errorf("%w: more than %d redirects from %s", ErrRedirectLoop, maxRedirects, chain[0]))
		return
	}
	// The target keeps the kind of the page that redirected, unless its
	// shape says it is an article of either site.
	next, ok := r.c.classify(target.String(), t.kind)
	if !ok {
		r.fail(t, fmt.Errorf("redirect to %s: %w", target.Redacted(), ErrOffHost))
		return
	}
	if next.kind == KindTranslation && next.lang == "" {
		next.lang = t.lang
	}
	next.chain = chain
	next.src = t.src
	r.count(t, CountRedirects)
	r.c.log.Debug("redirect", "from", t.url, "to", next.url, "status", resp.StatusCode)
	r.f.push(next)
}
