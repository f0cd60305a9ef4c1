//go:build !unix

package web_test

import "time"

// cpuTime is 0 where getrusage is missing: benchmarks then report wall
// time only.
func cpuTime() time.Duration { return 0 }
