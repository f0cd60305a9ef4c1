package report

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/outbound-oss/outbound"
	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes a workbook: a sheet of the report's own metrics, one
// sheet per breakdown (by_modality, by_category, ...), each with a row per
// crossing and the totals, as real numbers; and a sheet of the filters.
func WriteXLSX(w io.Writer, rep outbound.Report) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sheets := []string{rep.Report}
	template := rep.Totals
	if len(rep.Rows) > 0 {
		template = rep.Rows[0]
	}
	for _, c := range template {
		if _, ok := c.Value.(outbound.Row); ok {
			sheets = append(sheets, string(c.Key))
		}
	}
	if err := f.SetSheetName("Sheet1", rep.Report); err != nil {
		return err
	}
	for _, name := range sheets {
		if name != rep.Report {
			if _, err := f.NewSheet(name); err != nil {
				return err
			}
		}
		rows := append([]outbound.Row{}, rep.Rows...)
		total := append(outbound.Row{{Key: outbound.CrossingKey, Value: "TOTAL"}, {Key: outbound.BorderKey, Value: ""}}, rep.Totals...)
		rows = append(rows, total)
		var header []string
		for r, row := range rows {
			cells := sheetCells(row, name, rep.Report)
			if r == 0 {
				for _, c := range cells {
					header = append(header, c.Column)
				}
				for i, h := range header {
					cell, _ := excelize.CoordinatesToCellName(i+1, 1)
					f.SetCellValue(name, cell, h)
				}
			}
			byCol := map[string]any{}
			for _, c := range cells {
				byCol[c.Column] = c.Value
			}
			for i, h := range header {
				cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
				if v, ok := byCol[h]; ok && v != nil {
					if err := f.SetCellValue(name, cell, v); err != nil {
						return err
					}
				}
			}
		}
		end, _ := excelize.CoordinatesToCellName(max(1, len(header)), 1)
		if err := f.SetCellStyle(name, "A1", end, bold); err != nil {
			return err
		}
	}
	// Breakdowns only the totals have (compliance by border and by field
	// office): a sheet each, a row per group.
	for _, c := range rep.Totals {
		groups, ok := c.Value.(outbound.Row)
		sheet := string(c.Key)
		if !ok || slices.Contains(sheets, sheet) {
			continue
		}
		if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		for r, g := range groups {
			sub, _ := g.Value.(outbound.Row)
			cells := append([]Cell{{"name", string(g.Key)}}, Flatten(sub)...)
			for i, cell := range cells {
				if r == 0 {
					name, _ := excelize.CoordinatesToCellName(i+1, 1)
					f.SetCellValue(sheet, name, cell.Column)
				}
				name, _ := excelize.CoordinatesToCellName(i+1, r+2)
				if cell.Value != nil {
					f.SetCellValue(sheet, name, cell.Value)
				}
			}
		}
	}
	if _, err := f.NewSheet("filters"); err != nil {
		return err
	}
	f.SetCellValue("filters", "A1", "report")
	f.SetCellValue("filters", "B1", rep.Report)
	f.SetCellValue("filters", "A2", "from")
	f.SetCellValue("filters", "B2", rep.From.String())
	f.SetCellValue("filters", "A3", "to")
	f.SetCellValue("filters", "B3", rep.To.String())
	for i, k := range slices.Sorted(maps.Keys(rep.Filters)) {
		f.SetCellValue("filters", fmt.Sprintf("A%d", i+4), k)
		f.SetCellValue("filters", fmt.Sprintf("B%d", i+4), rep.Filters[k])
	}
	return f.Write(w)
}

// sheetCells picks a row's cells for one sheet: the crossing, border and
// scalar metrics for the report's own sheet; the crossing, border and one
// breakdown, flattened, for a breakdown's sheet.
func sheetCells(row outbound.Row, sheet, report string) []Cell {
	var out []Cell
	for _, c := range row {
		sub, isRow := c.Value.(outbound.Row)
		switch {
		case c.Key == outbound.CrossingKey || c.Key == outbound.BorderKey:
			out = append(out, Cell{string(c.Key), c.Value})
		case sheet == report && !isRow:
			out = append(out, Cell{string(c.Key), c.Value})
		case isRow && string(c.Key) == sheet:
			out = append(out, Flatten(sub)...)
		}
	}
	return out
}
