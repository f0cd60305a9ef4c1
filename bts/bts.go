// Package bts reads the public BTS Border Crossing Entry Data (monthly
// inbound counts per port and measure, from CBP) as the Bureau of
// Transportation Statistics publishes it: a CSV, or a zip holding one.
// Columns are found by header name, since releases add and reorder them.
package bts

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
)

// NonLandPorts are ports in the data that are not land border crossings
// (seaports and airports with tiny counts); they are skipped.
var NonLandPorts = map[string]string{
	"0401": "Boston", "2501": "San Diego", "3001": "Seattle",
	"3006": "Everett", "4105": "Toledo", "5301": "Houston",
}

// Columns the reader needs; others (Latitude, Longitude, Point, Year, ...)
// are used when known and otherwise ignored.
var required = []string{"Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value"}

// File is an opened BTS file: the CSV stream to read.
type File struct {
	io.ReadCloser
	// Size is the CSV stream's size in bytes, for progress.
	Size int64
	// Member is the file read inside a zip; "" for a plain CSV.
	Member string
}

// Open opens a BTS file, CSV or zip. A zip may hold other files besides
// the data (a data dictionary, say): Open reads the one .csv whose header
// has the columns the reader needs, and refuses a zip in which none or
// several do, naming them.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	magic := make([]byte, 4)
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != "PK\x03\x04" {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, err
		}
		return &File{ReadCloser: f, Size: st.Size()}, nil
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	zf, err := pick(path, zr)
	if err != nil {
		f.Close()
		return nil, err
	}
	rc, err := zf.Open()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %s: %w", path, zf.Name, err)
	}
	return &File{ReadCloser: closeBoth{rc, f}, Size: int64(zf.UncompressedSize64), Member: zf.Name}, nil
}

// pick finds the one .csv of a zip whose header is BTS data.
func pick(path string, zr *zip.Reader) (*zip.File, error) {
	var csvs, data []string
	var found *zip.File
	for _, zf := range zr.File {
		if !strings.HasSuffix(strings.ToLower(zf.Name), ".csv") {
			continue
		}
		csvs = append(csvs, zf.Name)
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, zf.Name, err)
		}
		_, err = NewReader(rc)
		rc.Close()
		if err == nil {
			data = append(data, zf.Name)
			found = zf
		}
	}
	switch {
	case len(csvs) == 0:
		return nil, outbound.Errorf(outbound.EINVALID, "", "%s: the zip holds no .csv file", path)
	case len(data) == 1:
		return found, nil
	case len(data) == 0:
		return nil, outbound.Errorf(outbound.EINVALID, "", "%s: no .csv file in the zip has the BTS columns (%s): it holds %s",
			path, strings.Join(required, ", "), strings.Join(csvs, ", "))
	default:
		return nil, outbound.Errorf(outbound.EINVALID, "", "%s: the zip holds %d BTS CSV files (%s): unzip it and import the one you mean",
			path, len(data), strings.Join(data, ", "))
	}
}

type closeBoth struct {
	io.ReadCloser
	f *os.File
}

func (c closeBoth) Close() error { return errors.Join(c.ReadCloser.Close(), c.f.Close()) }

// Reader reads volume rows from a BTS CSV stream.
type Reader struct {
	csv  *csv.Reader
	col  map[string]int
	line int
	// Skipped counts rows of NonLandPorts, by port code.
	Skipped map[string]int
}

// NewReader reads the header and checks that every needed column is there.
func NewReader(r io.Reader) (*Reader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, outbound.Errorf(outbound.EINVALID, "", "line 1: cannot read the header: %v", unwrapCSV(err))
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		col[strings.ToLower(h)] = i
	}
	for _, name := range required {
		if _, ok := col[strings.ToLower(name)]; !ok {
			return nil, outbound.Errorf(outbound.EINVALID, name, "line 1: the header has no %q column; expected at least %s", name, strings.Join(required, ", "))
		}
	}
	cr.FieldsPerRecord = len(header)
	return &Reader{csv: cr, col: col, line: 1, Skipped: map[string]int{}}, nil
}

// All yields every land-port row. It stops at the first error, which names
// the line and column.
func (r *Reader) All() iter.Seq2[outbound.VolumeRow, error] {
	return func(yield func(outbound.VolumeRow, error) bool) {
		for {
			rec, err := r.csv.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				line := r.line + 1
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					line = pe.Line
				}
				yield(outbound.VolumeRow{}, outbound.Errorf(outbound.EINVALID, "", "line %d: %v", line, unwrapCSV(err)))
				return
			}
			r.line, _ = r.csv.FieldPos(0)
			row, skip, err := r.parse(rec)
			if skip {
				continue
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

func (r *Reader) field(rec []string, name string) string {
	i, ok := r.col[strings.ToLower(name)]
	if !ok {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (r *Reader) fail(column, format string, args ...any) error {
	return outbound.Errorf(outbound.EINVALID, column, "line %d, column %s: %s", r.line, column, fmt.Sprintf(format, args...))
}

func (r *Reader) parse(rec []string) (outbound.VolumeRow, bool, error) {
	row := outbound.VolumeRow{Line: r.line}
	code, err := outbound.NormalizePortCode(r.field(rec, "Port Code"))
	if err != nil {
		return row, false, r.fail("Port Code", "%q is not a port code of 1 to 4 digits", r.field(rec, "Port Code"))
	}
	if _, ok := NonLandPorts[code]; ok {
		r.Skipped[code]++
		return row, true, nil
	}
	var border outbound.Border
	switch b := r.field(rec, "Border"); b {
	case "US-Mexico Border":
		border = outbound.Southwest
	case "US-Canada Border":
		border = outbound.Northern
	default:
		return row, false, r.fail("Border", "%q is neither US-Mexico Border nor US-Canada Border", b)
	}
	name, state := r.field(rec, "Port Name"), r.field(rec, "State")
	if name == "" {
		return row, false, r.fail("Port Name", "the port has no name")
	}
	zone := outbound.TimeZoneFor(code, state)
	if zone == "" {
		return row, false, r.fail("State", "%q is not a border state this importer knows", state)
	}
	month, err := time.Parse("Jan 2006", r.field(rec, "Date"))
	if err != nil {
		return row, false, r.fail("Date", "%q is not a month such as \"Jan 1996\"", r.field(rec, "Date"))
	}
	measure := r.field(rec, "Measure")
	if measure == "" {
		return row, false, r.fail("Measure", "the measure is empty")
	}
	value, err := strconv.ParseInt(r.field(rec, "Value"), 10, 64)
	if err != nil || value < 0 {
		return row, false, r.fail("Value", "%q is not a count (a whole number, 0 or more)", r.field(rec, "Value"))
	}
	row.Port = outbound.Port{Code: code, Name: name, State: state, Border: border, TimeZone: zone, Source: outbound.SourceBTS}
	if lat, lon := r.field(rec, "Latitude"), r.field(rec, "Longitude"); lat != "" || lon != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lon, 64)
		if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
			return row, false, r.fail("Latitude", "%q, %q are not a latitude and longitude", lat, lon)
		}
		row.Port.Latitude, row.Port.Longitude = &la, &lo
	}
	row.Volume = outbound.MonthlyVolume{PortCode: code, Month: outbound.DateOf(month), Measure: measure, Value: value}
	return row, false, nil
}

// unwrapCSV drops encoding/csv's own position prefix: callers give the line.
func unwrapCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
