package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound/schedule"
)

func TestScheduleCommand(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "s.db")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	pol := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(pol, []byte("kind: national\nid: n-2024\neffective: 2024-01-01\nrules:\n"+
		"  - id: sw-daily\n    scope: {border: southwest}\n    min_inspections: {count: 1, per: day}\n"+
		"  - id: north-weekly\n    scope: {border: northern}\n    min_inspections: {count: 2, per: week}\n"), 0o644)
	if code, _, errs := run(t, "policy", "publish", "--db", dsn, pol); code != 0 {
		t.Fatalf("publish: %s", errs)
	}
	week := []string{"schedule", "--db", dsn, "--from", "2024-02-05", "--to", "2024-02-11"}

	// A seed draws the same schedule, byte for byte.
	code, first, errs := run(t, append(week, "--seed", "7", "--format", "json")...)
	if code != 0 {
		t.Fatalf("schedule: %d %s", code, errs)
	}
	if _, again, _ := run(t, append(week, "--seed", "7", "--format", "json")...); again != first {
		t.Fatal("the same seed printed another schedule")
	}
	var plan schedule.Plan
	if err := json.Unmarshal([]byte(first), &plan); err != nil {
		t.Fatal(err)
	}
	perDay, perCrossing := map[string]int{}, map[string]int{}
	for _, o := range plan.Operations {
		perDay[o.Crossing+" "+o.Day.String()]++
		perCrossing[o.Crossing]++
	}
	for d := 5; d <= 11; d++ {
		if perDay[fmt.Sprintf("2304 2024-02-%02d", d)] == 0 {
			t.Errorf("Laredo has no operation on February %d; its minimum is one a day", d)
		}
	}
	if perCrossing["3004"] < 2 {
		t.Errorf("Blaine has %d operations; its minimum is two a week", perCrossing["3004"])
	}
	if plan.Seed == nil || *plan.Seed != 7 || plan.AttackerValue <= 0 {
		t.Errorf("plan: seed %v, attacker value %v", plan.Seed, plan.AttackerValue)
	}

	// Without a seed, crypto/rand draws: five runs are not all alike.
	seen := map[string]bool{}
	for range 5 {
		_, out, _ := run(t, append(week, "--format", "csv")...)
		seen[out] = true
	}
	if len(seen) < 2 {
		t.Error("five unseeded runs printed the same schedule")
	}

	// The explanation has every shift's coverage.
	_, out, _ := run(t, append(week, "--seed", "1", "--explain", "--format", "csv")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+2*7*3 || lines[0] != "crossing,day,shift,value,penalty,coverage,attacker_payoff,drawn" {
		t.Fatalf("explained csv: %d lines, header %q", len(lines), lines[0])
	}
	if _, out, _ = run(t, append(week, "--seed", "1", "--explain")...); !strings.Contains(out, "Limits that bind") || !strings.Contains(out, "best responses") {
		t.Fatalf("explained table:\n%s", out)
	}

	// An intelligence weight is an input the explanation shows.
	if _, out, _ = run(t, append(week, "--seed", "1", "--explain", "--weight", "2304=5")...); !regexp.MustCompile(`(?m)^2304 +southwest +Laredo +[0-9.]+ +[0-9.]+ +5 `).MatchString(out) {
		t.Fatalf("weighted explanation:\n%s", out)
	}

	if _, out, _ = run(t, append(week, "--seed", "1", "--explain", "--exits", "2304=1000", "--seizure-rate", "2304=50")...); !regexp.MustCompile(`(?m)^2304 +southwest +Laredo +1000\.0 +50\.00 +1 `).MatchString(out) {
		t.Fatalf("explanation with exits and seizure rate given:\n%s", out)
	}

	// The evaluation plays the plan and the audit's habits against a
	// learning smuggler.
	if _, out, _ = run(t, append(week, "--seed", "1", "--evaluate", "50")...); !strings.Contains(out, "optimal (this planner)") ||
		!strings.Contains(out, "uniform random") || !strings.Contains(strings.Split(out, "\n")[1], " 1.000 ") {
		t.Fatalf("evaluation:\n%s", out)
	}

	// Publishing draws from crypto/rand and stores one record per crossing.
	if code, out, errs := run(t, append(week, "--publish")...); code != 0 || !strings.Contains(out, "for 2 crossings, 2024-02-05 to 2024-02-11") {
		t.Fatalf("publish: %d %q %q", code, out, errs)
	}
	if code, _, _ := run(t, append(week, "--publish", "--seed", "1")...); code != 2 {
		t.Fatal("published a seeded schedule")
	}

	// A daily pool across crossings cuts across each crossing's windows:
	// two teams a day leave room for Blaine's two a week, one does not.
	code, out, errs = run(t, append(week, "--seed", "3", "--daily-pool", "2", "--format", "json")...)
	if code != 0 {
		t.Fatalf("a daily pool of 2: %d %s", code, errs)
	}
	plan = schedule.Plan{}
	json.Unmarshal([]byte(out), &plan)
	perDay = map[string]int{}
	for _, o := range plan.Operations {
		perDay[o.Day.String()]++
	}
	for day, n := range perDay {
		if n > 2 {
			t.Errorf("%d operations on %s; the daily pool is 2", n, day)
		}
	}
	if code, _, errs := run(t, append(week, "--daily-pool", "1")...); code != 1 || !strings.Contains(errs, "the pools together cannot meet") ||
		!strings.Contains(errs, "pools of 2 each would do") {
		t.Fatalf("a daily pool of 1: exit %d, %q", code, errs)
	}

	// A budget below the minimums is refused, saying why.
	if code, _, errs := run(t, append(week, "--budget", "3")...); code != 1 || !strings.Contains(errs, "national budget") {
		t.Fatalf("a budget of 3: exit %d, %q", code, errs)
	}
	for _, bad := range [][]string{{"--seed", "x"}, {"--format", "docx"}, {"--to", "2024-01-01"}, {"--crossing", "9999"},
		{"--weight", "2304"}, {"--weight", "9999=2"}, {"--office-budget", "Laredo"}, {"--exits", "2304=-5"}, {"--evaluate", "-1"}, {"--budget", "-3"}} {
		if code, _, errs := run(t, append(week, bad...)...); code != 2 || !strings.Contains(errs, "outbound: ") {
			t.Errorf("schedule %v: exit %d, %q; want 2", bad, code, errs)
		}
	}
}

