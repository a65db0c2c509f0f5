package eval

import (
	"context"
	"fmt"
	"slices"

	"baoscope/model"
)

// Searcher is the part of the search service the evaluation uses: the
// same one the API and the page call, so what is measured is what users
// get.
type Searcher interface {
	Search(ctx context.Context, q model.Query) (*model.Result, error)
}

// depth is how many ranked reports a query's reciprocal rank looks at:
// the API's largest page.
const depth = 100

// Outcome is one judged query's ranking and scores.
type Outcome struct {
	Judged
	// Class is the row the query counts in: its type, or "cross/vi-only"
	// for a cross-language query whose reports exist only in Vietnamese.
	Class    string   `json:"class"`
	Ranked   []string `json:"ranked"` // report ids (or unlinked group keys), best first, at most depth
	Total    int      `json:"total"`  // reports the search matched
	TopScore float64  `json:"top_score,omitempty"`
	Recall   float64  `json:"recall_at_10"`
	RR       float64  `json:"reciprocal_rank"`
	NDCG     float64  `json:"ndcg_at_10"`
	Error    string   `json:"error,omitempty"` // the search refused the query
	// Complete counts the complete matches among the ranked reports.
	Complete int `json:"complete"`
	// Detected is the query language the search read (model.LangUnknown
	// when unsure) and From the languages it translated the words from.
	Detected string   `json:"detected"`
	From     []string `json:"from,omitempty"`
}

// Row averages the outcomes of one group of queries. Scores average over
// the queries that have relevant reports; no-answer queries count in
// NoAnswer, and in Empty when they returned nothing, as they should.
type Row struct {
	Key      string  `json:"key"`
	N        int     `json:"n"`
	Recall   float64 `json:"recall_at_10"`
	MRR      float64 `json:"mrr"`
	NDCG     float64 `json:"ndcg_at_10"`
	NoAnswer int     `json:"no_answer,omitempty"`
	Empty    int     `json:"empty,omitempty"`
	// Partial counts the no-answer queries that returned reports, none
	// of them a complete match (model.ReportHit.Complete): what the
	// search itself marks as a partial answer.
	Partial int `json:"partial,omitempty"`
	Errors  int `json:"errors,omitempty"`
}

// Report is a whole evaluation.
type Report struct {
	Queries []Outcome `json:"queries"`
	ByType  []Row     `json:"by_type"`
	ByLang  []Row     `json:"by_lang"`
	// ByTypeLang has one row per type and language ("cross/de").
	ByTypeLang []Row `json:"by_type_lang"`
	// Detection is how the query language was read, per language.
	Detection []DetectionRow `json:"detection"`
	Mate      *MateReport    `json:"mate,omitempty"`
	// NoTranslate says the queries were searched without translation
	// (Options.NoTranslate): Detection then counts detection only.
	NoTranslate bool     `json:"no_translate,omitempty"`
	Problems    []string `json:"problems,omitempty"` // judgments that do not hold against the corpus
}

const classViOnly = "cross/vi-only"

// Run searches every judged query and scores the rankings. v, the
// corpus's versions, decides the cross/vi-only class and is checked
// against the judgments (Problems). A query the search refuses scores 0
// and keeps its error; only a cancelled ctx stops the run.
func Run(ctx context.Context, s Searcher, qs []Judged, v Versions, o Options) (*Report, error) {
	rep := &Report{NoTranslate: o.NoTranslate}
	for _, p := range Check(qs, v) {
		rep.Problems = append(rep.Problems, p.String())
	}
	for _, q := range qs {
		out, err := runOne(ctx, s, q, o)
		if err != nil {
			return nil, err
		}
		out.Class = string(q.Type)
		if q.Type == Cross && viOnly(q, v) {
			out.Class = classViOnly
		}
		rep.Queries = append(rep.Queries, out)
	}
	rep.aggregate()
	return rep, nil
}

// aggregate computes the rows and the detection counts from the
// queries' outcomes.
func (rep *Report) aggregate() {
	rep.ByType = rows(rep.Queries, func(o Outcome) []string {
		if o.Class == classViOnly {
			return []string{string(Cross), classViOnly}
		}
		return []string{o.Class}
	})
	rep.ByLang = rows(rep.Queries, func(o Outcome) []string { return []string{o.Lang} })
	rep.ByTypeLang = rows(rep.Queries, func(o Outcome) []string { return []string{string(o.Type) + "/" + o.Lang} })
	rep.Detection = detection(rep.Queries, rep.NoTranslate)
}

// Pool is one report of several runs over parts of a corpus (its
// folds): every query's outcome, the rows computed again over all of
// them (a mean over the pooled queries, not a mean of the runs' means),
// and the mate tests pooled the same way. The runs must share their
// options.
func Pool(reps ...*Report) *Report {
	out := &Report{}
	var mates []*MateReport
	for _, r := range reps {
		out.Queries = append(out.Queries, r.Queries...)
		out.Problems = append(out.Problems, r.Problems...)
		out.NoTranslate = r.NoTranslate
		if r.Mate != nil {
			mates = append(mates, r.Mate)
		}
	}
	out.aggregate()
	if len(mates) > 0 {
		out.Mate = poolMates(mates)
	}
	return out
}

