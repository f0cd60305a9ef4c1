package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
)

func (s *Server) publishPolicy(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	docs, rep, err := s.Policies.PublishPolicy(r.Context(), "request", body)
	var e *outbound.Error
	if errors.As(err, &e) && e.Code == outbound.EUNPROCESSABLE {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": toAPIError(err), "findings": rep.Findings})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"documents": docs, "findings": rep.Findings})
}

func (s *Server) listPolicies(w http.ResponseWriter, r *http.Request) {
	docs, err := s.Policies.FindPolicies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(docs, ""))
}

// policiesInForce answers the documents in force at a crossing on a day
// (today at the crossing when none is given).
func (s *Server) policiesInForce(w http.ResponseWriter, r *http.Request) {
	c, err := s.Crossings.FindCrossing(r.Context(), r.URL.Query().Get("crossing"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day := outbound.DateOf(time.Now().In(c.Location()))
	if v := r.URL.Query().Get("date"); v != "" {
		if day, err = outbound.ParseDate(v); err != nil {
			s.fail(w, r, outbound.Errorf(outbound.EINVALID, "date", "date %s is not YYYY-MM-DD", outbound.Shown(v)))
			return
		}
	}
	docs, err := s.Policies.FindPolicies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := policy.InForce(docs, policy.Crossing{Code: c.Code, Border: string(c.Border), FieldOffice: c.FieldOffice, TimeZone: c.TimeZone}, day)
	out := make([]policy.Document, len(in))
	for i, d := range in {
		out[i] = *d
	}
	writeJSON(w, http.StatusOK, newList(out, ""))
}

func (s *Server) compliance(w http.ResponseWriter, r *http.Request) {
	f, err := period(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, rollup, err := s.Policies.Compliance(r.Context(), f.Crossing, f.From, f.To)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": f.From, "to": f.To, "rows": rows, "rollup": rollup})
}

func (s *Server) policyChecks(w http.ResponseWriter, r *http.Request) {
	f, err := period(r)
	if err == nil && f.Crossing == "" {
		err = outbound.Errorf(outbound.EINVALID, "crossing", "crossing is required")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	checked, broken, err := s.Policies.CheckInspections(r.Context(), f.Crossing, f.From, f.To)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"checked": checked, "items": broken})
}
