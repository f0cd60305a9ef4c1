package main

import (
	"context"
	"fmt"
)

// migrate brings the database to the current schema and says what it did.
func (m *Main) migrate(ctx context.Context, args []string) error {
	fs, c := m.flags("migrate", false)
	if err := parse(fs, args, 0, "no arguments"); err != nil {
		return err
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
