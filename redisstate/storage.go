package redisstate

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Storage implements Colly's storage.Storage on Redis: the visited set
// and cookies are shared by every process of a crawl. Colly's interface
// has no context; calls use a background one with the client's timeouts.
type Storage struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewStorage returns the storage under prefix.
func NewStorage(rdb redis.UniversalClient, prefix string) *Storage {
	return &Storage{rdb: rdb, prefix: prefix}
}

// Init checks that Redis answers.
func (s *Storage) Init() error {
	if err := s.rdb.Ping(context.Background()).Err(); err != nil {
		return fmt.Errorf("redis storage: %w", err)
	}
	return nil
}

// Visited records a request id.
func (s *Storage) Visited(requestID uint64) error {
	return s.rdb.SAdd(context.Background(), s.prefix+":visited", strconv.FormatUint(requestID, 10)).Err()
}

// IsVisited reports whether a request id was recorded.
func (s *Storage) IsVisited(requestID uint64) (bool, error) {
	return s.rdb.SIsMember(context.Background(), s.prefix+":visited", strconv.FormatUint(requestID, 10)).Result()
}

// Cookies returns the cookies stored for u's host.
func (s *Storage) Cookies(u *url.URL) string {
	v, _ := s.rdb.HGet(context.Background(), s.prefix+":cookies", u.Host).Result()
	return v
}

// SetCookies stores cookies for u's host.
func (s *Storage) SetCookies(u *url.URL, cookies string) {
	_ = s.rdb.HSet(context.Background(), s.prefix+":cookies", u.Host, cookies).Err()
}
