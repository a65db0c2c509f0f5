package query

import (
	"errors"
	"strings"
	"testing"
	"time"

	"baoscope/model"
)

// parseCase is one row of the parser's table: a query and either its
// canonical rendering or the error it must produce.
type parseCase struct {
	in     string
	want   string // canonical String(); empty when an error is expected
	errPos int
	errMsg string // the Error's Reason
	kind   error  // ErrEmpty or ErrLimit when the error is of that kind
}

// parseCases is shared by the table test, the golden file and the fuzz
// seeds, so every construct exercised here is also fuzzed.
var parseCases = []parseCase{
	// Bare words, default AND, any script.
	{in: "Krông", want: "Krông"},
	{in: "Krông Nô", want: "Krông Nô"},
	{in: "  Đà   Lạt  ", want: "Đà Lạt"},
	{in: "a\tb\nc\r\nd", want: "a b c d"},
	{in: "Lâm\u00a0Đồng", want: "Lâm Đồng"},                      // no-break space
	{in: "ก่อสร้าง\u200bถนน", want: "ก่อสร้าง ถนน"},              // zero-width space
	{in: "\ufeffĐà Lạt", want: "Đà Lạt"},                         // BOM
	{in: "Krông\u00adNô", want: "KrôngNô"},                       // soft hyphen is invisible
	{in: "\u200fالمصدر\u200f لام دونغ", want: "المصدر لام دونغ"}, // RLM around Arabic
	{in: "람동 성", want: "람동 성"},
	{in: "Ламдонг провинция", want: "Ламдонг провинция"},
	{in: "林同省 大叻", want: "林同省 大叻"},
	{in: "ลัมดง", want: "ลัมดง"},
	{in: "ラムドン省", want: "ラムドン省"},
	{in: "क़\u093c", want: "क़\u093c"}, // combining marks stay in the word

	// Prefix search: a trailing * after at least MinPrefix letters.
	{in: "Kro*", want: "Kro*"},
	{in: "Kro** Nô", want: "Kro* Nô"},
	{in: "title:Krô*", want: "title:Krô*"},
	{in: "title:(Kro* Nô)", want: "title:Kro* title:Nô"},
	{in: "-Kro* mưa", want: "-Kro* mưa"},
	{in: "a*b", want: "a*b"}, // a * inside a word is text
	{in: "Kr*", errPos: 0, errMsg: "a prefix search needs at least 3 letters before the * (as in Kro*)"},
	{in: "mưa K.*", errPos: 4, errMsg: "a prefix search needs at least 3 letters before the * (as in Kro*)"},
	// Figures and codes are one token each.
	{in: "1.481 1,481 99,8% 05-CTr/DU", want: "1.481 1,481 99,8% 05-CTr/DU"},
	{in: "12:30 3:2", want: "12:30 3:2"},
	{in: "C++ e-mail", want: "C++ e-mail"},
	// Punctuation-only tokens are dropped.
	{in: "Krông Nô – Đắk Nông", want: "Krông Nô Đắk Nông"},
	{in: "Krông Nô - Đắk Nông", want: "Krông Nô Đắk Nông"},
	{in: "a -- b", want: "a b"},
	{in: "a + b", want: "a b"},
	{in: "a && b", want: "a b"},
	{in: "a … b", want: "a b"},
	// Phrases in every supported kind of quotation mark.
	{in: `"Krông Nô"`, want: `"Krông Nô"`},
	{in: `"  Krông   Nô "`, want: `"Krông Nô"`},
	{in: "\"Krông\nNô\"", want: `"Krông Nô"`},
	{in: "“Đà Lạt”", want: `"Đà Lạt"`},
	{in: "„Lâm Đồng“", want: `"Lâm Đồng"`},
	{in: "„Lâm Đồng”", want: `"Lâm Đồng"`},
	{in: "«Ламдонг»", want: `"Ламдонг"`},
	{in: "「林同省」", want: `"林同省"`},
	{in: "『林同省』", want: `"林同省"`},
	{in: "＂林同省＂", want: `"林同省"`},
	{in: `"Krông"`, want: `"Krông"`},
	{in: `a"b"c`, want: `a "b" c`},
	{in: "“he said \"no\"”", want: "“he said \"no\"”"},
	{in: "«a \"b” c»", want: "«a \"b” c»"},
	{in: `"1.481 tỷ đồng"`, want: `"1.481 tỷ đồng"`},
	{in: `"a OR b" "-c" "title:x"`, want: `"a OR b" "-c" "title:x"`},
	// Required and excluded.
	{in: "+Krông Nô", want: "+Krông Nô"},
	{in: "Đà Lạt -Bảo", want: "Đà Lạt -Bảo"},
	{in: `Đà Lạt -"Bảo Lộc"`, want: `Đà Lạt -"Bảo Lộc"`},
	{in: "Đà Lạt -lang:vi", want: "Đà Lạt -lang:vi"},
	{in: "Đà Lạt -title:mưa", want: "Đà Lạt -title:mưa"},
	{in: "Đà Lạt -(mưa OR bão)", want: "Đà Lạt -(mưa OR bão)"},
	{in: "Đà Lạt -(mưa bão)", want: "Đà Lạt -(mưa bão)"},
	{in: "Đà Lạt NOT mưa", want: "Đà Lạt -mưa"},
	{in: "Đà Lạt NOT (mưa OR bão)", want: "Đà Lạt -(mưa OR bão)"},
	{in: "+-a b", want: "-a b"},
	{in: "-+a b", want: "-a b"},
	{in: "++a", want: "+a"},
	{in: "-a b", want: "-a b"},
	{in: "a (-b -c)", want: "a -b -c"},
	{in: "-(a -b) c", want: "-(a -b) c"},
	{in: "+84 263", want: "+84 263"},
	// OR, AND, grouping and precedence.
	{in: "a OR b", want: "a OR b"},
	{in: "a | b", want: "a OR b"},
	{in: "a|b", want: "a OR b"},
	{in: "a || b", want: "a OR b"},
	{in: "a b OR c", want: "a (b OR c)"},
	{in: "a OR b c", want: "(a OR b) c"},
	{in: "a OR b c OR d", want: "(a OR b) (c OR d)"},
	{in: "a OR b OR c", want: "a OR b OR c"},
	{in: "(a b) OR c", want: "(a b) OR c"},
	{in: "a AND b", want: "+a +b"},
	{in: "a AND b OR c", want: "+a +(b OR c)"},
	{in: "a OR b AND c", want: "+(a OR b) +c"},
	{in: "(a OR b) AND (c OR d)", want: "+(a OR b) +(c OR d)"},
	{in: "((a))", want: "a"},
	{in: "a (b (c (d)))", want: "a b c d"},
	{in: "a OR (b OR c)", want: "a OR b OR c"},
	{in: "(a OR b) c", want: "(a OR b) c"},
	{in: "a or b and c not d", want: "a or b and c not d"},
	{in: "NOT(a) b", want: "-a b"},
	{in: "f(x)", want: "f x"},
	// Fields.
	{in: "title:Đà", want: "title:Đà"},
	{in: "Title:Đà", want: "title:Đà"},
	{in: `title:"Đà Lạt"`, want: `title:"Đà Lạt"`},
	{in: "title:“Đà Lạt”", want: `title:"Đà Lạt"`},
	{in: `title:(Đà OR "Bảo Lộc") mưa`, want: `(title:Đà OR title:"Bảo Lộc") mưa`},
	{in: "title:(a b)", want: "title:a title:b"},
	{in: "-title:(a b) c", want: "-(title:a title:b) c"},
	{in: "title:-x y", want: "title:-x y"},
	{in: "title:http://x.vn", want: "title:http://x.vn"},
	{in: "title:a:b", want: "title:a:b"},
	{in: "title:OR", want: "title:OR"},
	{in: "lang:ko", want: "lang:ko"},
	{in: "lang:KO", want: "lang:ko"},
	{in: "lang:ko,ar", want: "lang:ko,ar"},
	{in: "lang:ko|ar|ko", want: "lang:ko,ar"},
	{in: "lang:zh-CN,pt_BR", want: "lang:zh,pt"},
	{in: "lang:unknown", want: "lang:unknown"},
	{in: `lang:"KO"`, want: "lang:ko"},
	{in: "lang:ko OR lang:ar", want: "lang:ko,ar"},
	{in: "lang:ko OR x OR lang:ar", want: "lang:ko,ar OR x"},
	{in: "section:chinh-tri", want: "section:chinh-tri"},
	{in: "section:chinh-tri,kinh-te", want: "section:chinh-tri,kinh-te"},
	{in: `section:"Chính trị"`, want: `section:"Chính trị"`},
	{in: `section:"a,b"`, want: `section:"a,b"`},
	{in: "site:baolamdong.vn|vietnam.vn", want: "site:baolamdong.vn,vietnam.vn"},
	{in: "site:https://www.vietnam.vn/", want: "site:vietnam.vn"},
	{in: "site:BaoLamDong.VN", want: "site:baolamdong.vn"},
	{in: "id:396102", want: "id:396102"},
	{in: "id:396102,396103", want: "id:396102,396103"},
	{in: "original:true", want: "original:true"},
	{in: "original:FALSE", want: "original:false"},
	{in: "original:yes", want: "original:true"},
	{in: "original:0", want: "original:false"},
	{in: "url:https://baolamdong.vn/a-396102.html", want: "url:https://baolamdong.vn/a-396102.html"},
	{in: "url:https://x.vn/a,b|https://x.vn/c", want: "url:https://x.vn/a,b|https://x.vn/c"},
	{in: `url:"https://x.vn/a b"`, want: `url:"https://x.vn/a b"`},
	{in: "(lang:ko)", want: "lang:ko"},
	{in: "Đà Lạt lang:ko,ar -site:vietnam.vn", want: "Đà Lạt lang:ko,ar -site:vietnam.vn"},
	// Words that look like fields but are not.
	{in: "http://baolamdong.vn/x", want: "http://baolamdong.vn/x"},
	{in: "https://", want: "https://"},
	{in: "url://x", want: "url://x"},
	{in: "CTr: số 05", want: "CTr: số 05"},
	{in: "(CTr:)", want: "CTr:"},
	{in: "Lưu ý:abc", want: "Lưu ý:abc"},
	{in: ":abc", want: ":abc"},
	{in: "TP.HCM:x", want: "TP.HCM:x"},
	// Dates.
	{in: "published:2025", want: "published:2025"},
	{in: "published:2025-08", want: "published:2025-08"},
	{in: "published:2025-8", want: "published:2025-08"},
	{in: "published:2025-08-01", want: "published:2025-08-01"},
	{in: "published:2024-02-29", want: "published:2024-02-29"},
	{in: "date:2025-08", want: "published:2025-08"},
	{in: "published:2025-08-01..2025-09-30", want: "published:2025-08..2025-09"},
	{in: "published:2025-08-01..2025-08-01", want: "published:2025-08-01"},
	{in: "published:2025-08-15..2025-09-14", want: "published:2025-08-15..2025-09-14"},
	{in: "published:2025-01..2025-12", want: "published:2025"},
	{in: "published:2025..2026-03", want: "published:2025..2026-03"},
	{in: "published:2025-10..2025-12", want: "published:2025-10..2025-12"},
	{in: "published:2025-10-01..2025", want: "published:2025-10..2025-12"},
	{in: "published:2025-08-15..2025-09", want: "published:2025-08-15..2025-09-30"},
	{in: "published:2025.. x", want: "published:>=2025 x"},
	{in: "published:2025 2026", want: "published:2025 2026"},
	{in: "published:2025.. (2026)", want: "published:>=2025 2026"},
	{in: "published:2025-08..", want: "published:>=2025-08"},
	{in: "published:..2025-08", want: "published:<=2025-08"},
	{in: "published:>=2025-10-01", want: "published:>=2025-10"},
	{in: "published:>=2025-10-02", want: "published:>=2025-10-02"},
	{in: "published:>2025-10", want: "published:>=2025-11"},
	{in: "published:<2026", want: "published:<=2025"},
	{in: "published:<=2025-12-15", want: "published:<=2025-12-15"},
	{in: `published:"2025-08"`, want: "published:2025-08"},
	{in: "-published:2025 a", want: "-published:2025 a"},
	{in: "published:2025 OR published:2023", want: "published:2025 OR published:2023"},
	// A realistic research query.
	{in: `"Krông Nô" (lúa OR cà phê) -title:"quảng cáo" lang:ko,ar published:2025-08..2025-09`,
		want: `"Krông Nô" (lúa OR cà) phê -title:"quảng cáo" lang:ko,ar published:2025-08..2025-09`},

	// Errors: empty.
	{in: "", errPos: 0, errMsg: "empty query", kind: ErrEmpty},
	{in: "   \t\n", errPos: 0, errMsg: "empty query", kind: ErrEmpty},
	{in: "\u200f\u00ad", errPos: 0, errMsg: "empty query", kind: ErrEmpty},
	{in: "– …", errPos: 0, errMsg: "no words to search for", kind: ErrEmpty},
	{in: "-", errPos: 0, errMsg: "no words to search for", kind: ErrEmpty},
	// Errors: phrases.
	{in: `Đà Lạt "mưa`, errPos: 7, errMsg: `unterminated phrase: no closing "`},
	{in: "a “b", errPos: 2, errMsg: "unterminated phrase: no closing ”"},
	{in: "a «b", errPos: 2, errMsg: "unterminated phrase: no closing »"},
	{in: "a 「b", errPos: 2, errMsg: "unterminated phrase: no closing 」"},
	{in: "a “b\"", errPos: 2, errMsg: "unterminated phrase: no closing ”"},
	{in: `a ""`, errPos: 2, errMsg: "empty phrase"},
	{in: `a " – "`, errPos: 2, errMsg: "empty phrase"},
	// Errors: exclusions.
	{in: "-a", errPos: 0, errMsg: "nothing to match: the query only excludes"},
	{in: "-a -b", errPos: 0, errMsg: "nothing to match: the query only excludes"},
	{in: "NOT a", errPos: 0, errMsg: "nothing to match: the query only excludes"},
	{in: "-lang:vi", errPos: 0, errMsg: "nothing to match: the query only excludes"},
	{in: "-(a b)", errPos: 0, errMsg: "nothing to match: the query only excludes"},
	{in: "a OR (-b -c)", errPos: 5, errMsg: "nothing to match: the query only excludes"},
	{in: "a -(-b -c)", errPos: 3, errMsg: "nothing to match: the query only excludes"},
	{in: "a OR -b", errPos: 5, errMsg: "an exclusion cannot be one side of OR"},
	{in: "a OR NOT b", errPos: 5, errMsg: "an exclusion cannot be one side of OR"},
	{in: "--a b", errPos: 0, errMsg: "cannot exclude an exclusion"},
	{in: "NOT -a b", errPos: 0, errMsg: "cannot exclude an exclusion"},
	{in: "a NOT", errPos: 2, errMsg: "NOT needs a word, phrase or group after it"},
	{in: "a NOT OR b", errPos: 2, errMsg: "NOT needs a word, phrase or group after it"},
	{in: "a -)", errPos: 3, errMsg: "unmatched closing parenthesis"},
	{in: "-OR a", errPos: 0, errMsg: "- needs a word, phrase or group after it"},
	{in: "+AND a", errPos: 0, errMsg: "+ needs a word, phrase or group after it"},
	// Errors: operators.
	{in: "OR a", errPos: 0, errMsg: "OR needs a word, phrase or group on its left"},
	{in: "| a", errPos: 0, errMsg: "OR needs a word, phrase or group on its left"},
	{in: "a OR", errPos: 2, errMsg: "OR needs a word, phrase or group on its right"},
	{in: "a OR OR b", errPos: 2, errMsg: "OR needs a word, phrase or group on its right"},
	{in: "(a OR) b", errPos: 3, errMsg: "OR needs a word, phrase or group on its right"},
	{in: "AND a", errPos: 0, errMsg: "AND needs a word, phrase or group on its left"},
	{in: "a AND", errPos: 2, errMsg: "AND needs a word, phrase or group on its right"},
	{in: "a AND OR b", errPos: 2, errMsg: "AND needs a word, phrase or group on its right"},
	{in: "a (AND b)", errPos: 3, errMsg: "AND needs a word, phrase or group on its left"},
	// Errors: parentheses.
	{in: "a ) b", errPos: 2, errMsg: "unmatched closing parenthesis"},
	{in: "(a", errPos: 0, errMsg: "unclosed parenthesis"},
	{in: "a (b (c)", errPos: 2, errMsg: "unclosed parenthesis"},
	{in: "a ()", errPos: 2, errMsg: "empty parentheses"},
	{in: "a ( – )", errPos: 2, errMsg: "empty parentheses"},
	// Errors: fields.
	{in: "foo:bar", errPos: 0, errMsg: `unknown field "foo"; known fields are ` + knownFields},
	{in: `a vi:"Đà Lạt"`, errPos: 2, errMsg: `unknown field "vi"; known fields are ` + knownFields},
	{in: "a b:(c)", errPos: 2, errMsg: `unknown field "b"; known fields are ` + knownFields},
	{in: "title:", errPos: 6, errMsg: "title: needs a value right after the colon"},
	{in: "title: Đà Lạt", errPos: 6, errMsg: "title: needs a value right after the colon"},
	{in: "(lang:)", errPos: 6, errMsg: "lang: needs a value right after the colon"},
	{in: "title:–", errPos: 6, errMsg: "title: needs a word or a phrase"},
	{in: `title:""`, errPos: 6, errMsg: "empty phrase"},
	{in: `title:"a`, errPos: 6, errMsg: `unterminated phrase: no closing "`},
	{in: "lang:(ko)", errPos: 5, errMsg: "lang: takes a value, not a group"},
	{in: "title:(a title:(b))", errPos: 9, errMsg: "title:( … ) cannot be nested inside title:( … )"},
	{in: "title:(a lang:ko)", errPos: 9, errMsg: "only words and phrases can go inside title:( … )"},
	{in: "title:(a title:b)", errPos: 9, errMsg: "only words and phrases can go inside title:( … )"},
	{in: "lang:jp", errPos: 5, errMsg: `lang: "jp" is not an ISO 639-1 language code; did you mean ja?`},
	{in: "lang:ko,xx", errPos: 8, errMsg: `lang: "xx" is not an ISO 639-1 language code such as vi, en, ko or ar`},
	{in: "lang:korean", errPos: 5, errMsg: `lang: "korean" is not an ISO 639-1 language code such as vi, en, ko or ar`},
	{in: "lang:ko,,ar", errPos: 8, errMsg: "lang: empty value in list"},
	{in: "lang:ko,", errPos: 8, errMsg: "lang: empty value in list"},
	{in: "site:http://", errPos: 5, errMsg: `site: "http://" is not a host name such as baolamdong.vn`},
	{in: "site:bao_lam_dong", errPos: 5, errMsg: `site: "bao_lam_dong" is not a host name such as baolamdong.vn`},
	{in: "id:39610x", errPos: 3, errMsg: `id: "39610x" is not a report id; ids are numbers such as 396102`},
	{in: "original:maybe", errPos: 9, errMsg: `original: "maybe" is neither true nor false`},
	{in: "original:true|false", errPos: 13, errMsg: "original: takes a single value"},
	// Errors: dates.
	{in: "published:2025-13-01", errPos: 15, errMsg: "published: month 13 does not exist"},
	{in: "published:2025-00", errPos: 15, errMsg: "published: month 0 does not exist"},
	{in: "published:2025-02-29", errPos: 18, errMsg: "published: 2025-02 has no day 29"},
	{in: "published:2025-04-31", errPos: 18, errMsg: "published: 2025-04 has no day 31"},
	{in: "published:2025-09..2025-08", errPos: 19, errMsg: "published: the range ends before it starts"},
	{in: "published:2025-08-02..2025-08-01", errPos: 22, errMsg: "published: the range ends before it starts"},
	{in: "published:..", errPos: 10, errMsg: "published: a range needs a date on at least one side of .."},
	{in: "published:>=", errPos: 12, errMsg: "published: needs a date such as 2025, 2025-08 or 2025-08-01"},
	{in: "published:25", errPos: 10, errMsg: `published: "25" is not a date such as 2025, 2025-08 or 2025-08-01`},
	{in: "published:2025-", errPos: 15, errMsg: `published: "2025-" is not a date such as 2025, 2025-08 or 2025-08-01`},
	{in: "published:2025/08", errPos: 14, errMsg: `published: "2025/08" is not a date such as 2025, 2025-08 or 2025-08-01`},
	{in: "published:2025-08-01-02", errPos: 20, errMsg: `published: "2025-08-01-02" is not a date such as 2025, 2025-08 or 2025-08-01`},
	{in: "published:2025-008", errPos: 15, errMsg: `published: "2025-008" is not a date such as 2025, 2025-08 or 2025-08-01`},
	{in: "published:2025..2026..2027", errPos: 20, errMsg: `published: "2026..2027" is not a date such as 2025, 2025-08 or 2025-08-01`},
	{in: "published:0999", errPos: 10, errMsg: "published: year 0999 is out of range (1000-9999)"},
	{in: "published:>9999", errPos: 10, errMsg: "published: nothing can be published after 9999"},
	{in: "published:<1000", errPos: 10, errMsg: "published: nothing can be published before 1000"},
	{in: "date:yesterday", errPos: 5, errMsg: `published: "yesterday" is not a date such as 2025, 2025-08 or 2025-08-01`},
	{in: "published:(2025)", errPos: 10, errMsg: "published: takes a value, not a group"},
	{in: "published:2025 .. 2026", errPos: 15, errMsg: "published: write a date range without spaces, as in 2025-08..2025-09"},
	{in: "published:2025 ...", errPos: 15, errMsg: "published: write a date range without spaces, as in 2025-08..2025-09"},
	{in: "published:2025.. 2026", errPos: 17, errMsg: "published: write a date range without spaces, as in 2025-08..2025-09"},
	{in: `published:"2025.." 2026`, errPos: 19, errMsg: "published: write a date range without spaces, as in 2025-08..2025-09"},
	// Errors: bytes and characters.
	{in: "Đà\xffLạt", errPos: 2, errMsg: "invalid UTF-8"},
	{in: "Đà Lạt\xc3", errPos: 6, errMsg: "invalid UTF-8"},
	{in: "a\x00b", errPos: 1, errMsg: "control character U+0000 is not allowed"},
	{in: "a\x1bb", errPos: 1, errMsg: "control character U+001B is not allowed"},
	{in: "a\u0080b", errPos: 1, errMsg: "control character U+0080 is not allowed"},
	// Errors: limits.
	{in: strings.Repeat("a", MaxRunes), want: strings.Repeat("a", MaxRunes)},
	{in: strings.Repeat("đ", MaxRunes+1), errPos: MaxRunes, errMsg: "query is longer than 1000 characters", kind: ErrLimit},
	{in: words(MaxClauses), want: words(MaxClauses)},
	{in: words(MaxClauses + 1), errPos: 2 * MaxClauses, errMsg: "more than 64 words, phrases and fields", kind: ErrLimit},
	{in: nest(MaxDepth), want: "a"},
	{in: nest(MaxDepth + 1), errPos: MaxDepth, errMsg: "parentheses nested deeper than 16 levels", kind: ErrLimit},
}

