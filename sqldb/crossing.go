package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/outbound-oss/outbound"
)

// SavePorts inserts or updates ports, each with one crossing of the port's
// code unless the port already has crossings. Known coordinates are kept
// when a port arrives without them (older BTS files have none).
func (db *DB) SavePorts(ctx context.Context, ports []outbound.Port) error {
	if err := outbound.Authorize(ctx, outbound.ManageReference, ""); err != nil {
		return err
	}
	for i := range ports {
		if err := ports[i].Validate(); err != nil {
			return err
		}
	}
	defer db.forgetCrossings()
	return db.inTx(ctx, func(tx *txn) error {
		var changes []change
		for _, p := range ports {
			c, err := db.savePort(ctx, tx, p)
			if err != nil {
				return err
			}
			changes = append(changes, c)
		}
		return db.appendAudit(ctx, tx, changes)
	})
}

// savePort upserts a port and its own crossing, and returns the audited change.
func (db *DB) savePort(ctx context.Context, tx *txn, p outbound.Port) (change, error) {
	code, _ := outbound.NormalizePortCode(p.Code)
	p.Code = code
	_, err := tx.exec(ctx, `
		INSERT INTO ports (code, name, state, border, latitude, longitude, time_zone, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, state = excluded.state,
			border = excluded.border, time_zone = excluded.time_zone, source = excluded.source,
			latitude = COALESCE(excluded.latitude, ports.latitude),
			longitude = COALESCE(excluded.longitude, ports.longitude)`,
		code, p.Name, p.State, string(p.Border), p.Latitude, p.Longitude, p.TimeZone, p.Source)
	if err != nil {
		return change{}, fmt.Errorf("save port %s: %w", code, err)
	}
	// The port's own crossing follows the port; other crossings are kept.
	_, err = tx.exec(ctx, `
		INSERT INTO crossings (code, port_code, name, latitude, longitude, modalities, source, field_office)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM crossings WHERE port_code = ? AND code <> ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, source = excluded.source,
			latitude = COALESCE(excluded.latitude, crossings.latitude),
			longitude = COALESCE(excluded.longitude, crossings.longitude)`,
		code, code, p.Name, p.Latitude, p.Longitude, joinList(outbound.Modalities), p.Source,
		outbound.FieldOfficeFor(code, p.State), code, code)
	if err != nil {
		return change{}, fmt.Errorf("save crossing %s: %w", code, err)
	}
	return change{action: "port.save", subject: "port:" + code, crossing: code, after: outbound.Digest(p)}, nil
}

// SaveCrossing inserts or updates one crossing of an existing port.
func (db *DB) SaveCrossing(ctx context.Context, c outbound.Crossing) error {
	if err := outbound.Authorize(ctx, outbound.ManageReference, ""); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	port, _ := outbound.NormalizePortCode(c.PortCode)
	defer db.forgetCrossings()
	return db.inTx(ctx, func(tx *txn) error {
		var one int
		err := tx.queryRow(ctx, `SELECT 1 FROM ports WHERE code = ?`, port).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return outbound.Errorf(outbound.EINVALID, "port_code", "port %s is not known; import or add the port first", port)
		} else if err != nil {
			return err
		}
		source := c.Source
		if source == "" {
			source = outbound.SourceManual
		}
		_, err = tx.exec(ctx, `
			INSERT INTO crossings (code, port_code, name, latitude, longitude, modalities, source, field_office)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET port_code = excluded.port_code, name = excluded.name,
				latitude = excluded.latitude, longitude = excluded.longitude,
				modalities = excluded.modalities, source = excluded.source, field_office = excluded.field_office`,
			c.Code, port, c.Name, c.Latitude, c.Longitude, joinList(c.Modalities), source, c.FieldOffice)
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, []change{{action: "crossing.save", subject: "crossing:" + c.Code,
			crossing: c.Code, after: outbound.Digest(c)}})
	})
}

