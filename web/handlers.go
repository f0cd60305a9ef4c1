package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

func (s *Server) listCrossings(w http.ResponseWriter, r *http.Request) {
	cs, err := s.Crossings.FindCrossings(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(cs, ""))
}

func (s *Server) getCrossing(w http.ResponseWriter, r *http.Request) {
	c, err := s.Crossings.FindCrossing(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) recordInspections(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Inspections.RecordInspections)
}

func (s *Server) listInspections(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, func(ctx context.Context, f outbound.Filter) ([]outbound.Inspection, string, error) {
		inf, err := inspectionFilter(r, f)
		if err != nil {
			return nil, "", err
		}
		return s.Inspections.FindInspections(ctx, inf)
	})
}

// inspectionFilter adds the inspection list's own parameters to a filter:
// include_voided, modality and outcome.
func inspectionFilter(r *http.Request, f outbound.Filter) (outbound.InspectionFilter, error) {
	voided, err := parseBool(r, "include_voided")
	if err != nil {
		return outbound.InspectionFilter{}, err
	}
	q := r.URL.Query()
	inf := outbound.InspectionFilter{Filter: f, IncludeVoided: voided, Modality: outbound.Modality(q.Get("modality")), Outcome: outbound.Outcome(q.Get("outcome"))}
	if inf.Modality != "" && !inf.Modality.Valid() {
		return inf, outbound.Errorf(outbound.EINVALID, "modality", "modality %q is not one of %v", inf.Modality, outbound.Modalities)
	}
	if inf.Outcome != "" && !inf.Outcome.Valid() {
		return inf, outbound.Errorf(outbound.EINVALID, "outcome", "outcome %q is not one of %v", inf.Outcome, outbound.Outcomes)
	}
	return inf, nil
}

func (s *Server) getInspection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.Inspections.FindInspection(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

// inspectionHistory answers every version of an inspection, the first first.
func (s *Server) inspectionHistory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	versions, err := s.Inspections.InspectionHistory(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(versions, ""))
}

// pathID reads the {id} of a route's path.
func pathID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return id, outbound.Errorf(outbound.EINVALID, "id", "%q is not a UUID", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) recordStaffing(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Staffing.RecordStaffing)
}

func (s *Server) listStaffing(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Staffing.FindStaffing)
}

func (s *Server) recordExits(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Exits.RecordExits)
}

func (s *Server) listExits(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Exits.FindExits)
}

// listPage answers one page of a list filtered by crossing and day.
func listPage[T any](s *Server, w http.ResponseWriter, r *http.Request,
	find func(context.Context, outbound.Filter) ([]T, string, error)) {
	f, err := parseFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, next, err := find(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(items, next))
}

// parseFilter reads crossing, from, to, limit and cursor from the query.
func parseFilter(r *http.Request) (outbound.Filter, error) {
	q := r.URL.Query()
	f := outbound.Filter{Crossing: q.Get("crossing"), Cursor: q.Get("cursor")}
	for name, d := range map[string]*outbound.Date{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			day, err := outbound.ParseDate(v)
			if err != nil {
				return f, outbound.Errorf(outbound.EINVALID, name, "%s %q is not a date; expected YYYY-MM-DD", name, v)
			}
			*d = day
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > outbound.MaxPageSize {
			return f, outbound.Errorf(outbound.EINVALID, "limit", "limit %q must be a whole number from 1 to %d", v, outbound.MaxPageSize)
		}
		f.Limit = n
	}
	return f, nil
}

func parseBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, outbound.Errorf(outbound.EINVALID, name, "%s %q must be true or false", name, v)
	}
	return b, nil
}
