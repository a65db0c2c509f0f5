package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// toCharmapForm rewrites s so that a single-byte code page can encode it:
// a character the page lacks is decomposed and its base re-composed as far
// as the page allows. Windows-1258 has "ô" and the combining grave but no
// "ồ", which it must write as ô + U+0300, as Vietnamese software does.
func toCharmapForm(s string, cm *charmap.Charmap) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		if _, ok := cm.EncodeRune(r); ok {
			b.WriteRune(r)
			continue
		}
		d := []rune(norm.NFD.String(string(r)))
		done := false
		for k := len(d); k >= 1 && !done; k-- {
			head := []rune(norm.NFC.String(string(d[:k])))
			if len(head) != 1 {
				continue
			}
			if _, ok := cm.EncodeRune(head[0]); !ok {
				continue
			}
			rest := true
			for _, m := range d[k:] {
				if _, ok := cm.EncodeRune(m); !ok {
					rest = false
				}
			}
			if rest {
				b.WriteRune(head[0])
				b.WriteString(string(d[k:]))
				done = true
			}
		}
		if !done {
			b.WriteRune(r) // left to the encoder's HTML escaping
		}
	}
	return b.String()
}

// encodeLegacy encodes an HTML page in a code page; characters the page
// cannot hold become numeric character references, as a legacy CMS writes
// them.
func encodeLegacy(t testing.TB, s string, cm *charmap.Charmap) []byte {
	t.Helper()
	out, err := encoding.HTMLEscapeUnsupported(cm.NewEncoder()).Bytes([]byte(toCharmapForm(s, cm)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWindows1258NeedsDecomposition(t *testing.T) {
	// The encoder alone cannot take precomposed Vietnamese with tones.
	if _, ok := charmap.Windows1258.EncodeRune('ồ'); ok {
		t.Fatal("windows-1258 encodes ồ directly; the helper's decomposition is unnecessary")
	}
	for _, s := range []string{"Krông Nô", "Lâm Đồng", "Đắk Mâm", "Bí thư Tỉnh ủy", "chính quyền địa phương hai cấp"} {
		b := encodeLegacy(t, s, charmap.Windows1258)
		if bytes.Contains(b, []byte("&#")) {
			t.Errorf("%q needed escapes: %q", s, b)
		}
		got, name, err := decode(b, "text/html; charset=windows-1258")
		if err != nil || name != "windows-1258" {
			t.Fatalf("decode: %v %q", err, name)
		}
		if got != s {
			t.Errorf("round trip %q -> % x -> %q", s, b, got)
		}
		raw, _ := charmap.Windows1258.NewDecoder().Bytes(b)
		if s != "Krông Nô" && string(raw) == s {
			t.Errorf("%q: raw decoding already NFC; the test does not exercise combining marks", s)
		}
	}
}

// encodedPage is a testdata page generated from a UTF-8 one.
type encodedPage struct {
	file, from  string
	cm          *charmap.Charmap // nil: bytes unchanged
	meta        string           // charset the page declares in <meta>
	contentType string           // the response header
	wantEnc     string
	url, site   string
}

var encodedPages = []encodedPage{
	{"bld-article-windows1258.html", "bld-article.html", charmap.Windows1258, "windows-1258", "text/html", "windows-1258", url396102, bld},
	{"bld-article-1258-as-utf8.html", "bld-article.html", charmap.Windows1258, "utf-8", "text/html; charset=UTF-8", "windows-1258", url396102, bld},
	{"vn-ru-windows1251-meta.html", "vn-ru-386694.html", charmap.Windows1251, "windows-1251", "text/html", "windows-1251", "https://www.vietnam.vn/ru/pho-bi-thu-tinh-uy-lam-dong-bui-thang-kiem-tra-cong-toc-van-hanh-chinh-quyen-dia-phuong-hai-cap-tai-gia-hiep-va-di-linh", vn},
	{"vn-ru-1251-as-utf8.html", "vn-ru-386694.html", charmap.Windows1251, "utf-8", "text/html; charset=utf-8", "windows-1251", "https://www.vietnam.vn/ru/pho-bi-thu-tinh-uy-lam-dong-bui-thang-kiem-tra-cong-toc-van-hanh-chinh-quyen-dia-phuong-hai-cap-tai-gia-hiep-va-di-linh", vn},
	{"vn-de-1252-as-utf8.html", "vn-de-386800.html", charmap.Windows1252, "utf-8", "", "windows-1252", "https://www.vietnam.vn/de/cu-jut-can-phan-dau-tro-thanh-la-co-dau-o-khu-vuc-phia-tay-tinh-lam-dong", vn},
	{"bld-article-utf8-as-latin1.html", "bld-article.html", nil, "iso-8859-1", "text/html; charset=ISO-8859-1", "utf-8", url396102, bld},
}

func (ep encodedPage) generate(t testing.TB) []byte {
	src := string(readTestdata(t, ep.from))
	src = strings.Replace(src, `<meta charset="utf-8">`, `<meta charset="`+ep.meta+`">`, 1)
	if ep.cm == nil {
		return []byte(src)
	}
	return encodeLegacy(t, src, ep.cm)
}

// TestEncodedPages extracts each page in a legacy or mislabelled charset
// and requires the very document its UTF-8 original gives. With -update it
// regenerates the pages from their originals; otherwise it checks that the
// committed files are what the generator makes.
func TestEncodedPages(t *testing.T) {
	ex := New(Options{})
	for _, ep := range encodedPages {
		t.Run(strings.TrimSuffix(ep.file, ".html"), func(t *testing.T) {
			gen := ep.generate(t)
			path := filepath.Join("testdata", ep.file)
			if *update {
				if err := os.WriteFile(path, gen, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			body := readTestdata(t, ep.file)
			if !bytes.Equal(body, gen) {
				t.Fatalf("%s is stale (run go test ./extract -update)", path)
			}
			if ep.cm != nil && utf8.Valid(body) {
				t.Fatal("generated page is valid UTF-8; it tests nothing")
			}
			if ep.cm == charmap.Windows1258 && !bytes.ContainsAny(body, "\xcc\xec\xd2\xde\xf2") {
				t.Fatal("windows-1258 page without combining tone marks")
			}
			_, name, err := decode(body, ep.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if name != ep.wantEnc {
				t.Errorf("decoded as %s, want %s", name, ep.wantEnc)
			}
			got, err := ex.Extract(Page{URL: ep.url, Site: ep.site, ContentType: ep.contentType, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			want, err := ex.Extract(Page{URL: ep.url, Site: ep.site, ContentType: utf8Type, Body: readTestdata(t, ep.from)})
			if err != nil {
				t.Fatal(err)
			}
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if !bytes.Equal(gj, wj) {
				t.Errorf("document differs from the UTF-8 page's:\n got %s\nwant %s", gj, wj)
			}
			if ep.site == bld && !strings.Contains(got.Title, "Krông Nô") {
				t.Errorf("title %q lacks Krông Nô", got.Title)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	vi := "<p>Phó Bí thư Tỉnh ủy Lâm Đồng Lưu Văn Trung làm việc với xã Krông Nô về vận hành chính quyền địa phương hai cấp.</p>"
	ru := "<p>Заместитель секретаря партийного комитета провинции Ламдонг работает в коммуне Ди Линь.</p>"
	de := "<p>Die Gemeinde Cu Jut entstand durch den Zusammenschluss; Größe und Straßen wurden geprüft.</p>"
	vi1258 := encodeLegacy(t, vi, charmap.Windows1258)
	ru1251 := encodeLegacy(t, ru, charmap.Windows1251)
	de1252 := encodeLegacy(t, de, charmap.Windows1252)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantEnc     string
		want        string // substring of the result; "" skips
		wantErr     error
	}{
		{"empty", nil, "", "", "", nil},
		{"ascii", []byte("<p>hello</p>"), "", "utf-8", "hello", nil},
		{"utf-8 bom beats header", cat([]byte("\xef\xbb\xbf"), []byte(vi)), "text/html; charset=windows-1251", "utf-8", "Lâm Đồng", nil},
		{"utf-16le bom", cat([]byte{0xff, 0xfe}, utf16le("<p>Lâm Đồng</p>")), "", "utf-16le", "Lâm Đồng", nil},
		{"header charset", ru1251, "text/html; charset=windows-1251", "windows-1251", "Ламдонг", nil},
		{"header beats meta", cat([]byte(`<meta charset="windows-1252">`), ru1251), "text/html; charset=cp1251", "windows-1251", "Ламдонг", nil},
		{"meta only", cat([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`), ru1251), "text/html", "windows-1251", "Ламдонг", nil},
		{"malformed header", ru1251, "text/html;;charset=\"windows-1251\"", "windows-1251", "Ламдонг", nil},
		{"utf-8 labelled latin-1", []byte(vi), "text/html; charset=iso-8859-1", "utf-8", "Lâm Đồng", nil},
		{"1258 labelled utf-8, no hint", vi1258, "text/html; charset=utf-8", "windows-1258", "Lâm Đồng", nil},
		{"1258 unlabelled with lang hint", cat([]byte(`<html lang="vi">`), vi1258), "", "windows-1258", "Krông Nô", nil},
		{"1251 labelled utf-8, no hint", ru1251, "text/html; charset=utf-8", "windows-1251", "Ламдонг", nil},
		{"1252 labelled utf-8", de1252, "text/html; charset=utf-8", "windows-1252", "Größe und Straßen", nil},
		{"wrong lang hint does not garble", cat([]byte(`<html lang="ru">`), vi1258), "", "windows-1258", "Lâm Đồng", nil},
		{"utf-8 with a stray byte stays utf-8", cat([]byte(vi), []byte("\xff"), []byte(vi)), "text/html; charset=utf-8", "utf-8", "Lâm Đồng", nil},
		{"rune cut by the size cap", []byte(vi + "Đồ")[:len(vi)+4], "", "utf-8", "Lâm Đồng", nil},
		{"meta utf-16 means utf-8", cat([]byte(`<meta charset="utf-16">`), []byte(vi)), "", "utf-8", "Lâm Đồng", nil},
		{"unknown charset label", []byte(vi), "text/html; charset=x-klingon", "utf-8", "Lâm Đồng", nil},
		{"binary", append([]byte("GIF89a"), make([]byte, 100)...), "text/html", "", "", ErrNotText},
		{"nfd utf-8 becomes nfc", []byte(norm.NFD.String(vi)), "", "utf-8", "Lâm Đồng", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, name, err := decode(tc.body, tc.contentType)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if name != tc.wantEnc {
				t.Errorf("encoding %q, want %q", name, tc.wantEnc)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("result %q lacks %q", got, tc.want)
			}
			if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
				t.Errorf("result not NFC UTF-8: %q", got)
			}
			pub, err := Decode(tc.body, tc.contentType)
			if pub != got || !errors.Is(err, tc.wantErr) {
				t.Errorf("Decode differs from decode")
			}
		})
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		if r > 0xffff {
			panic("no surrogates in tests")
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
