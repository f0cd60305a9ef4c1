package web

import (
	"net/http"
	"strconv"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/report"
)

// report answers GET /api/v1/reports/{name}: JSON, or CSV with format=csv.
func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	f, err := period(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	rf := outbound.ReportFilter{From: f.From, To: f.To, Border: q.Get("border"), FieldOffice: q.Get("field_office"), Crossing: f.Crossing}
	if v := q.Get("hourly_rate"); v != "" {
		if rf.HourlyRate, err = strconv.ParseFloat(v, 64); err != nil {
			s.fail(w, r, outbound.Errorf(outbound.EINVALID, "hourly_rate", "hourly_rate %q is not a number", v))
			return
		}
	}
	rep, err := s.Reports.Report(r.Context(), r.PathValue("name"), rf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch format := r.URL.Query().Get("format"); format {
	case "", "json":
		writeJSON(w, http.StatusOK, rep)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+rep.Report+`.csv"`)
		report.Write(w, rep, "csv")
	default:
		s.fail(w, r, outbound.Errorf(outbound.EINVALID, "format", "format %q is not json or csv", format))
	}
}
