package web

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

func (s *Server) recordSurveys(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, "survey", w, r, func(r *http.Request, b []outbound.Survey) ([]outbound.RecordResult[outbound.Survey], error) {
		return s.Surveys.RecordSurveys(r.Context(), b)
	}, func(v *outbound.Survey) uuid.UUID { return v.ID })
}

func (s *Server) listSurveys(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Surveys.FindSurveys)
}

func (s *Server) recordFunding(w http.ResponseWriter, r *http.Request) {
	recordBatch(s, "funding entry", w, r, func(r *http.Request, b []outbound.FundingEntry) ([]outbound.RecordResult[outbound.FundingEntry], error) {
		return s.Funding.RecordFunding(r.Context(), b)
	}, func(v *outbound.FundingEntry) uuid.UUID { return v.ID })
}

func (s *Server) listFunding(w http.ResponseWriter, r *http.Request) {
	listPage(s, w, r, s.Funding.FindFunding)
}
