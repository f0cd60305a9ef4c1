package web

import (
	"context"
	"net/http"

	"github.com/outbound-oss/outbound"
)

// captureView is what the officer's form offers. The rules a record must
// keep are not here: the form's script reads them from static/rules.json,
// written from outbound.Rules().
type captureView struct {
	Crossings  []string
	Modalities []outbound.Modality
	Techniques []outbound.Technique
	Triggers   []outbound.Trigger
	Outcomes   []outbound.Outcome
	Categories []outbound.Category
	Durations  []int
	// Badge is the signed-in officer's badge, from their account: the
	// form records it as theirs, so that it is never typed. Empty when the
	// account has none; the officer then types the badges.
	Badge string
	// CanUndoSent says whether the form's Undo may void a record already
	// sent: the server lets an officer undo their own (Inspection.CheckUndo),
	// which needs a badge, and a supervisor void any.
	CanUndoSent bool
	// Operations are the pulse-and-surge operations running today at the
	// officer's crossings: the form offers each at its crossing.
	Operations []captureOperation
}

// captureOperation is a pulse-and-surge operation running today at one of
// the officer's crossings.
type captureOperation struct {
	ID, Name, Crossing string
	To                 outbound.Date // its last day, for a form kept open (or offline) past it
}

// capture serves the officer's form to those who record inspections.
func (s *Server) capture(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteInspection)
	if !ok {
		return
	}
	ops, err := s.runningOperations(r.Context(), a.Crossings)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	canVoid := false
	for _, c := range a.Crossings {
		canVoid = canVoid || a.Can(outbound.EditInspection, c)
	}
	s.render(w, r, http.StatusOK, "capture", "Record", captureView{Crossings: a.Crossings, Modalities: outbound.Modalities,
		Techniques: outbound.Techniques, Triggers: outbound.Triggers, Outcomes: outbound.Outcomes, Categories: outbound.Categories,
		Durations: []int{5, 10, 15, 30, 60}, Badge: a.Badge, CanUndoSent: a.Badge != "" || canVoid, Operations: ops})
}

// runningOperations lists the operations running today, by each crossing's
// own calendar, at the crossings given.
func (s *Server) runningOperations(ctx context.Context, crossings []string) ([]captureOperation, error) {
	if s.Operations == nil || len(crossings) == 0 {
		return nil, nil
	}
	now := s.now()
	today := outbound.DateOf(now.UTC())
	// A day either side of UTC's covers every crossing's own today.
	ops, err := s.Operations.FindOperations(ctx, today.AddDays(-1), today.AddDays(1))
	if err != nil || len(ops) == 0 {
		return nil, err
	}
	var out []captureOperation
	for _, code := range crossings {
		c, err := s.Crossings.FindCrossing(ctx, code)
		if err != nil {
			return nil, err
		}
		local := outbound.DateOf(now.In(c.Location()))
		for _, op := range ops {
			if op.RunsAt(code, local) {
				out = append(out, captureOperation{ID: op.ID, Name: op.Name, Crossing: code, To: op.To})
			}
		}
	}
	return out, nil
}
