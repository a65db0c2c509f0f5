package crawler

import (
	"context"
	"fmt"
	"net/url"
	"sync"

	"github.com/temoto/robotstxt"

	"baoscope/model"
)

// readRobots fetches each host's robots.txt once, before anything else of
// the host, through the host's spacing and retries: its rules decide
// every later request of the run, its Sitemap lines are queued. A 4xx
// allows everything, a 5xx (or no answer at all) disallows the host for
// the run, as Google does.
func (r *run) readRobots(ctx context.Context) {
	sitesList := []string{model.SiteBaoLamDong, model.SiteVietnamVN}
	groups := make([]*robotstxt.Group, len(sitesList))
	var wg sync.WaitGroup
	for i, site := range sitesList {
		wg.Go(func() { groups[i] = r.robotsOf(ctx, site) })
	}
	wg.Wait()
	for i, site := range sitesList {
		r.robots[site] = groups[i]
	}
}

// robotsOf fetches and parses one host's robots.txt and queues its
// sitemaps.
func (r *run) robotsOf(ctx context.Context, site string) *robotstxt.Group {
	base := r.c.cfg.BaoLamDong
	if site == model.SiteVietnamVN {
		base = r.c.cfg.VietnamVN
	}
	t := task{url: resolve(base, "/robots.txt"), kind: KindRobots, site: site}
	disallowAll, _ := robotstxt.FromStatusAndBytes(500, nil)
	resp, err := r.get(ctx, t, nil)
	if err != nil {
		if ctx.Err() == nil {
			r.fail(t, err)
		}
		return disallowAll.FindGroup(r.c.cfg.UserAgent)
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, resp.Body)
	if err != nil {
		r.fail(t, fmt.Errorf("%w %d: %w", ErrStatus, resp.StatusCode, err))
		return disallowAll.FindGroup(r.c.cfg.UserAgent)
	}
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		r.sum.add(site, "", CountDiscovery)
		for _, sm := range robotsSitemaps(resp.Body) {
			r.c.enqueue(r.f, sm, KindSitemap, SourceNone)
		}
	} else if resp.StatusCode >= 500 {
		r.c.log.Warn("robots.txt failed: host disallowed for this run", "url", t.url, "status", resp.StatusCode)
	}
	return data.FindGroup(r.c.cfg.UserAgent)
}

// allowed says whether robots.txt lets t be fetched; robots.txt itself
// always is.
func (r *run) allowed(t task) bool {
	g := r.robots[t.site]
	if t.kind == KindRobots || g == nil {
		return true
	}
	u, err := url.Parse(t.url)
	if err != nil {
		return false
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.Query().Encode()
	}
	return g.Test(p)
}