const crossingColumns = `c.code, c.port_code, c.name, p.border, p.state,
	COALESCE(c.latitude, p.latitude), COALESCE(c.longitude, p.longitude), p.time_zone, c.modalities, c.source, c.field_office
	FROM crossings c JOIN ports p ON p.code = c.port_code`

// crossingCache keeps the list of crossings for a second: a page's
// reports each ask for it, and it changes only through this package's
// writes, which forget it at once. Another process writing to the same
// PostgreSQL is seen a second later at most.
type crossingCache struct {
	mu   sync.Mutex
	at   time.Time
	list []outbound.Crossing
}

func (db *DB) forgetCrossings() {
	db.crossings.mu.Lock()
	db.crossings.list = nil
	db.crossings.mu.Unlock()
}

// FindCrossings lists every crossing, ordered by code.
func (db *DB) FindCrossings(ctx context.Context) ([]outbound.Crossing, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	c := &db.crossings
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.list != nil && time.Since(c.at) < time.Second {
		return slices.Clone(c.list), nil
	}
	cs, err := db.readCrossings(ctx)
	if err == nil {
		c.list, c.at = cs, time.Now()
	}
	return slices.Clone(cs), err
}

func (db *DB) readCrossings(ctx context.Context) ([]outbound.Crossing, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+crossingColumns+` ORDER BY c.code`)
	if err != nil {
		return nil, fmt.Errorf("find crossings: %w", err)
	}
	defer rows.Close()
	var cs []outbound.Crossing
	for rows.Next() {
		c, err := scanCrossing(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// FindCrossing returns one crossing or ENOTFOUND.
func (db *DB) FindCrossing(ctx context.Context, code string) (outbound.Crossing, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return outbound.Crossing{}, err
	}
	c, err := scanCrossing(db.sql.QueryRowContext(ctx, db.Rebind(`SELECT `+crossingColumns+` WHERE c.code = ?`), code))
	if errors.Is(err, sql.ErrNoRows) {
		return c, outbound.Errorf(outbound.ENOTFOUND, "crossing", "crossing %q does not exist", code)
	}
	return c, err
}

type scanner interface{ Scan(dest ...any) error }

func scanCrossing(s scanner) (outbound.Crossing, error) {
	var c outbound.Crossing
	var lat, lon sql.NullFloat64
	var modalities string
	if err := s.Scan(&c.Code, &c.PortCode, &c.Name, &c.Border, &c.State, &lat, &lon, &c.TimeZone, &modalities, &c.Source, &c.FieldOffice); err != nil {
		return c, fmt.Errorf("scan crossing: %w", err)
	}
	if lat.Valid && lon.Valid {
		c.Latitude, c.Longitude = &lat.Float64, &lon.Float64
	}
	c.Modalities = splitList[outbound.Modality](modalities)
	return c, nil
}

// joinList stores a list of vocabulary words or badges, which never hold a
// comma, as one text column.
func joinList[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

func splitList[T ~string](s string) []T {
	vs := []T{}
	if s == "" {
		return vs
	}
	for _, v := range strings.Split(s, ",") {
		vs = append(vs, T(v))
	}
	return vs
}

// crossingZones maps crossing codes to their time zones, for local days:
// those of codes, or of every crossing when none are given.
func (db *DB) crossingZones(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, codes ...string) (map[string]string, error) {
	query, args := `SELECT c.code, p.time_zone FROM crossings c JOIN ports p ON p.code = c.port_code`, []any{}
	if len(codes) > 0 {
		for _, c := range codes {
			// A code PostgreSQL cannot hold as text is no crossing's;
			// asking for it would abort the caller's transaction.
			if utf8.ValidString(c) && !strings.ContainsRune(c, 0) {
				args = append(args, c)
			}
		}
		query += ` WHERE c.code IN ` + placeholders(max(len(args), 1), 1)
		if len(args) == 0 {
			args = append(args, "")
		}
	}
	rows, err := q.QueryContext(ctx, db.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("crossing zones: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var code, zone string
		if err := rows.Scan(&code, &zone); err != nil {
			return nil, err
		}
		m[code] = zone
	}
	return m, rows.Err()
}
