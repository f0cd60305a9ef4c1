package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

func TestDemoFillsTwoYearsThatLookLikeTheAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("makes two years of demo data")
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	code, out, errs := run(t, "demo", "--db", dsn, "--serve=false")
	if code != 0 || !strings.Contains(out, "50 synthetic crossings (names start with DEMO), 2024-03-10 to 2026-03-09") {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := func(query string) float64 {
		t.Helper()
		var v float64
		if err := db.SQL().QueryRow(query).Scan(&v); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return v
	}
	// Share of each border's crossings by days with an outbound inspection.
	daysBy := `SELECT count(*) FROM (SELECT c.code, count(DISTINCT i.local_day) AS days
		FROM crossings c JOIN ports p ON p.code = c.port_code LEFT JOIN inspections i ON i.crossing = c.code
		WHERE p.border = '%s' GROUP BY c.code) WHERE days %s`
	swMost := q(fmt.Sprintf(daysBy, "southwest", ">= 365")) / q(fmt.Sprintf(daysBy, "southwest", ">= 0"))
	nRare := q(fmt.Sprintf(daysBy, "northern", "< 24")) / q(fmt.Sprintf(daysBy, "northern", ">= 0"))
	nDaily := q(fmt.Sprintf(daysBy, "northern", ">= 0.85 * 730")) / q(fmt.Sprintf(daysBy, "northern", ">= 0"))
	if swMost < 0.9 || nRare < 0.4 || nDaily > 0.3 {
		t.Errorf("southwest crossings inspecting on most days: %.0f%%; northern ones under monthly: %.0f%%, daily: %.0f%%", 100*swMost, 100*nRare, 100*nDaily)
	}
	seizureRate := q(`SELECT avg(CASE WHEN outcome IN ('seizure', 'arrest') THEN 1.0 ELSE 0 END) FROM inspections`)
	if seizureRate <= 0 || seizureRate > 0.03 {
		t.Errorf("seizure rate %.3f; want rare, above 0 and under 3%%", seizureRate)
	}
	// Skewed: the largest tenth of seizures holds most of the value.
	topTenth := q(`SELECT sum(value_usd) FROM (SELECT value_usd FROM seizures ORDER BY value_usd DESC
		LIMIT (SELECT count(*) / 10 FROM seizures))`) / q(`SELECT sum(value_usd) FROM seizures`)
	if topTenth < 0.4 {
		t.Errorf("top 10%% of seizures hold %.0f%% of the value; want a skewed distribution", 100*topTenth)
	}
	diverted := q(`SELECT avg(CASE WHEN hours_diverted > 0 THEN 1.0 ELSE 0 END) FROM staffing`)
	if diverted < 0.2 {
		t.Errorf("%.0f%% of shifts diverted hours; want diversions common", 100*diverted)
	}
	if span := q(`SELECT julianday(max(local_day)) - julianday(min(local_day)) FROM inspections`); span < 729 {
		t.Errorf("inspections span %.0f days; want two years", span)
	}
	if named := q(`SELECT count(*) FROM crossings WHERE source = 'demo' AND name LIKE 'DEMO %'`); named != 50 {
		t.Errorf("%v crossings labelled as demo data; want 50", named)
	}
	// The demo's national policy is published: compliance can be measured.
	from, _ := outbound.ParseDate("2025-06-02")
	to, _ := outbound.ParseDate("2025-06-29")
	_, rollup, err := db.Compliance(testdb.System, "", from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rollup {
		if r.Level == "border" && r.Name == "southwest" && (r.WindowsRequired != 20*28 || r.WindowsMet < r.WindowsRequired/2) {
			t.Errorf("southwest compliance in June 2025: %+v; want 560 daily windows, most met", r)
		}
	}
}

func TestDemoWithRealPortsFromBTS(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	code, out, errs := run(t, "demo", "--db", dsn, "--serve=false", "--years", "1", "--bts", "testdata/ports.csv")
	if code != 0 || !strings.Contains(out, "2 real ports from testdata/ports.csv") || !strings.Contains(out, "exit estimates") {
		t.Fatalf("demo --bts: %d %q %q", code, out, errs)
	}
}
