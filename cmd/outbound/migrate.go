package main

import (
	"context"
	"fmt"

	"github.com/outbound-oss/outbound/sqldb"
)

// migrate brings the database to the current schema and says what it
// did; with --dry-run, what it would do.
func (m *Main) migrate(ctx context.Context, args []string) error {
	fs, c := m.flags("migrate", false)
	dry := fs.Bool("dry-run", false, "say which migrations would be applied, and apply none")
	if err := parse(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	if *dry {
		pending, _, dialect, err := pendingMigrations(ctx, c.db)
		if err != nil {
			return err
		}
		for _, p := range pending {
			fmt.Fprintf(m.Stdout, "would apply migration %s\n", p.Name)
		}
		fmt.Fprintf(m.Stdout, "%s database: %d migrations to apply (dry run: nothing applied)\n", dialect, len(pending))
		return nil
	}
	db, err := m.open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s database at schema version %d (current)\n", db.Dialect(), v)
	return nil
}

// pendingMigrations opens dsn without migrating it and says which of all
// this build's migrations it lacks.
func pendingMigrations(ctx context.Context, dsn string) (pending, all []sqldb.Migration, dialect string, err error) {
	db, err := sqldb.OpenWith(ctx, dsn, sqldb.Options{Existing: true})
	if err != nil {
		return nil, nil, "", err
	}
	defer db.Close()
	if pending, err = db.Pending(ctx); err != nil {
		return nil, nil, "", err
	}
	all, err = db.Migrations()
	return pending, all, db.Dialect(), err
}
