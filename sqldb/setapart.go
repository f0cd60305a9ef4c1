package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// maxSetApartReason bounds the reason kept from headquarters' answer: an
// answer is a sentence, and a hostile or broken upstream must not fill
// the node's disk through it.
const maxSetApartReason = 1000

// SetApart keeps a record headquarters refused apart at a node, with the
// reason, so that the push moves on; seq is the record's entry in the
// node's audit log. Setting apart a record already set apart changes
// nothing, so a round cut off between this and moving the cursor is
// harmless. It is audited as sync.set_apart.
func (db *DB) SetApart(ctx context.Context, seq int64, r outbound.Record, reason string) error {
	reason = strings.ToValidUTF8(strings.ReplaceAll(reason, "\x00", ""), "?")
	if utf8.RuneCountInString(reason) > maxSetApartReason {
		reason = string([]rune(reason)[:maxSetApartReason]) + "…"
	}
	sa := outbound.SetApart{Kind: r.RecordKind().Name, ID: r.RecordID(), Crossing: r.RecordCrossing(), Reason: reason,
		SetApartAt: db.Now().UTC().Truncate(time.Microsecond)}
	return db.inTx(ctx, func(tx *txn) error {
		res, err := tx.exec(ctx, `INSERT INTO sync_set_apart (kind, id, seq, crossing, reason, set_apart_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, sa.Kind, sa.ID.String(), seq, sa.Crossing, sa.Reason, ts(sa.SetApartAt))
		if ok, err := inserted(res, err); err != nil || !ok {
			return err
		}
		return db.appendAudit(ctx, tx, []change{{action: "sync.set_apart", subject: setApartSubject(sa), crossing: sa.Crossing,
			after: outbound.Digest(sa)}})
	})
}

func setApartSubject(sa outbound.SetApart) string {
	return "setapart:" + sa.Kind + ":" + sa.ID.String()
}

const setApartColumns = `kind, id, crossing, reason, set_apart_at, resolution, corrected_by, resolved_by, resolved_at, note`

func scanSetApart(s scanner) (outbound.SetApart, string, error) {
	var sa outbound.SetApart
	var corrected string
	err := s.Scan(&sa.Kind, &sa.ID, &sa.Crossing, &sa.Reason, dbTime{&sa.SetApartAt}, &sa.Resolution, &corrected,
		&sa.ResolvedBy, optionalTime{&sa.ResolvedAt}, &sa.Note)
	if err == nil && corrected != "" {
		id, perr := uuid.Parse(corrected)
		if perr != nil {
			return sa, "", fmt.Errorf("set-apart %s corrected by %q: %w", sa.ID, corrected, perr)
		}
		sa.CorrectedBy = &id
	}
	return sa, "", err
}

// FindSetApart lists the records set apart at the actor's crossings, the
// oldest first: the open ones, or all with all.
func (db *DB) FindSetApart(ctx context.Context, all bool) ([]outbound.SetApart, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	query := `SELECT ` + setApartColumns + ` FROM sync_set_apart`
	if !all {
		query += ` WHERE resolution = ''`
	}
	a := outbound.ActorFrom(ctx)
	list := []outbound.SetApart{}
	err := eachRow(ctx, db, query+` ORDER BY seq`, scanSetApart, func(sa outbound.SetApart) {
		if a.InScope(sa.Crossing) {
			list = append(list, sa)
		}
	})
	return list, err
}

// IsSetApart reports whether the record of the kind and id is set apart
// (open or resolved): headquarters never stored it.
func (db *DB) IsSetApart(ctx context.Context, kind outbound.Kind, id uuid.UUID) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, db.Rebind(`SELECT count(*) FROM sync_set_apart WHERE kind = ? AND id = ?`),
		kind.Name, id.String()).Scan(&n)
	return n > 0, err
}

// ResolveSetApart settles a set-apart record once, audited as
// sync.set_apart.resolve. Discarded: it is never sent. Corrected: a record
// recorded at the node since, of the same kind and crossing, takes its
// place (an inspection's correction is a version that replaces it).
func (db *DB) ResolveSetApart(ctx context.Context, r outbound.SetApartResolution) (outbound.SetApart, error) {
	var sa outbound.SetApart
	if err := outbound.Authorize(ctx, outbound.ResolveConflicts, ""); err != nil {
		return sa, err
	}
	switch {
	case r.Resolution != outbound.Corrected && r.Resolution != outbound.Discarded:
		return sa, outbound.Errorf(outbound.EINVALID, "resolution", "resolution %q is not corrected or discarded", r.Resolution)
	case r.Resolution == outbound.Corrected && r.CorrectedBy == nil:
		return sa, outbound.Errorf(outbound.EINVALID, "corrected_by", "name the record that corrects it (record it first, with a new id)")
	case r.Resolution == outbound.Discarded && r.CorrectedBy != nil:
		return sa, outbound.Errorf(outbound.EINVALID, "corrected_by", "a discarded record has no correction")
	case strings.TrimSpace(r.Note) == "":
		return sa, outbound.Errorf(outbound.EINVALID, "note", "say why, for the record")
	case utf8.RuneCountInString(r.Note) > 500:
		return sa, outbound.Errorf(outbound.EINVALID, "note", "the note is longer than 500 characters")
	case !utf8.ValidString(r.Note) || strings.ContainsRune(r.Note, 0):
		return sa, outbound.Errorf(outbound.EINVALID, "note", "the note holds a NUL byte or invalid UTF-8")
	}
	kind, ok := outbound.KindNamed(r.Kind)
	if !ok {
		return sa, outbound.Errorf(outbound.EINVALID, "kind", "%q is not a kind of record", r.Kind)
	}
	sa, _, err := scanSetApart(db.sql.QueryRowContext(ctx, db.Rebind(`SELECT `+setApartColumns+` FROM sync_set_apart WHERE kind = ? AND id = ?`),
		kind.Name, r.ID.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return sa, outbound.Errorf(outbound.ENOTFOUND, "id", "no %s %s is set apart here", kind.Name, r.ID)
	} else if err != nil {
		return sa, fmt.Errorf("set-apart record: %w", err)
	}
	if err := outbound.Authorize(ctx, outbound.ResolveConflicts, sa.Crossing); err != nil {
		return sa, err
	}
	if sa.Resolution != "" {
		return sa, outbound.Errorf(outbound.ECONFLICT, "resolution", "this record was already %s by %s", sa.Resolution, sa.ResolvedBy)
	}
	if r.CorrectedBy != nil {
		if err := db.checkCorrection(ctx, kind, sa, *r.CorrectedBy); err != nil {
			return sa, err
		}
	}
	err = db.inTx(ctx, func(tx *txn) error {
		a := outbound.ActorFrom(ctx)
		sa.Resolution, sa.CorrectedBy, sa.ResolvedBy, sa.ResolvedAt, sa.Note = r.Resolution, r.CorrectedBy, a.Name,
			db.Now().UTC().Truncate(time.Microsecond), r.Note
		corrected := ""
		if sa.CorrectedBy != nil {
			corrected = sa.CorrectedBy.String()
		}
		res, err := tx.exec(ctx, `UPDATE sync_set_apart SET resolution = ?, corrected_by = ?, resolved_by = ?, resolved_at = ?, note = ?
			WHERE kind = ? AND id = ? AND resolution = ''`, sa.Resolution, corrected, sa.ResolvedBy, ts(sa.ResolvedAt), sa.Note, sa.Kind, sa.ID.String())
		if ok, err := inserted(res, err); err != nil {
			return err
		} else if !ok {
			return outbound.Errorf(outbound.ECONFLICT, "resolution", "this record was resolved by someone else meanwhile")
		}
		return db.appendAudit(ctx, tx, []change{{action: "sync.set_apart.resolve", subject: setApartSubject(sa), crossing: sa.Crossing,
			after: outbound.Digest(sa)}})
	})
	return sa, err
}

// checkCorrection refuses a correction that is not a record of the same
// kind and crossing stored at the node, or that is itself set apart. An
// inspection's correction must replace the set-apart version, so that the
// node's own figures count the inspection once.
func (db *DB) checkCorrection(ctx context.Context, kind outbound.Kind, sa outbound.SetApart, id uuid.UUID) error {
	s, err := storeOf(kind)
	if err != nil {
		return err
	}
	list, err := s.recordsByID(ctx, db, []uuid.UUID{id})
	if err != nil {
		return err
	}
	switch {
	case id == sa.ID:
		return outbound.Errorf(outbound.EINVALID, "corrected_by", "a record cannot correct itself; record the correction with a new id")
	case len(list) == 0:
		return outbound.Errorf(outbound.EINVALID, "corrected_by", "no %s %s is stored here; record the correction first", kind.Name, id)
	case list[0].RecordCrossing() != sa.Crossing:
		return outbound.Errorf(outbound.EINVALID, "corrected_by", "%s %s is of crossing %s, not %s", kind.Name, id, list[0].RecordCrossing(), sa.Crossing)
	}
	if in, ok := list[0].(*outbound.Inspection); ok && (in.Replaces == nil || *in.Replaces != sa.ID) {
		return outbound.Errorf(outbound.EINVALID, "corrected_by", "inspection %s does not replace %s: record the correction as its edit (replaces %s)", id, sa.ID, sa.ID)
	}
	if apart, err := db.IsSetApart(ctx, kind, id); err != nil {
		return err
	} else if apart {
		return outbound.Errorf(outbound.EINVALID, "corrected_by", "%s %s was refused by headquarters too", kind.Name, id)
	}
	return nil
}
