package index

import (
	"slices"
	"strings"
	"time"

	"baoscope/model"
)

// This file holds the schema both ways: a document becomes the fields of
// the mapping (fields), and a hit's stored fields become model types again
// (versionOf, documentOf). A field added to one side belongs on the other.

// fields flattens a document into the field map of the mapping.
func fields(d *model.Document) map[string]any {
	lang := d.Lang
	if lang == "" {
		lang = d.DeclaredLang
	}
	body := strings.Join(d.Body, "\n")
	m := map[string]any{
		fieldURL:          d.URL,
		fieldGroup:        d.GroupKey(),
		fieldLang:         lang,
		fieldDeclaredLang: d.DeclaredLang,
		fieldLangMismatch: d.LangMismatch,
		fieldLangConf:     d.LangConfidence,
		fieldSite:         d.Site,
		fieldSection:      d.Section,
		fieldOriginal:     d.IsOriginal,
		fieldTitle:        d.Title,
		fieldAuthor:       d.Author,
		fieldSourceURL:    d.SourceURL,
		fieldNeutral:      d.Title + "\n" + d.Lead + "\n" + body,
	}
	// The text fields of the document's language, as mapped and queried.
	text := [...]string{PartTitle: d.Title, PartLead: d.Lead, PartBody: body}
	for _, f := range TextFields(lang, PartTitle, PartLead, PartBody) {
		m[f.name] = text[f.part]
	}
	if d.ReportID != "" {
		m[fieldReportID] = d.ReportID
	}
	if len(d.Tags) > 0 {
		m[fieldTags] = d.Tags
	}
	if !d.Published.IsZero() {
		m[fieldPublished] = d.Published
	}
	return m
}

// versionFields are the stored fields versionOf reads, and the group.
var versionFields = []string{fieldGroup, fieldLang, fieldURL, fieldTitle, fieldOriginal, fieldSite, fieldPublished,
	fieldSection, fieldDeclaredLang, fieldLangMismatch}

// versionOf turns a hit's stored fields back into a version. Bleve keeps
// instants in UTC, and so does the version: the zone dates are shown in is
// the caller's choice.
func versionOf(f map[string]any) model.Version {
	v := model.Version{
		Lang:  str(f[fieldLang]),
		URL:   str(f[fieldURL]),
		Title: str(f[fieldTitle]),
		Site:  str(f[fieldSite]),
	}
	v.IsOriginal, _ = f[fieldOriginal].(bool)
	v.DeclaredLang = str(f[fieldDeclaredLang])
	v.LangMismatch, _ = f[fieldLangMismatch].(bool)
	if p := str(f[fieldPublished]); p != "" {
		if t, err := time.Parse(time.RFC3339Nano, p); err == nil {
			v.Published = t
		}
	}
	return v
}

// documentOf turns every stored field of a hit (a request for "*") back
// into the document, as far as the index keeps it: not its tags, canonical
// URL, fetch time or hash.
func documentOf(f map[string]any) model.Document {
	v := versionOf(f)
	d := model.Document{
		URL: v.URL, Site: v.Site, IsOriginal: v.IsOriginal, Title: v.Title,
		Lang: v.Lang, Published: v.Published, ReportID: str(f[fieldReportID]),
		Section:      str(f[fieldSection]),
		Author:       str(f[fieldAuthor]),
		SourceURL:    str(f[fieldSourceURL]),
		DeclaredLang: v.DeclaredLang,
		Lead:         str(f[leadField(v.Lang)]),
		LangMismatch: v.LangMismatch,
	}
	d.LangConfidence, _ = f[fieldLangConf].(float64)
	if body := str(f[bodyField(v.Lang)]); body != "" {
		d.Body = strings.Split(body, "\n")
	}
	return d
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// sortVersions lists the original first, then by language and URL.
func sortVersions(vs []model.Version) {
	slices.SortFunc(vs, func(a, b model.Version) int {
		if a.IsOriginal != b.IsOriginal {
			if a.IsOriginal {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.Lang, b.Lang); c != 0 {
			return c
		}
		return strings.Compare(a.URL, b.URL)
	})
}
