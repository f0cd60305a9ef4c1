package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/bts"
	"github.com/outbound-oss/outbound/csvfile"
	"github.com/outbound-oss/outbound/sqldb"
)

func (m *Main) importCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("import: expected bts, staffing, exits, training, survey or funding")
	}
	kind := args[0]
	fs, c := m.flags("import "+kind, false)
	if err := parse(fs, args[1:], 1, "one FILE"); err != nil {
		return err
	}
	path := fs.Arg(0)
	switch kind {
	case "bts", "staffing", "exits", "training", "survey", "funding":
	default:
		return usagef("import: unknown kind %q; expected bts, staffing, exits, training, survey or funding", kind)
	}
	if _, err := os.Stat(path); err != nil {
		return usagef("import %s: %v", kind, err)
	}
	db, err := m.open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	switch kind {
	case "bts":
		return m.importBTS(ctx, db, path)
	case "staffing":
		return importRows(ctx, m, db, path, csvfile.ReadStaffing, db.RecordStaffing)
	case "funding":
		return importRows(ctx, m, db, path, csvfile.ReadFunding, db.RecordFunding)
	case "survey":
		readSurveys := func(r io.Reader) iter.Seq2[csvfile.Row[outbound.Survey], error] {
			return csvfile.ReadSurveys(r, m.now())
		}
		return importRows(ctx, m, db, path, readSurveys, db.RecordSurveys)
	case "training":
		return importRows(ctx, m, db, path, csvfile.ReadTraining, db.RecordTraining)
	default:
		return importRows(ctx, m, db, path, csvfile.ReadExits, db.RecordExits)
	}
}

func (m *Main) importBTS(ctx context.Context, db *sqldb.DB, path string) error {
	f, err := bts.Open(path)
	if err != nil {
		return fileError(path, 0, err)
	}
	defer f.Close()
	if f.Member != "" {
		path += " (" + f.Member + ")" // the file of the zip that was read
	}
	bar := m.progress(f.Size, "importing "+path, true)
	r, err := bts.NewReader(bar.Reader(f))
	if err != nil {
		return fileError(path, 0, err)
	}
	st, err := db.ImportVolumes(ctx, r.All())
	bar.Finish()
	if err != nil {
		return fileError(path, 0, err)
	}
	fmt.Fprintf(m.Stdout, "imported %s: %d rows of %d ports; %d volumes new, %d changed, %d unchanged\n",
		path, st.Rows, st.Ports, st.Written-st.Changed, st.Changed, st.Unchanged)
	if len(r.Skipped) > 0 {
		var parts []string
		for code, n := range r.Skipped {
			parts = append(parts, fmt.Sprintf("%s %s (%d rows)", code, bts.NonLandPorts[code], n))
		}
		sort.Strings(parts)
		fmt.Fprintf(m.Stdout, "skipped non-land ports: %s\n", strings.Join(parts, ", "))
	}
	return nil
}

// importRows checks every row of a CSV before it records any, so that a
// bad file changes nothing; rows that collide with stored records are
// reported as problems.
func importRows[T any, P outbound.RecordOf[T]](ctx context.Context, m *Main, db *sqldb.DB, path string,
	read func(io.Reader) iter.Seq2[csvfile.Row[T], error],
	record func(context.Context, []T) ([]outbound.RecordResult[T], error)) error {
	what := P(new(T)).RecordKind().Plural
	now := m.now()
	f, err := os.Open(path)
	if err != nil {
		return usagef("%v", err)
	}
	defer f.Close()
	crossings, err := db.FindCrossings(ctx)
	if err != nil {
		return err
	}
	// Each row's dates are checked against today at its crossing, as
	// the API checks them.
	zones := map[string]*time.Location{}
	for _, c := range crossings {
		zones[c.Code] = c.Location()
	}
	var rows []csvfile.Row[T]
	for row, err := range read(f) {
		if err != nil {
			return fileError(path, 0, err)
		}
		r := P(&row.Record)
		c := r.RecordCrossing()
		loc, known := zones[c]
		if c == "" || !known {
			loc = time.UTC
		}
		if err := r.Validate(now.In(loc)); err != nil {
			return fileError(path, row.Line, err)
		}
		if c != "" && !known {
			return fileError(path, row.Line, outbound.Errorf(outbound.EINVALID, "crossing", "crossing %q does not exist", c))
		}
		rows = append(rows, row)
	}
	bar := m.progress(int64(len(rows)), "importing "+what, false)
	counts := map[outbound.Status]int{}
	problems := 0
	for start := 0; start < len(rows); start += 1000 {
		chunk := rows[start:min(start+1000, len(rows))]
		batch := make([]T, len(chunk))
		for i := range chunk {
			batch[i] = chunk[i].Record
		}
		res, err := record(ctx, batch)
		if err != nil {
			return err
		}
		for i, r := range res {
			counts[r.Status]++
			if r.Err != nil {
				problems++
				fmt.Fprintf(m.Stderr, "%s: line %d: %s\n", path, chunk[i].Line, r.Err.Message)
			}
		}
		bar.Add(len(chunk))
	}
	bar.Finish()
	fmt.Fprintf(m.Stdout, "imported %s: %d %s; %d new, %d already stored, %d conflicts\n",
		path, len(rows), what, counts[outbound.Created], counts[outbound.Replayed], counts[outbound.Conflict])
	if problems > 0 {
		return errProblems
	}
	return nil
}

// fileError names the file (and the line, when the error does not) in an
// import error, keeping its code, and says that nothing was imported.
func fileError(path string, line int, err error) error {
	code := outbound.ErrorCode(err)
	if code == outbound.EINTERNAL {
		return fmt.Errorf("%s: %w (nothing was imported)", path, err)
	}
	where := path + ": "
	if line > 0 {
		where += fmt.Sprintf("line %d: ", line)
	}
	return &outbound.Error{Code: code, Field: outbound.ErrorField(err),
		Message: where + outbound.ErrorMessage(err) + " (nothing was imported)"}
}
