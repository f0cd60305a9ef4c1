package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// EnvRequireStandby, when "1", turns missing PostgreSQL server binaries
// into a failure of the tests that start a primary and a hot standby,
// instead of a skip (CI sets it).
const EnvRequireStandby = "OUTBOUND_REQUIRE_STANDBY"

// EnvPGBin names the folder of PostgreSQL's server binaries (initdb,
// pg_ctl, pg_basebackup); by default the newest /usr/lib/postgresql/*/bin,
// where Debian's postgresql package puts them.
const EnvPGBin = "OUTBOUND_PG_BIN"

// Replica is a PostgreSQL primary and a hot standby streaming from it,
// two clusters of the test's own in a temporary folder on free ports of
// 127.0.0.1, stopped and removed when the test ends.
type Replica struct {
	Primary, Standby string // DSNs
	bin, dir         string
	standbyDir       string
	asPostgres       bool // run the binaries as the postgres user: PostgreSQL refuses root
	t                testing.TB
}

// NewReplica starts a primary (wal_level replica, a replication slot for
// the standby) and a standby made from it with pg_basebackup. It skips
// the test when the binaries are missing, or fails it when
// OUTBOUND_REQUIRE_STANDBY=1.
func NewReplica(t testing.TB) *Replica {
	t.Helper()
	bin := pgBin()
	if bin == "" {
		if os.Getenv(EnvRequireStandby) == "1" {
			t.Fatalf("PostgreSQL's server binaries (initdb, pg_ctl, pg_basebackup) are missing and %s=1: apt-get install postgresql, or set %s", EnvRequireStandby, EnvPGBin)
		}
		Skip(t, "PostgreSQL's server binaries", "apt-get install postgresql, or set "+EnvPGBin)
	}
	r := &Replica{bin: bin, t: t, asPostgres: os.Geteuid() == 0}
	dir, err := os.MkdirTemp("", "outbound-replica-")
	if err != nil {
		t.Fatal(err)
	}
	r.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if r.asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, the clusters run as the postgres user, which is missing: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	primaryDir, primaryPort := filepath.Join(dir, "primary"), freePort(t)
	r.run("initdb", "--no-sync", "--no-instructions", "-U", "postgres", "--auth=trust", "-E", "UTF8", "-D", primaryDir)
	// Tests need no durability: fsync off. Trust on 127.0.0.1 covers
	// replication connections (initdb writes those lines too).
	r.configure(primaryDir, primaryPort, "wal_level = replica", "max_wal_senders = 4", "max_replication_slots = 4",
		"fsync = off", "synchronous_commit = off", "full_page_writes = off")
	r.start(primaryDir)
	t.Cleanup(func() { r.command("pg_ctl", "-D", primaryDir, "stop", "-m", "immediate").Run() })
	r.Primary = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", primaryPort)

	r.standbyDir = filepath.Join(dir, "standby")
	standbyPort := freePort(t)
	r.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(primaryPort), "-U", "postgres",
		"-D", r.standbyDir, "-R", "-X", "stream", "-c", "fast", "-C", "-S", "outbound_standby", "--no-sync")
	r.configure(r.standbyDir, standbyPort, "hot_standby = on")
	r.start(r.standbyDir)
	t.Cleanup(func() { r.command("pg_ctl", "-D", r.standbyDir, "stop", "-m", "immediate").Run() })
	r.Standby = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", standbyPort)
	return r
}

// pgBin is the folder of PostgreSQL's server binaries, or "".
func pgBin() string {
	if dir := os.Getenv(EnvPGBin); dir != "" {
		return dir
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(a) - version(b) })
	for _, d := range slices.Backward(dirs) {
		if _, err := os.Stat(filepath.Join(d, "pg_basebackup")); err == nil {
			return d
		}
	}
	return ""
}

// version is the major version in a /usr/lib/postgresql/N/bin path.
func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// configure appends settings to a cluster's postgresql.conf (later lines
// win): its port, 127.0.0.1 only, its socket in the test's folder.
func (r *Replica) configure(dataDir string, port int, settings ...string) {
	r.t.Helper()
	f, err := os.OpenFile(filepath.Join(dataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		r.t.Fatal(err)
	}
	defer f.Close()
	lines := append([]string{fmt.Sprintf("port = %d", port), "listen_addresses = '127.0.0.1'",
		fmt.Sprintf("unix_socket_directories = '%s'", r.dir)}, settings...)
	if _, err := f.WriteString("\n" + strings.Join(lines, "\n") + "\n"); err != nil {
		r.t.Fatal(err)
	}
}

func (r *Replica) start(dataDir string) {
	r.t.Helper()
	r.pgctl(dataDir, "start", "-w", "-t", "60", "-l", dataDir+".log")
}

func (r *Replica) pgctl(dataDir string, args ...string) {
	r.t.Helper()
	r.run("pg_ctl", append([]string{"-D", dataDir}, args...)...)
}

// run runs one of PostgreSQL's binaries and fails the test with its
// output and the clusters' logs if it fails.
func (r *Replica) run(name string, args ...string) {
	r.t.Helper()
	if out, err := r.command(name, args...).CombinedOutput(); err != nil {
		primary, _ := os.ReadFile(filepath.Join(r.dir, "primary.log"))
		standby, _ := os.ReadFile(filepath.Join(r.dir, "standby.log"))
		r.t.Fatalf("%s %s: %v\n%s\nprimary's log:\n%s\nstandby's log:\n%s", name, strings.Join(args, " "), err, out, primary, standby)
	}
}

// command is one of PostgreSQL's binaries, to run as the postgres user
// when the test runs as root.
func (r *Replica) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(r.bin, name)
	cmd := exec.Command(path, args...)
	if r.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	cmd.Dir = r.dir
	return cmd
}

// StopStandby stops the standby at once.
func (r *Replica) StopStandby() { r.pgctl(r.standbyDir, "stop", "-m", "immediate") }

// StartStandby starts the standby again.
func (r *Replica) StartStandby() { r.start(r.standbyDir) }

// PauseReplay stops the standby from applying what it receives, so that
// its answers stay as they were: what a test reads then from the standby
// cannot have come from the primary.
func (r *Replica) PauseReplay() { r.standbyExec("SELECT pg_wal_replay_pause()") }

// ResumeReplay undoes PauseReplay.
func (r *Replica) ResumeReplay() { r.standbyExec("SELECT pg_wal_replay_resume()") }

func (r *Replica) standbyExec(q string) {
	r.t.Helper()
	db, err := sql.Open("pgx", r.Standby)
	if err != nil {
		r.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		r.t.Fatalf("standby: %s: %v", q, err)
	}
}

// WaitReplay waits until the standby has replayed everything the primary
// has written so far: up to its WAL insert position, since with
// synchronous_commit off a commit that has returned may not be written
// out yet.
func (r *Replica) WaitReplay() {
	r.t.Helper()
	primary, err := sql.Open("pgx", r.Primary)
	if err != nil {
		r.t.Fatal(err)
	}
	defer primary.Close()
	standby, err := sql.Open("pgx", r.Standby)
	if err != nil {
		r.t.Fatal(err)
	}
	defer standby.Close()
	var lsn string
	if err := primary.QueryRow(`SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		var caughtUp bool
		err := standby.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, lsn).Scan(&caughtUp)
		if err == nil && caughtUp {
			return
		}
		select {
		case <-ctx.Done():
			r.t.Fatalf("the standby did not replay up to %s in a minute (%v)", lsn, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