// DetectionRow counts how the queries of one language were read. Name
// queries are left out: a name belongs to no language, and the search
// is right to call it unknown.
type DetectionRow struct {
	Lang  string `json:"lang"`
	N     int    `json:"n"`
	Right int    `json:"right"` // detected as their language
	// Covered were detected as another language or as unknown, but
	// their language was among those the search translated from (a close
	// language, or the two likeliest when unsure).
	Covered int `json:"covered"`
	// Unsure were detected as unknown in a run without translation,
	// where no language is translated from and none can be Covered.
	Unsure int `json:"unsure,omitempty"`
	// Wrong were not translated from their language; in a run without
	// translation, they were detected as another language.
	Wrong int `json:"wrong"`
}

// detection counts how the queries were read; noTranslate says the run
// translated nothing, so that an unsure reading is Unsure rather than
// Wrong for want of a source language.
func detection(os []Outcome, noTranslate bool) []DetectionRow {
	by := map[string]*DetectionRow{}
	var order []string
	for _, o := range os {
		if o.Type == Name || o.Error != "" {
			continue
		}
		r := by[o.Lang]
		if r == nil {
			r = &DetectionRow{Lang: o.Lang}
			by[o.Lang] = r
			order = append(order, o.Lang)
		}
		r.N++
		switch {
		case o.Detected == o.Lang:
			r.Right++
		case slices.Contains(o.From, o.Lang):
			r.Covered++
		case noTranslate && o.Detected == model.LangUnknown:
			r.Unsure++
		default:
			r.Wrong++
		}
	}
	slices.Sort(order)
	out := make([]DetectionRow, 0, len(order)+1)
	all := DetectionRow{Lang: "all"}
	for _, l := range order {
		r := *by[l]
		all.N, all.Right, all.Covered, all.Unsure, all.Wrong = all.N+r.N, all.Right+r.Right, all.Covered+r.Covered, all.Unsure+r.Unsure, all.Wrong+r.Wrong
		out = append(out, r)
	}
	return append([]DetectionRow{all}, out...)
}

// Options say how the queries are searched.
type Options struct {
	// NoTranslate searches words as written only (model.Query): the
	// figures without query translation, for a comparison in one run.
	NoTranslate bool
	// JudgedLang passes each query's judged language as its qlang, so
	// that detection errors cost nothing: the figures with a perfect
	// query language detector, for a comparison.
	JudgedLang bool
}

func runOne(ctx context.Context, s Searcher, q Judged, opts Options) (Outcome, error) {
	o := Outcome{Judged: q}
	mq := model.Query{Text: q.Query, Size: depth, NoTranslate: opts.NoTranslate}
	if opts.JudgedLang {
		mq.QueryLang = q.Lang
	}
	res, err := s.Search(ctx, mq)
	if err != nil {
		if ctx.Err() != nil {
			return o, fmt.Errorf("query %s: %w", q.ID, ctx.Err())
		}
		o.Error = err.Error()
		return o, nil
	}
	o.Total, o.Detected = res.TotalReports, res.QueryLang
	if res.Reading != nil {
		o.From = res.Reading.From
	}
	for _, r := range res.Reports {
		o.Ranked = append(o.Ranked, groupID(r))
		if r.Complete {
			o.Complete++
		}
	}
	if len(res.Reports) > 0 {
		o.TopScore = res.Reports[0].Score
	}
	rel := set(q.Relevant)
	o.Recall = recallAt(o.Ranked, rel, cutoff)
	o.RR = reciprocalRank(o.Ranked, rel)
	o.NDCG = ndcgAt(o.Ranked, rel, cutoff)
	return o, nil
}

// groupID names a result: its report id, or for a page linked to no
// report the URL of its one version, which no judgment can name.
func groupID(r model.ReportHit) string {
	if r.ReportID != "" {
		return r.ReportID
	}
	if len(r.Versions) > 0 {
		return r.Versions[0].URL
	}
	return ""
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// rows averages outcomes per key; keys(o) lists the rows o counts in.
// Rows come out by type order first, then alphabetically.
func rows(os []Outcome, keys func(Outcome) []string) []Row {
	acc := map[string]*Row{}
	for _, o := range os {
		for _, k := range keys(o) {
			r := acc[k]
			if r == nil {
				r = &Row{Key: k}
				acc[k] = r
			}
			r.add(o)
		}
	}
	out := make([]Row, 0, len(acc))
	for _, r := range acc {
		r.finish()
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Row) int {
		if d := typeRank(a.Key) - typeRank(b.Key); d != 0 {
			return d
		}
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	return out
}

func typeRank(key string) int {
	for i, t := range types {
		if key == string(t) || len(key) > len(t) && key[:len(t)+1] == string(t)+"/" {
			return i
		}
	}
	return len(types)
}

func (r *Row) add(o Outcome) {
	r.N++
	if o.Error != "" {
		r.Errors++
	}
	if o.Type == NoAnswer {
		r.NoAnswer++
		switch {
		case o.Total == 0:
			r.Empty++
		case o.Complete == 0:
			r.Partial++
		}
		return
	}
	r.Recall += o.Recall
	r.MRR += o.RR
	r.NDCG += o.NDCG
}

func (r *Row) finish() {
	if n := float64(r.N - r.NoAnswer); n > 0 {
		r.Recall /= n
		r.MRR /= n
		r.NDCG /= n
	}
}
