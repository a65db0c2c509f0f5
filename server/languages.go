package server

import "strings"

// language is what the pages show about a language code.
type language struct {
	Code    string
	English string
	Native  string // the name in the language itself, for chips and switchers
	RTL     bool
}

// langInfo describes a language code; an unknown code is shown as itself.
// A switch rather than a package-level map: nothing to mutate.
func langInfo(code string) language {
	l := language{Code: code}
	switch code {
	case "vi":
		l.English, l.Native = "Vietnamese", "Tiếng Việt"
	case "en":
		l.English, l.Native = "English", "English"
	case "ko":
		l.English, l.Native = "Korean", "한국어"
	case "ar":
		l.English, l.Native, l.RTL = "Arabic", "العربية", true
	case "ru":
		l.English, l.Native = "Russian", "Русский"
	case "de":
		l.English, l.Native = "German", "Deutsch"
	case "fr":
		l.English, l.Native = "French", "Français"
	case "ja":
		l.English, l.Native = "Japanese", "日本語"
	case "zh":
		l.English, l.Native = "Chinese", "中文"
	case "es":
		l.English, l.Native = "Spanish", "Español"
	case "th":
		l.English, l.Native = "Thai", "ไทย"
	case "lo":
		l.English, l.Native = "Lao", "ລາວ"
	case "km":
		l.English, l.Native = "Khmer", "ខ្មែរ"
	case "id":
		l.English, l.Native = "Indonesian", "Bahasa Indonesia"
	case "ms":
		l.English, l.Native = "Malay", "Bahasa Melayu"
	case "pt":
		l.English, l.Native = "Portuguese", "Português"
	case "it":
		l.English, l.Native = "Italian", "Italiano"
	case "fa":
		l.English, l.Native, l.RTL = "Persian", "فارسی", true
	case "he":
		l.English, l.Native, l.RTL = "Hebrew", "עברית", true
	case "ur":
		l.English, l.Native, l.RTL = "Urdu", "اردو", true
	case "", "unknown":
		l.Code, l.English, l.Native = "unknown", "Unknown language", "unknown"
	default:
		l.English, l.Native = strings.ToUpper(code), strings.ToUpper(code)
	}
	return l
}

// Dir is the value of the dir attribute for text in this language.
func (l language) Dir() string {
	if l.RTL {
		return "rtl"
	}
	return "ltr"
}

// langAttr is the value of the lang attribute: "unknown" is not a
// language tag, and an empty attribute says exactly that.
func (l language) langAttr() string {
	if l.Code == "unknown" {
		return ""
	}
	return l.Code
}
