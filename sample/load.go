package sample

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"baoscope/model"
	"baoscope/sites"
)

// ErrInvalidCorpus is wrapped by every error LoadFS reports about the
// content of a corpus; the message names the offending file.
var ErrInvalidCorpus = errors.New("sample: invalid corpus")

var (
	slugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	idRe   = regexp.MustCompile(`^[0-9]{3,}$`)
)

// reportMeta is reports/<id>/meta.json.
type reportMeta struct {
	ID        string            `json:"id"`
	Slug      string            `json:"slug"`
	Section   string            `json:"section"`
	Published string            `json:"published"`
	Author    string            `json:"author"`
	Tags      []string          `json:"tags"`
	Seeds     map[string]string `json:"seeds"`
}

// unlinkedMeta is unlinked/<name>/meta.json.
type unlinkedMeta struct {
	Lang      string `json:"lang"`
	Slug      string `json:"slug"`
	Published string `json:"published"`
	Title     string `json:"title"`
	Seed      string `json:"seed"`
	Paper     string `json:"paper"`
}

// corpusError names the file a problem was found in.
func corpusError(file string, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %w", file, fmt.Sprintf(format, args...), ErrInvalidCorpus)
}

// LoadFS reads and validates a corpus laid out as sample/corpus is:
// sections.tsv, seeds/, reports/<id>/{meta.json,vi.txt,<lang>.txt} and
// unlinked/<name>/meta.json.
func LoadFS(fsys fs.FS) (*Corpus, error) {
	sections, err := loadSections(fsys)
	if err != nil {
		return nil, err
	}
	reports, err := loadReports(fsys, sections)
	if err != nil {
		return nil, err
	}
	unlinked, err := loadUnlinked(fsys, reports)
	if err != nil {
		return nil, err
	}
	return &Corpus{sections: sections, unlinked: unlinked, reports: newMemStore(reports)}, nil
}

func loadSections(fsys fs.FS) ([]Section, error) {
	const file = "sections.tsv"
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("read sections: %w", err)
	}
	var out []Section
	seen := map[string]bool{}
	for n, line := range splitLines(string(data)) {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		slug, name, ok := strings.Cut(line, "\t")
		slug, name = strings.TrimSpace(slug), strings.TrimSpace(name)
		if !ok || !slugRe.MatchString(slug) || name == "" {
			return nil, corpusError(file, "line %d: want slug<TAB>name, got %q", n+1, line)
		}
		if seen[slug] {
			return nil, corpusError(file, "line %d: section %q listed twice", n+1, slug)
		}
		seen[slug] = true
		out = append(out, Section{Slug: slug, Name: name})
	}
	if len(out) == 0 {
		return nil, corpusError(file, "no sections")
	}
	return out, nil
}

// decodeStrict decodes JSON refusing unknown fields, so that a misspelt
// key fails loudly instead of silently dropping data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("published %q is not RFC 3339", s)
	}
	return t.In(model.Vietnam), nil
}

// knownLang reports whether lang is a vietnam.vn translation language.
func knownLang(lang string) bool {
	return slices.Contains(sites.TranslationLangs(), lang)
}

func loadReports(fsys fs.FS, sections []Section) ([]Report, error) {
	entries, err := fs.ReadDir(fsys, "reports")
	if err != nil {
		return nil, fmt.Errorf("read reports: %w", err)
	}
	var out []Report
	slugs := map[string]string{}
	for _, e := range entries {
		dir := path.Join("reports", e.Name())
		if !e.IsDir() {
			return nil, corpusError(dir, "not a report directory")
		}
		r, err := loadReport(fsys, dir, e.Name(), sections)
		if err != nil {
			return nil, err
		}
		if other, dup := slugs[r.Slug]; dup {
			return nil, corpusError(path.Join(dir, "meta.json"), "slug %q already used by report %s", r.Slug, other)
		}
		slugs[r.Slug] = r.ID
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, corpusError("reports", "no reports")
	}
	return out, nil
}

