package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipOf writes a zip holding each of files under its base name.
func zipOf(t *testing.T, files ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bts.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(string(rune('a'+i)) + "_" + filepath.Base(name))
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func TestImportBTSZipSaysWhichFileItReadOrRefuses(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "t.db")
	dictionary := filepath.Join(t.TempDir(), "dictionary.csv")
	if err := os.WriteFile(dictionary, []byte("Column,Meaning\nValue,a monthly count\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "import", "bts", "--db", dsn, zipOf(t, dictionary, "testdata/ports.csv"))
	if code != 0 || !strings.Contains(out, "bts.zip (b_ports.csv): ") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want the file read named", code, out, errs)
	}
	code, out, errs = run(t, "import", "bts", "--db", dsn, zipOf(t, "testdata/ports.csv", dictionary, "testdata/ports.csv"))
	if code != 2 || out != "" || strings.Count(errs, "\n") != 1 ||
		!strings.Contains(errs, "the zip holds 2 BTS CSV files (a_ports.csv, c_ports.csv)") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and one line naming both", code, out, errs)
	}
}
