package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

func historyRows(ins ...outbound.Inspection) func(yield func(sqldb.HistoryRow, error) bool) {
	return func(yield func(sqldb.HistoryRow, error) bool) {
		for i, in := range ins {
			if !yield(sqldb.HistoryRow{Where: "line " + string(rune('2'+i)), Inspection: in}, nil) {
				return
			}
		}
	}
}

var logSource = outbound.ImportSource{File: "log.csv", SHA256: strings.Repeat("0", 64)}

// An import is all or nothing, a dry run stores nothing, a second run
// replays, and a port node's database refuses to import.
func TestImportHistoryAllOrNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		old := inspection(time.Date(1994, 5, 1, 10, 0, 0, 0, time.UTC))
		clash := old
		clash.Notes = "other content"
		st, err := db.ImportHistory(testdb.System, logSource, historyRows(inspection(time.Date(2001, 1, 1, 10, 0, 0, 0, time.UTC)), old, clash), sqldb.HistoryOptions{})
		if err == nil || outbound.ErrorCode(err) != outbound.ECONFLICT || !strings.Contains(outbound.ErrorMessage(err), "line 4: id") {
			t.Fatalf("a clash within the file: %+v %v", st, err)
		}
		// Rows are stored in waves: a clash still stops the import before
		// a later bad row of its wave does.
		unknown := inspection(time.Date(2002, 1, 1, 10, 0, 0, 0, time.UTC))
		unknown.Crossing = "9999"
		st, err = db.ImportHistory(testdb.System, logSource, historyRows(old, clash, unknown), sqldb.HistoryOptions{})
		if err == nil || !strings.Contains(outbound.ErrorMessage(err), "line 3: id") {
			t.Fatalf("a clash before a bad row: %+v %v", st, err)
		}
		if rows, err := db.Rollups(testdb.System, false); err != nil || len(rows) != 0 {
			t.Fatalf("a refused import left rollups: %v %v", rows, err)
		}
		st, err = db.ImportHistory(testdb.System, logSource, historyRows(old), sqldb.HistoryOptions{DryRun: true})
		if err != nil || st.Created != 1 || st.ByCrossingYear["2304"][1994] != 1 {
			t.Fatalf("dry run: %+v %v", st, err)
		}
		if _, err := db.FindInspection(testdb.System, old.ID); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("a dry run stored: %v", err)
		}
		for run, want := range []int64{1, 0} {
			st, err = db.ImportHistory(testdb.System, logSource, historyRows(old), sqldb.HistoryOptions{})
			if err != nil || st.Created != want || st.Replayed != 1-want {
				t.Fatalf("run %d: %+v %v", run+1, st, err)
			}
		}
		got, err := db.FindInspection(testdb.System, old.ID)
		if err != nil || got.Import == nil || got.Import.File != "log.csv" || got.Import.By != "test" {
			t.Fatalf("stored: %+v %v", got.Import, err)
		}
		rows, err := db.Rollups(testdb.System, true)
		if err != nil || len(rows) == 0 || rows[0].Source != outbound.SourceImported {
			t.Fatalf("rollups: %+v %v", rows, err)
		}
		if rep, err := db.VerifyRollups(testdb.System, sqldb.RollupCheck{}); err != nil || !rep.OK() {
			t.Fatalf("verify: %v %v", rep.Problems, err)
		}
		if err := db.SetState(testdb.System, map[string]string{sqldb.StatePullCursor: "7"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportHistory(testdb.System, logSource, historyRows(old), sqldb.HistoryOptions{}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("a port node imported: %v", err)
		}
	})
}
