package web

import (
	"net/http"

	"github.com/outbound-oss/outbound"
)

// publishSchedule draws a schedule from crypto/rand and publishes it: the
// server draws, so that no client can pass off a pattern as random.
func (s *Server) publishSchedule(w http.ResponseWriter, r *http.Request) {
	var req outbound.ScheduleRequest
	if err := decodeOne(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Schedules.PublishSchedule(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": list})
}

func (s *Server) findSchedules(w http.ResponseWriter, r *http.Request) {
	f, err := period(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Schedules.FindSchedules(r.Context(), f.Crossing, f.From, f.To)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (s *Server) planOperation(w http.ResponseWriter, r *http.Request) {
	var req outbound.OperationRequest
	if err := decodeOne(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	op, err := s.Operations.PlanOperation(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, op)
}

func (s *Server) findOperations(w http.ResponseWriter, r *http.Request) {
	f, err := period(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Operations.FindOperations(r.Context(), f.From, f.To)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (s *Server) operationResults(w http.ResponseWriter, r *http.Request) {
	res, err := s.Operations.OperationResults(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