func loadReport(fsys fs.FS, dir, id string, sections []Section) (Report, error) {
	metaFile := path.Join(dir, "meta.json")
	data, err := fs.ReadFile(fsys, metaFile)
	if err != nil {
		return Report{}, fmt.Errorf("read report: %w", err)
	}
	var m reportMeta
	if err := decodeStrict(data, &m); err != nil {
		return Report{}, corpusError(metaFile, "%v", err)
	}
	switch {
	case !idRe.MatchString(id):
		return Report{}, corpusError(dir, "directory name is not a numeric report id")
	case m.ID != id:
		return Report{}, corpusError(metaFile, "id %q does not match the directory", m.ID)
	case !slugRe.MatchString(m.Slug):
		return Report{}, corpusError(metaFile, "slug %q is not lower-case words joined by hyphens", m.Slug)
	case !slices.ContainsFunc(sections, func(s Section) bool { return s.Slug == m.Section }):
		return Report{}, corpusError(metaFile, "unknown section %q", m.Section)
	case strings.TrimSpace(m.Author) == "":
		return Report{}, corpusError(metaFile, "no author")
	}
	published, err := parseTime(m.Published)
	if err != nil {
		return Report{}, corpusError(metaFile, "%v", err)
	}
	r := Report{ID: m.ID, Slug: m.Slug, Section: m.Section, Published: published, Author: m.Author, Tags: m.Tags}
	for _, t := range r.Tags {
		if strings.TrimSpace(t) == "" {
			return Report{}, corpusError(metaFile, "empty tag")
		}
	}

	files, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return Report{}, fmt.Errorf("read report: %w", err)
	}
	for _, f := range files {
		name := f.Name()
		if name == "meta.json" {
			continue
		}
		lang, ok := strings.CutSuffix(name, ".txt")
		if f.IsDir() || !ok || (lang != "vi" && !knownLang(lang)) {
			return Report{}, corpusError(path.Join(dir, name), "want meta.json, vi.txt or <lang>.txt for a vietnam.vn language")
		}
		v, err := loadVersion(fsys, dir, lang, &r, m.Seeds[lang])
		if err != nil {
			return Report{}, err
		}
		r.Versions = append(r.Versions, v)
	}
	for lang := range m.Seeds {
		if _, ok := r.Version(lang); !ok {
			return Report{}, corpusError(metaFile, "seed for %q but no %s.txt with its title", lang, lang)
		}
	}
	slices.SortFunc(r.Versions, func(a, b Version) int {
		switch {
		case a.Lang == b.Lang:
			return 0
		case a.Lang == "vi":
			return -1
		case b.Lang == "vi":
			return 1
		}
		return strings.Compare(a.Lang, b.Lang)
	})
	if len(r.Versions) == 0 || r.Versions[0].Lang != "vi" {
		return Report{}, corpusError(dir, "no vi.txt")
	}
	return r, nil
}

// loadVersion reads reports/<id>/<lang>.txt: title, lead, an empty line,
// then one paragraph per line ("[img] " marks a caption). For a seeded
// language the file holds the title only and the body comes from the seed.
func loadVersion(fsys fs.FS, dir, lang string, r *Report, seed string) (Version, error) {
	file := path.Join(dir, lang+".txt")
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return Version{}, fmt.Errorf("read version: %w", err)
	}
	lines := splitLines(string(data))
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 || lines[0] == "" {
		return Version{}, corpusError(file, "first line must be the title")
	}
	v := Version{Lang: lang, Title: lines[0], Published: r.Published}
	if lang != "vi" {
		v.Published = translationTime(r.Published, r.ID, lang)
		v.SourceLabel = sites.SourceLabel(lang)
		v.SourceURL = r.URL()
	}
	if seed != "" {
		if lang == "vi" {
			return Version{}, corpusError(file, "the original cannot come from a seed")
		}
		if len(lines) > 1 {
			return Version{}, corpusError(file, "has a body although seeds/%s supplies it; keep only the title", seed)
		}
		sb, err := loadSeed(fsys, seed)
		if err != nil {
			return Version{}, err
		}
		if id, ok := sites.ReportIDFromSource(sb.sourceURL); !ok || id != r.ID {
			return Version{}, corpusError(path.Join("seeds", seed), "source line names %s, not report %s", sb.sourceURL, r.ID)
		}
		if a, _ := sites.ParseArticlePath(strings.TrimPrefix(sb.sourceURL, sites.BaoLamDongURL)); a.Slug != r.Slug {
			return Version{}, corpusError(path.Join("seeds", seed), "source line names slug %q, meta.json says %q", a.Slug, r.Slug)
		}
		v.Seed, v.Body, v.SourceLabel, v.SourceURL = seed, sb.body, sb.sourceLabel, sb.sourceURL
		return v, nil
	}
	if len(lines) > 1 {
		v.Lead = lines[1]
	}
	if len(lines) > 2 && lines[2] != "" {
		return Version{}, corpusError(file, "line 3 must be empty (title, lead, empty line, paragraphs)")
	}
	if lang == "vi" && v.Lead == "" {
		return Version{}, corpusError(file, "the original needs a lead on line 2")
	}
	for _, l := range lines[min(3, len(lines)):] {
		switch {
		case l == "":
		case strings.HasPrefix(l, "[img] "):
			if c := strings.TrimSpace(strings.TrimPrefix(l, "[img] ")); c != "" {
				v.Body = append(v.Body, Paragraph{Text: c, Caption: true})
			}
		default:
			v.Body = append(v.Body, Paragraph{Text: l})
		}
	}
	if !slices.ContainsFunc(v.Body, func(p Paragraph) bool { return !p.Caption }) {
		return Version{}, corpusError(file, "no body paragraphs")
	}
	return v, nil
}

