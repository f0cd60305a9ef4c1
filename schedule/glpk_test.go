package schedule_test

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/schedule"
)

// writeLP writes the problem Solve solves as a linear program in CPLEX LP
// format, for GLPK's glpsol (or HiGHS): minimise t such that every cell's
// payoff is at most t, each coverage within 0..capacity, and every group
// and pool within its limits.
func writeLP(w io.Writer, p schedule.Problem) error {
	bw := bufio.NewWriter(w)
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	fmt.Fprintln(bw, "Minimize\n obj: t\nSubject To")
	for i, c := range p.Cells { // Value - x (Value - Penalty) <= t
		if d := c.Value - c.Penalty; d > 0 {
			fmt.Fprintf(bw, " p%d: %s x%d + t >= %s\n", i, num(d), i, num(c.Value))
		} else {
			fmt.Fprintf(bw, " p%d: t >= %s\n", i, num(c.Value))
		}
	}
	for k, g := range append(append([]schedule.Group{}, p.Groups...), p.Pools...) {
		sum := func(name, op string, n int) {
			fmt.Fprintf(bw, " %s%d:", name, k)
			for j, i := range g.Cells {
				if j > 0 {
					bw.WriteString("\n +")
				}
				fmt.Fprintf(bw, " x%d", i)
			}
			fmt.Fprintf(bw, " %s %d\n", op, n)
		}
		if g.Min > 0 {
			sum("min", ">=", g.Min)
		}
		if g.Max >= 0 {
			sum("max", "<=", g.Max)
		}
	}
	fmt.Fprintln(bw, "Bounds")
	for i, c := range p.Cells {
		fmt.Fprintf(bw, " 0 <= x%d <= %s\n", i, num(c.Capacity))
	}
	fmt.Fprintln(bw, " t free\nEnd")
	return bw.Flush()
}

// glpkRun is what one glpsol run took: the process's wall and CPU time
// (reading the LP, the simplex, writing the solution), and the CPU time
// of reading and checking the LP alone.
type glpkRun struct{ wall, cpu, readCPU time.Duration }

// glpsol solves the problem with GLPK's glpsol and returns the optimal
// payoff (NaN if GLPK found none) and what it took.
func glpsol(tb testing.TB, p schedule.Problem) (value float64, run glpkRun) {
	tb.Helper()
	bin, err := exec.LookPath("glpsol")
	if err != nil {
		if os.Getenv("OUTBOUND_REQUIRE_GLPK") != "" {
			tb.Fatal("no glpsol, and OUTBOUND_REQUIRE_GLPK is set: apt-get install glpk-utils")
		}
		testdb.Skip(tb, "GLPK's glpsol", "apt-get install glpk-utils")
	}
	dir := tb.TempDir()
	lp, sol := filepath.Join(dir, "p.lp"), filepath.Join(dir, "p.sol")
	f, err := os.Create(lp)
	if err != nil {
		tb.Fatal(err)
	}
	if err := writeLP(f, p); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	cpu := func(c *exec.Cmd) time.Duration { return c.ProcessState.UserTime() + c.ProcessState.SystemTime() }
	check := exec.Command(bin, "--lp", lp, "--check")
	if out, err := check.CombinedOutput(); err != nil {
		tb.Fatalf("glpsol --check: %v\n%s", err, out)
	}
	run.readCPU = cpu(check)
	start := time.Now()
	solve := exec.Command(bin, "--lp", lp, "-w", sol)
	if out, err := solve.CombinedOutput(); err != nil {
		tb.Fatalf("glpsol: %v\n%s", err, out)
	}
	run.wall, run.cpu = time.Since(start), cpu(solve)
	b, err := os.ReadFile(sol)
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		// s bas ROWS COLS PRIMAL DUAL OBJ: f f is an optimum
		if f := strings.Fields(line); len(f) == 7 && f[0] == "s" && f[1] == "bas" {
			if f[4] != "f" || f[5] != "f" {
				return math.NaN(), run
			}
			v, err := strconv.ParseFloat(f[6], 64)
			if err != nil {
				tb.Fatal(err)
			}
			return v, run
		}
	}
	tb.Fatalf("glpsol wrote no basic solution:\n%s", b)
	return
}

// glpkCases are the instances the solver is compared with GLPK on: the
// national week of the benchmarks in its three forms.
func glpkCases(tb testing.TB) []struct {
	name string
	p    schedule.Problem
} {
	r := rand.New(rand.NewPCG(1, 2))
	build := func(in schedule.Input) schedule.Problem {
		p, err := schedule.Build(in)
		if err != nil {
			tb.Fatal(err)
		}
		return p
	}
	pools := national(r, true)
	pools.DailyPool = 110
	return []struct {
		name string
		p    schedule.Problem
	}{
		{"week-3507-minimums", build(national(r, true))},
		{"week-3507-one-budget", build(national(r, false))},
		{"week-3507-daily-pools", build(pools)},
	}
}

// TestSolveMatchesGLPK solves the national week, in each form, with this
// package and with GLPK's simplex: the smuggler's best payoff agrees.
func TestSolveMatchesGLPK(t *testing.T) {
	for _, c := range glpkCases(t) {
		s, err := schedule.Solve(c.p)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := glpsol(t, c.p)
		if math.Abs(s.Value-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: this solver %.9f, GLPK %.9f", c.name, s.Value, want)
		}
		t.Logf("%s: %.6f (GLPK %.6f)", c.name, s.Value, want)
	}
}

// BenchmarkAgainstGLPK times this solver and GLPK's glpsol on the same
// instances in one run. ns/op and cpu-ms/op are this solver's (wall, and
// the process's CPU time per solve); glpsol-ms and glpsol-cpu-ms are one
// glpsol process's (reading the LP, the simplex, writing the solution),
// glpsol-read-cpu-ms its CPU time only to read the LP; ratio is glpsol's
// CPU time over this solver's, CPU time being what a machine shared with
// other work distorts least.
func BenchmarkAgainstGLPK(b *testing.B) {
	for _, c := range glpkCases(b) {
		b.Run(c.name, func(b *testing.B) {
			value, g := glpsol(b, c.p)
			b.ResetTimer()
			before := cpuTime(b)
			var s *schedule.Solution
			for range b.N {
				var err error
				if s, err = schedule.Solve(c.p); err != nil {
					b.Fatal(err)
				}
			}
			ours := (cpuTime(b) - before) / time.Duration(b.N)
			b.StopTimer()
			if math.Abs(s.Value-value) > 1e-6*math.Max(1, math.Abs(value)) {
				b.Fatalf("this solver %.9f, GLPK %.9f", s.Value, value)
			}
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			b.ReportMetric(ms(ours), "cpu-ms/op")
			b.ReportMetric(ms(g.wall), "glpsol-ms")
			b.ReportMetric(ms(g.cpu), "glpsol-cpu-ms")
			b.ReportMetric(ms(g.readCPU), "glpsol-read-cpu-ms")
			b.ReportMetric(float64(g.cpu)/float64(ours), "ratio")
		})
	}
}

// cpuTime is the CPU time this process has used.
func cpuTime(tb testing.TB) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
