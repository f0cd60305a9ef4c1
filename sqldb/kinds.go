package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// store holds what storage knows of one kind of client-made record: its
// table, how a row is written and read, how it is audited and rolled up.
// The record itself says its id, crossing, validation and hash
// (outbound.Record). Recording exactly once, loading by id for the push,
// the sync queue, sync conflicts and audit verification all work through
// the registry of stores, so a kind is stored by adding one entry.
type store[T any, P outbound.RecordOf[T]] struct {
	table string
	// textID says the id column is text on PostgreSQL (the kinds added
	// after the first migration), not uuid.
	textID  bool
	columns string // in the order scan reads them, the content hash last
	scan    func(scanner) (T, string, error)
	// load completes records read from the table (an inspection's
	// seizures); nil when the row is the whole record.
	load func(ctx context.Context, db *DB, q querier, list []T) error
	// each calls fn with every stored record, for verification; nil means
	// one query over the table (inspections are paged: there are millions).
	each func(ctx context.Context, db *DB, fn func(T)) error

	// actions are the audit actions that store the kind's rows; the sync
	// queue picks a node's records by them. audit says which of them
	// stored r; nil means the first.
	actions []string
	audit   func(r *T) string
	// permit is what recording r asks permission for.
	permit func(r *T) outbound.Action
	// digest is what the audit log keeps of stored r, given its content
	// hash: the hash and the server's fields.
	digest func(r *T, hash string) string

	// validate replaces the record's own Validate when set (a lane
	// decision drawn here was checked as a request).
	validate func(r *T, now time.Time) error
	// prepare sets the server's fields; an *outbound.Error rejects the item.
	prepare func(ctx context.Context, tx *txn, r *T, zone *time.Location, now time.Time) error
	// insert stores r unless a unique key is taken, and says whether it did.
	insert func(ctx context.Context, tx *txn, r *T, hash string) (bool, error)
	// taken explains a unique key other than the id that r collided with;
	// nil when the id is the only key.
	taken func(ctx context.Context, tx *txn, r *T) (*outbound.Error, error)
	// rollup, if set, adds the change of a wave's stored item k to the
	// rollups.
	rollup func(w *wave[T], k int, d rollupDeltas) error
	// after says whether r must wait for the rest of the batch (an edit
	// may replace a version sent earlier in the same batch).
	after func(r *T) bool

	// prepareWave, when set, takes a whole wave of items in place of
	// prepare item by item, and insertWave, when set, in place of insert
	// on PostgreSQL (one statement for any number of items); replaces
	// then names the record r depends on (the version an edit replaces),
	// which must be stored in an earlier wave.
	prepareWave func(ctx context.Context, tx *txn, w *wave[T], now time.Time) error
	insertWave  func(ctx context.Context, tx *txn, w *wave[T]) error
	replaces    func(r *T) *uuid.UUID
}

// kindStore is a store seen without its record type, for the paths that
// handle every kind alike.
type kindStore interface {
	kind() outbound.Kind
	tableName() string
	auditActions() []string
	recordsByID(ctx context.Context, db *DB, ids []uuid.UUID) ([]outbound.Record, error)
	verify(ctx context.Context, db *DB, check func(subject, digest string)) error
}

// stores is the registry: one entry per kind in outbound.Kinds, in its
// order (TestStoresFollowKinds checks both).
var stores = []kindStore{inspectionStore, staffingStore, exitStore, laneStore, surveyStore, fundingStore, trainingStore}

// storeOf returns the store of a kind.
func storeOf(k outbound.Kind) (kindStore, error) {
	for _, s := range stores {
		if s.kind() == k {
			return s, nil
		}
	}
	return nil, fmt.Errorf("no store for %q records", k.Name)
}

// Table names the table that holds a kind's records, for tests that
// tamper with rows directly; "" for an unknown kind.
func Table(k outbound.Kind) string {
	s, err := storeOf(k)
	if err != nil {
		return ""
	}
	return s.tableName()
}

func (s *store[T, P]) kind() outbound.Kind {
	var zero T
	return P(&zero).RecordKind()
}

func (s *store[T, P]) tableName() string      { return s.table }
func (s *store[T, P]) auditActions() []string { return s.actions }

// subject names a record in the audit log: "inspection:<id>".
func subject(r outbound.Record) string { return r.RecordKind().Name + ":" + r.RecordID().String() }

// auditAction names the audited write that stored r.
func (s *store[T, P]) auditAction(r *T) string {
	if s.audit != nil {
		return s.audit(r)
	}
	return s.actions[0]
}

