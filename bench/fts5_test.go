//go:build sqlite_fts5

package bench

import (
	"context"
	"path/filepath"
	"testing"

	"baoscope/model"
	"baoscope/sample"
)

// Every query of the set must run against FTS5, and the ones about names
// the generator always writes must find something.
func TestFTS5Queries(t *testing.T) {
	c, err := sample.Generate(sample.GenerateOptions{Reports: 60, Langs: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	f, err := openFTS5(filepath.Join(t.TempDir(), "fts.db"), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	var docs []*model.Document
	if err := generated(context.Background(), c, c.Len(), 2, func(d *model.Document) error {
		docs = append(docs, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.add(docs); err != nil {
		t.Fatal(err)
	}
	if err := f.finish(); err != nil {
		t.Fatal(err)
	}
	if n, err := f.count(); err != nil || n != len(docs) {
		t.Fatalf("count = %d, %v; want %d", n, err, len(docs))
	}
	for _, q := range Queries() {
		t.Run(q.Name, func(t *testing.T) {
			n, err := f.search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if q.Kind == "name" && n == 0 {
				t.Errorf("no report found")
			}
		})
	}
}
