package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// run runs the real command in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" },
		Now: func() time.Time { return time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC) }}
	code := m.Exit(m.Run(context.Background(), args))
	return code, out.String(), errs.String()
}

func TestUsageErrorsExitTwoWithOneLine(t *testing.T) {
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"serve", "--role", "satellite"}, {"serve", "--role", "port"},
		{"serve", "--role", "port", "--crossing", "2304", "--sync-batch", "5000"},
		{"import"}, {"import", "tea", "x.csv"}, {"import", "bts"}, {"import", "bts", "no-such-file.csv"},
		{"migrate", "--db", "sqlite:"}, {"demo", "--years", "0"},
	} {
		code, _, stderr := run(t, args...)
		last := strings.TrimSpace(stderr[strings.LastIndex(strings.TrimRight(stderr, "\n"), "\n")+1:])
		if code != 2 || !strings.HasPrefix(last, "outbound: ") {
			t.Errorf("outbound %v: exit %d, stderr %q; want 2 and an outbound: line", args, code, stderr)
		}
	}
	if code, out, _ := run(t, "version"); code != 0 || !strings.HasPrefix(out, "outbound ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestMigrateSaysWhatItDid(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := db.Migrations()
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		current := fmt.Sprintf("schema version %d (current)", ms[len(ms)-1].Version)
		for range 2 { // a dry run applies nothing, so the second says the same
			code, out, errs := run(t, "migrate", "--dry-run", "--db", dsn)
			if code != 0 || !strings.Contains(out, fmt.Sprintf("%d migrations to apply (dry run: nothing applied)", len(ms))) ||
				!strings.Contains(out, "would apply migration "+ms[len(ms)-1].Name) || strings.Contains(errs, "applied") {
				t.Fatalf("dry run on an empty database: %d %q %q", code, out, errs)
			}
		}
		code, out, errs := run(t, "migrate", "--db", dsn)
		if code != 0 || !strings.Contains(out, current) {
			t.Fatalf("first migrate: %d %q %q", code, out, errs)
		}
		for _, m := range ms {
			if !strings.Contains(errs, "applied migration "+m.Name) {
				t.Errorf("first migrate did not say it applied %s: %q", m.Name, errs)
			}
		}
		code, out, errs = run(t, "migrate", "--db", dsn)
		if code != 0 || strings.Contains(errs, "applied") || !strings.Contains(out, current) {
			t.Fatalf("second migrate: %d %q %q", code, out, errs)
		}
		if code, out, _ = run(t, "migrate", "--dry-run", "--db", dsn); code != 0 || !strings.Contains(out, "0 migrations to apply") {
			t.Fatalf("dry run on a current database: %d %q", code, out)
		}

		// A database a later release migrated: this build neither migrates
		// nor serves it.
		db, err = sqldb.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_later', '2030-01-01T00:00:00Z')`)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"migrate", "--db", dsn}, {"migrate", "--dry-run", "--db", dsn}, {"audit", "verify", "--db", dsn}} {
			if code, _, errs := run(t, args...); code == 0 || !strings.Contains(errs, "newer than this build knows") {
				t.Errorf("%v on a database of a later release: %d %q", args, code, errs)
			}
		}
	})
}

// version names the build's release and commit, never "(devel)".
func TestVersionNamesTheBuild(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v (the test needs the git checkout)", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-buildvcs=true"}, "commit " + string(head[:12])},
		{[]string{"-buildvcs=true", "-ldflags", "-X main.release=v9.8.7"}, "outbound v9.8.7, commit " + string(head[:12])},
		{[]string{"-buildvcs=false"}, "version unknown: built without version information"},
	} {
		out, err := exec.Command(buildOutbound(t, nil, c.args...), "version").Output()
		if err != nil || !strings.Contains(string(out), c.want) || strings.Contains(string(out), "(devel)") || !strings.Contains(string(out), "sync protocol") {
			t.Errorf("built with %v, version says %q (%v); want %q", c.args, out, err, c.want)
		}
	}
}