func TestOperationCommands(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "o.db")
	run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
	code, out, errs := run(t, "operation", "plan", "--db", dsn, "--name", "pulse", "--count", "1", "--officers", "4",
		"--from", "2024-02-05", "--to", "2024-02-07")
	if code != 0 || !strings.Contains(out, `planned random operation "pulse", 2024-02-05 to 2024-02-07, 4 officers at `) {
		t.Fatalf("plan: %d %q %q", code, out, errs)
	}
	id := strings.TrimSpace(strings.Fields(strings.Split(out, "\n")[1])[1])
	if code, out, _ = run(t, "operation", "show", "--db", dsn, id); code != 0 || !strings.Contains(out, "inspections 0, seizures 0") {
		t.Fatalf("show: %d %q", code, out)
	}
	if code, out, _ = run(t, "operation", "list", "--db", dsn, "--from", "2024-02-01", "--to", "2024-02-29"); code != 0 || !strings.Contains(out, id) {
		t.Fatalf("list: %d %q", code, out)
	}
	for _, bad := range [][]string{
		{"operation", "plan", "--db", dsn, "--name", "tip", "--basis", "intelligence", "--crossing", "2304", "--officers", "2", "--from", "2024-02-05", "--to", "2024-02-07"},
		{"operation", "plan", "--db", dsn, "--name", "long", "--count", "1", "--officers", "2", "--from", "2024-02-01", "--to", "2024-04-01"},
		{"operation", "show", "--db", dsn, "no-such-id"},
		{"operation", "frobnicate"},
	} {
		if code, _, errs := run(t, bad...); code != 2 || !strings.HasPrefix(errs, "outbound: ") {
			t.Errorf("%v: exit %d %q; want 2 and a reason", bad, code, errs)
		}
	}
}
