// Package align pairs the paragraphs of two language versions of one
// report by their content, not their position.
//
// vietnam.vn's machine translations do not keep the original's paragraph
// structure: the lead becomes the first body paragraph, paragraphs are
// merged or split, a caption appears or is lost, a page starts mid-way.
// Pairing by index then puts every paragraph beside its neighbour's
// translation. Align finds the most probable sequence of "beads" — one
// paragraph against one, one against two, two against one, one against
// none — by dynamic programming, as Gale and Church (1993) align
// sentences: a bead's cost is the negative log of its kind's prior, plus
// how far its two sides' lengths disagree, minus what they share. Lengths
// are shares of each document's total, so a Korean paragraph, a third the
// characters of its Vietnamese source, still measures alike. Shared
// figures (1.481 = 1,481 = ١٤٨١) and names written in Latin letters
// (Krông Nô = Krong No) anchor the pairing where lengths alone are
// ambiguous.
//
// The report page's side-by-side view and the learning of translation
// tables both use this alignment, so the pairs a reader sees are the
// pairs the tables were learned from.
package align