func TestImportCommands(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		code, out, errs := run(t, "import", "bts", "--db", dsn, "testdata/ports.csv")
		if code != 0 || !strings.Contains(out, "3 rows of 2 ports; 3 volumes new, 0 changed") || !strings.Contains(out, "0401 Boston (1 rows)") {
			t.Fatalf("import bts: %d %q %q", code, out, errs)
		}
		if _, out, _ = run(t, "import", "bts", "--db", dsn, "testdata/ports.csv"); !strings.Contains(out, "0 volumes new, 0 changed, 3 unchanged") {
			t.Fatalf("re-import bts: %q", out)
		}
		bad := filepath.Join(t.TempDir(), "bad.csv")
		os.WriteFile(bad, []byte("Port Name,State,Port Code,Border,Date,Measure,Value\nX,Texas,2399,US-Mexico Border,Jan 2024,Trucks,1\nX,Texas,2399,US-Mexico Border,Jan 2024,Trucks,-4\n"), 0o644)
		code, _, errs = run(t, "import", "bts", "--db", dsn, bad)
		if code != 2 || !strings.Contains(errs, "line 3, column Value") || !strings.Contains(errs, "nothing was imported") {
			t.Fatalf("bad bts file: %d %q", code, errs)
		}

		code, out, errs = run(t, "import", "staffing", "--db", dsn, "testdata/staffing.csv")
		if code != 0 || !strings.Contains(out, "3 staffing records; 3 new") {
			t.Fatalf("import staffing: %d %q %q", code, out, errs)
		}
		if _, out, _ = run(t, "import", "staffing", "--db", dsn, "testdata/staffing.csv"); !strings.Contains(out, "0 new, 3 already stored") {
			t.Fatalf("re-import staffing: %q", out)
		}
		if code, out, errs = run(t, "import", "exits", "--db", dsn, "testdata/exits.csv"); code != 0 || !strings.Contains(out, "2 exit counts; 2 new") {
			t.Fatalf("import exits: %d %q %q", code, out, errs)
		}

		// A bad row anywhere keeps the whole file out.
		badStaffing := filepath.Join(t.TempDir(), "staffing.csv")
		os.WriteFile(badStaffing, []byte("crossing,day,shift,hours_planned,hours_worked,hours_diverted,diversion_reason,notes\n"+
			"3004,2026-03-02,day,8,8,0,,\n3004,2026-03-02,night,8,4,4,,\n"), 0o644)
		code, _, errs = run(t, "import", "staffing", "--db", dsn, badStaffing)
		if code != 2 || !strings.Contains(errs, "line 3: ") || !strings.Contains(errs, "diversion_reason") {
			t.Fatalf("bad staffing file: %d %q", code, errs)
		}
		// Another record for a shift already recorded is a problem: exit 1.
		clash := filepath.Join(t.TempDir(), "clash.csv")
		os.WriteFile(clash, []byte("id,crossing,day,shift,hours_planned,hours_worked,hours_diverted,diversion_reason,notes\n"+
			"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11,2304,2026-03-01,day,30,30,0,,\n"), 0o644)
		code, out, errs = run(t, "import", "staffing", "--db", dsn, clash)
		if code != 1 || !strings.Contains(errs, "line 2: the day shift of 2026-03-01 at crossing 2304 is already recorded: 32 h planned, 24 worked, 8 diverted (inbound traffic)") {
			t.Fatalf("clashing staffing: %d %q %q", code, out, errs)
		}
	})
}

func TestServeAnswersTheAPI(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		if code, _, errs := run(t, "import", "bts", "--db", dsn, "testdata/ports.csv"); code != 0 {
			t.Fatal(errs)
		}
		token := mustTokenCLI(t, dsn, "hana", "hq_analyst")
		url, stop := serve(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
		defer stop()
		if status, _ := get(t, http.DefaultClient, url+"/api/v1/crossings", ""); status != 401 {
			t.Fatalf("crossings without a token: %d; want 401", status)
		}
		status, body := get(t, http.DefaultClient, url+"/api/v1/crossings", token)
		var l struct{ Items []map[string]any }
		json.Unmarshal(body, &l)
		if status != 200 || len(l.Items) != 2 || l.Items[0]["code"] != "2304" || l.Items[0]["border"] != "southwest" {
			t.Fatalf("crossings = %d %s", status, body)
		}
	})
}

// mustTokenCLI adds a user and makes a token with the real commands, and
// returns the token the command printed.
func mustTokenCLI(t *testing.T, dsn, name, role string, crossings ...string) string {
	t.Helper()
	args := []string{"user", "add", "--db", dsn, "--name", name, "--role", role}
	for _, c := range crossings {
		args = append(args, "--crossing", c)
	}
	if code, out, errs := run(t, args...); code != 0 || !strings.Contains(out, "one-time password: ") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	code, out, errs := run(t, "token", "create", "--db", dsn, "--user", name, "--label", "test")
	if code != 0 {
		t.Fatalf("token create: %d %q", code, errs)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "obt_") {
			return line
		}
	}
	t.Fatalf("token create printed no token: %q", out)
	return ""
}

// serve runs a server command until stop is called, and returns its URL.
func serve(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan int, 1)
	var out, errs bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }, Ready: func(u string) { urls <- u }}
	go func() { done <- m.Exit(m.Run(ctx, args)) }()
	select {
	case url := <-urls:
		return url, func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("serve exited %d after shutdown: %s", code, errs.String())
			}
		}
	case code := <-done:
		cancel()
		t.Fatalf("serve exited %d: %s", code, errs.String())
	}
	return "", nil
}

func get(t *testing.T, c *http.Client, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}
