package crawler

import (
	"testing"
	"time"

	"baoscope/model"
)

// TestHandled: what a handler's result counts as, and what the URL's
// state then records.
func TestHandled(t *testing.T) {
	tests := []struct {
		name    string
		res     Result
		stored  bool
		count   Count
		outcome model.Outcome
	}{
		{"new", Result{Changed: true}, false, CountNew, model.OutcomeStored},
		{"updated", Result{Changed: true}, true, CountUpdated, model.OutcomeStored},
		{"identical", Result{}, true, CountUnchanged, model.OutcomeStored},
		{"skipped", Result{Skip: SkipOtherPaper, Changed: true}, false, SkipOtherPaper, model.OutcomeSkipped("other_paper")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, o := handled(tt.res, tt.stored)
			if c != tt.count || o != tt.outcome {
				t.Errorf("handled = %s, %s; want %s, %s", c, o, tt.count, tt.outcome)
			}
		})
	}
}

// TestVisitHeader: a revalidation sends the validators the last fetch
// recorded, a plain visit none; the state recorded starts from the last.
func TestVisitHeader(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st := &model.URLState{URL: "u", ETag: `"v1"`, LastModified: "Mon, 01 Dec 2025 00:00:00 GMT", Status: 200}
	tests := []struct {
		name        string
		v           visit
		inm, ims    string
		conditional bool
	}{
		{"first visit", visit{now: now}, "", "", false},
		{"known, not revalidating", visit{now: now, st: st}, "", "", false},
		{"revalidating", visit{now: now, st: st, revalidate: true}, `"v1"`, st.LastModified, true},
		{"revalidating without validators", visit{now: now, st: &model.URLState{URL: "u"}, revalidate: true}, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.v.header()
			if (h != nil) != tt.conditional || h.Get("If-None-Match") != tt.inm || h.Get("If-Modified-Since") != tt.ims {
				t.Errorf("header %v", h)
			}
			next := tt.v.next(task{url: "u", kind: KindTranslation})
			if !next.FetchedAt.Equal(now) || (tt.v.st == nil && next.Kind != "translation") {
				t.Errorf("next %+v", next)
			}
			if tt.v.st != nil && (next.ETag != tt.v.st.ETag || next == tt.v.st) {
				t.Errorf("next %+v does not start from a copy of %+v", next, tt.v.st)
			}
		})
	}
}
