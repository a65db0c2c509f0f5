package index

import bindex "github.com/blevesearch/bleve_index_api"

// What the external tests of this package reach inside for.
var (
	ReadColumns = readColumns
	DocNum      = docNum
)

// SnapshotReader opens a reader on the current snapshot of an unsharded
// index; the caller closes it before the index.
func SnapshotReader(ix *Index) (bindex.IndexReader, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}
