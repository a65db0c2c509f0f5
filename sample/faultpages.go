package sample

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding/charmap"

	"baoscope/model"
	"baoscope/sites"
)

// faultText is the fixed text of a fault page in one language.
type faultText struct {
	title, lead string
	body        []string
}

func (t faultText) paragraphs() []Paragraph {
	out := make([]Paragraph, len(t.body))
	for i, p := range t.body {
		out[i] = Paragraph{Text: p}
	}
	return out
}

// genericBody is the text of fault originals whose point is not their
// text: long enough for language detection, full of diacritics.
func genericBody() []string {
	return []string{
		"Sáng nay, Ủy ban nhân dân tỉnh Lâm Đồng tổ chức hội nghị sơ kết công tác chín tháng đầu năm và triển khai nhiệm vụ những tháng cuối năm.",
		"Tăng trưởng kinh tế của tỉnh ước đạt 7,2%, trong đó nông nghiệp công nghệ cao và du lịch tiếp tục là động lực chính của địa phương.",
		"Lãnh đạo tỉnh yêu cầu các sở, ngành đẩy nhanh giải ngân vốn đầu tư công, tháo gỡ khó khăn cho doanh nghiệp và chăm lo đời sống người dân.",
	}
}

const genericLead = "Hội nghị đánh giá kết quả phát triển kinh tế - xã hội và đề ra giải pháp cho quý cuối năm."

// revisedParagraph is what FaultRevised's correction adds.
const revisedParagraph = "Cập nhật: số liệu tăng trưởng được Cục Thống kê điều chỉnh lên 7,4% sau khi rà soát."

// The legacy-charset report, in Vietnamese, Russian and French.
func legacyTexts() map[string]faultText {
	return map[string]faultText{
		"vi": {
			title: "Lâm Đồng đẩy mạnh chuyển đổi số trong quản lý đất đai",
			lead:  "Tỉnh Lâm Đồng đặt mục tiêu số hóa toàn bộ hồ sơ địa chính trước năm 2027, giúp người dân tra cứu thông tin nhanh hơn.",
			body: []string{
				"Theo Sở Nông nghiệp và Môi trường, đến nay toàn tỉnh đã số hóa được hơn 1,2 triệu hồ sơ địa chính, đạt khoảng 68% kế hoạch đề ra.",
				"Người dân ở Đà Lạt, Bảo Lộc và Đức Trọng có thể nộp hồ sơ đăng ký biến động đất đai trực tuyến, thời gian giải quyết rút ngắn từ 10 ngày xuống còn 5 ngày.",
				"Tỉnh cũng đầu tư hệ thống máy chủ mới và đào tạo hơn 300 cán bộ địa chính cấp xã để vận hành cơ sở dữ liệu thống nhất.",
			},
		},
		"ru": {
			title: "Ламдонг ускоряет цифровую трансформацию в управлении земельными ресурсами",
			lead:  "Провинция Ламдонг планирует оцифровать все кадастровые документы до 2027 года, чтобы жители могли быстрее получать информацию.",
			body: []string{
				"По данным Департамента сельского хозяйства и окружающей среды, в провинции уже оцифровано более 1,2 миллиона кадастровых дел, что составляет около 68% от плана.",
				"Жители Далата, Баолока и Дыкчонга могут подавать документы на регистрацию изменений в землепользовании онлайн, а срок рассмотрения сократился с 10 до 5 дней.",
				"Провинция также инвестирует в новые серверы и обучила более 300 земельных специалистов на уровне коммун для работы с единой базой данных.",
			},
		},
		"fr": {
			title: "Lam Dong accélère la transformation numérique de la gestion foncière",
			lead:  "La province de Lam Dong vise à numériser l’ensemble des dossiers cadastraux avant 2027, afin que les habitants accèdent plus vite aux informations.",
			body: []string{
				"Selon le Département de l’agriculture et de l’environnement, la province a déjà numérisé plus de 1,2 million de dossiers cadastraux, soit environ 68 % du plan prévu.",
				"Les habitants de Da Lat, Bao Loc et Duc Trong peuvent déposer en ligne leurs demandes d’enregistrement des changements fonciers ; le délai de traitement est passé de 10 à 5 jours.",
				"La province investit également dans de nouveaux serveurs et a formé plus de 300 agents fonciers communaux à l’exploitation de la base de données unifiée.",
			},
		},
	}
}

