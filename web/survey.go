package web

import (
	"net/http"

	"github.com/outbound-oss/outbound"
)

func (s *Server) recordSurveys(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Surveys.RecordSurveys)
}

func (s *Server) listSurveys(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Surveys.FindSurveys)
}

// latestSurvey answers a crossing's survey that counts.
func (s *Server) latestSurvey(w http.ResponseWriter, r *http.Request) {
	crossing := r.URL.Query().Get("crossing")
	if crossing == "" {
		s.fail(w, r, outbound.Errorf(outbound.EINVALID, "crossing", "crossing is required: the code of the crossing whose survey counts"))
		return
	}
	sv, err := s.Surveys.LatestSurvey(r.Context(), crossing)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

func (s *Server) recordFunding(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Funding.RecordFunding)
}

func (s *Server) listFunding(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Funding.FindFunding)
}