// words is n one-letter words.
func words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = string(rune('a' + i%26))
	}
	return strings.Join(w, " ")
}

// nest is "a" inside depth pairs of parentheses.
func nest(depth int) string {
	return strings.Repeat("(", depth) + "a" + strings.Repeat(")", depth)
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.in, func(t *testing.T) {
			n, err := Parse(c.in)
			if c.errMsg == "" {
				if err != nil {
					t.Fatalf("Parse(%q): %v", c.in, err)
				}
				if got := n.String(); got != c.want {
					t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.want)
				}
				return
			}
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) = %v, %v; want *Error %q", c.in, n, err, c.errMsg)
			}
			if qe.Pos != c.errPos || qe.Reason != c.errMsg {
				t.Errorf("Parse(%q) error at %d %q, want at %d %q", c.in, qe.Pos, qe.Reason, c.errPos, c.errMsg)
			}
			if !errors.Is(err, ErrSyntax) {
				t.Errorf("Parse(%q): errors.Is(err, ErrSyntax) = false", c.in)
			}
			for _, k := range []error{ErrEmpty, ErrLimit} {
				if errors.Is(err, k) != (c.kind == k) {
					t.Errorf("Parse(%q): errors.Is(err, %v) = %v", c.in, k, !(c.kind == k))
				}
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := Parse(`Đà Lạt "mưa`)
	if got, want := err.Error(), `query: at position 7: unterminated phrase: no closing "`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = Parse(" ")
	if !errors.Is(err, ErrEmpty) || !errors.Is(err, ErrSyntax) {
		t.Errorf("empty query error %v does not match ErrEmpty and ErrSyntax", err)
	}
	for _, e := range []error{ErrSyntax, ErrEmpty, ErrLimit} {
		if !strings.HasPrefix(e.Error(), "query: ") {
			t.Errorf("sentinel %q lacks the query: prefix", e)
		}
	}
}

