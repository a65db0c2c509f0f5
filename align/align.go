package align

import (
	"math"
	"strconv"
	"strings"
)

// Bead is one step of an alignment: Left and Right index the segments on
// each side that translate each other; one of them may be empty (a
// segment with no counterpart) but never both.
type Bead struct {
	Left, Right []int
}

// kind is a bead shape: how many segments each side takes.
type kind struct {
	l, r  int
	prior float64 // -log of the shape's prior probability
}

// kinds are the shapes tried. 1–1 dominates; a lost or added paragraph
// (a lead dropped, a caption added) and merges and splits are rarer.
// The priors follow Gale and Church's sentence figures, with more weight
// on 1–0 and 0–1 because pages lose leads, captions and sentences.
var kinds = []kind{
	{1, 1, -math.Log(0.86)},
	{1, 0, -math.Log(0.05)},
	{0, 1, -math.Log(0.05)},
	{2, 1, -math.Log(0.045)},
	{1, 2, -math.Log(0.045)},
}

// Weights of the cost terms; see lengthCost and anchorBonus.
const (
	// lengthWeight scales the squared log ratio of a bead's two sides'
	// shares: sides of 70‰ and 50‰ cost 0.3, 70‰ and 35‰ cost 1.3.
	lengthWeight = 3.0
	// lengthSmooth (‰) keeps the ratio of two very short sides sane.
	lengthSmooth = 10.0
	// loneWeight is what a side with no counterpart pays per ‰, beyond
	// its shape's prior: dropping a 70‰ paragraph costs 0.7 more.
	loneWeight = 0.01
	// anchorWeight is what a bead gains when every anchor on both sides
	// is shared: worth about a kind's prior, so anchors decide between
	// shapes whose lengths fit alike.
	anchorWeight = 4.0
)

// Lexical scores the evidence that the left segments li translate the
// right segments ri (one of them may be empty: a segment without
// counterpart): positive for likely pairings, negative for unlikely ones,
// in units of the shape priors' negative logs (see package translate).
// Align is usable without it.
type Lexical func(li, ri []int) float64

// Align returns the cheapest alignment of left and right segments (a
// document's lead, if any, then its body paragraphs), in order. Every
// segment appears in exactly one bead. With either side empty, each
// segment of the other stands alone. lex may be nil.
func Align(left, right []string, lex Lexical) []Bead {
	l, r := profile(left), profile(right)
	n, m := len(left), len(right)
	cost := make([][]float64, n+1)
	back := make([][]int8, n+1)
	for i := range cost {
		cost[i] = make([]float64, m+1)
		back[i] = make([]int8, m+1)
		for j := range cost[i] {
			cost[i][j] = math.Inf(1)
		}
	}
	cost[0][0] = 0
	for i := 0; i <= n; i++ {
		for j := 0; j <= m; j++ {
			if i == 0 && j == 0 {
				continue
			}
			for k, kd := range kinds {
				pi, pj := i-kd.l, j-kd.r
				if pi < 0 || pj < 0 || math.IsInf(cost[pi][pj], 1) {
					continue
				}
				c := cost[pi][pj] + beadCost(kd, l[pi:i], r[pj:j])
				if lex != nil {
					c -= lex(span(pi, i), span(pj, j))
				}
				if c < cost[i][j] {
					cost[i][j], back[i][j] = c, int8(k)
				}
			}
		}
	}
	return trace(back, n, m)
}

func span(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func trace(back [][]int8, i, j int) []Bead {
	var out []Bead
	for i > 0 || j > 0 {
		kd := kinds[back[i][j]]
		b := Bead{}
		for x := i - kd.l; x < i; x++ {
			b.Left = append(b.Left, x)
		}
		for y := j - kd.r; y < j; y++ {
			b.Right = append(b.Right, y)
		}
		out = append(out, b)
		i, j = i-kd.l, j-kd.r
	}
	for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
		out[a], out[b] = out[b], out[a]
	}
	return out
}

func beadCost(kd kind, l, r []segment) float64 {
	c := kd.prior
	var ls, rs float64
	for _, s := range l {
		ls += s.share
	}
	for _, s := range r {
		rs += s.share
	}
	c += lengthCost(ls, rs)
	if len(l) > 0 && len(r) > 0 {
		c -= anchorBonus(l, r)
	}
	return c
}

// lengthCost is what disagreeing lengths cost a bead whose sides have
// these shares (‰ of their documents). Shares, not characters, because a
// Korean or Chinese paragraph has a third of the letters of its
// Vietnamese source; the log ratio, not the difference, because shares
// shift when a page loses content and the shift should not dominate the
// figures and words two sides share. A side alone pays little for its
// length: what it lacks is a counterpart, which its shape's prior prices.
func lengthCost(ls, rs float64) float64 {
	if ls == 0 || rs == 0 {
		return loneWeight * (ls + rs)
	}
	r := math.Log((rs + lengthSmooth) / (ls + lengthSmooth))
	return lengthWeight * r * r
}

// anchorBonus rewards the anchors two sides share: anchorWeight times
// the Dice overlap of their figures, and as much again for their names.
// Figures survive translation into every script, so two sides that both
// hold figures and share none are unlikely to translate each other: that
// costs half the weight. Names are only rewarded: a Korean or Arabic
// translation transliterates most of them.
func anchorBonus(l, r []segment) float64 {
	ln, lw := anchorSets(l)
	rn, rw := anchorSets(r)
	b := anchorWeight * (dice(ln, rn) + dice(lw, rw))
	if len(ln) > 0 && len(rn) > 0 && dice(ln, rn) == 0 {
		b -= anchorWeight / 2
	}
	if len(l) > 1 || len(r) > 1 {
		b -= anchorWeight / 2 * float64(lonely(l, rn)+lonely(r, ln))
	}
	return b
}

// lonely counts the segments of a merged side that hold figures, none of
// which the other side has: a translation keeps figures, so such a
// segment is not part of what the other side translates.
func lonely(side []segment, other map[string]bool) int {
	if len(side) < 2 {
		return 0
	}
	n := 0
	for _, s := range side {
		has, shared := false, false
		for _, a := range s.anchors {
			if a[0] == '#' {
				has = true
				shared = shared || other[a]
			}
		}
		if has && !shared {
			n++
		}
	}
	return n
}

// anchorSets splits the anchors of segs into figures and names.
func anchorSets(segs []segment) (nums, words map[string]bool) {
	nums, words = map[string]bool{}, map[string]bool{}
	for _, s := range segs {
		for _, a := range s.anchors {
			if a[0] == '#' {
				nums[a] = true
			} else {
				words[a] = true
			}
		}
	}
	return nums, words
}

func dice(a, b map[string]bool) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	shared := 0
	for x := range a {
		if b[x] {
			shared++
		}
	}
	return 2 * float64(shared) / float64(len(a)+len(b))
}

// Segments are what Align pairs of a version, and what the report page
// shows side by side: its lead, when it has one, then its body
// paragraphs.
func Segments(lead string, body []string) []string {
	out := make([]string, 0, len(body)+1)
	if lead != "" {
		out = append(out, lead)
	}
	return append(out, body...)
}

// String renders a bead as its left and right indexes: "1-0,1" is left
// segment 1 against right segments 0 and 1, "0-" a left segment alone.
func (b Bead) String() string {
	return joinInts(b.Left) + "-" + joinInts(b.Right)
}

// Format renders an alignment as its beads, space-separated.
func Format(bs []Bead) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = b.String()
	}
	return strings.Join(parts, " ")
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}
