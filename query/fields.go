package query

import "strings"

// fieldKind says how a field's value is read and what node it becomes.
type fieldKind uint8

const (
	kindText fieldKind = iota // Term restricted to the field; value is a word or phrase
	kindList                  // Filter; value is a list separated by , or |
	kindURL                   // Filter; value is a list separated by | only, since URLs may hold commas
	kindBool                  // Filter with a single true/false value
	kindDate                  // DateRange
)

// knownFields is listed in the error for an unknown field.
const knownFields = "title, lang, section, site, id, original, url, published (or date)"

// lookupField maps a lowercased field name to its canonical name and kind.
// A switch rather than a map keeps the table immutable.
func lookupField(name string) (string, fieldKind, bool) {
	switch name {
	case "title":
		return FieldTitle, kindText, true
	case "lang":
		return FieldLang, kindList, true
	case "section":
		return FieldSection, kindList, true
	case "site":
		return FieldSite, kindList, true
	case "id":
		return FieldID, kindList, true
	case "original":
		return FieldOriginal, kindBool, true
	case "url":
		return FieldURL, kindURL, true
	case "published", "date":
		return FieldPublished, kindDate, true
	}
	return "", 0, false
}

// iso6391 lists every ISO 639-1 code, two letters each, space separated.
const iso6391 = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy " +
	"da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz " +
	"ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo " +
	"lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps " +
	"pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn " +
	"to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu"

// langUnknown is the code the index gives documents whose language could
// not be detected; researchers may want to find exactly those.
const langUnknown = "unknown"

// normLang lowercases a language code and drops a region or script subtag
// (zh-CN, pt_BR, zh-Hans), returning "" and a hint when it is not ISO 639-1.
func normLang(v string) (string, string) {
	v = strings.ToLower(v)
	if i := strings.IndexAny(v, "-_"); i > 0 {
		v = v[:i]
	}
	if v == langUnknown {
		return v, ""
	}
	if len(v) == 2 && v[0] >= 'a' && v[0] <= 'z' && v[1] >= 'a' && v[1] <= 'z' {
		for i := 0; i+2 <= len(iso6391); i += 3 {
			if iso6391[i:i+2] == v {
				return v, ""
			}
		}
	}
	// Country codes and retired codes people commonly type for a language.
	switch v {
	case "jp":
		return "", "ja"
	case "cn", "tw", "zho", "chi":
		return "", "zh"
	case "vn", "vie":
		return "", "vi"
	case "kor":
		return "", "ko"
	case "cz":
		return "", "cs"
	case "ua":
		return "", "uk"
	case "gr":
		return "", "el"
	case "dk":
		return "", "da"
	case "iw":
		return "", "he"
	case "in":
		return "", "id"
	case "eng":
		return "", "en"
	case "ara":
		return "", "ar"
	case "rus":
		return "", "ru"
	case "jpn":
		return "", "ja"
	case "tha":
		return "", "th"
	}
	return "", ""
}

// normSite reduces what people paste as a site (https://www.vietnam.vn/) to
// the bare host the index stores (vietnam.vn), or "" if it is not a host.
func normSite(v string) string {
	v = strings.ToLower(v)
	v = strings.TrimPrefix(v, "https://")
	v = strings.TrimPrefix(v, "http://")
	v = strings.TrimSuffix(v, "/")
	for strings.HasPrefix(v, "www.") { // loop: the result must not change when normalised again
		v = v[len("www."):]
	}
	if v == "" || v[0] == '.' || v[len(v)-1] == '.' || strings.Contains(v, "..") {
		return ""
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return ""
		}
	}
	return v
}

// normBool accepts the usual spellings of a boolean.
func normBool(v string) string {
	switch strings.ToLower(v) {
	case "true", "yes", "1":
		return "true"
	case "false", "no", "0":
		return "false"
	}
	return ""
}

func allDigits(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

// normValue validates and normalises one filter value; pos points at it
// for the error.
func normValue(field, v string, pos int) (string, error) {
	switch field {
	case FieldLang:
		code, hint := normLang(v)
		if code != "" {
			return code, nil
		}
		if hint != "" {
			return "", errorf(pos, "lang: %q is not an ISO 639-1 language code; did you mean %s?", v, hint)
		}
		return "", errorf(pos, "lang: %q is not an ISO 639-1 language code such as vi, en, ko or ar", v)
	case FieldSite:
		if h := normSite(v); h != "" {
			return h, nil
		}
		return "", errorf(pos, "site: %q is not a host name such as baolamdong.vn", v)
	case FieldID:
		if allDigits(v) {
			return v, nil
		}
		return "", errorf(pos, "id: %q is not a report id; ids are numbers such as 396102", v)
	case FieldOriginal:
		if b := normBool(v); b != "" {
			return b, nil
		}
		return "", errorf(pos, "original: %q is neither true nor false", v)
	}
	return v, nil
}

// splitValues splits an unquoted list value at its separators, validating
// and normalising each item. at maps an offset in v to a query position.
func splitValues(field string, kind fieldKind, v []rune, at func(int) int) ([]string, error) {
	isSep := func(r rune) bool { return r == '|' || (r == ',' && kind != kindURL) }
	var out []string
	for start := 0; start <= len(v); {
		end := start
		for end < len(v) && !isSep(v[end]) {
			end++
		}
		if end == start {
			return nil, errorf(at(start), "%s: empty value in list", field)
		}
		norm, err := normValue(field, string(v[start:end]), at(start))
		if err != nil {
			return nil, err
		}
		out = append(out, norm)
		if end < len(v) && kind == kindBool {
			return nil, errorf(at(end), "%s: takes a single value", field)
		}
		start = end + 1
	}
	return dedupe(out), nil
}
