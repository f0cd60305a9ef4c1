// Package report writes reports for people and programs: a table for the
// terminal, CSV, JSON, an XLSX workbook and a PDF. Every format shows the same columns: a report's
// rows flattened, breakdowns as "by_modality.truck".
package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/outbound-oss/outbound"
)

// Formats this package writes; xlsx and pdf are binary.
var Formats = []string{"table", "csv", "json", "xlsx", "pdf"}

// Cell is a flattened column and its value.
type Cell struct {
	Column string
	Value  any
}

// Flatten turns a row's breakdowns into columns named by their path.
func Flatten(r outbound.Row) []Cell {
	var out []Cell
	var walk func(prefix string, r outbound.Row)
	walk = func(prefix string, r outbound.Row) {
		for _, c := range r {
			if sub, ok := c.Value.(outbound.Row); ok {
				walk(prefix+string(c.Key)+".", sub)
				continue
			}
			out = append(out, Cell{prefix + string(c.Key), c.Value})
		}
	}
	walk("", r)
	return out
}

// Columns are a report's columns: those of its rows.
func Columns(rep outbound.Report) []string {
	row := rep.Totals
	if len(rep.Rows) > 0 {
		row = rep.Rows[0]
	}
	var cols []string
	for _, c := range Flatten(row) {
		cols = append(cols, c.Column)
	}
	return cols
}

// Text formats a value for CSV and tables: integers as such, rates and
// money with up to four decimals, nothing for "no value".
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

// Write writes the report in format: table (at full width, crossings by
// code; WriteTable fits one to a terminal), csv, json, xlsx or pdf.
func Write(w io.Writer, rep outbound.Report, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "csv":
		cw := csv.NewWriter(w)
		cols := Columns(rep)
		cw.Write(cols)
		for _, r := range rep.Rows {
			cw.Write(values(r, cols, Text))
		}
		cw.Flush()
		return cw.Error()
	case "table":
		return WriteTable(w, rep, TableOptions{})
	case "xlsx":
		return WriteXLSX(w, rep)
	case "pdf":
		return WritePDF(w, rep)
	}
	return outbound.Errorf(outbound.EINVALID, "format", "format %q is not table, csv, json, xlsx or pdf", format)
}

func values(r outbound.Row, cols []string, text func(any) string) []string {
	byCol := map[string]string{}
	for _, c := range Flatten(r) {
		byCol[c.Column] = text(c.Value)
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = byCol[c]
	}
	return out
}
