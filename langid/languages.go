package langid

import (
	"slices"
	"strings"

	"github.com/pemistahl/lingua-go"

	"baoscope/sites"
)

// languageScripts maps every language this package can name to the script
// it is written in. It covers the 75 languages of lingua-go v1.4.0 plus Lao
// and Khmer, which lingua-go does not know and which are therefore detected
// from their scripts alone. Japanese is filed under kana because kana is
// what tells it apart from Chinese; Han text is handled in profile.
var languageScripts = map[string]script{
	// Latin script.
	"af": scriptLatin, "az": scriptLatin, "ca": scriptLatin, "cs": scriptLatin,
	"cy": scriptLatin, "da": scriptLatin, "de": scriptLatin, "en": scriptLatin,
	"eo": scriptLatin, "es": scriptLatin, "et": scriptLatin, "eu": scriptLatin,
	"fi": scriptLatin, "fr": scriptLatin, "ga": scriptLatin, "hr": scriptLatin,
	"hu": scriptLatin, "id": scriptLatin, "is": scriptLatin, "it": scriptLatin,
	"la": scriptLatin, "lg": scriptLatin, "lt": scriptLatin, "lv": scriptLatin,
	"mi": scriptLatin, "ms": scriptLatin, "nb": scriptLatin, "nl": scriptLatin,
	"nn": scriptLatin, "pl": scriptLatin, "pt": scriptLatin, "ro": scriptLatin,
	"sk": scriptLatin, "sl": scriptLatin, "sn": scriptLatin, "so": scriptLatin,
	"sq": scriptLatin, "st": scriptLatin, "sv": scriptLatin, "sw": scriptLatin,
	"tl": scriptLatin, "tn": scriptLatin, "tr": scriptLatin, "ts": scriptLatin,
	"vi": scriptLatin, "xh": scriptLatin, "yo": scriptLatin, "zu": scriptLatin,
	"bs": scriptLatin,
	// Cyrillic script.
	"be": scriptCyrillic, "bg": scriptCyrillic, "kk": scriptCyrillic,
	"mk": scriptCyrillic, "mn": scriptCyrillic, "ru": scriptCyrillic,
	"sr": scriptCyrillic, "uk": scriptCyrillic,
	// Arabic script.
	"ar": scriptArabic, "fa": scriptArabic, "ur": scriptArabic,
	// Devanagari script.
	"hi": scriptDevanagari, "mr": scriptDevanagari,
	// Scripts used by exactly one language of the set.
	"el": scriptGreek, "he": scriptHebrew, "hy": scriptArmenian,
	"ka": scriptGeorgian, "bn": scriptBengali, "pa": scriptGurmukhi,
	"gu": scriptGujarati, "ta": scriptTamil, "te": scriptTelugu,
	"th": scriptThai, "ko": scriptHangul, "zh": scriptHan, "ja": scriptKana,
	// Not in lingua-go: script only.
	"lo": scriptLao, "km": scriptKhmer,
}

// DefaultLanguages returns the languages a detector knows when
// Options.Languages is nil: Vietnamese, English and every language
// www.vietnam.vn publishes (sites.TranslationLangs), Lao and Khmer included
// because they are recognised by script. The result is a fresh slice.
func DefaultLanguages() []string {
	langs := []string{"vi", "en"}
	for _, l := range sites.TranslationLangs() {
		l = Normalize(l)
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	return langs
}

// AllLanguages returns every language a detector can be built for: the 75
// languages of lingua-go plus Lao and Khmer, sorted by code. Building a
// detector for all of them in high-accuracy mode costs gigabytes; see
// docs/langid.md.
func AllLanguages() []string {
	langs := make([]string, 0, len(languageScripts))
	for code := range languageScripts {
		langs = append(langs, code)
	}
	slices.Sort(langs)
	return langs
}

// linguaLanguage returns the lingua-go language for an ISO 639-1 code, or
// false for a code lingua-go does not know (Lao, Khmer, anything else).
func linguaLanguage(code string) (lingua.Language, bool) {
	iso := lingua.GetIsoCode639_1FromValue(code)
	if iso == lingua.UnknownIsoCode639_1 {
		return lingua.Unknown, false
	}
	l := lingua.GetLanguageFromIsoCode639_1(iso)
	return l, l != lingua.Unknown
}

// linguaCode is the ISO 639-1 code of a lingua-go language.
func linguaCode(l lingua.Language) string {
	return strings.ToLower(l.IsoCode639_1().String())
}
