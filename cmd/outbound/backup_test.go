package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// A backup taken while inspections are being recorded holds every one
// acknowledged before it began; it restores into a new database, which
// passes audit verify, on both databases. Neither command overwrites.
func TestBackupDuringWritesRestoresEveryAcknowledgedWrite(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) { testBackupDuringWrites(t, dialect) })
	}
}

func testBackupDuringWrites(t *testing.T, dialect string) {
	dir := t.TempDir()
	dsn, target := testdb.SQLite(t), filepath.Join(dir, "restored.db")
	if dialect == "postgres" { // pg_dump and pg_restore work on whole databases
		dsn, target = testdb.PostgresDatabase(t), testdb.PostgresDatabase(t)
	}
	db := testdb.Open(t, dsn, testdb.Laredo)

	// A stream of writes, each acknowledged (committed) before the next.
	type ack struct {
		id uuid.UUID
		at time.Time
	}
	var (
		mu    sync.Mutex
		acked []ack
		stop  = make(chan struct{})
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			started := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
			in := outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: started, EndedAt: started.Add(5 * time.Minute),
				Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.Interview}, Trigger: outbound.Routine,
				Officers: []string{"B1"}, Outcome: outbound.NoFinding}
			res, err := db.RecordInspections(testdb.System, []outbound.Inspection{in})
			if err != nil || res[0].Status != outbound.Created {
				t.Errorf("record: %+v %v", res, err)
				return
			}
			mu.Lock()
			acked = append(acked, ack{in.ID, time.Now()})
			mu.Unlock()
		}
	}()
	time.Sleep(300 * time.Millisecond)
	began := time.Now()
	backup := filepath.Join(dir, "backup")
	code, out, errs := run(t, "backup", "--db", dsn, "-o", backup)
	time.Sleep(100 * time.Millisecond) // writes go on after the backup too
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "backed up to "+backup) {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	if code, _, errs := run(t, "backup", "--db", dsn, "-o", backup); code != 2 || !strings.Contains(errs, "never overwrites") {
		t.Errorf("a second backup to the same file: %d %q", code, errs)
	}

	if code, out, errs := run(t, "restore", "--db", target, backup); code != 0 || !strings.Contains(out, "restored "+backup) {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	if code, _, errs := run(t, "restore", "--db", target, backup); code != 2 || !strings.Contains(errs, "never overwrites") && !strings.Contains(errs, "already holds") {
		t.Errorf("a second restore onto the same database: %d %q", code, errs)
	}
	if code, out, errs := run(t, "audit", "verify", "--db", target); code != 0 || !strings.Contains(out, "ok: ") {
		t.Fatalf("verify the restored copy: %d %q %q", code, out, errs)
	}

	restored := testdb.Open(t, target)
	var stored int
	if err := restored.SQL().QueryRow(`SELECT count(*) FROM inspections`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	before := 0
	for _, a := range acked {
		if !a.at.Before(began) {
			continue
		}
		before++
		if _, err := restored.FindInspection(testdb.System, a.id); err != nil {
			t.Errorf("inspection %s, acknowledged %s before the backup began, is not in it: %v", a.id, began.Sub(a.at), err)
		}
	}
	if before == 0 || stored < before || stored > len(acked) {
		t.Fatalf("the copy holds %d inspections; %d were acknowledged before the backup began and %d in all", stored, before, len(acked))
	}
	t.Logf("%d acknowledged before the backup, %d in it, %d in all", before, stored, len(acked))
}

// What is not a backup is not restored, a restore only reads its backup
// and never lands on a damaged database's leftover WAL, and a backup of
// a mistyped path makes nothing.
func TestBackupAndRestoreRefuseWhatWouldLoseData(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "restored.db")
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	other := filepath.Join(dir, "other.db")
	db := testdb.Open(t, "sqlite:"+other)
	db.SQL().Exec(`DROP TABLE schema_migrations`)
	db.Close()
	for name, c := range map[string]struct{ file, want string }{
		"garbage":          {filepath.Join(dir, "bad"), "not a database"},
		"an empty file":    {empty, "not an outbound backup"},
		"another database": {other, "not an outbound backup"},
	} {
		if c.file == filepath.Join(dir, "bad") {
			os.WriteFile(c.file, []byte(strings.Repeat("not a database ", 1000)), 0o644)
		}
		if code, _, errs := run(t, "restore", "--db", target, c.file); code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("restore of %s: %d %q; want a refusal saying %q", name, code, errs, c.want)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "restored.db*")); len(left) > 0 {
			t.Fatalf("a refused restore of %s left %v behind", name, left)
		}
	}

	// A good backup, read only.
	live := testdb.SQLite(t)
	testdb.Open(t, live, testdb.Laredo).Close()
	backup := filepath.Join(dir, "backup.db")
	if code, _, errs := run(t, "backup", "--db", live, "-o", backup); code != 0 {
		t.Fatalf("backup: %d %q", code, errs)
	}
	before, _ := os.ReadFile(backup)
	os.WriteFile(target+"-wal", []byte("a damaged database's log"), 0o644)
	if code, _, errs := run(t, "restore", "--db", target, backup); code != 2 || !strings.Contains(errs, "-wal exists") {
		t.Errorf("restore beside a leftover WAL: %d %q", code, errs)
	}
	os.Remove(target + "-wal")
	if code, _, errs := run(t, "restore", "--db", target, backup); code != 0 {
		t.Fatalf("restore: %d %q", code, errs)
	}
	if after, _ := os.ReadFile(backup); !bytes.Equal(before, after) {
		t.Error("restore changed the backup it read")
	}

	missing := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{{"backup", "--db", missing, "-o", filepath.Join(dir, "b2")}, {"migrate", "--dry-run", "--db", missing}} {
		if code, _, errs := run(t, args...); code == 0 || !strings.Contains(errs, "typo.db") {
			t.Errorf("%v of a missing database: %d %q", args, code, errs)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%v made the missing database", args)
		}
	}
}