func TestTree(t *testing.T) {
	loc := model.Vietnam
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc) }
	tests := []struct {
		in   string
		want Node
	}{
		{"Krông Nô", &And{P: 0, Nodes: []Node{&Term{Text: "Krông", P: 0}, &Term{Text: "Nô", P: 6}}}},
		{`a -"b c"`, &And{P: 0, Nodes: []Node{&Term{Text: "a"}, &Not{P: 2, Node: &Term{Text: "b c", Phrase: true, P: 3}}}}},
		{"a b OR c", &And{Nodes: []Node{&Term{Text: "a"}, &Or{P: 2, Nodes: []Node{&Term{Text: "b", P: 2}, &Term{Text: "c", P: 7}}}}}},
		{"x (a OR b)", &And{Nodes: []Node{&Term{Text: "x"}, &Or{P: 2, Nodes: []Node{&Term{Text: "a", P: 3}, &Term{Text: "b", P: 8}}}}}},
		{"title:(a b)", &And{P: 0, Nodes: []Node{&Term{Field: "title", Text: "a", P: 7}, &Term{Field: "title", Text: "b", P: 9}}}},
		{`title:"Đà Lạt"`, &Term{Field: "title", Text: "Đà Lạt", Phrase: true}},
		{"lang:KO,ar", &Filter{Field: "lang", Values: []string{"ko", "ar"}}},
		{"x SITE:www.vietnam.vn", &And{Nodes: []Node{&Term{Text: "x"}, &Filter{Field: "site", Values: []string{"vietnam.vn"}, P: 2}}}},
		{"original:no", &Filter{Field: "original", Values: []string{"false"}}},
		{"published:2025-08", &DateRange{Field: "published", From: day(2025, 8, 1), To: day(2025, 9, 1)}},
		{"published:2025", &DateRange{Field: "published", From: day(2025, 1, 1), To: day(2026, 1, 1)}},
		{"published:2025-08-01..2025-09-30", &DateRange{Field: "published", From: day(2025, 8, 1), To: day(2025, 10, 1)}},
		{"published:2025..2026-03", &DateRange{Field: "published", From: day(2025, 1, 1), To: day(2026, 4, 1)}},
		{"published:2025-08..", &DateRange{Field: "published", From: day(2025, 8, 1)}},
		{"published:..2025-08-15", &DateRange{Field: "published", To: day(2025, 8, 16)}},
		{"published:>=2025-10-01", &DateRange{Field: "published", From: day(2025, 10, 1)}},
		{"published:>2025-10-01", &DateRange{Field: "published", From: day(2025, 10, 2)}},
		{"published:<2026", &DateRange{Field: "published", To: day(2026, 1, 1)}},
		{"published:<=2026", &DateRange{Field: "published", To: day(2027, 1, 1)}},
		{"published:2024-12-31", &DateRange{Field: "published", From: day(2024, 12, 31), To: day(2025, 1, 1)}},
		{"date:2024-02", &DateRange{Field: "published", From: day(2024, 2, 1), To: day(2024, 3, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !equalNode(got, tt.want) {
				t.Errorf("Parse(%q) =\n%s\nwant\n%s", tt.in, dump(got), dump(tt.want))
			}
		})
	}
}

