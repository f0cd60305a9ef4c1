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

// The layouts' fixtures are the bts package's: one set of ports and months
// written in each release's layout.
func layoutFile(name string) string {
	return filepath.Join("..", "..", "bts", "testdata", "layouts", name)
}

func TestImportBTSOlderReleaseThenALaterOneSaysWhatChanged(t *testing.T) {
	old, err := os.ReadFile(layoutFile("state-abbreviation-1996-2018.csv"))
	if err != nil {
		t.Fatal(err)
	}
	current, err := os.ReadFile(layoutFile("current.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Zipped on a Mac: a resource file next to the data, its name ending in .csv too.
	zipped := testdb.Zip(t, [2]string{"Border_Crossing_Entry_Data.csv", string(old)},
		[2]string{"__MACOSX/._Border_Crossing_Entry_Data.csv", "\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X"})
	revised := filepath.Join(t.TempDir(), "revised.csv")
	if err := os.WriteFile(revised, []byte(strings.Replace(string(current), "Jan 2019,Trucks,1203", "Jan 2019,Trucks,1250", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(t.TempDir(), "unknown.csv")
	if err := os.WriteFile(unknown, []byte("Port,State,Port Code,Border,Month,Measure,Value\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		code, out, errs := run(t, "import", "bts", "--db", dsn, zipped)
		if code != 0 || !strings.Contains(out, "(Border_Crossing_Entry_Data.csv): 16 rows of 4 ports; 16 volumes new, 0 changed, 0 unchanged") {
			t.Fatalf("old release: exit %d, stdout %q, stderr %q", code, out, errs)
		}
		code, out, errs = run(t, "import", "bts", "--db", dsn, revised)
		if code != 0 || !strings.Contains(out, "16 rows of 4 ports; 0 volumes new, 1 changed, 15 unchanged") {
			t.Fatalf("later release, one value revised: exit %d, stdout %q, stderr %q", code, out, errs)
		}
		code, out, errs = run(t, "import", "bts", "--db", dsn, unknown)
		if code != 2 || out != "" || !strings.Contains(errs, `unknown.csv: line 1: the header has no "Port Name", "Date" columns`) ||
			!strings.Contains(errs, "nothing was imported") {
			t.Fatalf("unknown layout: exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})
}
