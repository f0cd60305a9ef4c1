// Package bts reads the public BTS Border Crossing Entry Data (monthly
// inbound counts per port and measure, from CBP) as the Bureau of
// Transportation Statistics publishes it: a CSV, or a zip holding one.
// Columns are found by header name, since releases add and reorder them.
package bts

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
)

// NonLandPorts are ports in the data that are not land border crossings
// (seaports and airports with tiny counts); they are skipped.
var NonLandPorts = map[string]string{
	"0401": "Boston", "2501": "San Diego", "3001": "Seattle",
	"3006": "Everett", "4105": "Toledo", "5301": "Houston",
}

// Indexes of the columns the reader uses, in columns.
const (
	portName = iota
	state
	portCode
	border
	date
	measure
	value
	latitude
	longitude
	location
	numColumns
)

// columns is the one table of the columns the reader uses, each under every
// name a release has given it (the first is today's, and wins when a header
// has two). Other columns (Year, ...) are ignored.
var columns = [numColumns]struct {
	names    []string
	required bool
}{
	portName:  {[]string{"Port Name"}, true},
	state:     {[]string{"State", "State Abbreviation"}, true},
	portCode:  {[]string{"Port Code"}, true},
	border:    {[]string{"Border"}, true},
	date:      {[]string{"Date"}, true},
	measure:   {[]string{"Measure"}, true},
	value:     {[]string{"Value"}, true},
	latitude:  {[]string{"Latitude"}, false},
	longitude: {[]string{"Longitude"}, false},
	location:  {[]string{"Location", "Point"}, false},
}

// required lists the columns every layout has, by today's names.
func required() string {
	var names []string
	for _, c := range columns {
		if c.required {
			names = append(names, c.names[0])
		}
	}
	return strings.Join(names, ", ")
}

// aliases says what else older releases call the required columns.
func aliases() string {
	var say []string
	for _, c := range columns {
		if c.required && len(c.names) > 1 {
			say = append(say, c.names[0]+" may be "+strings.Join(c.names[1:], " or "))
		}
	}
	return strings.Join(say, "; ")
}

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

// pick finds the one .csv of a zip whose header is BTS data. The resource
// files a Mac adds to a zip it makes (__MACOSX/._NAME.csv) are not CSV
// and are passed over.
func pick(path string, zr *zip.Reader) (*zip.File, error) {
	var csvs, data []string
	var found *zip.File
	for _, zf := range zr.File {
		if !strings.HasSuffix(strings.ToLower(zf.Name), ".csv") || appleDouble(zf.Name) {
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
			path, required(), strings.Join(csvs, ", "))
	default:
		return nil, outbound.Errorf(outbound.EINVALID, "", "%s: the zip holds %d BTS CSV files (%s): unzip it and import the one you mean",
			path, len(data), strings.Join(data, ", "))
	}
}

// appleDouble reports whether a zip member is a Mac's resource file.
func appleDouble(name string) bool {
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(name[strings.LastIndex(name, "/")+1:], "._")
}

type closeBoth struct {
	io.ReadCloser
	f *os.File
}

func (c closeBoth) Close() error { return errors.Join(c.ReadCloser.Close(), c.f.Close()) }

// MaxValue is the largest count a row may hold: the busiest port's busiest
// month (1996–2024) counted under 5 million.
const MaxValue = 1_000_000_000

// Reader reads volume rows from a BTS CSV stream.
type Reader struct {
	csv *csv.Reader
	at  [numColumns]int    // the index of each column in a row, -1 when absent
	as  [numColumns]string // each column's name in this file, for messages
	// coordinates come from the Latitude and Longitude columns, else
	// from Location, else there are none.
	latLon bool
	line   int
	// lastDate and lastMonth spare parsing the same month row after row.
	lastDate  string
	lastMonth outbound.Date
	// Skipped counts rows of NonLandPorts, by port code.
	Skipped map[string]int
}

// NewReader reads the header, finding each column under any of its names
// (see docs/import.md for the layouts), and refuses a header that lacks a
// needed column, naming every one it lacks.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	// A byte-order mark is dropped before the CSV reader sees it: before
	// a quoted first name, it would make the quote a stray one.
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, outbound.Errorf(outbound.EINVALID, "", "line 1: cannot read the header: %v", unwrapCSV(err))
	}
	rd := &Reader{csv: cr, line: 1, Skipped: map[string]int{}}
	rank := [numColumns]int{}
	for c := range rd.at {
		rd.at[c] = -1
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		for c, col := range columns {
			for k, name := range col.names {
				if !strings.EqualFold(h, name) {
					continue
				}
				switch {
				case rd.at[c] < 0 || k < rank[c]:
					rd.at[c], rd.as[c], rank[c] = i, h, k
				case k == rank[c]:
					return nil, outbound.Errorf(outbound.EINVALID, h, "line 1: the header has %q twice (columns %d and %d)", h, rd.at[c]+1, i+1)
				}
			}
		}
	}
	var missing []string
	for c, col := range columns {
		if col.required && rd.at[c] < 0 {
			missing = append(missing, strconv.Quote(col.names[0]))
		}
	}
	if len(missing) > 0 {
		noun := "column"
		if len(missing) > 1 {
			noun += "s"
		}
		return nil, outbound.Errorf(outbound.EINVALID, strings.Trim(missing[0], `"`),
			"line 1: the header has no %s %s; a BTS file has at least %s (%s)",
			strings.Join(missing, ", "), noun, required(), aliases())
	}
	if (rd.at[latitude] < 0) != (rd.at[longitude] < 0) {
		has, lacks := columns[latitude].names[0], columns[longitude].names[0]
		if rd.at[latitude] < 0 {
			has, lacks = lacks, has
		}
		return nil, outbound.Errorf(outbound.EINVALID, lacks, "line 1: the header has a %q column but no %q", has, lacks)
	}
	rd.latLon = rd.at[latitude] >= 0
	cr.FieldsPerRecord = len(header)
	return rd, nil
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

