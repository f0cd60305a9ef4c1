package web

import (
	"net/http"

	"github.com/outbound-oss/outbound"
)

// decideLane draws whether one vehicle is inspected: the server draws, so
// that no device can choose whom to let through.
func (s *Server) decideLane(w http.ResponseWriter, r *http.Request) {
	var req outbound.LaneRequest
	if err := decodeOne(w, r, &req); err != nil {
		s.metrics.reject(outbound.LaneKind.Name, 1, err)
		s.fail(w, r, err)
		return
	}
	res, err := s.Lanes.DecideLane(r.Context(), req)
	if err != nil {
		s.metrics.reject(outbound.LaneKind.Name, 1, err)
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Status == outbound.Replayed {
		status = http.StatusOK
	} else {
		s.metrics.ingested.WithLabelValues(outbound.LaneKind.Name).Inc()
	}
	writeJSON(w, status, res.Record)
}

// recordLaneDecisions takes the decisions a port node made.
func (s *Server) recordLaneDecisions(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Lanes.RecordLaneDecisions)
}

func (s *Server) listLaneDecisions(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Lanes.FindLaneDecisions)
}
