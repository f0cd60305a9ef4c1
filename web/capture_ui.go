package web

import (
	"net/http"

	"github.com/outbound-oss/outbound"
)

// captureView is what the officer's form offers.
type captureView struct {
	Crossings  []string
	Modalities []outbound.Modality
	Techniques []outbound.Technique
	Triggers   []outbound.Trigger
	Outcomes   []outbound.Outcome
	Categories []outbound.Category
	Durations  []int
	// The badge rule, from the root package's constants: the form's
	// script reads it from the page instead of keeping a copy.
	BadgePattern, BadgeSeparators, BadgeRule string
	// MaxOfficers is the most badges an inspection lists: the form says
	// so before an officer's record waits offline to be refused.
	MaxOfficers int
}

// capture serves the officer's form to those who record inspections.
func (s *Server) capture(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteInspection)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "capture", "Record", newCaptureView(a))
}

// newCaptureView is what the form offers an actor; the outbox's form to
// correct a refused record offers the same.
func newCaptureView(a *outbound.Actor) captureView {
	return captureView{Crossings: a.Crossings, Modalities: outbound.Modalities,
		Techniques: outbound.Techniques, Triggers: outbound.Triggers, Outcomes: outbound.Outcomes, Categories: outbound.Categories,
		Durations: []int{5, 10, 15, 30, 60}, BadgePattern: outbound.BadgePattern, BadgeSeparators: outbound.BadgeSeparators, BadgeRule: outbound.BadgeRule,
		MaxOfficers: outbound.MaxOfficers}
}
