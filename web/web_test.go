package web

import (
	"html/template"
	"io/fs"
	"testing"
)

func TestPagesParse(t *testing.T) {
	pages, err := Pages(template.FuncMap{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"search", "report", "error", "api"} {
		p := pages[name]
		if p == nil {
			t.Fatalf("no page %q", name)
		}
		for _, block := range []string{"layout", "title", "main", "badge", "timeline"} {
			if p.Lookup(block) == nil {
				t.Errorf("page %s lacks template %q", name, block)
			}
		}
	}
}

func TestStatic(t *testing.T) {
	for _, name := range []string{"style.css", "favicon.svg"} {
		if b, err := fs.ReadFile(Static(), name); err != nil || len(b) == 0 {
			t.Errorf("static %s: %v", name, err)
		}
	}
}
