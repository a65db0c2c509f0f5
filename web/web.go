package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

// Pages parses the templates with funcs and returns one template per
// page ("search", "report", "error", "api"), to execute as "layout". Each page is
// parsed with layout.html and partials.html into a set of its own, so
// that every page can define the "title" and "main" blocks the layout
// calls.
func Pages(funcs template.FuncMap) (map[string]*template.Template, error) {
	names := []string{"search", "report", "error", "api"}
	out := make(map[string]*template.Template, len(names))
	for _, name := range names {
		t, err := template.New(name).Funcs(funcs).ParseFS(templates,
			"templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// Static returns the static files (stylesheet, icon), rooted so that
// "style.css" is the stylesheet.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		// fs.Sub fails only on an invalid path literal.
		panic(err)
	}
	return sub
}