// missingSourceText is FaultMissingSource's English page.
func missingSourceText() faultText {
	return faultText{
		title: "Provincial conference reviews nine-month socio-economic results",
		lead:  "Leaders assessed growth and set out measures for the final quarter of the year.",
		body: []string{
			"This morning, the provincial People's Committee held a conference to review the work of the first nine months and to set tasks for the rest of the year.",
			"Economic growth is estimated at 7.2 percent, with high-tech agriculture and tourism remaining the main drivers of the local economy.",
			"Provincial leaders asked departments to speed up the disbursement of public investment and to remove obstacles for businesses.",
		},
	}
}

// faultOriginalSpec is one fault original: its id, slug and title.
type faultOriginalSpec struct {
	id, slug, title string
}

// faultSpecs are the originals each fault adds (the legacy-charset
// report's translations are added with its original).
func faultSpecs(f Fault) []faultOriginalSpec {
	switch f {
	case FaultLegacyCharsets:
		return []faultOriginalSpec{{"990101", "lam-dong-day-manh-chuyen-doi-so-trong-quan-ly-dat-dai", legacyTexts()["vi"].title}}
	case FaultMalformedHTML:
		return []faultOriginalSpec{{"990102", "trang-loi-ma-html-hoi-nghi-so-ket", "Hội nghị sơ kết chín tháng (trang mã HTML lỗi)"}}
	case FaultOffHostLinks:
		return []faultOriginalSpec{{"990103", "trang-lien-ket-ngoai-hoi-nghi-so-ket", "Hội nghị sơ kết chín tháng (trang có liên kết ra ngoài)"}}
	case FaultMissingSource:
		return []faultOriginalSpec{{"990104", "hoi-nghi-so-ket-chin-thang-dau-nam", "Hội nghị sơ kết chín tháng đầu năm"}}
	case FaultRevised:
		return []faultOriginalSpec{{"990105", "hoi-nghi-so-ket-ban-dinh-chinh", "Hội nghị sơ kết chín tháng (bản được đính chính)"}}
	case FaultRateLimited:
		return []faultOriginalSpec{{"990201", "trang-thu-gioi-han-toc-do", "Hội nghị sơ kết chín tháng (trang trả lời 429)"}}
	case FaultServerError:
		return []faultOriginalSpec{{"990202", "trang-thu-loi-may-chu", "Hội nghị sơ kết chín tháng (trang lỗi 500 rồi bình thường)"}}
	case FaultSlowResponse:
		return []faultOriginalSpec{
			{"990203", "trang-thu-tra-loi-rat-cham", "Hội nghị sơ kết chín tháng (trang trả lời rất chậm)"},
			{"990204", "trang-thu-tra-loi-hoi-cham", "Hội nghị sơ kết chín tháng (trang trả lời hơi chậm)"},
		}
	case FaultTruncatedBody:
		return []faultOriginalSpec{{"990205", "trang-thu-noi-dung-bi-cat", "Hội nghị sơ kết chín tháng (trang bị cắt ngang)"}}
	case FaultTooLarge:
		return []faultOriginalSpec{
			{"990206", "trang-thu-qua-lon-co-do-dai", "Hội nghị sơ kết chín tháng (trang quá lớn)"},
			{"990207", "trang-thu-qua-lon-khong-do-dai", "Hội nghị sơ kết chín tháng (trang quá lớn, không khai độ dài)"},
		}
	case FaultRedirectLoop:
		return []faultOriginalSpec{{"990208", "trang-thu-chuyen-huong-vong-lap", "Hội nghị sơ kết chín tháng (chuyển hướng vòng lặp)"}}
	case FaultRedirectOffHost:
		return []faultOriginalSpec{
			{"990209", "trang-thu-chuyen-huong-cong-khac", "Chuyển hướng sang cổng khác"},
			{"990210", "trang-thu-chuyen-huong-dia-chi-noi-bo", "Chuyển hướng sang địa chỉ nội bộ"},
			{"990211", "trang-thu-chuyen-huong-metadata", "Chuyển hướng sang địa chỉ metadata"},
		}
	}
	return nil
}

