package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// conflictNamespace makes the id of the version that applies a node's
// conflicting inspection from the conflict itself: a version under that
// id means it was applied already, so applying again (after a crash
// before the conflict was marked) adds no second version.
var conflictNamespace = uuid.MustParse("5b0f6b4e-2c1d-4b7e-9a51-6f0c7d8e9a10")

// ResolveConflict settles a kept conflict once, audited. Kept leaves
// headquarters' record as it is; applied records the node's inspection as
// a new version of the inspection it collided with, replacing its latest,
// with the supervisor's reason.
func (db *DB) ResolveConflict(ctx context.Context, r outbound.ConflictResolution) (outbound.SyncConflict, error) {
	var c outbound.SyncConflict
	if err := outbound.Authorize(ctx, outbound.ResolveConflicts, ""); err != nil {
		return c, err
	}
	switch {
	case r.Resolution != outbound.KeptHeadquarters && r.Resolution != outbound.AppliedNode:
		return c, outbound.Errorf(outbound.EINVALID, "resolution", "resolution %q is not kept or applied", r.Resolution)
	case strings.TrimSpace(r.Note) == "":
		return c, outbound.Errorf(outbound.EINVALID, "note", "say why, for the record")
	case utf8.RuneCountInString(r.Note) > 500:
		return c, outbound.Errorf(outbound.EINVALID, "note", "the note is longer than 500 characters")
	}
	c, err := db.conflict(ctx, r.Kind, r.ID, r.Node)
	if err != nil {
		return c, err
	}
	if err := outbound.Authorize(ctx, outbound.ResolveConflicts, c.Crossing); err != nil {
		return c, err
	}
	if c.Resolution != "" {
		return c, outbound.Errorf(outbound.ECONFLICT, "resolution", "this conflict was already resolved (%s) by %s", c.Resolution, c.ResolvedBy)
	}
	if r.Resolution == outbound.AppliedNode {
		if err := db.applyNodeInspection(ctx, c, r.Note); err != nil {
			return c, err
		}
	}
	a := outbound.ActorFrom(ctx)
	c.Resolution, c.ResolvedBy, c.ResolvedAt, c.Note = r.Resolution, a.Name, db.Now().UTC(), r.Note
	err = db.inTx(ctx, func(tx *txn) error {
		res, err := tx.exec(ctx, `UPDATE sync_conflicts SET resolution = ?, resolved_by = ?, resolved_at = ?, note = ?
			WHERE kind = ? AND id = ? AND node = ? AND resolution = ''`, c.Resolution, c.ResolvedBy, ts(c.ResolvedAt), c.Note, c.Kind, c.ID.String(), c.Node)
		if ok, err := inserted(res, err); err != nil {
			return err
		} else if !ok {
			return outbound.Errorf(outbound.ECONFLICT, "resolution", "this conflict was resolved by someone else meanwhile")
		}
		return db.appendAudit(ctx, tx, []change{{action: "sync.resolve", subject: "conflict:" + c.Kind + ":" + c.ID.String(), crossing: c.Crossing,
			after: outbound.Digest([]string{c.Node, c.Resolution, c.ResolvedBy, ts(c.ResolvedAt), c.Note})}})
	})
	return c, err
}

// conflict reads one kept conflict.
func (db *DB) conflict(ctx context.Context, kind string, id uuid.UUID, node string) (outbound.SyncConflict, error) {
	var c outbound.SyncConflict
	var record string
	err := db.sql.QueryRowContext(ctx, db.Rebind(`SELECT `+conflictColumns+` FROM sync_conflicts WHERE kind = ? AND id = ? AND node = ?`),
		kind, id.String(), node).Scan(conflictDest(&c, &record)...)
	if errors.Is(err, sql.ErrNoRows) {
		return c, outbound.Errorf(outbound.ENOTFOUND, "id", "no %s conflict %s from node %s", kind, id, node)
	} else if err != nil {
		return c, fmt.Errorf("conflict: %w", err)
	}
	c.Record = json.RawMessage(record)
	return c, nil
}

const conflictColumns = `kind, id, node, crossing, reason, record, received_at, resolution, resolved_by, resolved_at, note`

func conflictDest(c *outbound.SyncConflict, record *string) []any {
	return []any{&c.Kind, &c.ID, &c.Node, &c.Crossing, &c.Reason, record, dbTime{&c.ReceivedAt}, &c.Resolution, &c.ResolvedBy,
		optionalTime{&c.ResolvedAt}, &c.Note}
}

// applyNodeInspection records the node's inspection of a conflict as the
// latest version of the inspection it collided with: the one stored under
// its id, or the one its edit meant to replace.
func (db *DB) applyNodeInspection(ctx context.Context, c outbound.SyncConflict, note string) error {
	if c.Kind != outbound.InspectionKind.Name {
		return outbound.Errorf(outbound.EINVALID, "resolution", "only an inspection can be applied; enter the %s's figures again instead", c.Kind)
	}
	var in outbound.Inspection
	if err := json.Unmarshal(c.Record, &in); err != nil {
		return fmt.Errorf("conflict record: %w", err)
	}
	base, _, found, err := inspectionStore.byID(ctx, db, db.sql, c.ID)
	if err == nil && !found && in.Replaces != nil {
		base, _, found, err = inspectionStore.byID(ctx, db, db.sql, *in.Replaces)
	}
	switch {
	case err != nil:
		return err
	case !found:
		return outbound.Errorf(outbound.EINVALID, "resolution", "headquarters holds no version of this inspection to apply it to")
	}
	id := uuid.NewSHA1(conflictNamespace, []byte(c.Kind+"/"+c.ID.String()+"/"+c.Node))
	if _, _, done, err := inspectionStore.byID(ctx, db, db.sql, id); err != nil || done {
		return err // done: applied before, and the conflict left unmarked (a crash between the two)
	}
	var latest string
	if err := db.sql.QueryRowContext(ctx, db.Rebind(`SELECT id FROM inspections WHERE original_id = ? ORDER BY version DESC LIMIT 1`),
		base.OriginalID.String()).Scan(&latest); err != nil {
		return fmt.Errorf("latest version: %w", err)
	}
	in = in.VersionAfter(uuid.MustParse(latest), id, "node "+c.Node+"'s version applied: "+note)
	res, err := db.RecordInspections(ctx, []outbound.Inspection{in})
	if err != nil {
		return err
	}
	if res[0].Err != nil {
		return res[0].Err
	}
	return nil
}

// optionalTime scans a stored instant that may be "" (not yet).
type optionalTime struct{ t *time.Time }

func (o optionalTime) Scan(src any) error {
	if s, ok := src.(string); ok && s == "" {
		*o.t = time.Time{}
		return nil
	}
	return dbTime(o).Scan(src)
}
