package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"baoscope/bench"
)

// benchServe is bench --serve: many clients against a running serve.
func benchServe(ctx context.Context, base, clients string, d time.Duration, polite, asJSON bool, stdout io.Writer) error {
	n, err := strconv.Atoi(clients)
	if err != nil || n <= 0 {
		return fmt.Errorf("bench: --serve takes one number of --clients, not %q", clients)
	}
	res, err := bench.RunServeLoad(ctx, base, n, d, bench.Queries(), polite)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	res.Write(stdout)
	return nil
}
