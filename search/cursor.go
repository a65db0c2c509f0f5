package search

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"baoscope/model"
)

// CursorKeySize is the length of the key cursors are signed with.
const CursorKeySize = 32

// NewCursorKey returns a random key to sign cursors with.
func NewCursorKey() []byte {
	k := make([]byte, CursorKeySize)
	// crypto/rand.Read never fails (it panics rather than return an error).
	_, _ = rand.Read(k)
	return k
}

// cursor is the position after the last report of a page (search_after),
// plus the instant of the first page: later pages ignore documents
// indexed after it. It is handed out signed, and bound to its query: a
// client can neither edit it nor use it on another search.
type cursor struct {
	Mode  string  `json:"m"`
	Score float64 `json:"s,omitempty"`
	Date  int64   `json:"d,omitempty"` // unix nanoseconds of the report's date
	Key   string  `json:"k"`
	N     int     `json:"n"` // reports before and on the page that ended here
	AsOf  int64   `json:"t"` // unix nanoseconds
	Query string  `json:"q"` // queryTag of the search it pages through
}

func (c *cursor) asOf() time.Time { return time.Unix(0, c.AsOf).UTC() }

// Why a cursor is refused; each is the message of a 400.
var (
	errCursorForged = errors.New("cursor was altered or not made by this data directory's search; start again from the first page")
	errCursorQuery  = errors.New("cursor was made for another search (query, filters or sort); use it only with the search that returned it")
)

// macSize is how much of the HMAC-SHA256 a cursor carries: 128 bits
// make a forgery hopeless and keep the cursor short.
const macSize = 16

// queryTag names a search independently of its page: every field of the
// query but the page size and the cursor, hashed. A cursor carries its
// search's tag, and is refused with another.
func queryTag(q model.Query) string {
	q.Size, q.Cursor = 0, ""
	// model.Query is plain data; encoding cannot fail.
	b, _ := json.Marshal(q)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// signer signs and checks cursors with a key.
type signer struct{ key []byte }

func (s signer) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(payload)
	return m.Sum(nil)[:macSize]
}

// encode returns the cursor after g, the n-th report of the search
// tagged tag.
func (s signer) encode(mode string, g *group, n int, asOf time.Time, tag string) string {
	c := cursor{Mode: mode, Key: g.key, N: n, AsOf: asOf.UnixNano(), Query: tag}
	if mode == cursorDate {
		if !g.published.IsZero() {
			c.Date = g.published.UnixNano()
		}
	} else {
		c.Score = g.score
	}
	b, _ := json.Marshal(c)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(b) + "." + enc.EncodeToString(s.mac(b))
}

// decode returns nil for an empty cursor. A cursor that fails its
// signature, or was made for another search (the tag covers the sort,
// hence the cursor's mode), is an error whose message says which.
func (s signer) decode(str, tag string) (*cursor, error) {
	if str == "" {
		return nil, nil
	}
	if len(str) > 2048 {
		return nil, errors.New("cursor too long")
	}
	payload, sig, ok := strings.Cut(str, ".")
	if !ok {
		return nil, errCursorForged
	}
	b, err1 := base64.RawURLEncoding.DecodeString(payload)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(b)) {
		return nil, errCursorForged
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Key == "" || c.AsOf <= 0 {
		// Signed but unreadable: made by a baoscope of another format.
		return nil, fmt.Errorf("%w: %w", ErrBadCursor, errCursorForged)
	}
	if c.Query != tag {
		return nil, errCursorQuery
	}
	return &c, nil
}
