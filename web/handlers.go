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
// include_voided, modality and outcome (read by the same vocabulary
// parsers as parseSelection, which has already refused a bad one).
func inspectionFilter(r *http.Request, f outbound.Filter) (outbound.InspectionFilter, error) {
	voided, err := parseBool(r, "include_voided")
	if err != nil {
		return outbound.InspectionFilter{}, err
	}
	q := r.URL.Query()
	inf := outbound.InspectionFilter{Filter: f, IncludeVoided: voided}
	if inf.Modality, err = outbound.ParseModality(q.Get("modality")); err != nil {
		return inf, err
	}
	inf.Outcome, err = outbound.ParseOutcome(q.Get("outcome"))
	return inf, err
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
		return id, outbound.Errorf(outbound.EINVALID, "id", "%s is not a UUID", outbound.Shown(r.PathValue("id")))
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

func parseBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, outbound.Errorf(outbound.EINVALID, name, "%s %s must be true or false", name, outbound.Shown(v))
	}
	return b, nil
}