// field is the trimmed value of column c, "" when the file has no such column.
func (r *Reader) field(rec []string, c int) string {
	if r.at[c] < 0 {
		return ""
	}
	return strings.TrimSpace(rec[r.at[c]])
}

// fail names the line and the column, by its name in this file.
func (r *Reader) fail(c int, format string, args ...any) error {
	return outbound.Errorf(outbound.EINVALID, r.as[c], "line %d, column %s: %s", r.line, r.as[c], fmt.Sprintf(format, args...))
}

func (r *Reader) parse(rec []string) (outbound.VolumeRow, bool, error) {
	row := outbound.VolumeRow{Line: r.line}
	code, err := outbound.NormalizePortCode(r.field(rec, portCode))
	if err != nil {
		return row, false, r.fail(portCode, "%q is not a port code of 1 to 4 digits", r.field(rec, portCode))
	}
	if _, ok := NonLandPorts[code]; ok {
		r.Skipped[code]++
		return row, true, nil
	}
	var b outbound.Border
	switch s := r.field(rec, border); s {
	case "US-Mexico Border":
		b = outbound.Southwest
	case "US-Canada Border":
		b = outbound.Northern
	default:
		return row, false, r.fail(border, "%q is neither US-Mexico Border nor US-Canada Border", s)
	}
	name, st := r.field(rec, portName), r.field(rec, state)
	if name == "" {
		return row, false, r.fail(portName, "the port has no name")
	}
	if full, ok := stateNames[st]; ok {
		st = full
	}
	zone := outbound.TimeZoneFor(code, st)
	if zone == "" {
		return row, false, r.fail(state, "%q is not a border state this importer knows", r.field(rec, state))
	}
	if d := r.field(rec, date); d != r.lastDate || d == "" {
		m, ok := parseMonth(d)
		if !ok {
			return row, false, r.fail(date, "%q is not a month such as \"Jan 1996\", \"1996-01\" or \"01/01/1996 12:00:00 AM\" (the first of the month), from %d to %d",
				d, minYear, maxYear)
		}
		r.lastDate, r.lastMonth = d, m
	}
	ms := r.field(rec, measure)
	if ms == "" {
		return row, false, r.fail(measure, "the measure is empty")
	}
	n, ok := parseCount(r.field(rec, value))
	if !ok {
		return row, false, r.fail(value, "%q is not a count: a whole number from 0 to %d, with or without commas between thousands (1234 or 1,234)",
			r.field(rec, value), MaxValue)
	}
	row.Port = outbound.Port{Code: code, Name: name, State: st, Border: b, TimeZone: zone, Source: outbound.SourceBTS}
	if err := r.coordinates(rec, &row.Port); err != nil {
		return row, false, err
	}
	row.Volume = outbound.MonthlyVolume{PortCode: code, Month: r.lastMonth, Measure: ms, Value: n}
	return row, false, nil
}

// coordinates sets the port's point from the Latitude and Longitude
// columns, or else from Location; a row without one leaves it unknown.
func (r *Reader) coordinates(rec []string, p *outbound.Port) error {
	var lat, lon float64
	if r.latLon {
		la, lo := r.field(rec, latitude), r.field(rec, longitude)
		if la == "" && lo == "" {
			return nil
		}
		var err1, err2 error
		lat, err1 = strconv.ParseFloat(la, 64)
		lon, err2 = strconv.ParseFloat(lo, 64)
		if err1 != nil || err2 != nil || !onLandBorders(lat, lon) {
			return r.fail(latitude, "%q, %q are not a latitude and longitude %s", la, lo, landBorders)
		}
	} else {
		s := r.field(rec, location)
		if s == "" {
			return nil
		}
		var ok bool
		if lat, lon, ok = parsePoint(s); !ok {
			return r.fail(location, "%q is not a point such as \"(48.999, -122.756)\" or \"POINT (-122.756 48.999)\" %s", s, landBorders)
		}
	}
	p.Latitude, p.Longitude = &lat, &lon
	return nil
}

// unwrapCSV drops encoding/csv's own position prefix: callers give the line.
func unwrapCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
