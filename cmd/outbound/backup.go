package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
		if err := pgTool(ctx, m.Stderr, "pg_dump", "--format=custom", "--no-owner", "--file="+*out, c.db); err != nil {
			os.Remove(*out)
			return err
		}
	} else {
		db, err := sqldb.Open(ctx, c.db)
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
		if err := pgTool(ctx, m.Stderr, "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname="+c.db, from); err != nil {
			return err
		}
	} else if err := restoreSQLite(ctx, from, strings.TrimPrefix(c.db, "sqlite:")); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s to %s; check it with: outbound audit verify --db %s\n", from, sqldb.Redact(c.db), sqldb.Redact(c.db))
	return nil
}

// restoreSQLite checks the backup's pages and copies it to path, which
// must not exist, through a temporary file renamed into place: a restore
// that fails leaves nothing half-written behind.
func restoreSQLite(ctx context.Context, from, path string) error {
	if _, err := os.Stat(path); err == nil {
		return usagef("restore: %s exists: a restore never overwrites a database; move it aside or name a new file", path)
	}
	src, err := sqldb.Open(ctx, "sqlite:"+from)
	if err != nil {
		return err
	}
	err = src.CheckIntegrity(ctx)
	src.Close()
	if err != nil {
		return fmt.Errorf("restore: %s: %w", from, err)
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
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
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

// pgTool runs one of PostgreSQL's client programs, its errors on stderr.
func pgTool(ctx context.Context, stderr io.Writer, name string, args ...string) error {
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%s is not installed: install PostgreSQL's client programs (Debian: postgresql-client), of the server's major version or newer", name)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("%s failed (exit %d); its messages are above", name, exit.ExitCode())
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