func loadSeed(fsys fs.FS, name string) (seedBody, error) {
	file := path.Join("seeds", name)
	if name != path.Base(name) || !strings.HasSuffix(name, ".txt") {
		return seedBody{}, corpusError(file, "seed must be a .txt file name inside seeds/")
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return seedBody{}, fmt.Errorf("read seed: %w", err)
	}
	sb, err := parseSeed(string(data))
	if err != nil {
		return seedBody{}, corpusError(file, "%v", err)
	}
	return sb, nil
}

func loadUnlinked(fsys fs.FS, reports []Report) ([]Page, error) {
	entries, err := fs.ReadDir(fsys, "unlinked")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read unlinked: %w", err)
	}
	taken := map[string]string{} // vietnam.vn path → who has it
	for _, r := range reports {
		for _, v := range r.Versions[1:] {
			taken[sites.TranslationPath(v.Lang, r.Slug)] = "report " + r.ID
		}
	}
	var out []Page
	for _, e := range entries {
		metaFile := path.Join("unlinked", e.Name(), "meta.json")
		data, err := fs.ReadFile(fsys, metaFile)
		if err != nil {
			return nil, fmt.Errorf("read unlinked page: %w", err)
		}
		var m unlinkedMeta
		if err := decodeStrict(data, &m); err != nil {
			return nil, corpusError(metaFile, "%v", err)
		}
		switch {
		case !knownLang(m.Lang):
			return nil, corpusError(metaFile, "lang %q is not a vietnam.vn language", m.Lang)
		case !slugRe.MatchString(m.Slug):
			return nil, corpusError(metaFile, "slug %q is not lower-case words joined by hyphens", m.Slug)
		case m.Title == "" || m.Paper == "" || m.Seed == "":
			return nil, corpusError(metaFile, "title, paper and seed are required")
		}
		published, err := parseTime(m.Published)
		if err != nil {
			return nil, corpusError(metaFile, "%v", err)
		}
		p := Page{Lang: m.Lang, Slug: m.Slug, Title: m.Title, Paper: m.Paper, Published: published, Seed: m.Seed}
		if who, dup := taken[p.Path()]; dup {
			return nil, corpusError(metaFile, "path %s already used by %s", p.Path(), who)
		}
		taken[p.Path()] = metaFile
		seedFile := path.Join("seeds", m.Seed)
		if m.Seed != path.Base(m.Seed) {
			return nil, corpusError(metaFile, "seed must be a file name inside seeds/")
		}
		text, err := fs.ReadFile(fsys, seedFile)
		if err != nil {
			return nil, fmt.Errorf("read seed: %w", err)
		}
		if err := parseUnlinkedSeed(string(text), &p); err != nil {
			return nil, corpusError(seedFile, "%v", err)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Page) int { return a.Published.Compare(b.Published) })
	return out, nil
}

// translationTime is when vietnam.vn republished a report in lang: one to
// three hours after the original, fixed per report and language so that
// every run of the mirror agrees.
func translationTime(orig time.Time, id, lang string) time.Time {
	// FNV-1a of id/lang, inline: the vietnam.vn sitemaps compute this for
	// every translation of a generated corpus.
	h := uint32(2166136261)
	for _, s := range [...]string{id, "/", lang} {
		for k := 0; k < len(s); k++ {
			h = (h ^ uint32(s[k])) * 16777619
		}
	}
	return orig.Add(time.Duration(60+h%121) * time.Minute)
}
