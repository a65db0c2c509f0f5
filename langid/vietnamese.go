package langid

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Vietnamese written without diacritics ("chinh quyen hai cap") defeats
// n-gram models trained on accented text: lingua-go gives such strings to
// Indonesian, Spanish or English about as often as to Vietnamese. Yet
// Vietnamese words are single syllables of a rigid shape, so a text in which
// almost every word is a well-formed Vietnamese syllable, many of them
// frequent ones, is Vietnamese whatever its accents. Polysyllabic languages
// fail the shape test at once; English, French, Spanish, Italian and
// Portuguese share some short words with it, which is why short strings
// must also contain a syllable that only Vietnamese spells that way, or at
// least three frequent Vietnamese ones.

// viLetterTable folds every letter of the Vietnamese alphabet that carries
// a diacritic, upper or lower case, to its lower-case base letter: the
// entry for rune r is at r-viLetterFirst, 0 for other runes, and has
// viOnlyBit set for the letters in viOnlyLetters. A table rather than a map
// because the rule folds every Latin word of a document. Built once; never
// written.
var viLetterTable = func() *[viLetterEnd - viLetterFirst]uint8 {
	groups := map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
		'd': "đ",
	}
	var t [viLetterEnd - viLetterFirst]uint8
	for base, letters := range groups {
		for _, r := range letters {
			for _, c := range []rune{r, unicode.ToUpper(r)} {
				t[c-viLetterFirst] = uint8(base)
				if strings.ContainsRune(viOnlyLetters, r) {
					t[c-viLetterFirst] |= viOnlyBit
				}
			}
		}
	}
	return &t
}()

// The Vietnamese letters with diacritics lie between À (U+00C0) and ỹ
// (U+1EF9).
const (
	viLetterFirst = 0xC0
	viLetterEnd   = 0x1EFA
	viOnlyBit     = 0x80
)

// viOnlyLetters are letters that, among the languages a detector can hold,
// mark a word as Vietnamese: the vowels with a tone mark other than the
// acute, grave and tilde that Romance languages also use, and ơ, ư, đ, ă.
// lingua-go keeps a similar list.
const viOnlyLetters = "ăằắẳẵặầấẩẫậảạềếểễệẻẽẹỉịỏọồốổỗộơờớởỡợủụưừứửữựỳỷỹỵđĩũ"

// viLetter returns the base letter of a Vietnamese letter with a
// diacritic, and whether only Vietnamese writes it.
func viLetter(r rune) (base rune, isVi, only bool) {
	if r < viLetterFirst || r >= viLetterEnd {
		return 0, false, false
	}
	e := viLetterTable[r-viLetterFirst]
	return rune(e &^ viOnlyBit), e != 0, e&viOnlyBit != 0
}

// foldWord lower-cases w and strips Vietnamese diacritics. ok is false when
// w contains a letter outside the Vietnamese alphabet once folded (f, j, w,
// z and any non-ASCII letter that is not Vietnamese); marked reports a
// Vietnamese-only letter.
func foldWord(w string) (folded string, ok, marked bool) {
	b, ok, marked := appendFolded(make([]byte, 0, len(w)), w)
	return string(b), ok, marked
}

