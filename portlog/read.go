package portlog

import (
	"archive/zip"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"path"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/xuri/excelize/v2"
)

// Row is one parsed row of a log, or the problem with it.
type Row struct {
	// Where names the row for a person: "line 12", or "sheet Log, row 12".
	Where      string
	Inspection outbound.Inspection
	// Err is what is wrong with this row (its column named); the rows
	// after it are still read, for a dry run to list every problem.
	Err error
}

// table is a file's rows, read one at a time: the header first.
type table interface {
	next() ([]string, error) // io.EOF after the last row
	// where names the row just read, or its cell of column col (0-based;
	// -1 for the row) where the file has cells.
	where(col int) string
	close() error
}

// Log is an open log file: its header read, its rows still to come.
type Log struct {
	t      table
	p      *Parser
	header []string
	// Sheet is the XLSX sheet read; "" for a CSV.
	Sheet string
}

// Open opens a log, CSV or XLSX by its name's extension, and reads its
// header through the mapping. sheet (or the mapping's) names the XLSX
// sheet; a workbook of several sheets needs one named. A workbook whose
// sheet holds a formula is refused naming its cell: a formula's value is
// whatever a spreadsheet last computed, not what the log says.
func Open(name string, r io.ReaderAt, size int64, m *Mapping, sheet string, zones map[string]*time.Location, now time.Time) (*Log, error) {
	if m == nil {
		m = &Mapping{}
	}
	if sheet == "" {
		sheet = m.Sheet
	}
	var t table
	var err error
	l := &Log{}
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".csv":
		if sheet != "" {
			return nil, outbound.Errorf(outbound.EINVALID, "sheet", "a CSV has no sheets; --sheet is for an XLSX")
		}
		t = newCSV(io.NewSectionReader(r, 0, size))
	case ".xlsx":
		t, l.Sheet, err = openXLSX(r, size, sheet)
	default:
		return nil, outbound.Errorf(outbound.EINVALID, "file", "%q is neither .csv nor .xlsx", name)
	}
	if err != nil {
		return nil, err
	}
	l.t = t
	header, err := t.next()
	if err == io.EOF {
		t.close()
		return nil, outbound.Errorf(outbound.EINVALID, "file", "the file is empty: its first row is the header (docs/import.md)")
	}
	if err != nil {
		t.close()
		return nil, err
	}
	l.header = header
	if l.p, err = NewParser(header, m, zones, now); err != nil {
		t.close()
		return nil, l.at(err)
	}
	l.p.serials = l.Sheet != ""
	return l, nil
}

// Close closes the file.
func (l *Log) Close() error { return l.t.close() }

// at names the row just read in an error, and the cell in an XLSX.
func (l *Log) at(err error) error {
	var e *outbound.Error
	if !errors.As(err, &e) {
		return err
	}
	col := -1
	if l.p != nil {
		if i, ok := l.p.col[e.Field]; ok {
			col = i
		}
	}
	return &outbound.Error{Code: e.Code, Field: e.Field, Message: l.t.where(col) + ": " + e.Message}
}

// Rows yields the rows after the header. A row that does not parse comes
// with its Err and the reading goes on; a file that cannot be read further
// (a broken CSV quote, a damaged workbook) ends with an error of its own.
func (l *Log) Rows() iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for {
			rec, err := l.t.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(Row{}, err)
				return
			}
			if blank(rec) {
				continue
			}
			in, err := l.p.Parse(rec)
			row := Row{Where: l.t.where(-1), Inspection: in}
			if err != nil {
				var u *UnknownWord
				if errors.As(err, &u) {
					u.err = l.at(u.err).(*outbound.Error)
					row.Err = u
				} else {
					row.Err = l.at(err)
				}
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// csvTable reads a CSV; a UTF-8 byte-order mark is fine.
type csvTable struct {
	r    *csv.Reader
	line int
}

func newCSV(r io.Reader) *csvTable {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a short row is read as empty cells
	cr.ReuseRecord = true
	return &csvTable{r: cr}
}

func (c *csvTable) next() ([]string, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		var pe *csv.ParseError
		line := 0
		if errors.As(err, &pe) {
			line, err = pe.Line, pe.Err
		}
		return nil, outbound.Errorf(outbound.EINVALID, "file", "line %d: %v", line, err)
	}
	c.line, _ = c.r.FieldPos(0)
	return rec, nil
}

func (c *csvTable) where(int) string { return fmt.Sprintf("line %d", c.line) }
func (c *csvTable) close() error     { return nil }

