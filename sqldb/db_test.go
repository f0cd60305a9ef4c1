package sqldb_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// forEachDB runs fn against a fresh, migrated SQLite file, and against a
// fresh PostgreSQL schema when OUTBOUND_TEST_POSTGRES is set.
func forEachDB(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	testdb.ForEach(t, func(t *testing.T, dsn string) { fn(t, mustOpen(t, dsn)) })
}

var clock = testdb.Clock

// mustOpen opens a migrated database with Laredo and Blaine and the test clock.
func mustOpen(t *testing.T, dsn string) *sqldb.DB {
	db := testdb.Open(t, dsn, testdb.Laredo, testdb.Blaine)
	db.Now = func() time.Time { return clock }
	return db
}

// inspection returns a valid no-finding inspection at Laredo started at.
func inspection(started time.Time) outbound.Inspection {
	id, _ := uuid.NewV7()
	return outbound.Inspection{
		ID: id, Crossing: "2304", StartedAt: started, EndedAt: started.Add(12 * time.Minute),
		Modality: outbound.PersonalVehicle, Techniques: []outbound.Technique{outbound.Interview, outbound.Physical},
		Trigger: outbound.RandomSelection, Officers: []string{"B1234", "B5678"}, Outcome: outbound.NoFinding,
	}
}

func TestMigrateTwiceAppliesOnce(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		ctx := testdb.System
		db, err := sqldb.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		first, err := db.Migrate(ctx)
		if err != nil || len(first) == 0 || first[0].Name != "0001_record" {
			t.Fatalf("first migrate = %v, %v; want 0001_record applied", first, err)
		}
		again, err := db.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second migrate = %v, %v; want nothing applied", again, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != first[len(first)-1].Version {
			t.Fatalf("schema version = %d, %v", v, err)
		}
	})
}

func TestOpenRejectsBadDSN(t *testing.T) {
	_, err := sqldb.Open(testdb.System, "sqlite:")
	if outbound.ErrorCode(err) != outbound.EINVALID {
		t.Fatalf("Open(sqlite:) = %v; want invalid", err)
	}
}

func TestCrossingsFollowPorts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		ctx := testdb.System
		cs, err := db.FindCrossings(ctx)
		if err != nil || len(cs) != 2 {
			t.Fatalf("crossings = %v, %v; want one per port", cs, err)
		}
		c, err := db.FindCrossing(ctx, "2304")
		if err != nil || c.Border != outbound.Southwest || c.TimeZone != "America/Chicago" || c.Name != "Laredo" {
			t.Fatalf("crossing 2304 = %+v, %v", c, err)
		}
		if _, err := db.FindCrossing(ctx, "9999"); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("unknown crossing: %v; want not_found", err)
		}
		// A second crossing of a port stays when the port is saved again.
		lat, lon := 27.4995, -99.5076
		bridge := outbound.Crossing{Code: "2304-WTB", PortCode: "2304", Name: "World Trade Bridge",
			Latitude: &lat, Longitude: &lon, Modalities: []outbound.Modality{outbound.Truck}}
		if err := db.SaveCrossing(ctx, bridge); err != nil {
			t.Fatal(err)
		}
		if err := db.SavePorts(ctx, []outbound.Port{testdb.Laredo}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindCrossing(ctx, "2304-WTB")
		if err != nil || got.Border != outbound.Southwest || *got.Latitude != lat || len(got.Modalities) != 1 {
			t.Fatalf("bridge = %+v, %v", got, err)
		}
		bad := bridge
		bad.PortCode = "0999"
		if err := db.SaveCrossing(ctx, bad); outbound.ErrorField(err) != "port_code" {
			t.Fatalf("crossing of unknown port: %v; want invalid port_code", err)
		}
	})
}

// SQLite answers a write only once it survives a power cut: the
// write-ahead log is synced at every commit (synchronous=FULL), on every
// connection of the pool. NORMAL is there only to be measured against.
func TestSQLiteCommitsAreSyncedToDisk(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite(t))
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 { // held at once, so that each is a connection of its own
		c, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var mode string
		var sync int
		if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || sync != 2 {
			t.Fatalf("connection %d: journal_mode %s, synchronous %d; want wal and 2 (FULL)", i, mode, sync)
		}
	}
	normal := testdb.OpenWith(t, testdb.SQLite(t), sqldb.Options{Synchronous: "normal"})
	var sync int
	if err := normal.SQL().QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 1 {
		t.Fatalf("synchronous with NORMAL asked = %d, %v; want 1", sync, err)
	}
	if _, err := sqldb.OpenWith(ctx, testdb.SQLite(t), sqldb.Options{Synchronous: "OFF"}); outbound.ErrorField(err) != "synchronous" {
		t.Fatalf("synchronous OFF: %v; want refused", err)
	}
}