// appendFolded appends w folded as by foldWord to dst.
func appendFolded(dst []byte, w string) (_ []byte, ok, marked bool) {
	ok = true
	for _, r := range w {
		if r == '\'' || r == '’' {
			ok = false // highland names (K'nia); never a Vietnamese syllable
			dst = append(dst, '\'')
			continue
		}
		if base, isVi, only := viLetter(r); isVi {
			if only {
				marked = true
			}
			dst = append(dst, byte(base))
			continue
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r = unicode.ToLower(r)
		}
		switch {
		case r == 'f' || r == 'j' || r == 'w' || r == 'z':
			ok = false
		case r >= 'a' && r <= 'z':
		case unicode.Is(unicode.Mn, r):
			// A decomposed diacritic left by a text that was not NFC.
			marked = true
			continue
		default:
			ok = false
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, ok, marked
}

// onsets are the initial consonants of Vietnamese syllables, longest first
// so that "ngh" is not read as "ng" + "h".
var onsets = []string{
	"ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
	"b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
	"",
}

// onsetsByLetter lists, for each first letter, the onsets it can begin, in
// the order of onsets and ending with the empty onset: isSyllable then tries
// two or three onsets instead of all 27.
var onsetsByLetter = func() [128][]string {
	var t [128][]string
	for c := range t {
		for _, on := range onsets {
			if on == "" || on[0] == byte(c) {
				t[c] = append(t[c], on)
			}
		}
	}
	return t
}()

// rimes are the Vietnamese rimes (vowel nucleus with its final glide or
// consonant) with diacritics folded away: "ương" and "uông" are both "uong".
var rimes = setOf(`
a e i o u y
ai ao au ay eo eu ia iu oa oe oi ua ue ui uu uy
oai oao oay oeo uay uoi uou uya uyu ieu yeu uau
ac am an ang ap at ach anh
ec em en eng ep et ech enh
im in ip it ich inh
oc om on ong op ot ooc oong
uc um un ung up ut
iec iem ien ieng iep iet
yem yen yet
uoc uom uon uong uop uot
oac oam oan oang oap oat oach oanh
oen oet oec
uan uat uang uan uenh uech
uynh uych uyt uyen uyet
`)

// isSyllable reports whether a folded, lower-case word is a well-formed
// Vietnamese syllable. Besides onset + rime, it applies the spelling rules
// that set Vietnamese apart from look-alike words elsewhere: k, gh and ngh
// only before e, i, y; c, g and ng never there ("ce", "get" and "ging" are
// not Vietnamese).
func isSyllable(w string) bool {
	candidates := onsets
	if w != "" && w[0] < utf8.RuneSelf {
		candidates = onsetsByLetter[w[0]]
	}
	for _, on := range candidates {
		rime, found := strings.CutPrefix(w, on)
		if !found || !rimes[rime] {
			continue
		}
		front := rime != "" && strings.ContainsRune("eiy", rune(rime[0]))
		switch on {
		case "k", "gh", "ngh":
			if !front {
				continue
			}
		case "c", "ng":
			if front {
				continue
			}
		case "g":
			if front && rime[0] != 'i' { // "gì" is g + ì
				continue
			}
		}
		return true
	}
	return false
}

// distinctive reports whether a folded syllable is spelled in a way no
// other Latin-script language of the default set spells a common word:
// initial ng/ngh/nh/kh/gh/tr/x/đ…, final nh/ch, and the rimes with iê, ươ,
// uyê, oa.
func distinctive(w string) bool {
	for _, p := range []string{"ngh", "ng", "nh", "kh", "gh", "tr", "x"} {
		if strings.HasPrefix(w, p) && len(w) > len(p) {
			return true
		}
	}
	for _, s := range []string{"nh", "ch", "uong", "uoc", "uon", "uot", "uom", "ien", "iet", "iep", "iem", "ieng", "ieu", "yen", "yet", "yeu", "uyen", "uyet", "oai", "oan", "oat", "oang", "oanh", "oach", "uoi", "uou"} {
		if strings.HasSuffix(w, s) && len(w) > len(s) {
			return true
		}
	}
	return false
}

// viFrequent are frequent Vietnamese syllables, folded, as they occur in
// provincial news: function words, numbers, administrative and economic
// vocabulary and the place names of Lâm Đồng.
var viFrequent = setOf(`
va cua la co cac nhung duoc trong cho voi de da dang se khong nay do mot hai
ba bon nam sau bay tam chin muoi tram nghin ngan trieu ty nguoi ve tai tu den
theo nhu khi thi ma con cung rat nhieu hon nhat tren duoi ngoai truoc giua qua
lai ra vao len xuong di toi nen neu vi boi tuy nhien day kia ay nao gi sao bao
moi tat ca chi van dieu viec su cuoc it them tang giam dat lam tao giup phai can
the vay thuc hien tiep tuc bat dau ket tinh huyen xa thanh pho tran phuong thon
ban lang uy nhan dan hoi dong bo chinh quyen cap so to chuc vien lanh dao chu
tich bi thu doc nganh trung uong dia nha nuoc quoc gia phat trien kinh te van
hoa giao duc y an ninh phong nong nghiep cong du lich dich vu hanh cai cach
hieu chat luong ke hoach nhiem muc tieu giai phap chuong trinh von ngan sach
nguon luc san xuat cay phe che rau dien ha tri truong doanh hop toc thieu vung
sau duong cau hoc sinh benh suc khoe rung mua lu hau thoi tiet ngay thang tuan
gio hom vua khai tong danh kiem tra sat quan ly nghi quyet dinh luat quy tham
dai bieu doan ben cuong nang cao manh phan hoan vuot le lieu tin truyen tuyen
gia dinh tre em nien phu nu cuu chien binh mat tri he thong may gon sap xep nhap
don lat viet nam dak lak nong thuan mien nui nhan luc dao tao chuyen doi so hoa
khu vuc cong nghe giong thu hoach vuon trai san pham tieu thu xuat khau gia ca
thi truong nguoi dan ho ngheo giam ngheo an sinh xa hoi bao hiem y te cham soc
suc khoe hoc sinh giao vien truong hoc nam hoc ky thi tot nghiep dai hoc
dang vien chi bo dang uy ban thuong vu ban chap hanh dai hoi nhiem ky khoa
hoi dong nhan dan uy ban nhan dan mat tran to quoc cong an quan su bien gioi
le hoi du khach luu tru khach san diem den canh quan thien nhien bao ton di tich
dong chi tham du phat bieu chi dao yeu cau de nghi giao nhiem vu kip thoi
dong thoi ngoai ra ben canh tuy nhien vi vay do do theo do tu do nhu vay
mot so cac cap cac nganh toan tinh toan huyen toan xa ket qua dat duoc
tich cuc hieu qua on dinh ben vung nhanh chong kip thoi dung quy dinh
nhung nam qua trong thoi gian toi giai doan nhiem ky hang nam hang thang
cua hang cho phien gao lua ngo san khoai ca phe tra hoa rau qua bo sua heo ga
tien dong ty dong trieu dong phan tram hecta tan km
ong ba anh chi em chau chung toi chung ta ho minh ban than
mua nang mua mua dong mua he mua xuan mua thu ban ngay ban dem
`)

// foreignFunctionWords are frequent words of English, French, German,
// Spanish, Portuguese, Italian, Indonesian and Malay that happen to be
// well-formed Vietnamese syllables. They do not count as Vietnamese
// evidence, so that "the man can" or "no hay" is not taken for Vietnamese.
var foreignFunctionWords = setOf(`
a an am at in on to do go no so he me my by be the then than them can man men
ten ban long hang bang song sang thin tin it up oh
la le de du en un ne se sa ma ta mon son ton non tu nu ni ou au eu ai qui que
lui mai y
lo con su mi te o ha da
do na com em um ao
il di che ho ti si
nach mit den dem im um da
ke dan tak ia pun
`)

func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// viEvidence is what the Vietnamese rule counts over the Latin words of a
// text.
type viEvidence struct {
	words       int // Latin words considered (acronyms are skipped)
	syllables   int // words that are well-formed Vietnamese syllables
	frequent    int // syllables in viFrequent and not foreign function words
	distinctive int // syllables spelled as only Vietnamese spells them
	marked      int // words with a Vietnamese-only letter
	evidence    int // syllables that are frequent, distinctive or marked
}

// countVietnamese weighs the Latin words of a text as Vietnamese.
// All-capital words that are not syllables are acronyms (UBND, HĐND, COVID)
// and are left out rather than counted against the text.
func countVietnamese(words []string) viEvidence {
	e, _ := tallyVietnamese(words, false)
	return e
}

// tallyVietnamese is countVietnamese that, with bail set, gives up (and
// returns false) as soon as vietnameseRule cannot hold whatever the words
// not yet read: once more than 15 % of all the words are counted as
// non-syllables, less than 85 % of the counted words can be syllables (the
// long-text floor), and a short text needs them all to be. English or
// German is given up after a few dozen words instead of being folded to
// the end.
func tallyVietnamese(words []string, bail bool) (viEvidence, bool) {
	var e viEvidence
	buf := make([]byte, 0, 32)
	for _, w := range words {
		var ok, marked bool
		buf, ok, marked = appendFolded(buf[:0], w)
		// f does not escape, so for a word of up to 32 bytes the copy is on
		// the stack: no allocation per word.
		f := string(buf)
		syl := ok && isSyllable(f)
		if !syl && isUpperWord(w) && utf8.RuneCountInString(w) > 1 {
			continue
		}
		e.words++
		if marked {
			e.marked++
		}
		if !syl {
			if bail && 20*(e.words-e.syllables) > 3*len(words) {
				return e, false
			}
			continue
		}
		e.syllables++
		freq := viFrequent[f] && !foreignFunctionWords[f]
		dist := marked || distinctive(f)
		if freq {
			e.frequent++
		}
		if dist {
			e.distinctive++
		}
		if freq || dist {
			e.evidence++
		}
	}
	return e, true
}

func isUpperWord(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// Thresholds of the Vietnamese rule, measured on testdata/labelled.tsv. A
// long text keeps some room for foreign names and loanwords; a short one
// must be made of syllables only.
const (
	viLongWords       = 10   // from this many words a text is "long"
	viLongSyllables   = 0.85 // share of syllables a long text needs
	viShortSyllables  = 1.0  // share of syllables a short text needs
	viEvidenceShare   = 0.5  // share of frequent or distinctive words needed
	viMinRuleWords    = 2    // a single word is left to lingua-go
	viShortEvidence   = 3    // evidence words that stand in for a distinctive one
	viMarkedShareLong = 0.2  // diacritics this common settle a long text
)

// vietnameseRule decides whether the Latin words of a text are Vietnamese,
// with or without diacritics. Its confidence is the share of words that are
// Vietnamese evidence (frequent, distinctive or accented syllables): on a
// long text that is how much of it reads as Vietnamese rather than names and
// loanwords, on a short one how little of it could be another language.
func vietnameseRule(words []string) (float64, bool) {
	e, complete := tallyVietnamese(words, true)
	if !complete || e.words < viMinRuleWords {
		return 0, false
	}
	n := float64(e.words)
	syl := float64(e.syllables) / n
	ev := float64(e.evidence) / n
	if e.words >= viLongWords {
		if syl >= viLongSyllables && (float64(e.marked)/n >= viMarkedShareLong || ev >= viEvidenceShare) {
			return max(syl, ev), true
		}
		return 0, false
	}
	if syl >= viShortSyllables && ev >= viEvidenceShare && (e.distinctive > 0 || e.evidence >= viShortEvidence) {
		return ev, true
	}
	return 0, false
}