// offHostTargets are where FaultOffHostLinks links and FaultRedirectOffHost
// redirects: hosts a crawler of the mirror must never connect to. None is
// routable from a test machine, and the crawler must not even try.
func offHostTargets() []string {
	return []string{
		"http://127.0.0.1:1/tin-cong-khac-990196.html",
		"http://10.0.0.1/tin-noi-bo-990197.html",
		"http://169.254.169.254/latest/meta-data/tin-metadata-990198.html",
		"https://baodaknong.vn/tin-bao-khac-990199.html",
		"https://baolamdong.vn.example.com/tin-gia-mao-990195.html",
		"//evil.example/tin-khong-giao-thuc-990194.html",
	}
}

// faultSection is the section whose listing links the fault originals:
// the second, so that the first one's listing (pinned by the golden
// files) only carries the robots fault.
func (s *Site) faultSection() Section {
	if len(s.c.sections) > 1 {
		return s.c.sections[1]
	}
	return s.c.sections[0]
}

// faultOriginals builds the pages of a fault that adds originals.
func (s *Site) faultOriginals(f Fault, published time.Time) ([]*faultPage, error) {
	specs := faultSpecs(f)
	if specs == nil {
		return nil, fmt.Errorf("%w: unknown fault %q", ErrBadOptions, f)
	}
	var out []*faultPage
	for k, sp := range specs {
		if _, ok := s.c.reports.byID(sp.id); ok {
			return nil, fmt.Errorf("%w: fault %s: id %s is taken by a report", ErrBadOptions, f, sp.id)
		}
		if _, ok := s.c.reports.bySlug(sp.slug); ok {
			return nil, fmt.Errorf("%w: fault %s: slug %s is taken by a report", ErrBadOptions, f, sp.slug)
		}
		txt := faultText{title: sp.title, lead: genericLead, body: genericBody()}
		if f == FaultLegacyCharsets {
			txt = legacyTexts()["vi"]
		}
		fp := &faultPage{
			FaultPage: FaultPage{
				Fault: f, Site: model.SiteBaoLamDong, Path: sites.ArticlePath(sp.slug, sp.id),
				ReportID: sp.id, Lang: "vi", Title: txt.title, Lead: txt.lead, Body: txt.body,
			},
			published: published.Add(time.Duration(k) * time.Minute),
			listIn:    s.faultSection().Slug,
			title:     txt.title,
			lead:      txt.lead,
		}
		page := s.originalBytes(fp, sp, txt)
		if err := s.setServe(fp, sp, page); err != nil {
			return nil, err
		}
		out = append(out, fp)
		extra, err := s.faultExtras(f, fp, sp, published)
		if err != nil {
			return nil, err
		}
		out = append(out, extra...)
	}
	return out, nil
}

// originalBytes renders a fault original as the mirror renders any.
func (s *Site) originalBytes(fp *faultPage, sp faultOriginalSpec, txt faultText) func() []byte {
	sec := s.faultSection()
	f := articleFields{
		canonical: sites.BaoLamDongURL + fp.Path, slugForImages: sp.id,
		title: txt.title, lead: txt.lead, author: "Phóng viên", published: fp.published,
		section: sec, tags: []string{"kiểm thử"}, body: txt.paragraphs(),
	}
	if fp.Fault == FaultOffHostLinks {
		for i, u := range offHostTargets() {
			f.related = append(f.related, link{Href: u, Title: "Liên kết ngoài " + strconv.Itoa(i+1)})
		}
	}
	return func() []byte {
		m := newMemWriter()
		s.renderArticle(m, f)
		return m.body.Bytes()
	}
}

