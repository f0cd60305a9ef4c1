package web

import (
	"net/http"
)

func (s *Server) recordSurveys(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Surveys.RecordSurveys)
}

func (s *Server) listSurveys(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Surveys.FindSurveys)
}

// latestSurvey answers a crossing's survey that counts.
func (s *Server) latestSurvey(w http.ResponseWriter, r *http.Request) {
	sv, err := s.Surveys.LatestSurvey(r.Context(), r.URL.Query().Get("crossing"))
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
