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
	check(t, filepath.Join("testdata", name), got, writable)
}

// CheckFile is Check for a generated file that the program itself reads,
// outside testdata/ (such as an embedded asset): the test fails until the
// file is written again from the code with -update.
func CheckFile(t testing.TB, path string, got []byte) {
	t.Helper()
	check(t, path, got, true)
}

func check(t testing.TB, path string, got []byte, writable bool) {
	t.Helper()
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
		t.Fatalf("%s differs (check, then run with -update):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
