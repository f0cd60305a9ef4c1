package web

import (
	"net/http"

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
	rep, err := s.Reports.Report(r.Context(), r.PathValue("name"), outbound.ReportFilter{From: f.From, To: f.To,
		Border: r.URL.Query().Get("border"), Crossing: f.Crossing})
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
