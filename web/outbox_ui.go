package web

import (
	"net/http"

	"github.com/outbound-oss/outbound"
)

// outboxView is the outbox page: the records this device keeps for the
// signed-in user (its script reads them from the browser's storage) and
// the form to correct one the server refused, with the record form's
// choices (its rules come from static/rules.json, as the record form's do).
type outboxView struct {
	captureView
	// Words is a JSON object of the API's names the server's refusals
	// use, in the words people read: started_at is "start time".
	Words string
}

// outbox serves the outbox page to those who record inspections.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteInspection)
	if !ok {
		return
	}
	v := outboxView{Words: plainWords}
	v.Badge = a.Badge // a correction keeps it: the server takes nothing else from its officer
	v.Crossings, v.Modalities, v.Techniques, v.Triggers, v.Outcomes, v.Categories = a.Crossings, outbound.Modalities,
		outbound.Techniques, outbound.Triggers, outbound.Outcomes, outbound.Categories
	s.render(w, r, http.StatusOK, "outbox", "Outbox", v)
}
