// Package translate learns how words translate between the languages of
// the corpus, from the corpus itself, and answers "what may this query
// word be in language L, and how likely" at search time.
//
// Every vietnam.vn translation is linked to its Vietnamese original, so a
// crawl collects parallel text. Learn aligns each translation's
// paragraphs with the original's (package align: lengths and shared
// figures and names first), pairs the aligned paragraphs and the titles,
// and estimates word translation probabilities by expectation
// maximisation under IBM Model 1 (Brown et al. 1993), in both directions
// for every language against Vietnamese. It then realigns the paragraphs
// with what it learned, as Moore (2002) does for sentences, and trains
// again on the better pairs. Each estimate adds a pseudo-count to every
// word's, Moore's (2004) smoothing, which keeps a rare word from taking
// the words around it as its translations. Words are the index's terms — stems,
// Vietnamese syllables, CJK and Thai bigrams, figures — so a translation
// found here is a term the index can match.
//
// The tables are pruned as Probabilistic Structured Queries prune them
// (Darwish and Oard 2003; Yang et al. 2024): per word, the most probable
// translations until their cumulative probability reaches a threshold,
// at most k of them, none below a floor. A pair of languages neither of
// which is Vietnamese translates through it: p(y|x) = Σv p(v|x) p(y|v).
//
// The package that writes the tables reads them: Save and Load, with a
// format version that refuses stale files.
package translate
