//go:build !unix

package langid

import "time"

// cpuTime is not measured off Unix; throughput per CPU-second reads 0.
func cpuTime() time.Duration { return 0 }
