package testdb

import (
	"context"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
)

// Clock is the server clock of tests that set one: 2026-03-10 12:00 UTC.
var Clock = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// Laredo and Blaine are real ports for fixtures, one on each border.
var (
	Laredo = outbound.Port{Code: "2304", Name: "Laredo", State: "Texas", Border: outbound.Southwest,
		TimeZone: "America/Chicago", Source: outbound.SourceManual}
	Blaine = outbound.Port{Code: "3004", Name: "Blaine", State: "Washington", Border: outbound.Northern,
		TimeZone: "America/Los_Angeles", Source: outbound.SourceManual}
)

// Open opens and migrates the database at dsn, closed when the test ends,
// and saves ports (each with its crossing).
func Open(t testing.TB, dsn string, ports ...outbound.Port) *sqldb.DB {
	t.Helper()
	return OpenWith(t, dsn, sqldb.Options{}, ports...)
}

// OpenWith is Open with options, for benchmarks that compare settings.
func OpenWith(t testing.TB, dsn string, opts sqldb.Options, ports ...outbound.Port) *sqldb.DB {
	t.Helper()
	ctx := System
	db, err := sqldb.OpenWith(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if len(ports) > 0 {
		if err := db.SavePorts(ctx, ports); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// System is a context acting as the local command line, which may do
// anything: for tests of storage that are not about permissions.
var System = outbound.WithActor(context.Background(), outbound.SystemActor("test"))
