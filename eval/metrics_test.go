package eval

import (
	"math"
	"testing"
)

func TestMetrics(t *testing.T) {
	tests := []struct {
		name           string
		ranked, rel    []string
		recall, rr, nd float64
	}{
		{"first", []string{"a", "b"}, []string{"a"}, 1, 1, 1},
		{"second", []string{"x", "a"}, []string{"a"}, 1, 0.5, 1 / math.Log2(3)},
		{"half found", []string{"a", "x"}, []string{"a", "b"}, 0.5, 1, 1 / (1 + 1/math.Log2(3))},
		{"both, swapped order irrelevant", []string{"b", "a"}, []string{"a", "b"}, 1, 1, 1},
		{"none", []string{"x", "y"}, []string{"a"}, 0, 0, 0},
		{"empty ranking", nil, []string{"a"}, 0, 0, 0},
		{"beyond the cutoff", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "a"}, []string{"a"}, 0, 1.0 / 11, 0},
		{"more relevant than the cutoff", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
			[]string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}, 10.0 / 12, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := set(tt.rel)
			if got := recallAt(tt.ranked, rel, cutoff); !near(got, tt.recall) {
				t.Errorf("recall %v, want %v", got, tt.recall)
			}
			if got := reciprocalRank(tt.ranked, rel); !near(got, tt.rr) {
				t.Errorf("RR %v, want %v", got, tt.rr)
			}
			if got := ndcgAt(tt.ranked, rel, cutoff); !near(got, tt.nd) {
				t.Errorf("nDCG %v, want %v", got, tt.nd)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
