// Package testdb gives tests a fresh database of each kind: a SQLite file
// always, and a PostgreSQL schema of its own when OUTBOUND_TEST_POSTGRES
// holds a DSN (CI sets it, and fails on any skipped test).
package testdb

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// EnvPostgres names the variable that holds the PostgreSQL DSN for tests.
const EnvPostgres = "OUTBOUND_TEST_POSTGRES"

// ForEach runs fn once with the DSN of a new SQLite file and once with the
// DSN of a new PostgreSQL schema, each as a subtest named for its dialect.
func ForEach(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns the DSN of a new SQLite file in the test's temp dir.
func SQLite(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "outbound.db")
}

// Postgres returns the DSN of a new, empty schema, dropped when the test
// ends; it skips the test when OUTBOUND_TEST_POSTGRES is not set.
func Postgres(t testing.TB) string {
	t.Helper()
	u, schema := fresh(t, "CREATE SCHEMA %s", "DROP SCHEMA %s CASCADE")
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresDatabase returns the DSN of a new, empty database (not a
// schema), dropped when the test ends, for what works on whole databases
// (pg_dump, pg_restore); it skips the test when OUTBOUND_TEST_POSTGRES is
// not set.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	u, name := fresh(t, "CREATE DATABASE %s", "DROP DATABASE IF EXISTS %s WITH (FORCE)")
	u.Path = "/" + name
	return u.String()
}

// fresh makes a uniquely named schema or database on the PostgreSQL of
// OUTBOUND_TEST_POSTGRES by the statement create, removed by drop when
// the test ends, and returns that server's DSN and the name.
func fresh(t testing.TB, create, drop string) (*url.URL, string) {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		Skip(t, "PostgreSQL", "set "+EnvPostgres+" to a DSN")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec(fmt.Sprintf(create, name)); err != nil {
		t.Fatalf("PostgreSQL at %s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), fmt.Sprintf(drop, name))
	})
	return u, name
}

// EnvRequireShared, when "1", turns a missing ../shared/data file into a
// failure instead of a skip (CI sets it).
const EnvRequireShared = "OUTBOUND_REQUIRE_SHARED"

// EnvSharedData names a folder that holds the public data files, for a
// checkout with no shared/data beside it.
const EnvSharedData = "OUTBOUND_SHARED_DATA"

// Shared returns the path of a file in the public data folder: the one
// OUTBOUND_SHARED_DATA names, else shared/data next to the checkout
// (../shared/data), found from the test's package directory upwards. It
// skips the test when the file is absent, or fails it when
// OUTBOUND_REQUIRE_SHARED=1.
func Shared(t testing.TB, name string) string {
	t.Helper()
	if dir := os.Getenv(EnvSharedData); dir != "" {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "..", "shared", "data", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv(EnvRequireShared) == "1" {
		t.Fatalf("the public data file %s is missing (not in %s nor ../shared/data) and %s=1", name, EnvSharedData, EnvRequireShared)
	}
	Skip(t, "the public data file "+name, "put it in ../shared/data or the folder "+EnvSharedData+" names: see README, \"The BTS files\"")
	return ""
}

// Zip writes a zip in the test's temp dir holding each file, given as
// {name, content}, and returns its path.
func Zip(t testing.TB, files ...[2]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "files.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, nf := range files {
		w, err := zw.Create(nf[0])
		if err == nil {
			_, err = w.Write([]byte(nf[1]))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
