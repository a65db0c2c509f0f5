package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"baoscope/model"
)

// remoteTimeout bounds one search asked of a server: the server bounds
// its own query time (10 s by default), this only guards against a
// server that stopped answering.
const remoteTimeout = time.Minute

// searchRemote asks the search API of a running `baoscope serve` at
// base: what `search --server` does instead of opening a data directory,
// which the server holds.
func searchRemote(ctx context.Context, base string, params url.Values) (*model.Result, error) {
	u, err := url.Parse(strings.TrimRight(base, "/") + "/api/v1/search")
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--server %q: want a URL such as http://127.0.0.1:8080", base)
	}
	u.RawQuery = params.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("--server: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := (&http.Client{Timeout: remoteTimeout}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, remoteError(resp)
	}
	var res model.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return nil, fmt.Errorf("server's answer: %w", err)
	}
	return &res, nil
}

// remoteError turns the API's JSON error into what the local search
// would say: a bad parameter names its flag.
func remoteError(resp *http.Response) error {
	var body struct {
		Error struct {
			Code     string `json:"code"`
			Message  string `json:"message"`
			Param    string `json:"param"`
			Position *int   `json:"position"`
		} `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err := json.Unmarshal(b, &body); err != nil || body.Error.Message == "" {
		return fmt.Errorf("server answered %s", resp.Status)
	}
	e := body.Error
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		// The message says when to retry (Retry-After).
		return fmt.Errorf("server busy: %s", e.Message)
	case e.Param != "" && e.Param != "q":
		return fmt.Errorf("--%s: %s", e.Param, e.Message)
	case e.Position != nil:
		return fmt.Errorf("query: at position %d: %s", *e.Position, e.Message)
	case e.Param == "q":
		return errors.New("query: " + e.Message)
	}
	return fmt.Errorf("server answered %s: %s", resp.Status, e.Message)
}

// params are the API parameters of the search the flags and words ask
// for, named as validate.Params reads them.
func (f *searchFlags) params(words []string) url.Values {
	v := url.Values{"q": {strings.Join(words, " ")}}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("lang", f.langs)
	set("section", f.section)
	set("from", f.from)
	set("to", f.to)
	set("sort", f.sort)
	set("cursor", f.cursor)
	set("qlang", f.qlang)
	v.Set("size", strconv.Itoa(f.size))
	v.Set("originals", strconv.FormatBool(f.originals))
	v.Set("translate", strconv.FormatBool(f.translate))
	return v
}
