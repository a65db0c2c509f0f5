package redisstate

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// Storage implements Colly's storage.Storage on Redis: the visited set
// and cookies are shared by every process of a crawl. Cookies are best
// effort: during an outage a request goes without them rather than wait. Colly's interface
// has no context; calls use a background one with the client's timeouts.
type Storage struct {
	c      *Conn
	prefix string
}

// NewStorage returns the storage under prefix.
func NewStorage(c *Conn, prefix string) *Storage {
	return &Storage{c: c, prefix: prefix}
}

// Init checks that Redis answers, waiting out an outage.
func (s *Storage) Init() error {
	err := s.c.Do(context.Background(), func(ctx context.Context) error { return s.c.rdb.Ping(ctx).Err() })
	if err != nil {
		return fmt.Errorf("redis storage: %w", err)
	}
	return nil
}

// Visited records a request id.
func (s *Storage) Visited(requestID uint64) error {
	return s.c.rdb.SAdd(context.Background(), s.prefix+":visited", strconv.FormatUint(requestID, 10)).Err()
}

// IsVisited reports whether a request id was recorded.
func (s *Storage) IsVisited(requestID uint64) (bool, error) {
	return s.c.rdb.SIsMember(context.Background(), s.prefix+":visited", strconv.FormatUint(requestID, 10)).Result()
}

// Cookies returns the cookies stored for u's host.
func (s *Storage) Cookies(u *url.URL) string {
	v, _ := s.c.rdb.HGet(context.Background(), s.prefix+":cookies", u.Host).Result()
	return v
}

// SetCookies stores cookies for u's host.
func (s *Storage) SetCookies(u *url.URL, cookies string) {
	_ = s.c.rdb.HSet(context.Background(), s.prefix+":cookies", u.Host, cookies).Err()
}
