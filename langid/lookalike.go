package langid

import (
	"math"
	"strings"
)

// Indonesian and Malay are one language in two standards, and Spanish and
// Portuguese close cousins; lingua-go's n-grams confuse each pair on short
// strings and, for Indonesian and Malay, even on paragraphs: a Malay
// vietnam.vn page with "pekebun", "purata" and "ketara" comes out
// Indonesian, "precio del café" is barely Spanish. Each pair differs in
// everyday words and spelling, so when lingua-go's two best guesses are
// such a pair, marker words share out the probability the two received.

// malayWords are standard Malay (Malaysia) words whose Indonesian
// counterparts differ. Words that standard Indonesian uses too, in the
// same or another sense (boleh, daripada, ramai, kereta api, jabatan,
// semalam, runtuh), are no markers: Indonesian news uses them daily.
var malayWords = setOf(`
kerajaan tempatan sahaja baharu peratus pelancong pelancongan
purata ketara pokok berkata kerana bahawa wang iaitu teksi
mesyuarat jawatankuasa persidangan berkuasa cukai tuaian pekebun
pengairan titisan lapan berbanding lawatan komuniti melencongkan trafik
menasihati polis diturap menyasarkan peranginan hospital doktor bandar
syarikat kenderaan mahkamah belia sukan memandangkan manakala selepas semasa
bagaimanapun justeru kakitangan perkhidmatan kemudahan berhubung
melawat pengerusi
`)

// indonesianWords are standard Indonesian words whose Malay counterparts
// differ.
var indonesianWords = setOf(`
pemerintah pemerintahan bisa persen wisatawan pohon mengatakan karena bahwa
uang yaitu mobil rapat komite panitia dinas berwenang pajak kabupaten
kecamatan kelurahan irigasi delapan dibandingkan kunjungan komunitas longsor
lintas mengimbau ktp aspal kantor dokter kota provinsi dpr perusahaan
kendaraan pengadilan pemuda olahraga setelah karyawan pelayanan fasilitas
gencar mengguyur memicu berbasis kemarin
`)

// spanishWords are Spanish words whose Portuguese counterparts are spelled
// differently.
var spanishWords = setOf(`
del el los las y precio gobierno año años ciudad pero muy hay ayer hoy según
también lluvia lluvias cosecha aldea aldeas pueblo con una uno unos sus
muchos muchas mucho nuevo nueva hasta cuando donde sin puede fue han vecinos
al calle esto eso ello lo siempre entonces después antes ahora
`)

// portugueseWords are Portuguese words whose Spanish counterparts are
// spelled differently. Words that are Spanish too (da "gives", dos
// "two", e "and" before i-, antes) are no markers.
var portugueseWords = setOf(`
do das ao aos à às os em um uma com não são preço governo ano anos
cidade mas muito muitos muita muitas há ontem hoje também chuva chuvas
colheita aldeia aldeias povo novo nova até quando onde sem pode foi têm tem
vizinhos rua pelo pela pelos pelas num numa nas na isso isto sempre então
depois agora
`)

// lookalike is a pair of languages lingua-go confuses, with the words
// that tell them apart.
type lookalike struct {
	a, b     string
	isA, isB func(word string) bool
}

// lookalikes are the pairs tie-broken by marker words.
var lookalikes = []lookalike{
	{a: "ms", b: "id", isA: func(w string) bool { return malayWords[w] }, isB: func(w string) bool { return indonesianWords[w] }},
	{a: "es", b: "pt", isA: isSpanish, isB: isPortuguese},
}

// isLookalike reports whether lang is one of a look-alike pair.
func isLookalike(lang string) bool {
	for _, p := range lookalikes {
		if lang == p.a || lang == p.b {
			return true
		}
	}
	return false
}

// isSpanish: a Spanish marker word, ñ, or the -ción ending.
func isSpanish(w string) bool {
	return spanishWords[w] || strings.ContainsRune(w, 'ñ') ||
		strings.HasSuffix(w, "ción") || strings.HasSuffix(w, "ciones")
}

// isPortuguese: a Portuguese marker word, ç, ã, õ, ê, ô, or the -ção
// ending.
func isPortuguese(w string) bool {
	return portugueseWords[w] || strings.ContainsAny(w, "çãõêô") ||
		strings.HasSuffix(w, "ção") || strings.HasSuffix(w, "ções")
}

// splitLookalikes redistributes the probability lingua-go gave a pair of
// look-alike languages when they are its two best guesses by their marker
// words: each marker doubles its language's odds against the other's (a
// naive-Bayes likelihood ratio of 2), so a single marker word tips a close
// call two to one, not all the way, and a page with six markers of one
// and none of the other is 64 to 1. It reports whether the winner changed.
func splitLookalikes(dist []Candidate, words []string) bool {
	if len(dist) < 2 {
		return false
	}
	for _, p := range lookalikes {
		x, y := dist[0].Lang, dist[1].Lang
		if !(x == p.a && y == p.b || x == p.b && y == p.a) {
			continue
		}
		na, nb := 0, 0
		for _, w := range words {
			w = strings.ToLower(w)
			if p.isA(w) {
				na++
			}
			if p.isB(w) {
				nb++
			}
		}
		if na == nb {
			return false
		}
		mass := dist[0].Confidence + dist[1].Confidence
		odds := math.Exp2(float64(min(max(na-nb, -30), 30)))
		share := map[string]float64{p.a: odds / (1 + odds), p.b: 1 / (1 + odds)}
		winner := dist[0].Lang
		dist[0].Confidence = mass * share[dist[0].Lang]
		dist[1].Confidence = mass * share[dist[1].Lang]
		if dist[1].Confidence > dist[0].Confidence {
			dist[0], dist[1] = dist[1], dist[0]
		}
		return dist[0].Lang != winner
	}
	return false
}
