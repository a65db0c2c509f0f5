//go:build !linux

package bench

import "time"

// Outside Linux the figures that need /proc or per-thread rusage read as
// zero and the table shows "–".

func processCPU() time.Duration { return 0 }
func threadCPU() time.Duration  { return 0 }
func peakRSS() int64            { return 0 }
func anonRSS() int64            { return 0 }
func resetPeakRSS() bool        { return false }