func TestDateInstants(t *testing.T) {
	// 2025-08 starts at midnight in Vietnam, which is 17:00 UTC the day before.
	n, err := Parse("published:2025-08")
	if err != nil {
		t.Fatal(err)
	}
	d := n.(*DateRange)
	if got, want := d.From.UTC(), time.Date(2025, 7, 31, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("From = %v, want %v", got, want)
	}
	if got := d.From.Format(time.RFC3339); got != "2025-08-01T00:00:00+07:00" {
		t.Errorf("From = %s", got)
	}
	if got := d.To.Format(time.RFC3339); got != "2025-09-01T00:00:00+07:00" {
		t.Errorf("To = %s", got)
	}
}

func TestTermsAndTextOf(t *testing.T) {
	tests := []struct {
		in    string
		terms []string
		text  string
	}{
		{"Krông Nô", []string{"Krông", "Nô"}, "Krông Nô"},
		{`"Đà Lạt" -mưa title:bão lang:ko`, []string{`"Đà Lạt"`, "title:bão"}, "Đà Lạt bão"},
		{"a (b OR c) -(d e) NOT f", []string{"a", "b", "c"}, "a b c"},
		{"lang:ko published:2025", nil, ""},
		{"title:(람동 OR 성)", []string{"title:람동", "title:성"}, "람동 성"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, term := range Terms(n) {
				got = append(got, term.String())
			}
			if strings.Join(got, "|") != strings.Join(tt.terms, "|") {
				t.Errorf("Terms = %q, want %q", got, tt.terms)
			}
			if got := TextOf(n); got != tt.text {
				t.Errorf("TextOf = %q, want %q", got, tt.text)
			}
		})
	}
}

