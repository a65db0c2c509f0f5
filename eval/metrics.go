package eval

import "math"

// cutoff is the rank depth of Recall@k and nDCG@k.
const cutoff = 10

// recallAt is the share of relevant reports among the first k ranked.
func recallAt(ranked []string, relevant map[string]bool, k int) float64 {
	if len(relevant) == 0 {
		return 0
	}
	hits := 0
	for _, id := range ranked[:min(k, len(ranked))] {
		if relevant[id] {
			hits++
		}
	}
	return float64(hits) / float64(len(relevant))
}

// reciprocalRank is 1/rank of the first relevant report, 0 when none is
// ranked.
func reciprocalRank(ranked []string, relevant map[string]bool) float64 {
	for i, id := range ranked {
		if relevant[id] {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// ndcgAt is nDCG@k with binary gains: the discounted hits among the first
// k over the best possible, which puts every relevant report first.
func ndcgAt(ranked []string, relevant map[string]bool, k int) float64 {
	var dcg, ideal float64
	for i, id := range ranked[:min(k, len(ranked))] {
		if relevant[id] {
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	for i := range min(k, len(relevant)) {
		ideal += 1 / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}
