//go:build unix

package langid

import (
	"syscall"
	"time"
)

// cpuTime is the user and system CPU time this process has used. Throughput
// per CPU-second does not depend on what else the (shared) machine runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
