package redisstate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"baoscope/model"
)

// URLStates keeps the crawler's per-URL state (validators, content hash,
// outcome, remembered 404s) in one Redis hash, so that every process of a
// shared crawl revalidates with what any of them learnt. It implements
// crawler.StateStore.
type URLStates struct {
	c   *Conn
	key string
}

// NewURLStates returns the state table under prefix.
func NewURLStates(c *Conn, prefix string) *URLStates {
	return &URLStates{c: c, key: prefix + ":urlstate"}
}

// URLState returns the state of rawURL; the error wraps model.ErrNotFound
// when there is none, as the bbolt store's does.
func (s *URLStates) URLState(rawURL string) (*model.URLState, error) {
	var v []byte
	err := s.c.Do(context.Background(), func(ctx context.Context) error {
		var err error
		v, err = s.c.rdb.HGet(ctx, s.key, rawURL).Bytes()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("url state %s: %w", rawURL, model.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("url state %s: %w", rawURL, err)
	}
	st := new(model.URLState)
	if err := json.Unmarshal(v, st); err != nil {
		return nil, fmt.Errorf("url state %s: %w", rawURL, err)
	}
	return st, nil
}

// PutURLState records the state of st.URL.
func (s *URLStates) PutURLState(st *model.URLState) error {
	v, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode url state %s: %w", st.URL, err)
	}
	err = s.c.Do(context.Background(), func(ctx context.Context) error {
		return s.c.rdb.HSet(ctx, s.key, st.URL, v).Err()
	})
	if err != nil {
		return fmt.Errorf("put url state %s: %w", st.URL, err)
	}
	return nil
}
