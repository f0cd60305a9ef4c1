// Package golden compares test output with files in testdata/, and
// rewrites them when tests run with -update.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// Check fails the test unless got equals testdata/name. With -update (and
// writable), it first rewrites the file.
func Check(t testing.TB, name string, got []byte, writable bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update && writable {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs (check, then run with -update):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