func TestSimplify(t *testing.T) {
	a, b, c := &Term{Text: "a"}, &Term{Text: "b"}, &Term{Text: "c"}
	tests := []struct {
		name string
		in   Node
		want string
	}{
		{"single And", &And{Nodes: []Node{a}}, "a"},
		{"nested And", &And{Nodes: []Node{a, &And{Nodes: []Node{b, c}}}}, "a b c"},
		{"nested Or", &Or{Nodes: []Node{a, &Or{Nodes: []Node{b, c}}}}, "a OR b OR c"},
		{"double Not", &And{Nodes: []Node{a, &Not{Node: &Not{Node: b}}}}, "a b"},
		{"merge filters", &Or{Nodes: []Node{
			&Filter{Field: "lang", Values: []string{"ko"}},
			&Filter{Field: "lang", Values: []string{"ar", "ko"}},
		}}, "lang:ko,ar"},
		{"added filter", &And{Nodes: []Node{&And{Nodes: []Node{a, b}}, &Filter{Field: "lang", Values: []string{"ko"}}}}, "a b lang:ko"},
		{"empty And", &And{}, "()"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Simplify(tt.in)
			s := "()"
			if got != nil {
				s = got.String()
			}
			if s != tt.want {
				t.Errorf("Simplify = %s, want %s", s, tt.want)
			}
		})
	}
}

