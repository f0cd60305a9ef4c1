package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound/internal/testdb"
)

// zipOf writes a zip holding each of files, named "a_" plus its base name
// for the first, "b_" for the second, and so on.
func zipOf(t *testing.T, files ...string) string {
	t.Helper()
	var named [][2]string
	for i, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		named = append(named, [2]string{string(rune('a'+i)) + "_" + filepath.Base(name), string(b)})
	}
	return testdb.Zip(t, named...)
}

func TestImportBTSZipSaysWhichFileItReadOrRefuses(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	dictionary := filepath.Join(t.TempDir(), "dictionary.csv")
	if err := os.WriteFile(dictionary, []byte("Column,Meaning\nValue,a monthly count\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "import", "bts", "--db", dsn, zipOf(t, dictionary, "testdata/ports.csv"))
	if code != 0 || !strings.Contains(out, "files.zip (b_ports.csv): ") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want the file read named", code, out, errs)
	}
	code, out, errs = run(t, "import", "bts", "--db", dsn, zipOf(t, "testdata/ports.csv", dictionary, "testdata/ports.csv"))
	if code != 2 || out != "" || strings.Count(errs, "\n") != 1 ||
		!strings.Contains(errs, "the zip holds 2 BTS CSV files (a_ports.csv, c_ports.csv)") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and one line naming both", code, out, errs)
	}
}
