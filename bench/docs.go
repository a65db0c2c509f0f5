package bench

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"

	"baoscope/model"
	"baoscope/sample"
	"baoscope/sites"
)

// page is one rendered page of the mirror, as the crawler would have
// fetched it.
type page struct {
	url, site, lang, contentType string
	body                         []byte
}

// renderer renders the mirror's pages in-process, without a socket: the
// extraction stage is measured on exactly the bytes the crawler gets.
type renderer struct {
	bao, vn http.Handler
}

func newRenderer(c *sample.Corpus) (*renderer, error) {
	site, err := sample.New(c, sample.Options{})
	if err != nil {
		return nil, fmt.Errorf("bench: mirror: %w", err)
	}
	return &renderer{bao: site.BaoLamDong(), vn: site.VietnamVN()}, nil
}

// pages renders every version of r.
func (rd *renderer) pages(r *sample.Report) ([]page, error) {
	out := make([]page, 0, len(r.Versions))
	for _, v := range r.Versions {
		p := page{site: model.SiteBaoLamDong, lang: v.Lang}
		h, host, path := rd.bao, "baolamdong.vn", r.Path()
		p.url = sites.BaoLamDongURL + path
		if v.Lang != "vi" {
			path = sites.TranslationPath(v.Lang, r.Slug)
			h, host, p.site, p.url = rd.vn, "www.vietnam.vn", model.SiteVietnamVN, sites.VietnamVNURL+path
		}
		req := httptest.NewRequest(http.MethodGet, "http://"+host+path, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("bench: render %s: status %d", path, rec.Code)
		}
		p.contentType = rec.Header().Get("Content-Type")
		p.body = rec.Body.Bytes()
		out = append(out, p)
	}
	return out, nil
}

// DocumentOf is the document the pipeline would store for version v of
// r, built straight from the generator without rendering, extracting or
// detecting: what the 1M-document index is built from, where extracting
// every page would take longer than indexing it.
func DocumentOf(r *sample.Report, v *sample.Version) *model.Document {
	d := &model.Document{
		Site: model.SiteVietnamVN, ReportID: r.ID, Title: v.Title, Lead: v.Lead,
		Lang: v.Lang, LangConfidence: 1, DeclaredLang: v.Lang, Section: r.Section,
		Published: v.Published, Author: r.Author, Tags: r.Tags, SourceURL: v.SourceURL,
		URL: sites.VietnamVNURL + sites.TranslationPath(v.Lang, r.Slug),
	}
	if v.Lang == "vi" {
		d.Site, d.IsOriginal, d.SourceURL, d.URL = model.SiteBaoLamDong, true, "", r.URL()
	}
	d.Body = make([]string, 0, len(v.Body))
	for _, p := range v.Body {
		if !p.Caption {
			d.Body = append(d.Body, p.Text)
		}
	}
	return d
}

// Documents returns every document of c, report by report, as DocumentOf
// builds them: the corpus of the index and search Go benchmarks.
func Documents(c *sample.Corpus) []*model.Document {
	var docs []*model.Document
	for r := range c.All() {
		for i := range r.Versions {
			docs = append(docs, DocumentOf(r, &r.Versions[i]))
		}
	}
	return docs
}

// generated yields the documents of reports [0, n) of c in order,
// synthesising them on workers goroutines: at about a millisecond per
// document, generating 1M documents on one core would take longer than
// some of what is measured.
func generated(ctx context.Context, c *sample.Corpus, n, workers int, fn func(*model.Document) error) error {
	const chunk = 32
	type job struct {
		from, to int
		out      chan []*model.Document
	}
	jobs := make(chan job, workers*2)
	order := make(chan job, workers*2)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				var docs []*model.Document
				for i := j.from; i < j.to; i++ {
					r := c.At(i)
					for k := range r.Versions {
						docs = append(docs, DocumentOf(r, &r.Versions[k]))
					}
				}
				j.out <- docs
			}
		})
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for from := 0; from < n; from += chunk {
			j := job{from: from, to: min(from+chunk, n), out: make(chan []*model.Document, 1)}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
			select {
			case order <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for j := range order {
		docs := <-j.out
		if err != nil {
			continue
		}
		for _, d := range docs {
			if err = fn(d); err != nil {
				cancel()
				break
			}
		}
	}
	wg.Wait()
	return err
}

// spool is a file of documents, gob-encoded one after another: the
// stages pass writes the extracted and detected documents once, and the
// indexing of Bleve and FTS5 reads the same documents back.
type spool struct {
	path string
}

// errStop ends an iteration early without an error.
var errStop = errors.New("stop")

func (s spool) each(fn func(*model.Document) error) error {
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("bench: spool: %w", err)
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	for {
		d := new(model.Document)
		if err := dec.Decode(d); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("bench: spool %s: %w", s.path, err)
		}
		if err := fn(d); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
}

type spoolWriter struct {
	f   *os.File
	buf *bufio.Writer
	enc *gob.Encoder
}

func createSpool(path string) (*spoolWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: spool: %w", err)
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	return &spoolWriter{f: f, buf: buf, enc: gob.NewEncoder(buf)}, nil
}

func (w *spoolWriter) add(d *model.Document) error {
	if err := w.enc.Encode(d); err != nil {
		return fmt.Errorf("bench: spool: %w", err)
	}
	return nil
}

func (w *spoolWriter) close() error {
	err := w.buf.Flush()
	if e := w.f.Close(); err == nil {
		err = e
	}
	return err
}