// TestStringHandBuilt checks that trees the parser cannot produce still
// render as syntax that parses.
func TestStringHandBuilt(t *testing.T) {
	loc := model.Vietnam
	tests := []struct {
		name string
		in   Node
		want string
	}{
		{"term with space", &Term{Text: "a b"}, `"a b"`},
		{"term with leading minus", &Term{Text: "-a"}, `"-a"`},
		{"keyword term", &Term{Text: "OR"}, `"OR"`},
		{"field-like term", &Term{Text: "lang:ko"}, `"lang:ko"`},
		{"title term with quote", &Term{Field: "title", Text: `a"b`}, `title:“a"b”`},
		{"filter value with comma", &Filter{Field: "section", Values: []string{"a,b", "c"}}, `(section:"a,b" OR section:c)`},
		{"url with comma", &Filter{Field: "url", Values: []string{"https://x/a,b"}}, `url:https://x/a,b`},
		{"date range", &DateRange{Field: "published", From: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)}, "published:>=2025-08-01T07:00:00+07:00"},
		{"date range day", &DateRange{Field: "published", From: time.Date(2025, 7, 31, 17, 0, 0, 0, time.UTC), To: time.Date(2025, 8, 1, 0, 0, 0, 0, loc).AddDate(0, 0, 1)}, "published:2025-08-01"},
		{"not of not", &And{Nodes: []Node{&Term{Text: "a"}, &Not{Node: &Not{Node: &Term{Text: "b"}}}}}, "a --b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String = %s, want %s", got, tt.want)
			}
		})
	}
}