// byID reads one record and its content hash, in a transaction with a
// statement prepared once for the batch.
func (s *store[T, P]) byID(ctx context.Context, db *DB, q querier, id uuid.UUID) (T, string, bool, error) {
	query := `SELECT ` + s.columns + ` FROM ` + s.table + ` WHERE id = ?`
	var row *sql.Row
	if tx, ok := q.(*txn); ok {
		row = tx.queryRow(ctx, query, id.String())
	} else {
		row = q.QueryRowContext(ctx, db.Rebind(query), id.String())
	}
	r, hash, found, err := findOne(row, s.scan)
	if err != nil || !found || s.load == nil {
		return r, hash, found, err
	}
	list := []T{r}
	if err := s.load(ctx, db, q, list); err != nil {
		return r, "", false, err
	}
	return list[0], hash, true, nil
}

// storedRecord is a stored record with its content hash.
type storedRecord[T any] struct {
	rec  T
	hash string
}

// loadIn reads the records with the ids through q (a transaction sees its
// own writes), in a constant number of statements.
func (s *store[T, P]) loadIn(ctx context.Context, db *DB, q querier, ids []uuid.UUID) (map[uuid.UUID]storedRecord[T], error) {
	if len(ids) == 0 {
		return nil, nil
	}
	typ := "uuid"
	if s.textID {
		typ = "text"
	}
	cond, arg := db.anyOf("id", typ, ids)
	rows, err := q.QueryContext(ctx, db.Rebind(`SELECT `+s.columns+` FROM `+s.table+` WHERE `+cond), arg...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", s.table, err)
	}
	defer rows.Close()
	var list []T
	var hashes []string
	for rows.Next() {
		r, hash, err := s.scan(rows)
		if err != nil {
			return nil, err
		}
		list, hashes = append(list, r), append(hashes, hash)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load %s: %w", s.table, err)
	}
	if s.load != nil {
		if err := s.load(ctx, db, q, list); err != nil {
			return nil, err
		}
	}
	out := make(map[uuid.UUID]storedRecord[T], len(list))
	for i := range list {
		out[P(&list[i]).RecordID()] = storedRecord[T]{list[i], hashes[i]}
	}
	return out, nil
}

// byIDs reads the records with the ids, in the order of ids; ids not
// stored are left out.
func (s *store[T, P]) byIDs(ctx context.Context, db *DB, ids []uuid.UUID) ([]T, error) {
	list, err := loadByIDs(ctx, db, `SELECT `+s.columns+` FROM `+s.table, ids, s.scan)
	if err != nil {
		return nil, err
	}
	if s.load != nil {
		if err := s.load(ctx, db, db.sql, list); err != nil {
			return nil, err
		}
	}
	at := make(map[uuid.UUID]int, len(list))
	for i := range list {
		at[P(&list[i]).RecordID()] = i
	}
	out := make([]T, 0, len(list))
	for _, id := range ids {
		if i, ok := at[id]; ok {
			out = append(out, list[i])
		}
	}
	return out, nil
}

func (s *store[T, P]) recordsByID(ctx context.Context, db *DB, ids []uuid.UUID) ([]outbound.Record, error) {
	list, err := s.byIDs(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]outbound.Record, len(list))
	for i := range list {
		out[i] = P(&list[i])
	}
	return out, nil
}

// verify checks every stored record against its last audit entry.
func (s *store[T, P]) verify(ctx context.Context, db *DB, check func(subject, digest string)) error {
	fn := func(r T) {
		p := P(&r)
		check(subject(p), s.digest(&r, p.ContentHash()))
	}
	if s.each != nil {
		return s.each(ctx, db, fn)
	}
	return eachRow(ctx, db, `SELECT `+s.columns+` FROM `+s.table, s.scan, fn)
}

// RecordsByID loads records of one kind by id, in the order of ids, for a
// node's push; ids not stored are left out.
func (db *DB) RecordsByID(ctx context.Context, k outbound.Kind, ids []uuid.UUID) ([]outbound.Record, error) {
	s, err := storeOf(k)
	if err != nil {
		return nil, err
	}
	return s.recordsByID(ctx, db, ids)
}

// syncedActions are the audit actions of the records a node pushes, for
// the sync queue's query.
func syncedActions() string {
	var actions []string
	for _, s := range stores {
		if s.kind().FromNodes {
			actions = append(actions, s.auditActions()...)
		}
	}
	slices.Sort(actions)
	return `action IN ('` + strings.Join(actions, `', '`) + `')`
}
