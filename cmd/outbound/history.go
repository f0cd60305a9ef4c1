package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/portlog"
	"github.com/outbound-oss/outbound/sqldb"
)

// maxListedProblems is how many problems a dry run prints one by one.
const maxListedProblems = 50

// importHistory is "outbound import inspections": a port's own log of
// past inspections, stored all or nothing as imported history.
func (m *Main) importHistory(ctx context.Context, args []string) error {
	fs, c := m.flags("import inspections", false)
	mapping := fs.String("mapping", "", "a YAML file naming the log's own columns and words (docs/import.md)")
	dry := fs.Bool("dry-run", false, "check every row and say what would be stored; store nothing")
	sourceName := fs.String("source-name", "", "the name the records keep as their source file (default: the file's base name)")
	sheet := fs.String("sheet", "", "the XLSX sheet to read, when the workbook has several")
	if err := parse(fs, args, 1, "one FILE.csv or FILE.xlsx"); err != nil {
		return err
	}
	path := fs.Arg(0)
	var mp *portlog.Mapping
	if *mapping != "" {
		src, err := readLimited(*mapping, portlog.MaxMappingBytes)
		if err != nil {
			return usagef("import inspections: %v", err)
		}
		if mp, err = portlog.ParseMapping(src); err != nil {
			return fileError(*mapping, 0, err)
		}
	}
	name := *sourceName
	if name == "" {
		name = filepath.Base(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return usagef("import inspections: %v", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return usagef("import inspections: %v", err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	db, err := m.open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	zones, err := crossingZones(ctx, db)
	if err != nil {
		return err
	}
	log, err := portlog.Open(path, f, info.Size(), mp, *sheet, zones, m.now())
	if err != nil {
		return fileError(path, 0, err)
	}
	defer log.Close()

	bar := m.progress(-1, "importing "+path, false) // rows: a spinner that counts them
	var shown int64
	// A dry run keeps what it prints, not every bad row: the first
	// problems, and per unknown word its first rows and a count.
	problems := &listed{}
	unknown := map[[2]string]*listed{} // (column, word) -> its rows
	rows := func(yield func(sqldb.HistoryRow, error) bool) {
		for row, err := range log.Rows() {
			switch {
			case err != nil:
				yield(sqldb.HistoryRow{}, err)
				return
			case row.Err != nil && !*dry:
				yield(sqldb.HistoryRow{}, row.Err)
				return
			case row.Err != nil:
				var u *portlog.UnknownWord
				if errors.As(row.Err, &u) {
					k := [2]string{u.Column, u.Word}
					if unknown[k] == nil {
						unknown[k] = &listed{}
					}
					unknown[k].add(row.Where, 10)
				} else {
					problems.add(outbound.ErrorMessage(row.Err), maxListedProblems)
				}
				continue
			}
			if !yield(sqldb.HistoryRow{Where: row.Where, Inspection: row.Inspection}, nil) {
				return
			}
		}
	}
	st, err := db.ImportHistory(ctx, outbound.ImportSource{File: name, SHA256: hex.EncodeToString(h.Sum(nil))},
		iter.Seq2[sqldb.HistoryRow, error](rows), sqldb.HistoryOptions{DryRun: *dry, Progress: func(n int64) { bar.Add(int(n - shown)); shown = n }})
	bar.Finish()
	if err != nil {
		return fileError(path, 0, err)
	}
	if *dry {
		return m.printDryRun(path, st, problems, unknown)
	}
	fmt.Fprintf(m.Stdout, "imported %s (sha256 %.12s): %d rows; %d inspections new, %d already stored\n",
		path, st.Source.SHA256, st.Rows, st.Created, st.Replayed)
	return nil
}

// listed keeps the first few of many items, and counts them all.
type listed struct {
	first []string
	n     int
}

func (l *listed) add(item string, keep int) {
	if l.n++; len(l.first) < keep {
		l.first = append(l.first, item)
	}
}

// printDryRun says what a dry run would store, and every problem: words
// the mapping does not translate, with their rows, then the rest.
func (m *Main) printDryRun(path string, st sqldb.HistoryStats, problems *listed, unknown map[[2]string]*listed) error {
	w := m.Stdout
	fmt.Fprintf(w, "dry run of %s: %d good rows would store %d inspections (%d already stored); nothing was stored\n",
		path, st.Rows, st.Created, st.Replayed)
	for _, c := range slices.Sorted(maps.Keys(st.ByCrossingYear)) {
		years := st.ByCrossingYear[c]
		var parts []string
		for _, y := range slices.Sorted(maps.Keys(years)) {
			parts = append(parts, fmt.Sprintf("%d: %d", y, years[y]))
		}
		fmt.Fprintf(w, "  crossing %s: %s\n", c, strings.Join(parts, ", "))
	}
	if len(unknown) > 0 {
		fmt.Fprintln(w, "unknown values (name them under values: in a mapping file):")
		keys := slices.SortedFunc(maps.Keys(unknown), func(a, b [2]string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
		for _, k := range keys {
			where := unknown[k]
			list := strings.Join(where.first, "; ")
			if more := where.n - len(where.first); more > 0 {
				list += fmt.Sprintf("; and %d more", more)
			}
			fmt.Fprintf(w, "  %s %q: %d rows (%s)\n", k[0], k[1], where.n, list)
		}
	}
	for _, p := range problems.first {
		fmt.Fprintf(w, "%s: %s\n", path, p)
	}
	if more := problems.n - len(problems.first); more > 0 {
		fmt.Fprintf(w, "... and %d more problems\n", more)
	}
	refused := problems.n
	for _, l := range unknown {
		refused += l.n
	}
	if refused > 0 {
		return outbound.Errorf(outbound.EINVALID, "file", "%s: %d rows would be refused; nothing was stored", path, refused)
	}
	return nil
}

// readLimited reads a small file whole, refusing one over max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return b, nil
}
