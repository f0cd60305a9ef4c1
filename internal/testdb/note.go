package testdb

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// missing counts, per thing missing (PostgreSQL, a shared data file, the
// browser), the tests skipped for want of it in this test binary.
var missing = struct {
	sync.Mutex
	skipped map[string]int
	fix     map[string]string
}{skipped: map[string]int{}, fix: map[string]string{}}

// Skip skips the test because what is missing (a service or a file), and
// notes it for Main's summary line; fix says how to provide it.
func Skip(t testing.TB, what, fix string) {
	t.Helper()
	noteMissing(what, fix)
	t.Skipf("%s is missing (%s): test skipped", what, fix)
}

// noteMissing counts one test skipped for lack of what.
func noteMissing(what, fix string) {
	missing.Lock()
	missing.skipped[what]++
	missing.fix[what] = fix
	missing.Unlock()
}

// Main runs a package's tests (call it from TestMain) and, when some were
// skipped because something they need is missing, prints one line naming
// what is missing and how many tests it cost. A passing package's output
// is hidden by "go test ./...", so without -v the line goes to the
// terminal (/dev/tty) when there is one, else to standard output, where
// "go test" shows it with a failure.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main for a TestMain that has more to do: it runs the tests,
// prints the line and returns the exit code.
func Run(m *testing.M) int {
	code := m.Run()
	if line := Summary(); line != "" {
		note(line)
	}
	return code
}

// Summary is the line Main prints: "" when nothing was skipped for want
// of a service or a file.
func Summary() string {
	missing.Lock()
	defer missing.Unlock()
	if len(missing.skipped) == 0 {
		return ""
	}
	var parts []string
	for _, what := range slices.Sorted(maps.Keys(missing.skipped)) {
		n := missing.skipped[what]
		tests := "tests"
		if n == 1 {
			tests = "test"
		}
		parts = append(parts, fmt.Sprintf("%s missing, %d %s skipped (%s)", what, n, tests, missing.fix[what]))
	}
	return fmt.Sprintf("note: %s: %s", pkg(), strings.Join(parts, "; "))
}

// pkg names the package under test by its directory in the module.
func pkg() string {
	dir, err := os.Getwd()
	if err != nil {
		return "this package"
	}
	for root := dir; ; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			if rel, err := filepath.Rel(root, dir); err == nil && rel != "." {
				return rel
			}
			return "outbound"
		}
		if filepath.Dir(root) == root {
			return filepath.Base(dir)
		}
	}
}

func note(line string) {
	var w io.Writer = os.Stdout
	if !testing.Verbose() {
		if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			defer tty.Close()
			w = tty
		}
	}
	fmt.Fprintln(w, line)
}