// setServe gives a fault original its behaviour.
func (s *Site) setServe(fp *faultPage, sp faultOriginalSpec, page func() []byte) error {
	switch fp.Fault {
	case FaultLegacyCharsets:
		body, err := encodeLegacy(bytes.Replace(page(), []byte(`<meta charset="utf-8">`), []byte(`<meta charset="windows-1258">`), 1), charmap.Windows1258)
		if err != nil {
			return err
		}
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			write(w, http.StatusOK, "text/html; charset=windows-1258", body)
		}
	case FaultMalformedHTML:
		body := malform(page())
		fp.serve = func(w http.ResponseWriter, r *http.Request) { write(w, http.StatusOK, contentHTML, body) }
	case FaultOffHostLinks, FaultMissingSource:
		body := page()
		fp.serve = func(w http.ResponseWriter, r *http.Request) { write(w, http.StatusOK, contentHTML, body) }
	case FaultRevised:
		first := page()
		txt := faultText{title: fp.title, lead: fp.lead, body: append(genericBody(), revisedParagraph)}
		second := s.originalBytes(fp, sp, txt)()
		var (
			mu     sync.Mutex
			served int
		)
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			served++
			body := first
			if served > 1 {
				body = second
			}
			mu.Unlock()
			write(w, http.StatusOK, contentHTML, body)
		}
	case FaultRateLimited:
		fp.raw = true
		body := page()
		var (
			mu    sync.Mutex
			first time.Time
		)
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			now := time.Now()
			if first.IsZero() {
				first = now
			}
			early := now.Sub(first) < time.Second
			mu.Unlock()
			if early {
				// Also for a client that came back too soon: it gets
				// another 429, which a test counts.
				w.Header().Set("Retry-After", "1")
				http.Error(w, "too many requests", http.StatusTooManyRequests)
				return
			}
			write(w, http.StatusOK, contentHTML, body)
		}
	case FaultServerError:
		fp.raw = true
		body := page()
		var (
			mu     sync.Mutex
			served int
		)
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			served++
			n := served
			mu.Unlock()
			if n == 1 {
				http.Error(w, "internal server error", http.StatusInternalServerError)
				return
			}
			write(w, http.StatusOK, contentHTML, body)
		}
	case FaultSlowResponse:
		fp.raw = true
		body := page()
		delay := s.opts.SlowDelay
		if sp.id == "990204" {
			delay /= 10
		}
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			if waitOrGone(r.Context(), delay) {
				write(w, http.StatusOK, contentHTML, body)
			}
		}
	case FaultTruncatedBody:
		fp.raw = true
		body := page()
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			// The server closes the connection when a handler writes
			// less than it declared: the client sees the body end early.
			w.Header().Set("Content-Type", contentHTML)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)+4096))
			w.WriteHeader(http.StatusOK)
			w.Write(body) //nolint:errcheck // the point is an incomplete body
		}
	case FaultTooLarge:
		fp.raw = true
		body := pad(page(), s.opts.LargeBody)
		chunked := sp.id == "990207"
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			if !chunked {
				write(w, http.StatusOK, contentHTML, body)
				return
			}
			w.Header().Set("Content-Type", contentHTML)
			w.WriteHeader(http.StatusOK)
			fl, _ := w.(http.Flusher)
			for rest := body; len(rest) > 0; {
				n := min(len(rest), 64<<10)
				if _, err := w.Write(rest[:n]); err != nil {
					return
				}
				if fl != nil {
					fl.Flush() // no Content-Length: chunked
				}
				rest = rest[n:]
			}
		}
	case FaultRedirectLoop:
		fp.raw = true
		back := loopPath(sp.id)
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, back, http.StatusFound)
		}
	case FaultRedirectOffHost:
		fp.raw = true
		target := map[string]string{
			"990209": offHostTargets()[0],
			"990210": offHostTargets()[1],
			"990211": offHostTargets()[2],
		}[sp.id]
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusFound)
		}
	default:
		return fmt.Errorf("%w: unknown fault %q", ErrBadOptions, fp.Fault)
	}
	return nil
}

// loopPath is the second page of a redirect loop.
func loopPath(id string) string { return "/chuyen-huong/" + id + "/" }

