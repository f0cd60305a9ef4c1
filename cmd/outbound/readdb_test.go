package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// serve --read-db: records go to the primary through the real API and an
// officer's own list reads them back at once; reports read the standby,
// which shows them only once it has replayed them (replay paused, the
// report keeps its old figure while the primary has the new one); with
// the standby stopped, writes go on, the server stays ready and reports
// read the primary.
func TestServeReadsReportsFromTheStandby(t *testing.T) {
	rep := testdb.NewReplica(t)
	if code, _, errs := run(t, "import", "bts", "--db", rep.Primary, "testdata/ports.csv"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "gaps", "publish", "--db", rep.Primary, "--standard", "../../gaps/testdata/standard.yaml",
		"--catalogue", "../../gaps/testdata/catalogue.yaml"); code != 0 {
		t.Fatal(errs)
	}
	officer := mustTokenCLI(t, rep.Primary, "olga", "officer", "2304")
	analyst := mustTokenCLI(t, rep.Primary, "hana", "hq_analyst")
	url, stop := serve(t, "serve", "--db", rep.Primary, "--read-db", rep.Standby, "--addr", "127.0.0.1:0")
	defer stop()

	day := time.Now().UTC().AddDate(0, 0, -2)
	period := "from=" + day.AddDate(0, 0, -1).Format(time.DateOnly) + "&to=" + day.AddDate(0, 0, 1).Format(time.DateOnly)
	record := func() {
		t.Helper()
		start := day.Add(time.Duration(time.Now().Nanosecond()%3600) * time.Second)
		body := fmt.Sprintf(`{"id": %q, "crossing": "2304", "started_at": %q, "ended_at": %q, "modality": "truck",
			"techniques": ["interview"], "trigger": "routine", "officers": ["B1234"], "outcome": "no_finding"}`,
			uuid.New(), start.Format(time.RFC3339), start.Add(10*time.Minute).Format(time.RFC3339))
		req, _ := http.NewRequest("POST", url+"/api/v1/inspections", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+officer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("record: %d", resp.StatusCode)
		}
	}
	reported := func(want int, when string) {
		t.Helper()
		status, body := get(t, http.DefaultClient, url+"/api/v1/reports/activity?"+period, analyst)
		var r struct{ Totals struct{ Inspections int } }
		if err := json.Unmarshal(body, &r); status != 200 || err != nil {
			t.Fatalf("activity report: %d %s", status, body)
		}
		if r.Totals.Inspections != want {
			t.Fatalf("reported %d inspections %s; want %d", r.Totals.Inspections, when, want)
		}
	}
	listed := func() int {
		t.Helper()
		status, body := get(t, http.DefaultClient, url+"/api/v1/inspections?crossing=2304&"+period, officer)
		var l struct{ Items []json.RawMessage }
		if err := json.Unmarshal(body, &l); status != 200 || err != nil {
			t.Fatalf("the officer's list: %d %s", status, body)
		}
		return len(l.Items)
	}
	ready := func(want string) {
		t.Helper()
		status, body := get(t, http.DefaultClient, url+"/readyz", "")
		var r map[string]string
		json.Unmarshal(body, &r)
		if status != 200 || r["status"] != "ok" || !strings.HasPrefix(r["read_db"], want) {
			t.Fatalf("/readyz: %d %s; want 200, read_db %q...", status, body, want)
		}
	}
	inUse := func(want string) {
		t.Helper()
		_, body := get(t, http.DefaultClient, url+"/metrics", "")
		for _, name := range []string{"outbound_read_db_up", "outbound_read_db_in_use"} {
			if m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindSubmatch(body); m == nil || string(m[1]) != want {
				t.Fatalf("/metrics: %s is %q; want %s", name, m, want)
			}
		}
	}

	record()
	rep.WaitReplay()
	ready("ok, behind by 0s")
	reported(1, "from the standby")
	inUse("1")

	rep.PauseReplay()
	record()
	if n := listed(); n != 2 {
		t.Fatalf("the officer's list has %d inspections; want 2: it reads the primary", n)
	}
	reported(1, "with the standby's replay paused (reports read the standby)")
	// Every route that reads the standby answers from it: none writes.
	for _, path := range []string{"/dashboard", "/reports", "/reports/activity", "/reports/budget", "/crossings/2304",
		"/api/v1/reports/activity?" + period, "/api/v1/reports/activity?format=csv&" + period, "/api/v1/reports/activity?format=xlsx&" + period,
		"/api/v1/reports/activity?format=pdf&" + period, "/api/v1/reports/budget?fiscal_year=2027", "/api/v1/compliance?" + period,
		"/api/v1/policy-checks?crossing=2304&" + period, "/api/v1/gaps", "/api/v1/funding/plan?fiscal_year=2027"} {
		if status, body := get(t, http.DefaultClient, url+path, analyst); status != 200 {
			t.Errorf("%s from the standby: %d %.300s", path, status, body)
		}
	}
	// A page read from a standby a second or more behind says so.
	const notice = "Figures read from a standby copy of the database"
	time.Sleep(1100 * time.Millisecond)
	ready("ok, behind by ")
	if _, page := get(t, http.DefaultClient, url+"/dashboard", analyst); !strings.Contains(string(page), notice) {
		t.Fatal("the dashboard read from a standby behind does not say so")
	}
	rep.ResumeReplay()
	rep.WaitReplay()
	ready("ok, behind by 0s")
	reported(2, "after replay")
	if _, page := get(t, http.DefaultClient, url+"/dashboard", analyst); strings.Contains(string(page), notice) {
		t.Fatal("the dashboard read from a standby caught up says it is behind")
	}

	rep.StopStandby()
	record()
	ready("unavailable")
	reported(3, "with the standby down (from the primary)")
	inUse("0")

	rep.StartStandby()
	rep.WaitReplay()
	ready("ok")
	reported(3, "with the standby back")
	inUse("1")
}

// serve refuses a --read-db it cannot use, in one line, exit 2.
func TestServeRefusesAReadDBItCannotUse(t *testing.T) {
	pg := "postgres://x@127.0.0.1:1/x"
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"an SQLite primary", []string{"--db", testdb.SQLite(t), "--read-db", pg}, "--read-db needs a PostgreSQL primary (--db postgres://...); SQLite has no standbys"},
		{"an SQLite read database", []string{"--db", pg, "--read-db", "sqlite:r.db"}, "--read-db sqlite:r.db: expected postgres://..., a hot standby of --db"},
		{"a port node", []string{"--db", pg, "--read-db", pg, "--role", "port", "--crossing", "2304"}, "--read-db is for --role hq"},
		{"a negative lag", []string{"--db", pg, "--read-db", pg, "--read-db-max-lag", "-1s"}, "--read-db-max-lag must not be negative"},
		{"the primary itself", nil, "serve: --read-db: the read database is not a hot standby (pg_is_in_recovery() is false)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if args == nil {
				dsn := testdb.Postgres(t)
				if code, _, errs := run(t, "migrate", "--db", dsn); code != 0 {
					t.Fatal(errs)
				}
				args = []string{"--db", dsn, "--read-db", dsn}
			}
			code, _, errs := run(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
			if code != 2 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, %q; want 2 and one line with %q", code, errs, c.want)
			}
		})
	}
}
