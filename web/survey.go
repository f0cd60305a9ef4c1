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

func (s *Server) recordFunding(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, w, r, s.Funding.RecordFunding)
}

func (s *Server) listFunding(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Funding.FindFunding)
}
