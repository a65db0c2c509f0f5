package sample

import (
	"strings"
	"time"
	"unicode"

	"baoscope/model"
)

// langInfo is what the vietnam.vn mirror prints around a translation in one
// language: the words the real site's chrome uses.
type langInfo struct {
	name    string // endonym shown in the language switch
	locale  string // og:locale
	comment string // the comment counter's label, "댓글 (0)"
	sameTag string // heading of the related block by tag
	sameCat string // heading of the related block by category
	rtl     bool
	// charUnits marks scripts written without spaces between words,
	// whose text is modelled character by character. Thai, Lao and Khmer
	// put spaces between phrases, which serve as units instead.
	charUnits   bool
	sentenceEnd string // what closes a generated sentence
}

// languageInfo returns the chrome words for lang. Languages the table does
// not know get the English words, as the real site does for its minor
// languages.
func languageInfo(lang string) langInfo {
	en := langInfo{name: "English", locale: "en_US", comment: "Comment", sameTag: "Same tag", sameCat: "Same category", sentenceEnd: "."}
	li := en
	switch lang {
	case "en":
	case "vi":
		li = langInfo{name: "Tiếng Việt", locale: "vi_VN", comment: "Bình luận", sameTag: "Cùng thẻ", sameCat: "Cùng chuyên mục"}
	case "fr":
		li = langInfo{name: "Français", locale: "fr_FR", comment: "Commentaire", sameTag: "Même tag", sameCat: "Même catégorie"}
	case "de":
		li = langInfo{name: "Deutsch", locale: "de_DE", comment: "Kommentar", sameTag: "Gleiches Tag", sameCat: "Gleiche Kategorie"}
	case "es":
		li = langInfo{name: "Español", locale: "es_ES", comment: "Comentario", sameTag: "Misma etiqueta", sameCat: "Misma categoría"}
	case "pt":
		li = langInfo{name: "Português", locale: "pt_PT", comment: "Comment", sameTag: "Mesma etiqueta", sameCat: "Mesma categoria"}
	case "it":
		li = langInfo{name: "Italiano", locale: "it_IT", comment: "Comment", sameTag: "Stesso tag", sameCat: "Stessa categoria"}
	case "ru":
		li = langInfo{name: "Русский", locale: "ru_RU", comment: "Комментарий", sameTag: "Тот же тег", sameCat: "Та же категория"}
	case "zh":
		li = langInfo{name: "中文", locale: "zh_CN", comment: "评论", sameTag: "相同标签", sameCat: "同一类别", charUnits: true, sentenceEnd: "。"}
	case "ja":
		li = langInfo{name: "日本語", locale: "ja_JP", comment: "コメント", sameTag: "同じタグ", sameCat: "同じカテゴリー", charUnits: true, sentenceEnd: "。"}
	case "ko":
		li = langInfo{name: "한국어", locale: "ko_KR", comment: "댓글", sameTag: "같은 태그", sameCat: "같은 카테고리"}
	case "th":
		li = langInfo{name: "ไทย", locale: "th_TH", comment: "ความคิดเห็น", sameTag: "แท็กเดียวกัน", sameCat: "หมวดหมู่เดียวกัน", sentenceEnd: " "}
	case "lo":
		li = langInfo{name: "ລາວ", locale: "lo_LA", comment: "Comment", sameTag: "Same tag", sameCat: "Same category", sentenceEnd: " "}
	case "km":
		li = langInfo{name: "ខ្មែរ", locale: "km_KH", comment: "Comment", sameTag: "Same tag", sameCat: "Same category", sentenceEnd: "។"}
	case "id":
		li = langInfo{name: "Bahasa Indonesia", locale: "id_ID", comment: "Comment", sameTag: "Tag yang sama", sameCat: "Kategori yang sama"}
	case "ms":
		li = langInfo{name: "Bahasa Melayu", locale: "ms_MY", comment: "Comment", sameTag: "Tag yang sama", sameCat: "Kategori yang sama"}
	case "ar":
		li = langInfo{name: "العربية", locale: "ar_AR", comment: "تعليق", sameTag: "نفس الوسم", sameCat: "نفس الفئة", rtl: true}
	default:
		li.name = lang
	}
	if li.sentenceEnd == "" {
		li.sentenceEnd = "."
	}
	return li
}

// vietnameseWeekdays are the day names baolamdong.vn prints in its date line.
func vietnameseWeekday(d time.Weekday) string {
	return [...]string{"Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"}[d]
}

// dateLine is baolamdong.vn's "Thứ tư, 20/08/2025 - 09:15".
func dateLine(t time.Time) string {
	t = t.In(model.Vietnam)
	return vietnameseWeekday(t.Weekday()) + ", " + t.Format("02/01/2006 - 15:04")
}

// foldGroups maps Vietnamese letters with diacritics to the ASCII letter
// slugs use. A switch over strings keeps it free of package state.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r < 0x80 {
		return r
	}
	for _, g := range [...]struct {
		letters string
		to      rune
	}{
		{"àáạảãâầấậẩẫăằắặẳẵ", 'a'},
		{"èéẹẻẽêềếệểễ", 'e'},
		{"ìíịỉĩ", 'i'},
		{"òóọỏõôồốộổỗơờớợởỡ", 'o'},
		{"ùúụủũưừứựửữ", 'u'},
		{"ỳýỵỷỹ", 'y'},
		{"đ", 'd'},
	} {
		if strings.ContainsRune(g.letters, r) {
			return g.to
		}
	}
	return r
}

// slugify folds s the way baolamdong.vn builds slugs: lower-case ASCII
// words joined by hyphens; anything else separates words.
func slugify(s string) string {
	var b strings.Builder
	pendingDash := false
	for _, r := range s {
		r = foldRune(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if pendingDash && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingDash = false
			b.WriteRune(r)
			continue
		}
		pendingDash = true
	}
	return b.String()
}