// faultExtras are the further pages a fault original brings: the
// legacy-charset translations, the page without a source line, the other
// half of a redirect loop.
func (s *Site) faultExtras(f Fault, orig *faultPage, sp faultOriginalSpec, published time.Time) ([]*faultPage, error) {
	switch f {
	case FaultLegacyCharsets:
		texts := legacyTexts()
		src := sites.BaoLamDongURL + orig.Path
		var out []*faultPage
		for _, lang := range []string{"ru", "fr"} {
			txt := texts[lang]
			fp := &faultPage{
				FaultPage: FaultPage{Fault: f, Site: model.SiteVietnamVN, Path: sites.TranslationPath(lang, sp.slug),
					ReportID: sp.id, Lang: lang, Title: txt.title, Body: append([]string{txt.lead}, txt.body...)},
				published: published.Add(2 * time.Hour),
				title:     txt.title,
				inSitemap: true, // as vietnam.vn lists its translations
			}
			m := newMemWriter()
			s.renderPost(m, postFields{
				lang: lang, slug: sp.slug, title: txt.title, lead: txt.lead, paper: "Báo Lâm Đồng",
				published: fp.published, langs: []string{"ru", "fr"}, body: txt.paragraphs(), imgPrefix: sp.id + "-" + lang,
				sourceLabel: sites.SourceLabel(lang), sourceURL: src,
			})
			page := m.body.Bytes()
			switch lang {
			case "ru":
				// The charset only in <meta http-equiv>; the header has none.
				page = bytes.Replace(page, []byte(`<meta charset="utf-8">`),
					[]byte(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`), 1)
				body, err := encodeLegacy(page, charmap.Windows1251)
				if err != nil {
					return nil, err
				}
				fp.serve = func(w http.ResponseWriter, r *http.Request) { write(w, http.StatusOK, "text/html", body) }
			case "fr":
				// UTF-8 bytes, a header that says Latin-1, nothing else.
				body := bytes.Replace(page, []byte(`<meta charset="utf-8">`), nil, 1)
				fp.serve = func(w http.ResponseWriter, r *http.Request) {
					write(w, http.StatusOK, "text/html; charset=iso-8859-1", body)
				}
			}
			out = append(out, fp)
		}
		return out, nil
	case FaultMissingSource:
		txt := missingSourceText()
		fp := &faultPage{
			FaultPage: FaultPage{Fault: f, Site: model.SiteVietnamVN, Path: sites.TranslationPath("en", sp.slug),
				Lang: "en", Title: txt.title, Body: append([]string{txt.lead}, txt.body...)},
			published: published.Add(2 * time.Hour),
			title:     txt.title,
			inSitemap: true,
		}
		m := newMemWriter()
		s.renderPost(m, postFields{
			lang: "en", slug: sp.slug, title: txt.title, lead: txt.lead, paper: "Báo Lâm Đồng",
			published: fp.published, langs: []string{"en"}, body: txt.paragraphs(), imgPrefix: sp.id + "-en",
		})
		body := m.body.Bytes()
		fp.serve = func(w http.ResponseWriter, r *http.Request) { write(w, http.StatusOK, contentHTML, body) }
		return []*faultPage{fp}, nil
	case FaultRedirectLoop:
		fp := &faultPage{
			FaultPage: FaultPage{Fault: f, Site: model.SiteBaoLamDong, Path: loopPath(sp.id)},
			published: published,
			raw:       true,
		}
		back := orig.Path
		fp.serve = func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, back, http.StatusFound)
		}
		return []*faultPage{fp}, nil
	}
	return nil, nil
}

// malform breaks a page the ways hand-edited and truncated HTML is
// broken, leaving the text intact: unclosed paragraphs, stray end tags,
// an unquoted attribute, an unterminated entity and no document end.
func malform(page []byte) []byte {
	s := string(page)
	s = strings.ReplaceAll(s, "</p>", "")
	s = strings.Replace(s, "<body>", "<body>\n</div></span></td>", 1)
	s = strings.Replace(s, `<main class="container">`, "<main class=container><div class=\"wrapper\"><table><tr><td>", 1)
	s = strings.Replace(s, `<div class="article-tags">`, "<div class=\"article-tags\">&nbsp&copy 2025 <b><i>Báo Lâm Đồng</b></i>", 1)
	s = strings.Replace(s, "</body></html>", "", 1)
	s = strings.Replace(s, "</html>", "", 1)
	s = strings.Replace(s, "</body>", "", 1)
	return []byte(s)
}

// pad makes a page size bytes long with an HTML comment before </body>,
// so that it is still a well-formed article, only too big.
func pad(page []byte, size int) []byte {
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	const open, close = "<!-- ", " -->\n"
	n := size - len(page) - len(open) - len(close)
	if n < 0 {
		n = 0
	}
	var b bytes.Buffer
	b.Grow(size)
	b.Write(page[:i])
	b.WriteString(open)
	line := strings.Repeat("x", 99) + "\n"
	for n > 0 {
		k := min(n, len(line))
		b.WriteString(line[:k])
		n -= k
	}
	b.WriteString(close)
	b.Write(page[i:])
	return b.Bytes()
}

// waitOrGone waits d, and reports false when the client went away first.
func waitOrGone(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
