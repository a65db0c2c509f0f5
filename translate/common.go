package translate

// DefaultMaxShare is Options.MaxShare's default. MySQL's full-text
// search draws the same line: a word in half of the rows or more tells
// nothing of any of them.
const DefaultMaxShare = 0.5

// minCommonDocs is how many documents a language needs before any of
// its terms is common: in a handful, a share says nothing of the
// language (MySQL's rule, applied to a small table, famously finds
// nothing at all).
const minCommonDocs = 20

// commonTerms marks, per language translated into, the terms that more
// than maxShare of the language's documents (titles included) contain:
// the endings, particles and bigrams of every sentence (Korean 니다,
// Thai ใน) and the province's own name. EM hands such terms some
// probability from almost any word, because they co-occur with
// everything; as translations they would match nearly every version of
// their language, ranking nothing and making each query walk the
// longest postings of the index. Vietnamese, the language of the
// originals, is not marked (see learnLang).
func (c *corpus) commonTerms(maxShare float64) map[string][]bool {
	out := make(map[string][]bool, len(c.docs))
	for lang, ps := range c.docs {
		if len(ps) < minCommonDocs {
			continue
		}
		size := len(c.vocabs[lang].terms)
		df := make([]int, size)
		last := make([]int, size) // per term, the last document counted (1-based)
		for i, p := range ps {
			mark := func(ids []int32) {
				for _, id := range ids {
					if last[id] != i+1 {
						last[id] = i + 1
						df[id]++
					}
				}
			}
			mark(p.tgt.title)
			for _, ts := range p.tgt.terms {
				mark(ts)
			}
		}
		common := make([]bool, size)
		for id, k := range df {
			common[id] = float64(k) > maxShare*float64(len(ps))
		}
		out[lang] = common
	}
	return out
}

// withoutTargets is t without the translations into the terms drop marks.
func withoutTargets(t table, drop []bool) table {
	out := table{keys: make([]uint64, 0, len(t.keys)), p: make([]float64, 0, len(t.p))}
	for i, k := range t.keys {
		if f := int32(uint32(k)); int(f) < len(drop) && drop[f] {
			continue
		}
		out.keys, out.p = append(out.keys, k), append(out.p, t.p[i])
	}
	return out
}

// countTrue is how many of bs are set.
func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
