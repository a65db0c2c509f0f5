package langid

import (
	"strings"

	"github.com/pemistahl/lingua-go"
)

// codeAliases maps codes that are not ISO 639-1 but turn up in <html lang>,
// URL prefixes and user input to the ISO 639-1 code they mean. ISO 639-3
// codes of lingua-go's languages are resolved through lingua-go itself.
var codeAliases = map[string]string{
	// ISO 639-3 / 639-2 codes of the script-only languages.
	"lao": "lo", "khm": "km",
	// ISO 639-2/B codes, which differ from the 639-3 ones.
	"alb": "sq", "arm": "hy", "baq": "eu", "chi": "zh", "cze": "cs",
	"dut": "nl", "fre": "fr", "geo": "ka", "ger": "de", "gre": "el",
	"ice": "is", "mac": "mk", "mao": "mi", "may": "ms", "per": "fa",
	"rum": "ro", "slo": "sk", "wel": "cy",
	// Individual languages filed under a macrolanguage code.
	"cmn": "zh", "zsm": "ms", "fil": "tl", "pes": "fa", "arb": "ar",
	// Deprecated ISO 639-1 codes still emitted by old software.
	"iw": "he", "in": "id",
	// Country codes that Vietnamese and other Asian sites put in <html lang>
	// by mistake; no language has these codes, so mapping them is safe.
	"vn": "vi", "jp": "ja", "kr": "ko", "cn": "zh",
	// "Undetermined" declares nothing.
	"und": "",
}

// Normalize turns a language tag as found in <html lang>, a URL prefix or a
// command line into the ISO 639-1 code this package uses: "ko-KR" → "ko",
// "ZH_cn" → "zh", "vie" → "vi", "pt-BR" → "pt". Region, script and variant
// subtags are dropped because languages, not locales, are detected. A code
// that is not recognised is returned lower-cased and without subtags, so that
// New can name it in its error. The empty string stays empty.
func Normalize(code string) string {
	c := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(c, "-_"); i >= 0 {
		c = c[:i]
	}
	if alias, ok := codeAliases[c]; ok {
		return alias
	}
	if len(c) == 3 {
		iso := lingua.GetIsoCode639_3FromValue(c)
		if iso != lingua.UnknownIsoCode639_3 {
			if l := lingua.GetLanguageFromIsoCode639_3(iso); l != lingua.Unknown {
				return linguaCode(l)
			}
		}
	}
	return c
}
