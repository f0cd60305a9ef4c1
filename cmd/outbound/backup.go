package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/outbound-oss/outbound/sqldb"
)

// backup writes a consistent copy of the database while it is in use:
// SQLite by VACUUM INTO, PostgreSQL by pg_dump (custom format), each of
// which reads one snapshot. Every write committed before the backup began
// is in the copy.
func (m *Main) backup(ctx context.Context, args []string) error {
	fs, c := m.flags("backup", false)
	out := fs.String("o", "", "the file to write the backup to; it must not exist")
	if err := parse(fs, args, 0, "flags only: outbound backup --db DSN -o FILE"); err != nil {
		return err
	}
	if *out == "" {
		return usagef("backup: -o FILE is required (the backup's file, which must not exist)")
	}
	start := time.Now()
	if sqldb.IsPostgres(c.db) {
		if err := wholeDatabase(c.db); err != nil {
			return err
		}
		if _, err := os.Stat(*out); err == nil {
			return usagef("backup: %s exists: a backup never overwrites a file; name a new one", *out)
		}
		if err := pgTool(ctx, m.Stderr, c.db, "pg_dump", "--format=custom", "--no-owner", "--file="+*out); err != nil {
			os.Remove(*out)
			return err
		}
	} else {
		db, err := sqldb.OpenWith(ctx, c.db, sqldb.Options{Existing: true})
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.BackupTo(ctx, *out); err != nil {
			return err
		}
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backed up to %s (%d bytes) in %s; restore with: outbound restore --db NEW %s\n",
		*out, st.Size(), time.Since(start).Round(time.Millisecond), *out)
	return nil
}

// restore brings a backup back into a new database: an SQLite file that
// does not exist yet, or an empty PostgreSQL database. It never
// overwrites data: stop the server, move the damaged database aside, then
// restore, verify and start again.
func (m *Main) restore(ctx context.Context, args []string) error {
	fs, c := m.flags("restore", false)
	if err := parse(fs, args, 1, "one backup file: outbound restore --db DSN FILE"); err != nil {
		return err
	}
	from := fs.Arg(0)
	if _, err := os.Stat(from); err != nil {
		return usagef("restore: %v", err)
	}
	if sqldb.IsPostgres(c.db) {
		if err := wholeDatabase(c.db); err != nil {
			return err
		}
		if err := emptyPostgres(ctx, c.db); err != nil {
			return err
		}
		if err := pgTool(ctx, m.Stderr, c.db, "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", from); err != nil {
			return err
		}
	} else if err := restoreSQLite(ctx, from, strings.TrimPrefix(c.db, "sqlite:")); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s to %s; check it with outbound audit verify on that database before serving it\n", from, sqldb.Redact(c.db))
	return nil
}

// restoreSQLite copies the backup to a temporary file beside path, checks
// the copy (every page, and that it is an outbound database this build
// can open), and renames it into place: the backup itself is only read,
// and a restore that fails leaves nothing behind. path, and the WAL and
// shared-memory files SQLite keeps beside it, must not exist: a WAL left
// by a damaged database would be replayed onto the restored one.
func restoreSQLite(ctx context.Context, from, path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			return usagef("restore: %s exists: a restore never overwrites a database; move the database and its -wal and -shm files aside, or name a new file", p)
		}
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".restore-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer func() { // after the rename, there is nothing to remove
		for _, p := range []string{name, name + "-wal", name + "-shm"} {
			os.Remove(p)
		}
	}()
	_, err = io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := checkBackup(ctx, "sqlite:"+name); err != nil {
		return fmt.Errorf("restore: %s: %w", from, err)
	}
	return os.Rename(name, path)
}

// checkBackup holds a restored copy to what a backup is: an undamaged
// outbound database whose schema this build knows.
func checkBackup(ctx context.Context, dsn string) error {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CheckIntegrity(ctx); err != nil {
		return err
	}
	pending, err := db.Pending(ctx) // refuses a schema newer than this build's
	if err != nil {
		return err
	}
	if all, err := db.Migrations(); err != nil || len(pending) == len(all) {
		return usagef("not an outbound backup: it holds no outbound schema")
	}
	// Close checkpoints the WAL opening made into the file, so the rename
	// moves one whole database.
	return db.Close()
}

// emptyPostgres refuses a PostgreSQL database that already holds an
// outbound schema: a restore goes into a new database.
func emptyPostgres(ctx context.Context, dsn string) error {
	pending, all, _, err := pendingMigrations(ctx, dsn)
	if err != nil {
		return err
	}
	if len(pending) != len(all) {
		return usagef("restore: %s already holds an outbound database: restore into a new, empty one (createdb)", sqldb.Redact(dsn))
	}
	return nil
}

// wholeDatabase refuses a DSN that sets a search_path (a schema within a
// database, as tests use): pg_dump and pg_restore work on whole databases.
func wholeDatabase(dsn string) error {
	if strings.Contains(dsn, "search_path=") {
		return usagef("PostgreSQL is backed up and restored a whole database at a time: give the database's own DSN, without search_path")
	}
	return nil
}

// pgTool runs one of PostgreSQL's client programs on the database dsn
// names, its errors on stderr. The DSN's password goes in the
// environment (PGPASSWORD), never on the command line, where any local
// user could read it.
func pgTool(ctx context.Context, stderr io.Writer, dsn, name string, args ...string) error {
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%s is not installed: install PostgreSQL's client programs (Debian: postgresql-client), of the server's major version or newer", name)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return usagef("--db: %v", err)
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	cmd := exec.CommandContext(ctx, name, append(args, "--dbname="+u.String())...)
	cmd.Env, cmd.Stderr = env, stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("%s failed (exit %d); its messages are above", name, exit.ExitCode())
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
