package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/report"
)

var contentTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pdf":  "application/pdf",
}

// report answers GET /api/v1/reports/{name}: JSON, or CSV, XLSX or PDF
// with format=.
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := q.Get("format")
	if err := checkFormat(format); err != nil {
		s.fail(w, r, err)
		return
	}
	sel, err := period(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rf := sel.reportFilter()
	if v := q.Get("hourly_rate"); v != "" {
		if rf.HourlyRate, rf.BorderRates, err = outbound.ParseRates(v); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if v := q.Get("min_coverage"); v != "" {
		if rf.MinCoverage, err = strconv.ParseFloat(v, 64); err != nil {
			s.fail(w, r, outbound.Errorf(outbound.EINVALID, "min_coverage", "min_coverage %s is not a number", outbound.Shown(v)))
			return
		}
	}
	rep, err := s.Reports.Report(r.Context(), r.PathValue("name"), rf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeReport(w, r, rep, format)
}

// checkFormat accepts json (or nothing), csv, xlsx, pdf and the extras.
func checkFormat(format string, extra ...string) error {
	if _, ok := contentTypes[format]; ok || format == "" || format == "json" || slices.Contains(extra, format) {
		return nil
	}
	return outbound.Errorf(outbound.EINVALID, "format", "format %s is not %s", outbound.Shown(format), strings.Join(append([]string{"json", "csv", "xlsx", "pdf"}, extra...), ", "))
}

// writeReport answers a report in its format: JSON, or a download.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, rep outbound.Report, format string) {
	if format == "" || format == "json" {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	var b bytes.Buffer // whole before anything is sent: a failure is still an error answer
	if err := report.Write(&b, rep, format); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+rep.Report+`.`+format+`"`)
	w.Write(b.Bytes())
}