// xlsxTable reads one sheet with excelize's streaming row reader, raw
// values (a date is its serial number, read as the crossing's wall clock).
type xlsxTable struct {
	f     *excelize.File
	rows  *excelize.Rows
	sheet string
	row   int
}

func openXLSX(r io.ReaderAt, size int64, sheet string) (*xlsxTable, string, error) {
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, "", outbound.Errorf(outbound.EINVALID, "file", "not a readable XLSX workbook: %v", err)
	}
	sheets := f.GetSheetList()
	switch {
	case sheet == "" && len(sheets) != 1:
		f.Close()
		return nil, "", outbound.Errorf(outbound.EINVALID, "sheet", "the workbook has %d sheets (%s): name the one to read with --sheet", len(sheets), strings.Join(sheets, ", "))
	case sheet == "":
		sheet = sheets[0]
	}
	found := false
	for _, s := range sheets {
		if s == sheet {
			found = true
		}
	}
	if !found {
		f.Close()
		return nil, "", outbound.Errorf(outbound.EINVALID, "sheet", "the workbook has no sheet %q; its sheets are %s", sheet, strings.Join(sheets, ", "))
	}
	if cell, err := firstFormula(r, size, sheet); err != nil || cell != "" {
		f.Close()
		if err != nil {
			return nil, "", err
		}
		return nil, "", outbound.Errorf(outbound.EINVALID, "file", "sheet %s, cell %s holds a formula: save the sheet with values only (copy, paste values) and import that", sheet, cell)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, "", outbound.Errorf(outbound.EINVALID, "file", "sheet %s: %v", sheet, err)
	}
	return &xlsxTable{f: f, rows: rows, sheet: sheet}, sheet, nil
}

func (x *xlsxTable) next() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, outbound.Errorf(outbound.EINVALID, "file", "sheet %s: %v", x.sheet, err)
		}
		return nil, io.EOF
	}
	x.row++
	rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, outbound.Errorf(outbound.EINVALID, "file", "sheet %s, row %d: %v", x.sheet, x.row, err)
	}
	return rec, nil
}

func (x *xlsxTable) where(col int) string {
	if name, err := excelize.CoordinatesToCellName(col+1, x.row); col >= 0 && err == nil {
		return fmt.Sprintf("sheet %s, cell %s", x.sheet, name)
	}
	return fmt.Sprintf("sheet %s, row %d", x.sheet, x.row)
}

func (x *xlsxTable) close() error {
	err := x.rows.Close()
	return errors.Join(err, x.f.Close())
}

// firstFormula returns the first cell of the sheet that holds a formula,
// "" for none, reading the sheet's XML as a stream: excelize's row reader
// gives values only.
func firstFormula(r io.ReaderAt, size int64, sheet string) (string, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "", outbound.Errorf(outbound.EINVALID, "file", "not a readable XLSX workbook: %v", err)
	}
	part, err := sheetPart(z, sheet)
	if err != nil {
		return "", err
	}
	for _, f := range z.File {
		if f.Name != part {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", outbound.Errorf(outbound.EINVALID, "file", "sheet %s: %v", sheet, err)
		}
		defer rc.Close()
		d := xml.NewDecoder(rc)
		cell := ""
		for {
			tok, err := d.RawToken()
			if err == io.EOF {
				return "", nil
			}
			if err != nil {
				return "", outbound.Errorf(outbound.EINVALID, "file", "sheet %s: %v", sheet, err)
			}
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "c":
					for _, a := range se.Attr {
						if a.Name.Local == "r" {
							cell = a.Value
						}
					}
				case "f":
					return cell, nil
				}
			}
		}
	}
	return "", outbound.Errorf(outbound.EINVALID, "file", "sheet %s: its part %s is missing from the workbook", sheet, part)
}

// sheetPart finds the zip member that holds a sheet, through the
// workbook's relationships.
func sheetPart(z *zip.Reader, sheet string) (string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		f, err := z.Open(name)
		if err != nil {
			return "", outbound.Errorf(outbound.EINVALID, "file", "not a readable XLSX workbook: no %s", name)
		}
		err = xml.NewDecoder(f).Decode(v)
		f.Close()
		if err != nil {
			return "", outbound.Errorf(outbound.EINVALID, "file", "not a readable XLSX workbook: %s: %v", name, err)
		}
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				if strings.HasPrefix(r.Target, "/") {
					return strings.TrimPrefix(r.Target, "/"), nil
				}
				return path.Join("xl", r.Target), nil
			}
		}
	}
	return "", outbound.Errorf(outbound.EINVALID, "sheet", "the workbook's sheet %q has no part", sheet)
}
