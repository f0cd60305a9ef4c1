package sqldb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// withSearchPath returns dsn reading schema.
func withSearchPath(dsn, schema string) string {
	return dsn + "&search_path=" + schema
}

// A standby of the primary opens, reads what the primary wrote once it
// has replayed it, and says how far behind it is; anything that is not
// that standby is refused, naming the difference.
func TestOpenStandby(t *testing.T) {
	rep := testdb.NewReplica(t)
	ctx := context.Background()
	primary := mustOpen(t, withSearchPath(rep.Primary, "public"))
	rep.WaitReplay() // the schema the primary was just migrated to
	standby, err := sqldb.OpenStandby(ctx, withSearchPath(rep.Standby, "public"), primary)
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Close()

	mustRecord(t, primary, inspection(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	rep.WaitReplay()
	if lag, err := standby.StandbyLag(ctx, primary); err != nil || lag != 0 {
		t.Fatalf("caught up: lag %v, %v; want 0", lag, err)
	}
	activity := func(db *sqldb.DB) int {
		t.Helper()
		r, err := db.Report(testdb.System, "activity", outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 1}, To: outbound.Date{Year: 2026, Month: 3, Day: 31}})
		if err != nil {
			t.Fatal(err)
		}
		var totals struct{ Inspections int }
		b, _ := json.Marshal(r.Totals)
		json.Unmarshal(b, &totals)
		return totals.Inspections
	}
	if n := activity(standby); n != 1 {
		t.Fatalf("the standby's activity: %d inspections; want 1", n)
	}

	// Paused, the standby falls behind: it shows the old figure, and its
	// lag is the age of the last transaction it replayed.
	rep.PauseReplay()
	time.Sleep(50 * time.Millisecond)
	mustRecord(t, primary, inspection(time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)))
	if n := activity(standby); n != 1 {
		t.Fatalf("the paused standby's activity: %d inspections; want 1", n)
	}
	if lag, err := standby.StandbyLag(ctx, primary); err != nil || lag < 50*time.Millisecond {
		t.Fatalf("behind: lag %v, %v; want at least 50ms", lag, err)
	}
	rep.ResumeReplay()
	rep.WaitReplay()
	if n := activity(standby); n != 2 {
		t.Fatalf("the standby's activity after replay: %d inspections; want 2", n)
	}

	// A policy check read from the standby is kept on the primary, and
	// the standby reads it back once it has replayed it.
	march := [2]outbound.Date{{Year: 2026, Month: 3, Day: 1}, {Year: 2026, Month: 3, Day: 31}}
	if n, _, err := standby.CheckInspections(testdb.System, "2304", march[0], march[1]); err != nil || n != 2 {
		t.Fatalf("the standby's policy check: %d checked, %v; want 2", n, err)
	}
	var kept int
	if err := primary.SQL().QueryRow(`SELECT count(*) FROM policy_findings_day WHERE epoch >= 0`).Scan(&kept); err != nil || kept != 2 {
		t.Fatalf("the primary keeps %d days of the standby's check, %v; want 2", kept, err)
	}
	rep.WaitReplay()
	if err := standby.SQL().QueryRow(`SELECT count(*) FROM policy_findings_day WHERE epoch >= 0`).Scan(&kept); err != nil || kept != 2 {
		t.Fatalf("the standby reads %d kept days, %v; want 2", kept, err)
	}

	refused := func(name, dsn string, primary *sqldb.DB, want string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		db, err := sqldb.OpenStandby(ctx, dsn, primary)
		if err == nil {
			db.Close()
			t.Fatalf("%s: opened; want refused", name)
		}
		if outbound.ErrorField(err) != "read-db" || !strings.Contains(outbound.ErrorMessage(err), want) {
			t.Fatalf("%s: %v; want read-db refused with %q", name, err, want)
		}
	}
	refused("the primary itself", withSearchPath(rep.Primary, "public"), primary, "is not a hot standby (pg_is_in_recovery() is false)")
	refused("another cluster", withSearchPath(rep.Standby, "public"), mustOpen(t, testdb.Postgres(t)), "is not a copy of the primary's cluster")
	refused("another schema", withSearchPath(rep.Standby, "pg_catalog"), primary, `reads schema "pg_catalog", the primary's "public"`)
	refused("an SQLite file", "sqlite:"+t.TempDir()+"/x.db", primary, "expected postgres://")
	refused("an SQLite primary", rep.Standby, mustOpen(t, testdb.SQLite(t)), "needs a PostgreSQL primary")

	// A standby that has not replayed the primary's latest migration is
	// waited for, then refused naming it.
	rep.PauseReplay()
	defer rep.ResumeReplay()
	if _, err := primary.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_later', 'now')`); err != nil {
		t.Fatal(err)
	}
	refused("behind on migrations", withSearchPath(rep.Standby, "public"), primary, "has not replayed migration 9999_later")
}
