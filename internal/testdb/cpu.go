package testdb

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/sqldb"
)

// CPU starts a stopwatch of CPU time for a benchmark on a machine shared
// with other work, where wall time says more about the neighbours than
// about the code: the returned function reports the CPU time this process
// used since, and that of the PostgreSQL backends serving db (0 for
// SQLite). The backends are read from /proc, so the server must run on
// this machine, as the benchmarks here have it.
func CPU(t testing.TB, db *sqldb.DB) func() (process, server time.Duration) {
	t.Helper()
	startProcess, startServer := processCPU(), backendCPU(t, db)
	return func() (time.Duration, time.Duration) {
		var server time.Duration
		for pid, used := range backendCPU(t, db) {
			server += used - startServer[pid] // a backend started since counts whole
		}
		return processCPU() - startProcess, server
	}
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// backendCPU is the CPU time each backend connected to db's database has
// used, by process id.
func backendCPU(t testing.TB, db *sqldb.DB) map[int]time.Duration {
	t.Helper()
	used := map[int]time.Duration{}
	if db.Dialect() != sqldb.Postgres {
		return used
	}
	rows, err := db.SQL().Query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			t.Fatal(err)
		}
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			continue // gone, or not on this machine
		}
		// Fields 14 and 15 are user and system time in clock ticks (100
		// a second on Linux); the command name before them, in
		// parentheses, may hold spaces.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		user, _ := strconv.ParseInt(f[11], 10, 64)
		system, _ := strconv.ParseInt(f[12], 10, 64)
		used[pid] = time.Duration(user+system) * 10 * time.Millisecond
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return used
}
